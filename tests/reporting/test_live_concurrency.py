"""Concurrent writes keep the roll-ups exact (PostgreSQL: SQLite has one writer at a time)."""

from datetime import date

import pytest
from django.db import connection

from relais.reporting import stats
from relais.reporting.rollup import rebuild
from relais.reporting.stats import StatsFilters

from ..activities.factories import record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory
from ..helpers import run_together
from .test_stats import _rollup_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency: PostgreSQL"),
]


def test_concurrent_writes_for_the_same_person_and_month_add_up(place):
    rebuild()
    advisor, person = AdvisorFactory(), BeneficiaryFactory()

    def write(day, beneficiary):
        record_individual(advisor, place=place, beneficiary=beneficiary, date=date(2025, 3, day))

    _, errors = run_together(write, [(20 - n, person if n % 2 else None) for n in range(6)])
    assert errors == []
    kept = _rollup_rows()
    march = StatsFilters(date(2025, 3, 1), date(2025, 3, 1))
    assert stats.totals(march).activities == 6
    assert stats.totals(march).new_beneficiaries == 1
    rebuild()
    assert _rollup_rows() == kept


def test_records_corrections_and_deletions_at_once_neither_deadlock_nor_drift(place):
    """A record adds to the roll-ups in one statement (``rollup._record_sql``), a correction or
    a deletion through the Python path (``_upsert``): both lock the rows they share in the same
    order (``_sort_key``), so writes of both kinds on the same month, place and themes can run
    together without a deadlock, and the rows stay what a rebuild writes."""
    from relais.activities.services import activity_delete, activity_update

    rebuild()
    advisor = AdvisorFactory()
    people = [BeneficiaryFactory() for _ in range(3)]
    existing = []
    for n in range(6):
        existing.append(record_individual(
            advisor, place=place, beneficiary=people[n % 3], themes=("email", "health"),
            date=date(2025, 3, 5 + n)))  # fmt: skip

    def write(n):
        if n % 3 == 0:
            record_individual(advisor, place=place, beneficiary=people[n % 3],
                              themes=("health", "email"), date=date(2025, 3, 1 + n))  # fmt: skip
        elif n % 3 == 1:
            activity = existing[n // 3]
            activity.refresh_from_db()
            activity_update(activity=activity, data={
                "date": date(2025, 3, 2), "duration_minutes": 90, "location_kind": "place",
                "place": place, "themes": ["email", "health"], "equipment": [],
                "beneficiary": activity.beneficiary, "autonomy": "guided"})  # fmt: skip
        else:
            activity_delete(activity=existing[3 + n // 3])

    _, errors = run_together(write, [(n,) for n in range(9)])
    assert errors == []
    kept = _rollup_rows()
    march = StatsFilters(date(2025, 3, 1), date(2025, 3, 1))
    assert stats.totals(march).activities == 6 + 3 - 3
    rebuild()
    assert _rollup_rows() == kept
