"""The outbox: queue an e-mail or SMS with the action that sends it; a task sends it once.

- :func:`outbox_email` / :func:`outbox_sms` write the message (and its attachments) in the
  caller's transaction, and enqueue its sending once that transaction commits: an action
  that rolls back sends nothing, and a message is never lost once the action is committed.
- :func:`outbox_deliver` (the ``outbox_send`` task) claims the row under a lock, talks to the
  provider outside any transaction, and records the answer. A refusal is tried again later
  (doubling delays), a 5xx SMTP answer at once fails for good.
- :func:`outbox_sweep` (every 5 minutes) enqueues what is due and was not enqueued (a retry
  on a backend without deferred tasks, a process that died between commit and enqueue) and
  marks as failed a message whose sending was interrupted.
"""

import datetime as dt
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxAttachment, OutboxChannel, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Past this, a message still « sending » was interrupted (an SMTP exchange takes seconds;
# EMAIL_TIMEOUT bounds a stuck one).
SENDING_STALE_AFTER = dt.timedelta(minutes=30)
# What the sweep leaves to the task enqueued at commit before enqueuing one itself.
ENQUEUE_GRACE = dt.timedelta(minutes=2)
INTERRUPTED = (
    "Envoi interrompu (le processus d'envoi s'est arrêté pendant l'échange avec le "
    "prestataire) : le message est peut-être parti. Vérifiez avant de le renvoyer."
)


class PermanentFailure(Exception):
    """The provider refused the message for good (no retry)."""


def _queue(message: OutboxMessage, attachments=()) -> OutboxMessage:
    message.full_clean()
    message.save()
    for filename, content, mimetype in attachments:
        if isinstance(content, str):
            content = content.encode()
        OutboxAttachment.objects.create(
            message=message, filename=filename, content=content, mimetype=mimetype
        )
    transaction.on_commit(partial(outbox_enqueue, message.pk), robust=True)
    return message


def outbox_email(
    *,
    to: str,
    subject: str,
    body: str,
    attachments=(),
    from_email: str = "",
    origin: str = "",
    on_outcome: str = "",
) -> OutboxMessage:
    """Queue one e-mail to one address; ``attachments`` are (filename, bytes, mimetype)."""
    message = OutboxMessage(
        channel=OutboxChannel.EMAIL,
        recipient=to,
        from_email=from_email,
        subject=subject[:255],
        body=body,
        message_id=make_msgid(domain="relais"),
        origin=origin,
        on_outcome=on_outcome,
    )
    return _queue(message, attachments)


def outbox_sms(*, to: str, text: str, origin: str = "", on_outcome: str = "") -> OutboxMessage:
    """Queue one SMS to one number (E.164)."""
    message = OutboxMessage(
        channel=OutboxChannel.SMS, recipient=to, body=text, origin=origin, on_outcome=on_outcome
    )
    return _queue(message)


def outbox_enqueue(message_id: int, *, run_after: dt.datetime | None = None) -> None:
    from .tasks import outbox_send

    task = outbox_send
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep will enqueue it when it is due
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.RELAIS_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1))


def _send_email(message: OutboxMessage) -> str:
    email = EmailMessage(
        message.subject,
        message.body,
        message.from_email or None,
        [message.recipient],
        headers={"Message-ID": message.message_id} if message.message_id else None,
    )
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    connection = get_connection()
    if not isinstance(connection, SmtpBackend):
        connection.send_messages([email])
        return f"Accepté ({connection.__class__.__module__})."
    # Keep the server's answer to DATA (« 250 2.0.0 Ok: queued as … »): smtplib drops it.
    replies = []
    connection.open()
    try:
        smtp = connection.connection
        data = smtp.data

        def recording_data(msg):
            reply = data(msg)
            replies.append(reply)
            return reply

        smtp.data = recording_data
        connection.send_messages([email])
    finally:
        connection.close()
    code, text = replies[-1] if replies else (250, b"")
    return f"{code} {text.decode(errors='replace')}".strip()


def _send_sms(message: OutboxMessage) -> str:
    answer = import_string(settings.RELAIS_SMS_BACKEND)().send(message.recipient, message.body)
    return str(answer) if answer else "Accepté."


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, PermanentFailure):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return False


def _outcome(message: OutboxMessage) -> None:
    if not message.on_outcome:
        return
    try:
        import_string(message.on_outcome)(message)
    except Exception:  # the message's own row holds the truth; the mirror is a convenience
        logger.exception("Outcome of outbox message %s not recorded by %s", message.pk,
                         message.on_outcome)  # fmt: skip


def outbox_deliver(message_id: int, *, claim_id: str) -> str:
    """Send a queued message once; returns its status afterwards.

    ``claim_id`` names the task run (the same across the retries of one task): finding the
    row ``sending`` under one's own claim means one's previous run died mid-send.
    """
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status == OutboxStatus.SENDING and message.claimed_by == claim_id:
            message.status, message.error = OutboxStatus.FAILED, INTERRUPTED
            message.save(update_fields=["status", "error"])
            transaction.on_commit(partial(_outcome, message))
            return message.status
        if message.status != OutboxStatus.PENDING:
            return message.status  # sent, failed, or being sent by another task
        if message.next_attempt_at and message.next_attempt_at > now:
            return message.status  # a retry's own task will come
        message.status, message.claimed_by, message.claimed_at = (
            OutboxStatus.SENDING, claim_id[:64], now,
        )  # fmt: skip
        message.attempts += 1
        message.save(update_fields=["status", "claimed_by", "claimed_at", "attempts"])
    # Outside any transaction: the claim is committed before the provider hears of it.
    try:
        if message.channel == OutboxChannel.EMAIL:
            answer = _send_email(message)
        else:
            answer = _send_sms(message)
    except Exception as error:  # any provider or SMTP failure is recorded, then retried
        logger.warning("Outbox message %s not sent: %s", message_id, error)
        message.error = str(error)[:2000] or error.__class__.__name__
        if _is_permanent(error) or message.attempts >= settings.RELAIS_OUTBOX_MAX_ATTEMPTS:
            message.status, message.next_attempt_at = OutboxStatus.FAILED, None
        else:
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = timezone.now() + _backoff(message.attempts)
        message.save(update_fields=["status", "error", "next_attempt_at"])
        if message.status == OutboxStatus.PENDING:
            outbox_enqueue(message.pk, run_after=message.next_attempt_at)
        else:
            _outcome(message)
        return message.status
    message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
    message.provider_response, message.error = answer[:2000], ""
    message.next_attempt_at = None
    message.save(
        update_fields=["status", "sent_at", "provider_response", "error", "next_attempt_at"]
    )
    _outcome(message)
    return message.status


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """A coordinator sends a failed message again (after checking it did not arrive)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != OutboxStatus.FAILED:
            return message
        message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, None
        message.claimed_by, message.error = "", ""
        message.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_by", "error"])
        transaction.on_commit(partial(outbox_enqueue, message.pk), robust=True)
    return message


def outbox_sweep(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Enqueue the due messages nobody enqueued; fail the interrupted ones.

    Returns (enqueued, interrupted). Enqueuing a message twice is harmless: the second task
    finds it claimed or sent and does nothing.
    """
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).filter(
        next_attempt_at__lte=now - ENQUEUE_GRACE
    ) | OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING,
        next_attempt_at__isnull=True,
        created_at__lte=now - ENQUEUE_GRACE,
    )
    enqueued = 0
    for message_id in due.values_list("pk", flat=True):
        outbox_enqueue(message_id)
        enqueued += 1
    interrupted = 0
    stale = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    for message_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=message_id, status=OutboxStatus.SENDING)
                .first()
            )
            if message is None:
                continue
            message.status, message.error = OutboxStatus.FAILED, INTERRUPTED
            message.save(update_fields=["status", "error"])
            transaction.on_commit(partial(_outcome, message))
            interrupted += 1
    return enqueued, interrupted
