"""Messages to residents: recorded in :class:`Message`, sent through the outbox.

:func:`message_queue` creates the ``queued`` row and its outbox message (``relais.messaging``)
inside the caller's transaction: a registration that rolls back never sends anything, and a
committed one never loses its message. The outbox's task sends it (retrying a provider's
refusal with growing delays) and :func:`message_outcome` marks the row ``sent`` or ``failed``.
A message is unique per object, kind and channel, so a re-run of a job queues nothing twice.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from relais.core.site import site_url
from relais.messaging.models import OutboxMessage, OutboxStatus
from relais.messaging.outbox import outbox_email, outbox_sms
from relais.workshops.ics import calendar_bytes

from .enums import MessageChannel, MessageKind, MessageStatus
from .models import Message, Registration
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
    """Record a message and queue it in the outbox, sent once the current transaction commits.

    ``related`` names the object it is about (``registration=…``). Returns ``None`` when the same
    message (object, kind, channel) exists already: it was sent, or is being sent, before.
    """
    status = MessageStatus.QUEUED
    error = ""
    if channel == MessageChannel.SMS and not is_mobile(recipient):
        status, error = MessageStatus.SKIPPED, "Numéro fixe : pas d'envoi de SMS."
    try:
        # A savepoint: a duplicate must not break the caller's transaction. The row and its
        # outbox message are committed together, or neither.
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
            if status == MessageStatus.QUEUED:
                origin = f"bookings.message:{message.pk}"
                if channel == MessageChannel.EMAIL:
                    outbox_email(
                        to=recipient, subject=message.subject, body=body,
                        attachments=attachments, origin=origin, on_outcome=OUTCOME,
                    )  # fmt: skip
                else:
                    outbox_sms(to=recipient, text=body, origin=origin, on_outcome=OUTCOME)
    except IntegrityError:
        return None
    return message


OUTCOME = "relais.bookings.messaging.message_outcome"


def message_outcome(outbox: OutboxMessage) -> None:
    """Mirror the outbox's final word on the resident's :class:`Message` (pages, admin)."""
    message_pk = int(outbox.origin.removeprefix("bookings.message:"))
    if outbox.status == OutboxStatus.SENT:
        Message.objects.filter(pk=message_pk).update(
            status=MessageStatus.SENT, error="", sent_at=outbox.sent_at
        )
    elif outbox.status == OutboxStatus.FAILED:
        Message.objects.filter(pk=message_pk).update(
            status=MessageStatus.FAILED, error=outbox.error[:1000] or "erreur"
        )


def person_notify(
    *,
    person,
    kind: str,
    channels: tuple[str, ...] | None,
    subject: str,
    template: str,
    context: dict,
    attachment=None,
    **related,
) -> list[Message]:
    """Queue the ``kind`` message to a person who gave an e-mail and/or a phone (a
    registration, an appointment): one :func:`message_queue` per channel.

    Default channels: e-mail when the person gave one, else SMS; ``channels`` forces a list (a
    channel without a matching contact is left out). ``template`` names the body's template
    with a ``{folder}`` (``email`` or ``sms``); ``attachment()``, when given, builds the
    e-mail's one attachment (name, bytes, type).
    """
    if channels is None:
        channels = (MessageChannel.EMAIL,) if person.email else (MessageChannel.SMS,)
    queued = []
    for channel in channels:
        recipient = person.email if channel == MessageChannel.EMAIL else person.phone
        if not recipient:
            continue
        folder = "email" if channel == MessageChannel.EMAIL else "sms"
        body = render_to_string(template.format(folder=folder), context).strip()
        attachments = ()
        if channel == MessageChannel.EMAIL and attachment is not None:
            attachments = (attachment(),)
        message = message_queue(
            kind=kind,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            attachments=attachments,
            **related,
        )
        if message is not None:
            queued.append(message)
    return queued


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
    attachment = None
    if kind in WITH_CALENDAR:
        session = registration.session
        attachment = lambda: (  # noqa: E731 (built only for an e-mail)
            "atelier.ics",
            calendar_bytes([session], name=session.topic.title, method="PUBLISH"),
            "text/calendar; charset=utf-8",
        )
    return person_notify(
        person=registration,
        kind=kind,
        channels=channels,
        subject=SUBJECTS[kind].format(title=registration.session.topic.title),
        template=f"bookings/{{folder}}/{kind}.txt",
        context=_context(registration, **extra),
        attachment=attachment,
        registration=registration,
    )
