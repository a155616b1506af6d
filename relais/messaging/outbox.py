"""The outbox: queue an e-mail or SMS with the action that sends it; a task sends it once.

- :func:`outbox_email` / :func:`outbox_sms` write the message (and its attachments) in the
  caller's transaction, and enqueue its sending once that transaction commits: an action
  that rolls back sends nothing, and a message is never lost once the action is committed.
- :func:`outbox_drain` (the ``outbox_send_due`` task) claims the due rows a batch at a time
  under a lock, talks to the provider outside any transaction (one SMTP connection for the
  batch), and records the answers; :func:`outbox_deliver` does the same for one message. A
  refusal is tried again later (doubling delays), a 5xx SMTP answer at once fails for good.
- :func:`outbox_sweep` (every 5 minutes) enqueues a task if something due was not sent (a retry
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
from django.db.models import F, Q, prefetch_related_objects
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


def outbox_enqueue(message_id: int | None = None, *, run_after: dt.datetime | None = None) -> None:
    """Make sure a task will send the due messages (``message_id`` among them).

    One task sends every due message (:func:`outbox_drain`), so a burst of a thousand
    committed messages needs one task, not a thousand: nothing is enqueued while a task of the
    database queue is waiting to start, since it will find the message when it starts.
    """
    from .tasks import outbox_send_due

    task = outbox_send_due
    backend = task.get_backend()
    if run_after is not None:
        if not backend.supports_defer:
            return  # the sweep will enqueue it when it is due
        task = task.using(run_after=run_after)
    elif _drain_waiting(backend):
        return
    task.enqueue()


def _drain_waiting(backend) -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import outbox_send_due

    if not isinstance(backend, DatabaseBackend):
        return False
    # A waiting task has not read the outbox yet (a worker marks it running before it does),
    # so it will see every message committed before this read.
    return DBTaskResult.objects.ready().filter(task_path=outbox_send_due.module_path).exists()


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.RELAIS_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1))


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(
        message.subject,
        message.body,
        message.from_email or None,
        [message.recipient],
        headers={"Message-ID": message.message_id} if message.message_id else None,
    )
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


class _EmailSender:
    """One connection for a batch of e-mails, each its own SMTP transaction on it.

    Keeps the server's answer to DATA (« 250 2.0.0 Ok: queued as … »), which smtplib drops.
    After an error other than an SMTP answer the connection is closed and opened again for the
    next message.
    """

    def __init__(self):
        self.connection = get_connection()
        self.smtp = isinstance(self.connection, SmtpBackend)
        self.replies = []

    def _open(self) -> None:
        if self.connection.connection is not None:
            return
        self.connection.open()
        smtp = self.connection.connection
        data = smtp.data

        def recording_data(msg):
            reply = data(msg)
            self.replies.append(reply)
            return reply

        smtp.data = recording_data

    def send(self, message: OutboxMessage) -> str:
        email = _email(message)
        if not self.smtp:
            self.connection.send_messages([email])
            return f"Accepté ({self.connection.__class__.__module__})."
        self.replies.clear()
        try:
            self._open()
            self.connection.send_messages([email])
        except smtplib.SMTPResponseException:
            raise  # the server answered: the connection is still usable
        except Exception:
            self.close()
            raise
        code, text = self.replies[-1] if self.replies else (250, b"")
        return f"{code} {text.decode(errors='replace')}".strip()

    def close(self) -> None:
        if self.smtp:
            try:
                self.connection.close()
            finally:
                self.connection.connection = None


def _send_sms(message: OutboxMessage) -> str:
    answer = import_string(settings.RELAIS_SMS_BACKEND)().send(message.recipient, message.body)
    return str(answer) if answer else "Accepté."


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, PermanentFailure) or getattr(error, "permanent", False):
        return True  # an SMS provider's refusal for good (relais.bookings.sms.SmsRefused)
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


def _fail_interrupted(rows) -> list[OutboxMessage]:
    """Rows found « sending » under one's own claim: one's previous run died mid-send."""
    failed = []
    for message in rows:
        message.status, message.error = OutboxStatus.FAILED, INTERRUPTED
        message.save(update_fields=["status", "error"])
        transaction.on_commit(partial(_outcome, message))
        failed.append(message)
    return failed


def _claim(rows, claim_id: str, now: dt.datetime) -> list[OutboxMessage]:
    claimed = list(rows)
    OutboxMessage.objects.filter(pk__in=[message.pk for message in claimed]).update(
        status=OutboxStatus.SENDING, claimed_by=claim_id[:64], claimed_at=now,
        attempts=F("attempts") + 1,
    )  # fmt: skip
    for message in claimed:
        message.status, message.claimed_by, message.claimed_at = (
            OutboxStatus.SENDING, claim_id[:64], now,
        )  # fmt: skip
        message.attempts += 1
    prefetch_related_objects(claimed, "attachments")
    return claimed


def _send(messages: list[OutboxMessage]) -> None:
    """Talk to the providers, outside any transaction, and record each answer."""
    sender = _EmailSender() if any(m.channel == OutboxChannel.EMAIL for m in messages) else None
    retries = []
    try:
        for message in messages:
            try:
                if message.channel == OutboxChannel.EMAIL:
                    answer = sender.send(message)
                else:
                    answer = _send_sms(message)
            except Exception as error:  # any provider or SMTP failure is recorded, then retried
                logger.warning("Outbox message %s not sent: %s", message.pk, error)
                message.error = str(error)[:2000] or error.__class__.__name__
                if _is_permanent(error) or message.attempts >= settings.RELAIS_OUTBOX_MAX_ATTEMPTS:
                    message.status, message.next_attempt_at = OutboxStatus.FAILED, None
                else:
                    message.status = OutboxStatus.PENDING
                    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                    retries.append(message.next_attempt_at)
            else:
                message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
                message.provider_response, message.error = answer[:2000], ""
                message.next_attempt_at = None
    finally:
        if sender is not None:
            sender.close()
    # One write for the batch: a worker killed before it leaves the batch « sending », which
    # the next run of its task (or the sweep) marks failed for a person — never sent twice.
    with transaction.atomic():
        for message in messages:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=message.status,
                sent_at=message.sent_at,
                provider_response=message.provider_response,
                error=message.error,
                next_attempt_at=message.next_attempt_at,
            )
    if retries:
        outbox_enqueue(run_after=min(retries))
    for message in messages:
        if message.status != OutboxStatus.PENDING:
            _outcome(message)


def _due(now: dt.datetime):
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def outbox_deliver(message_id: int, *, claim_id: str) -> str:
    """Send one queued message at most once; returns its status afterwards.

    ``claim_id`` names the task run (the same across the retries of one task): finding the
    row ``sending`` under one's own claim means one's previous run died mid-send.
    """
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status == OutboxStatus.SENDING and message.claimed_by == claim_id:
            return _fail_interrupted([message])[0].status
        if message.status != OutboxStatus.PENDING:
            return message.status  # sent, failed, or being sent by another task
        if message.next_attempt_at and message.next_attempt_at > now:
            return message.status  # a retry's own task will come
        _claim([message], claim_id, now)
    _send([message])
    return message.status


def outbox_drain(*, claim_id: str, batch: int | None = None) -> int:
    """Send every due message, a batch at a time; returns how many were sent.

    Each batch is claimed in one short transaction (``SKIP LOCKED`` on PostgreSQL: workers
    draining together take different rows; SQLite serialises the writers), then sent over one
    SMTP connection. A full batch enqueues another task first, so an idle worker joins in.
    """
    batch = batch or settings.RELAIS_OUTBOX_BATCH
    with transaction.atomic():
        _fail_interrupted(
            OutboxMessage.objects.select_for_update()
            .filter(status=OutboxStatus.SENDING, claimed_by=claim_id[:64])
        )  # fmt: skip
    sent = 0
    helped = False
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = list(_due(now).select_for_update(skip_locked=True).order_by("pk")[:batch])
            if not rows:
                return sent
            claimed = _claim(rows, claim_id, now)
        if len(claimed) == batch and not helped:
            helped = True
            outbox_enqueue()
        _send(claimed)
        sent += sum(message.status == OutboxStatus.SENT for message in claimed)


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
        Q(next_attempt_at__lte=now - ENQUEUE_GRACE)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - ENQUEUE_GRACE)
    )
    enqueued = due.count()
    if enqueued:
        outbox_enqueue()  # one task sends them all
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
