"""planning.coverage.held_half_days, implemented from the activities."""

from datetime import date
from decimal import Decimal

import pytest

from relais.planning.coverage import held_half_days

from ..activities.factories import record_collective, record_individual
from ..factories import AdvisorFactory

pytestmark = pytest.mark.django_db


def test_held_half_days_from_activities(place, other_place):
    advisor = AdvisorFactory()
    monday = date(2025, 3, 10)
    record_individual(advisor, place=place, date=monday)  # 30 min → 1
    record_collective(advisor, place=place, date=date(2025, 3, 12), duration_minutes=120)
    record_individual(advisor, place=place, date=date(2025, 3, 12), duration_minutes=120)
    record_individual(advisor, place=other_place, date=date(2025, 3, 13))  # elsewhere
    record_individual(advisor, place=place, date=date(2025, 3, 17))  # next week
    assert held_half_days(place, date(2025, 3, 3)) == Decimal(0)  # reports, none that week
    # Monday: 1; Wednesday: 240 min > 3 h 30 → 2.
    assert held_half_days(place, monday) == Decimal(3)
    assert held_half_days(place, date(2025, 3, 12)) == Decimal(3)  # any day of the week


def test_unknown_until_the_place_reports_activities(place):
    assert held_half_days(place, date(2025, 3, 10)) is None
