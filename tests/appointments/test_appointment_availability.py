"""Availability of appointments: the grid, the walk-in share, notice and horizon, leave,
closures, holidays, other appointments of the adviser (any place)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from relais.appointments.availability import by_day, free_starts, openings
from relais.appointments.enums import AppointmentStatus
from relais.planning import services as planning_services
from relais.planning.calendars import public_holidays
from relais.team.services import leave_create

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

pytestmark = pytest.mark.django_db


def _times(found) -> list[str]:
    return [o.start.strftime("%d/%m %H:%M") for o in found]


def test_free_starts_cuts_the_occurrence_on_the_grid_and_keeps_the_walk_in_share():
    day = date(2026, 12, 1)
    common = {
        "start": at(day, "09:00"),
        "end": at(day, "12:00"),
        "busy": [],
        "earliest": at(day, "00:00"),
        "latest": at(day, "23:00"),
        "step": timedelta(minutes=15),
    }
    starts = free_starts(duration=timedelta(minutes=45), booked_minutes=0, share=0.5, **common)
    assert starts[0] == at(day, "09:00") and starts[-1] == at(day, "11:15")
    assert len(starts) == 10  # 09:00, 09:15 … 11:15
    # 3 h with a share of 0.5: 90 minutes bookable. 45 booked + 45 fits; 60 booked + 45 does not.
    assert free_starts(duration=timedelta(minutes=45), booked_minutes=45, share=0.5, **common)
    assert not free_starts(duration=timedelta(minutes=45), booked_minutes=60, share=0.5, **common)
    # Busy 10:00–10:45: no start overlapping it.
    busy = free_starts(
        duration=timedelta(minutes=30),
        booked_minutes=0,
        share=0,
        **{**common, "busy": [(at(day, "10:00"), at(day, "10:45"))]},
    )
    assert at(day, "09:30") in busy and at(day, "09:45") not in busy
    assert at(day, "10:30") not in busy and at(day, "10:45") in busy


def test_openings_per_adviser_minus_other_appointments_anywhere():
    place = covered_place()
    other_place = covered_place(name="Bibliothèque de Catllar", slug="catllar", commune="Catllar")
    lea = advisor()
    kind = appointment_type(minutes=60)
    permanence(place, [lea], weekday=TUESDAY)
    day = next_day(TUESDAY)
    now = at(day, "08:00") - timedelta(days=2)
    assert _times(openings(place, kind, now=now, start=day, end=day)) == [
        f"{day:%d/%m} {h}" for h in ("09:00", "09:15", "09:30", "09:45", "10:00", "10:15")
    ] + [f"{day:%d/%m} {h}" for h in ("10:30", "10:45", "11:00")]
    # Léa has an appointment elsewhere 10:00–11:00 (a slot gone since): it blocks her here too.
    booked(other_place, kind, lea, at(day, "10:00"))
    found = _times(openings(place, kind, now=now, start=day, end=day))
    assert f"{day:%d/%m} 09:00" in found and f"{day:%d/%m} 09:15" not in found
    assert f"{day:%d/%m} 11:00" in found
    # A cancelled appointment frees the time again.
    place_appointment = booked(place, kind, lea, at(day, "09:00"), status="cancelled")
    assert place_appointment.status == AppointmentStatus.CANCELLED
    assert f"{day:%d/%m} 09:00" in _times(openings(place, kind, now=now, start=day, end=day))


def test_the_walk_in_share_caps_booked_minutes_per_adviser_and_occurrence(settings):
    settings.RELAIS_APPOINTMENT_WALK_IN_SHARE = 0.5
    place = covered_place()
    lea, theo = advisor(), advisor()
    kind = appointment_type(minutes=45)
    slot = permanence(place, [lea, theo], weekday=TUESDAY)
    day = next_day(TUESDAY)
    now = at(day, "08:00") - timedelta(days=2)
    booked(place, kind, lea, at(day, "09:00"), slot=slot)
    booked(place, kind, lea, at(day, "09:45"), slot=slot)  # 90 min: Léa's share is full
    found = openings(place, kind, now=now, start=day, end=day)
    assert {o.advisor.pk for o in found} == {theo.pk}
    assert len(by_day(found)) == 1


def test_minimum_notice_and_horizon(settings):
    settings.RELAIS_APPOINTMENT_MIN_NOTICE_HOURS = 24
    settings.RELAIS_APPOINTMENT_HORIZON_DAYS = 14
    place = covered_place()
    kind = appointment_type(minutes=30)
    permanence(place, [advisor()], weekday=TUESDAY)
    day = next_day(TUESDAY)
    # 23 h before its end: nothing that day (24 h notice); next Tuesday is offered.
    now = at(day, "12:00") - timedelta(hours=23)
    days = {o.start.date() for o in openings(place, kind, now=now)}
    assert day not in days and day + timedelta(days=7) in days
    assert all(d <= (now + timedelta(days=14)).date() for d in days)
    assert day + timedelta(days=21) not in days
    # 24 h before 10:00: 09:00 to 09:45 are too close, 10:00 is the first kept.
    now = at(day, "10:00") - timedelta(hours=24)
    first = openings(place, kind, now=now, start=day, end=day)[0]
    assert first.start == at(day, "10:00")


def test_leave_and_closure_leave_no_availability():
    place = covered_place()
    lea = advisor()
    kind = appointment_type()
    permanence(place, [lea], weekday=TUESDAY)
    day = next_day(TUESDAY)
    week_after = day + timedelta(days=7)
    now = at(day, "08:00") - timedelta(days=2)
    leave_create(advisor=lea, kind="paid", start_date=day, end_date=day)
    planning_services.closure_create(
        place=place, start_date=week_after, end_date=week_after, reason="Inventaire"
    )
    days = {o.start.date() for o in openings(place, kind, now=now)}
    assert day not in days and week_after not in days
    assert day + timedelta(days=14) in days


def test_public_holidays_have_no_availability():
    place = covered_place()
    kind = appointment_type()
    # The first public holiday on a working day at least a week ahead: one exists whatever
    # today is (Christmas alone falls on a weekend some years).
    # The suite's clock (tests/conftest.py): whatever TEST_NOW is, the holiday is searched from
    # it, so the test holds at every date (make test-dates runs it at four).
    today = timezone.localdate()
    holiday = min(
        day
        for day in public_holidays(today + timedelta(days=8), today + timedelta(days=400))
        if day.weekday() < 5
    )
    permanence(place, [advisor()], weekday=holiday.weekday())
    now = at(holiday - timedelta(days=8), "08:00")
    days = {o.start.date() for o in openings(place, kind, now=now)}
    assert days and holiday not in days
    assert not days & set(
        public_holidays(holiday - timedelta(days=8), holiday + timedelta(days=30))
    )
    # The same weekday a week before or after is open (May 1 and 8 can both be holidays): the
    # holiday, not the weekday, closed it.
    assert {holiday - timedelta(days=7), holiday + timedelta(days=7)} & days
