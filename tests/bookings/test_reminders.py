"""``relais send-reminders``: 48 h ahead, e-mail and SMS, at most once, never for the wrong ones."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from relais.bookings.enums import MessageChannel, MessageKind, MessageStatus, RegistrationStatus
from relais.bookings.messaging import message_queue
from relais.bookings.models import Message
from relais.bookings.services import reminders_send
from relais.bookings.sms import SmsError
from relais.messaging.models import OutboxMessage, OutboxStatus
from relais.messaging.outbox import outbox_sweep
from relais.workshops.enums import SessionStatus

from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _session_in(hours: float, **fields):
    start = timezone.now() + timedelta(hours=hours)
    return WorkshopSessionFactory(starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def _run() -> str:
    out = StringIO()
    call_command("send-reminders", stdout=out)
    return out.getvalue()


def test_a_reminder_goes_out_once_by_email_and_sms_even_when_run_twice(sms_outbox):
    registration = RegistrationFactory(session=_session_in(30), phone="+33639980020")
    first = _run()
    second = _run()
    assert "2 rappel(s)" in first
    assert "0 rappel(s)" in second and "2 déjà envoyé(s)" in second
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert "Rappel" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == "atelier.ics"
    assert registration.get_manage_url() in sms_outbox[0].text
    statuses = set(Message.objects.values_list("kind", "channel", "status"))
    assert statuses == {
        (MessageKind.REMINDER, MessageChannel.EMAIL, MessageStatus.SENT),
        (MessageKind.REMINDER, MessageChannel.SMS, MessageStatus.SENT),
    }


def test_nothing_is_sent_for_cancelled_past_distant_or_freshly_confirmed_items(sms_outbox):
    RegistrationFactory(session=_session_in(30), status=RegistrationStatus.CANCELLED)
    RegistrationFactory(session=_session_in(30), status=RegistrationStatus.WAITING)
    RegistrationFactory(session=_session_in(30, status=SessionStatus.CANCELLED))
    RegistrationFactory(session=_session_in(-1))  # already started
    RegistrationFactory(session=_session_in(-30, status=SessionStatus.HELD))
    RegistrationFactory(session=_session_in(60))  # not yet in the 48 h window
    # Confirmed inside the window: the confirmation message said it all a moment ago.
    RegistrationFactory(session=_session_in(30), confirmed_at=timezone.now())
    assert "0 rappel(s)" in _run()
    assert mail.outbox == [] and sms_outbox == []
    assert not Message.objects.exists()


def test_the_window_follows_the_setting(settings):
    settings.RELAIS_REMINDER_HOURS = 72
    RegistrationFactory(session=_session_in(60))
    assert reminders_send().queued == 1


def test_a_landline_gets_no_sms_and_it_is_recorded_as_skipped(sms_outbox):
    RegistrationFactory(session=_session_in(30), email="", phone="+33468000000")
    _run()
    assert sms_outbox == []
    message = Message.objects.get()
    assert message.status == MessageStatus.SKIPPED and "fixe" in message.error


def test_a_failed_sms_is_retried_by_the_outbox_then_recorded_once_sent(sms_outbox):
    RegistrationFactory(session=_session_in(30), email="", phone="+33639980021")
    with mock.patch(
        "relais.bookings.sms.LoggingSmsBackend.send", side_effect=SmsError("quota dépassé")
    ):
        _run()
    message = Message.objects.get()
    outbox = OutboxMessage.objects.get()
    assert message.status == MessageStatus.QUEUED  # not given up: a retry is scheduled
    assert outbox.status == OutboxStatus.PENDING and outbox.error == "quota dépassé"
    assert outbox.attempts == 1 and outbox.next_attempt_at > timezone.now()
    _run()  # the next run queues nothing new
    assert sms_outbox == [] and Message.objects.count() == 1
    with time_machine.travel(outbox.next_attempt_at + timedelta(minutes=5)):
        outbox_sweep()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(sms_outbox) == 1


def test_a_failed_sms_is_recorded_as_failed_after_the_last_attempt(sms_outbox, settings):
    settings.RELAIS_OUTBOX_MAX_ATTEMPTS = 1
    RegistrationFactory(session=_session_in(30), email="", phone="+33639980021")
    with mock.patch(
        "relais.bookings.sms.LoggingSmsBackend.send", side_effect=SmsError("quota dépassé")
    ):
        _run()
    message = Message.objects.get()
    assert message.status == MessageStatus.FAILED and message.error == "quota dépassé"
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_a_crash_between_recording_and_sending_sends_once_through_the_sweep(sms_outbox):
    """The process died after the commit, before the sending was enqueued: the outbox's sweep
    enqueues it, once; send-reminders never queues it a second time."""
    registration = RegistrationFactory(session=_session_in(30), email="", phone="+33639980022")
    with mock.patch("relais.messaging.outbox.transaction.on_commit"):  # the enqueue is lost
        message_queue(
            kind=MessageKind.REMINDER,
            channel=MessageChannel.SMS,
            recipient=registration.phone,
            subject="Rappel",
            body="Rappel",
            registration=registration,
        )
    _run()
    assert sms_outbox == []
    assert Message.objects.get().status == MessageStatus.QUEUED
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox_sweep()
        outbox_sweep()
    assert [sms.text for sms in sms_outbox] == ["Rappel"]
    assert Message.objects.get().status == MessageStatus.SENT


def test_dry_run_sends_and_records_nothing():
    RegistrationFactory(session=_session_in(30))
    out = StringIO()
    call_command("send-reminders", "--dry-run", stdout=out)
    assert "1 inscription(s) à rappeler" in out.getvalue()
    assert mail.outbox == [] and not Message.objects.exists()
