"""A place shaped like the seed's Médiathèque de Prades, slots written directly, a frozen day.

The cache (posters are cached by their HTML) is emptied before each test by the root conftest.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from relais.planning.calendars import public_holidays
from relais.planning.models import Slot
from relais.public import queries

from ..factories import AdvisorFactory, CommuneFactory, PlaceFactory

PARIS = timezone.get_default_timezone()


def mediatheque_de_prades(**fields):
    """The seed's Médiathèque de Prades: its address, position, phone and opening hours."""
    return PlaceFactory(
        name="Médiathèque de Prades",
        slug="mediatheque-prades",
        commune=CommuneFactory(name="Prades", postal_code="66500"),
        address="Château Pams, route de Ria",
        postal_code="66500",
        latitude=Decimal("42.61750"),
        longitude=Decimal("2.42170"),
        phone="04 68 00 00 00",
        opening_hours="Tu-Sa 09:00-12:00",
        **fields,
    )


@pytest.fixture
def prades(partner):
    return mediatheque_de_prades(partner=partner)


@pytest.fixture
def advisor(db):
    return AdvisorFactory(user__first_name="Léa", user__last_name="Pixel")


@pytest.fixture
def make_slot():
    """``make_slot(place, advisors, weekday=1, start="09:00", end="12:00", **fields)``.

    Written directly: the agreement-period validation of the planning is not under test here.
    """

    def make(place, advisors, *, weekday=1, start="09:00", end="12:00", **fields):
        fields.setdefault("valid_from", date(2026, 1, 1))
        slot = Slot.objects.create(
            place=place,
            weekday=weekday,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            **fields,
        )
        slot.advisors.set(advisors)
        return slot

    return make


@pytest.fixture
def frozen_day(monkeypatch):
    """``frozen_day(date)``: the public pages believe it is that day, at 8 in the morning."""

    def freeze(day: date) -> None:
        monkeypatch.setattr(queries, "today", lambda: day)
        monkeypatch.setattr(queries, "now", lambda: datetime.combine(day, time(8, 0), tzinfo=PARIS))

    return freeze


@pytest.fixture
def december(frozen_day):
    """The public pages believe it is 1 December 2026."""
    frozen_day(date(2026, 12, 1))


def working_day_ahead(weekday: int, *, after_days: int = 7) -> date:
    """The first ``weekday`` at least ``after_days`` from today that is not a public holiday."""
    day = timezone.localdate() + timedelta(days=after_days)
    while day.weekday() != weekday or day in public_holidays(day, day):
        day += timedelta(days=1)
    return day
