"""When plans change (leave, closure, cancelled permanence) and reminders, for appointments:
the person is told once with the next options; reminders go out once, never for the wrong ones."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from relais.appointments.enums import AppointmentCancelledBy, AppointmentStatus
from relais.appointments.models import Appointment
from relais.appointments.services import (
    appointment_reminders_send,
    appointments_affected_by,
    schedule_changes_apply,
)
from relais.bookings.enums import MessageChannel, MessageKind, MessageStatus
from relais.bookings.models import Message
from relais.planning import services as planning_services
from relais.team.services import leave_create

from .appointment_helpers import (
    advisor,
    at,
    booked,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_a_leave_cancels_the_appointment_and_offers_the_next_options_once(setting, sms_outbox):
    place, lea, kind, slot, day = setting
    appointment = booked(place, kind, lea, at(day, "10:00"), slot=slot, phone="+33639980010")
    untouched = booked(
        place, kind, lea, at(day + timedelta(days=7), "10:00"), slot=slot, first_name="Lou"
    )
    assert appointments_affected_by(start=day, end=day) == []
    leave_create(advisor=lea, kind="paid", start_date=day, end_date=day)
    affected = appointments_affected_by(start=day, end=day + timedelta(days=7))
    assert [a.appointment.pk for a in affected] == [appointment.pk]
    assert "absent" in affected[0].reason

    assert "1 rendez-vous annulé(s)" in _run("notify-schedule-changes")
    assert "0 rendez-vous annulé(s)" in _run("notify-schedule-changes")  # idempotent
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == AppointmentCancelledBy.SCHEDULE
    untouched.refresh_from_db()
    assert untouched.status == AppointmentStatus.BOOKED
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    body = mail.outbox[0].body
    assert "annulé" in body and "absent" in body
    # The next three free times at the same place, with links to book them.
    links = [
        line for line in body.splitlines() if "/rendez-vous/mediatheque-prades/reserver/" in line
    ]
    assert len(links) == 3
    assert f"/rendez-vous/{place.slug}/" in sms_outbox[0].text
    kinds = set(Message.objects.values_list("kind", "channel", "status"))
    assert kinds == {
        (MessageKind.APPOINTMENT_CANCELLED, MessageChannel.EMAIL, MessageStatus.SENT),
        (MessageKind.APPOINTMENT_CANCELLED, MessageChannel.SMS, MessageStatus.SENT),
    }


def test_a_closure_or_a_cancelled_occurrence_cancels_too(setting):
    place, lea, kind, slot, day = setting
    first = booked(place, kind, lea, at(day, "10:00"), slot=slot)
    week_after = day + timedelta(days=7)
    second = booked(place, kind, lea, at(week_after, "09:00"), slot=slot, first_name="Lou")
    planning_services.closure_create(
        place=place, start_date=day, end_date=day, reason="Travaux de peinture"
    )
    planning_services.occurrence_cancel(slot=slot, day=week_after, reason="Réunion d'équipe")
    assert schedule_changes_apply().cancelled == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.cancellation_reason == "Fermeture exceptionnelle du lieu (Travaux de peinture)"
    assert "Réunion d'équipe" in second.cancellation_reason
    assert len(mail.outbox) == 2


def test_a_colleague_present_takes_over_instead_of_cancelling(setting):
    place, lea, kind, slot, day = setting
    theo = advisor()
    slot.advisors.add(theo)
    appointment = booked(place, kind, lea, at(day, "10:00"), slot=slot)
    leave_create(advisor=lea, kind="training", start_date=day, end_date=day)
    report = schedule_changes_apply()
    assert (report.handed_over, report.cancelled) == (1, 0)
    appointment.refresh_from_db()
    assert appointment.advisor == theo and appointment.status == AppointmentStatus.BOOKED
    assert mail.outbox == []


def _created_long_ago(appointment):
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )


def test_appointment_reminders_go_out_once_by_email_and_sms(setting, sms_outbox, settings):
    # The next Tuesday is 3 to 9 days away: a 10-day window takes it in.
    settings.RELAIS_APPOINTMENT_REMINDER_HOURS = 240
    place, lea, kind, slot, day = setting
    appointment = booked(place, kind, lea, at(day, "10:00"), slot=slot, phone="+33639980020")
    _created_long_ago(appointment)
    first = _run("send-reminders")
    second = _run("send-reminders")
    assert "Rappels de rendez-vous envoyés ou tentés : 2" in first
    assert "Rappels de rendez-vous envoyés ou tentés : 0, déjà envoyés : 2" in second
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "rendez-vous.ics"
    assert appointment.get_manage_url() in sms_outbox[0].text
    assert Message.objects.filter(appointment=appointment, kind=MessageKind.REMINDER).count() == 2


def test_no_reminder_for_cancelled_past_distant_or_fresh_appointments(setting, sms_outbox):
    place, lea, kind, _slot, _ = setting
    now = timezone.now()
    for hours, extra in (
        (30, {"status": "cancelled"}),
        (-2, {}),
        (60, {}),
        (-30, {"status": "done"}),
    ):
        _created_long_ago(booked(place, kind, lea, now + timedelta(hours=hours), **extra))
    booked(place, kind, lea, now + timedelta(hours=20))  # booked inside the window
    assert appointment_reminders_send().queued == 0
    assert mail.outbox == [] and sms_outbox == []
