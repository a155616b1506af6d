"""The outbox: committed with the action, sent by a task, retried, never sent twice."""

import socket
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from relais.messaging import outbox
from relais.messaging.models import OutboxMessage, OutboxStatus
from relais.messaging.outbox import (
    INTERRUPTED,
    outbox_deliver,
    outbox_drain,
    outbox_email,
    outbox_retry,
    outbox_sms,
    outbox_sweep,
)

from ..helpers import committed, race_errors, run_together

pytestmark = pytest.mark.django_db

CALENDAR = ("atelier.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; charset=utf-8")
OUTCOMES = []


def record_outcome(message):
    """An ``on_outcome`` function, as bookings and committee have."""
    OUTCOMES.append((message.origin, message.status))


@pytest.fixture(autouse=True)
def _outcomes():
    OUTCOMES.clear()
    yield
    OUTCOMES.clear()


class FlakySmtp:
    """An SMTP server that answers 451 (try again later) while ``failing``, then accepts."""

    def __init__(self):
        self.failing = True
        self.permanent = False
        self.received = []
        self.refused = set()  # recipients answered 451 whatever ``failing`` says
        self.connections = set()

    async def handle_DATA(self, server, session, envelope):
        self.connections.add(session.peer)
        if envelope.rcpt_tos[0] in self.refused:
            return "451 4.2.2 Boîte pleine"
        if self.permanent:
            return "550 5.1.1 Adresse inconnue"
        if self.failing:
            return "451 4.3.0 Serveur surchargé, réessayez plus tard"
        self.received.append(envelope)
        return f"250 2.0.0 Ok: queued as MSG{len(self.received)}"


@pytest.fixture
def smtp(settings):
    handler = FlakySmtp()
    with socket.socket() as probe:  # a free port (aiosmtpd connects to the port it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


def _queue(**extra):
    return committed(
        outbox_email,
        to="camille@exemple.test",
        subject="Votre inscription",
        body="Bonjour Camille",
        attachments=[CALENDAR],
        origin="test:1",
        on_outcome="tests.messaging.test_outbox.record_outcome",
        **extra,
    )


def test_a_real_smtp_server_that_fails_then_recovers_gets_the_message_once(smtp):
    message = _queue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "451" in message.error and smtp.received == []
    assert message.next_attempt_at > timezone.now()
    assert OUTCOMES == []  # not a final word yet

    # Before the retry is due the sweep leaves it alone; after, the recovered server takes it.
    outbox_sweep()
    assert smtp.received == []
    smtp.failing = False
    with time_machine.travel(message.next_attempt_at + timedelta(minutes=3)):
        outbox_sweep()
        outbox_sweep()  # a second sweep, a duplicate task: nothing more is sent
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert message.provider_response.startswith("250 2.0.0 Ok: queued as MSG1")
    assert len(smtp.received) == 1
    sent = message_from_bytes(smtp.received[0].content)
    assert sent["Message-ID"] == message.message_id
    attachments = [part for part in sent.walk() if part.get_filename()]
    assert [part.get_filename() for part in attachments] == ["atelier.ics"]
    assert attachments[0].get_payload(decode=True) == CALENDAR[1]
    assert OUTCOMES == [("test:1", OutboxStatus.SENT)]


def test_the_retries_back_off_then_stop_and_show_as_failed(smtp, settings):
    settings.RELAIS_OUTBOX_MAX_ATTEMPTS = 3
    message = _queue()
    delays = []
    for _ in range(2):
        message.refresh_from_db()
        delays.append(message.next_attempt_at)
        with time_machine.travel(message.next_attempt_at + timedelta(minutes=3)):
            outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 3
    assert "451" in message.error and smtp.received == []
    assert OUTCOMES == [("test:1", OutboxStatus.FAILED)]


def test_a_permanent_refusal_fails_at_once(smtp):
    smtp.permanent = True
    message = _queue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 1
    assert "550" in message.error


def _queue_many(monkeypatch, count):
    with monkeypatch.context() as patch:
        patch.setattr(outbox, "outbox_enqueue", lambda *a, **k: None)
        return [
            committed(outbox_email, to=f"p{n}@exemple.test", subject="Rappel", body=f"n°{n}")
            for n in range(count)
        ]


def test_one_task_sends_the_due_messages_in_batches_over_one_connection_each(
    smtp, monkeypatch, settings
):
    """The refused ones wait for their retry (the others of their batch are sent), and the
    connection survives a refusal; checked on the server's side, not on our rows only."""
    settings.RELAIS_OUTBOX_BATCH = 20
    smtp.failing = False
    smtp.refused = {"p3@exemple.test", "p21@exemple.test"}
    messages = _queue_many(monkeypatch, 45)
    retried = []
    monkeypatch.setattr(outbox, "outbox_enqueue", lambda *a, **k: retried.append(k))
    assert outbox_drain(claim_id="drain-1") == 43
    received = sorted(envelope.rcpt_tos[0] for envelope in smtp.received)
    expected = sorted(m.recipient for m in messages if m.recipient not in smtp.refused)
    assert received == expected  # each once
    assert len(smtp.connections) == 3  # 45 messages, batches of 20
    rows = dict(OutboxMessage.objects.values_list("recipient", "status"))
    assert {r for r, status in rows.items() if status == OutboxStatus.PENDING} == smtp.refused
    # A full batch asks for a helper task; the refusals ask for a deferred one.
    assert {} in retried and any("run_after" in k for k in retried)
    assert outbox_drain(claim_id="drain-2") == 0  # the refused ones are not due yet


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SKIP LOCKED; the tests' in-memory SQLite answers « table is locked » at once",
)
@pytest.mark.django_db(transaction=True)
def test_drains_racing_in_threads_send_each_message_once(monkeypatch, settings):
    """Real concurrency: with SKIP LOCKED each drain takes other rows, and every message is
    sent exactly once, whoever sends it."""
    settings.RELAIS_OUTBOX_BATCH = 7
    monkeypatch.setattr(outbox, "outbox_enqueue", lambda *a, **k: None)
    messages = [outbox_email(to=f"p{n}@exemple.test", subject="S", body="B") for n in range(60)]
    send = locmem.EmailBackend.send_messages

    def slow_send(self, emails):
        time.sleep(0.002)
        return send(self, emails)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow_send)
    counts, errors = run_together(
        lambda claim: outbox_drain(claim_id=claim), [(f"drain-{n}",) for n in range(4)]
    )
    assert race_errors(errors) == []
    assert sum(counts) == 60
    assert sorted(email.to[0] for email in mail.outbox) == sorted(m.recipient for m in messages)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}


def test_an_action_that_rolls_back_sends_nothing():
    with pytest.raises(RuntimeError), committed(transaction.atomic):
        outbox_email(to="a@exemple.test", subject="S", body="B")
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_a_second_task_for_a_message_being_sent_sends_nothing(monkeypatch):
    """The claim: while one task talks to the provider, another finds the row « sending »."""
    with monkeypatch.context() as patch:
        patch.setattr(outbox, "outbox_enqueue", lambda *a, **k: None)
        message = committed(outbox_email, to="a@exemple.test", subject="S", body="B")
    inner = []
    send = locmem.EmailBackend.send_messages

    def send_while_another_task_runs(self, messages):
        inner.append(outbox_deliver(message.pk, claim_id="task-2"))
        return send(self, messages)

    with monkeypatch.context() as patch:
        patch.setattr(locmem.EmailBackend, "send_messages", send_while_another_task_runs)
        assert outbox_deliver(message.pk, claim_id="task-1") == OutboxStatus.SENT
    assert inner == [OutboxStatus.SENDING]
    assert outbox_deliver(message.pk, claim_id="task-3") == OutboxStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_message_send_it_once(monkeypatch):
    """Real concurrency, each thread with its own connection (PostgreSQL: the row lock;
    SQLite: the write lock of IMMEDIATE transactions)."""
    monkeypatch.setattr(outbox, "outbox_enqueue", lambda *a, **k: None)
    message = outbox_email(to="a@exemple.test", subject="S", body="B")
    send = locmem.EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.3)
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow_send)
    results, errors = run_together(
        lambda claim: outbox_deliver(message.pk, claim_id=claim), [(f"task-{n}",) for n in range(4)]
    )
    assert race_errors(errors) == []
    assert len(mail.outbox) == 1
    assert results.count(OutboxStatus.SENT) >= 1
    assert OutboxMessage.objects.get().attempts == 1


def test_a_worker_killed_mid_send_leaves_it_for_a_person_never_sends_twice(monkeypatch):
    """Its task, run again after the worker died, finds its own claim: maybe sent, so failed
    with a French explanation; « Renvoyer » sends it once more, on purpose."""
    monkeypatch.setattr(outbox, "outbox_enqueue", lambda *a, **k: None)
    message = committed(
        outbox_sms, to="+33639980001", text="Rappel", origin="test:2",
        on_outcome="tests.messaging.test_outbox.record_outcome",
    )  # fmt: skip
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, claimed_by="task-1", claimed_at=timezone.now(), attempts=1
    )
    assert committed(outbox_deliver, message.pk, claim_id="task-1") == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.error == INTERRUPTED and OUTCOMES == [("test:2", OutboxStatus.FAILED)]
    monkeypatch.undo()
    committed(outbox_retry, message=message)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_the_sweep_fails_a_message_stuck_in_sending():
    message = OutboxMessage.objects.create(
        channel="email", recipient="a@exemple.test", body="B", status=OutboxStatus.SENDING,
        claimed_by="task-1", claimed_at=timezone.now(),
    )  # fmt: skip
    assert outbox_sweep() == (0, 0)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert committed(outbox_sweep) == (0, 1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.error == INTERRUPTED


def test_the_coordinators_see_the_failed_messages_and_send_one_again(
    coordinator_client, monkeypatch, settings
):
    settings.RELAIS_OUTBOX_MAX_ATTEMPTS = 1

    def refuse(self, messages):
        raise OSError("Connexion refusée")

    with monkeypatch.context() as patch:
        patch.setattr(locmem.EmailBackend, "send_messages", refuse)
        message = committed(outbox_email, to="b@exemple.test", subject="Rappel", body="B")
    page = coordinator_client.get(reverse("messaging:outbox"))
    assert page.status_code == 200
    assert (
        "Connexion refusée" in page.content.decode() and "b@exemple.test" in page.content.decode()
    )
    response = committed(coordinator_client.post, reverse("messaging:resend", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(mail.outbox) == 1
