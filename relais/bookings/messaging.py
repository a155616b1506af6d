"""Messages to residents: recorded in :class:`Message`, sent at most once, after the commit.

:func:`message_queue` creates the ``queued`` row inside the caller's transaction and schedules the
sending for after the commit: a registration that rolls back never sends anything, and the row
of a message exists before the message leaves. The sending marks it ``sent`` or ``failed``.
Nothing ever re-sends a ``queued`` or ``failed`` row by itself (at most once, see the model).

Appointments will reuse :func:`message_queue` and :func:`deliver` with their own foreign key.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from relais.core.site import site_url
from relais.workshops.ics import calendar_bytes

from .enums import MessageChannel, MessageKind, MessageStatus
from .models import Message, Registration
from .sms import get_sms_backend
from .validators import is_mobile

logger = logging.getLogger(__name__)

SUBJECTS = {
    MessageKind.CONFIRMATION: "Votre inscription à l'atelier « {title} »",
    MessageKind.WAITING_LIST: "Liste d'attente de l'atelier « {title} »",
    MessageKind.PROMOTION: "Une place s'est libérée : atelier « {title} »",
    MessageKind.CANCELLATION: "Annulation de votre inscription : atelier « {title} »",
    MessageKind.SESSION_CANCELLED: "Atelier annulé : « {title} »",
    MessageKind.REMINDER: "Rappel : atelier « {title} »",
}
# Messages that carry the session as a calendar file.
WITH_CALENDAR = frozenset({MessageKind.CONFIRMATION, MessageKind.PROMOTION, MessageKind.REMINDER})


def message_queue(
    *,
    kind: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    attachments: tuple = (),
    **related,
) -> Message | None:
    """Record a message and send it once the current transaction commits.

    ``related`` names the object it is about (``registration=…``). Returns ``None`` when the same
    message (object, kind, channel) exists already: it was sent, or is being sent, before.
    """
    status = MessageStatus.QUEUED
    error = ""
    if channel == MessageChannel.SMS and not is_mobile(recipient):
        status, error = MessageStatus.SKIPPED, "Numéro fixe : pas d'envoi de SMS."
    try:
        # A savepoint: a duplicate must not break the caller's transaction.
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind,
                channel=channel,
                recipient=recipient,
                subject=subject[:200],
                status=status,
                error=error,
                **related,
            )
    except IntegrityError:
        return None
    if status == MessageStatus.QUEUED:
        transaction.on_commit(partial(deliver, message.pk, body, attachments), robust=True)
    return message


def deliver(message_pk: int, body: str, attachments: tuple = ()) -> None:
    """Send a queued message and record the outcome (``sent`` or ``failed``, with the error).

    Only the transaction that created the row schedules this call, once: nothing else sends a
    ``queued`` row, so a crash before the outcome is written leaves it ``queued``, never resent.
    """
    message = Message.objects.get(pk=message_pk)
    if message.status != MessageStatus.QUEUED:
        return
    try:
        if message.channel == MessageChannel.EMAIL:
            email = EmailMessage(message.subject, body, None, [message.recipient])
            for filename, content, mimetype in attachments:
                email.attach(filename, content, mimetype)
            email.send(fail_silently=False)
        else:
            get_sms_backend().send(message.recipient, body)
    except Exception as error:  # any provider or SMTP failure is recorded, never re-raised
        logger.warning("Message %s non envoyé : %s", message_pk, error)
        message.status, message.error = MessageStatus.FAILED, str(error)[:1000] or "erreur"
    else:
        message.status, message.error, message.sent_at = MessageStatus.SENT, "", timezone.now()
    message.save(update_fields=["status", "error", "sent_at"])


# --- Registration messages ------------------------------------------------------------------------


def _context(registration: Registration, **extra) -> dict:
    session = registration.session
    return {
        "registration": registration,
        "session": session,
        "topic": session.topic,
        "place": session.place,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "manage_url": site_url(registration.get_manage_url()),
        "topic_url": site_url(session.topic.get_absolute_url()),
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        **extra,
    }


def registration_notify(
    registration: Registration, kind: str, *, channels: tuple[str, ...] | None = None, **extra
) -> list[Message]:
    """Queue the ``kind`` message of a registration.

    Default channels: e-mail when the person gave one, else SMS. ``channels`` forces a list
    (e.g. both for reminders); a channel without a matching contact is left out.
    """
    if channels is None:
        channels = (MessageChannel.EMAIL,) if registration.email else (MessageChannel.SMS,)
    context = _context(registration, **extra)
    subject = SUBJECTS[kind].format(title=registration.session.topic.title)
    queued = []
    for channel in channels:
        recipient = registration.email if channel == MessageChannel.EMAIL else registration.phone
        if not recipient:
            continue
        template = f"bookings/{'email' if channel == MessageChannel.EMAIL else 'sms'}/{kind}.txt"
        body = render_to_string(template, context).strip()
        attachments = ()
        if channel == MessageChannel.EMAIL and kind in WITH_CALENDAR:
            ics = calendar_bytes(
                [registration.session], name=registration.session.topic.title, method="PUBLISH"
            )
            attachments = (("atelier.ics", ics, "text/calendar; charset=utf-8"),)
        message = message_queue(
            kind=kind,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            attachments=attachments,
            registration=registration,
        )
        if message is not None:
            queued.append(message)
    return queued
