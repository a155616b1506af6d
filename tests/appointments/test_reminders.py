"""The one reminder loop (``relais.bookings.reminders``) for workshop registrations and
appointments: both kinds reminded, each exactly once per channel, however often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from relais.appointments.models import Appointment
from relais.bookings import reminders

from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory
from .appointment_helpers import (
    TUESDAY,
    advisor,
    appointment_type,
    at,
    booked,
    covered_place,
    next_day,
    permanence,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _reminders_by_object_and_channel() -> list[tuple]:
    """Read with plain SQL, not through the code under test: one row per message sent."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT registration_id, appointment_id, channel, COUNT(*) FROM bookings_message "
            "WHERE kind = 'reminder' GROUP BY registration_id, appointment_id, channel"
        )
        return sorted(cursor.fetchall(), key=repr)


def test_the_loop_knows_both_kinds_registrations_first():
    assert [kind.name for kind in reminders.registered()] == ["registrations", "appointments"]


def test_both_kinds_are_reminded_exactly_once_even_when_run_twice(sms_outbox, settings):
    # The next Tuesday is 3 to 9 days away: a 10-day window takes it in.
    settings.RELAIS_APPOINTMENT_REMINDER_HOURS = 240
    place, lea = covered_place(), advisor()
    slot = permanence(place, [lea], weekday=TUESDAY)
    appointment = booked(
        place, appointment_type(), lea, at(next_day(TUESDAY), "10:00"), slot=slot,
        phone="+33639980020",
    )  # fmt: skip
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    start = timezone.now() + timedelta(hours=30)
    session = WorkshopSessionFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    registration = RegistrationFactory(session=session, phone="+33639980021")

    for _ in range(2):
        call_command("send-reminders", stdout=StringIO())

    assert _reminders_by_object_and_channel() == sorted(
        [
            (registration.pk, None, "email", 1),
            (registration.pk, None, "sms", 1),
            (None, appointment.pk, "email", 1),
            (None, appointment.pk, "sms", 1),
        ],
        key=repr,
    )
    assert len(mail.outbox) == 2 and len(sms_outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {registration.email, appointment.email}


def test_a_dry_run_counts_both_kinds_and_writes_nothing(settings):
    settings.RELAIS_APPOINTMENT_REMINDER_HOURS = 240
    place, lea = covered_place(), advisor()
    slot = permanence(place, [lea], weekday=TUESDAY)
    appointment = booked(place, appointment_type(), lea, at(next_day(TUESDAY), "10:00"), slot=slot)
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    out = StringIO()
    call_command("send-reminders", "--dry-run", stdout=out)
    assert "0 inscription(s) à rappeler" in out.getvalue()
    assert "1 rendez-vous à rappeler" in out.getvalue()
    assert _reminders_by_object_and_channel() == []
