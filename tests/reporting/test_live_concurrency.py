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
