"""Concurrent writes keep the roll-ups exact (PostgreSQL: SQLite has one writer at a time)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from relais.reporting import stats
from relais.reporting.rollup import rebuild
from relais.reporting.stats import StatsFilters

from ..activities.factories import record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory
from .test_stats import _rollup_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency: PostgreSQL"),
]


def test_concurrent_writes_for_the_same_person_and_month_add_up(place):
    rebuild()
    advisor, person = AdvisorFactory(), BeneficiaryFactory()
    start = threading.Barrier(6)
    errors = []

    def write(day, beneficiary):
        try:
            start.wait()
            record_individual(advisor, place=place, beneficiary=beneficiary,
                              date=date(2025, 3, day))  # fmt: skip
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(20 - n, person if n % 2 else None))
               for n in range(6)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = _rollup_rows()
    march = StatsFilters(date(2025, 3, 1), date(2025, 3, 1))
    assert stats.totals(march).activities == 6
    assert stats.totals(march).new_beneficiaries == 1
    rebuild()
    assert _rollup_rows() == kept
