"""A small, known set of activities at two partners' places, for the statistics tests.

* place (partner, Prades): 3 individual activities in March 2025 — Alice (named, first visit),
  Alice again (returning), one anonymous — and a workshop of 6 in March.
* other_place (other partner, Céret): 1 individual activity of Bob in January 2025 and one of
  Bob in March (returning); a home visit of Bob in February (no place: Bob's commune).

Canaries: the named people's names and a private note, never to be seen in statistics.
"""

from datetime import date

import pytest

from relais.reporting.rollup import rebuild
from relais.reporting.stats import StatsFilters

from ..activities.factories import record_collective, record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory

CANARY_NAME = "Zorglubienne"
CANARY_NOTE = "NOTE-CANARI-7f3a secret de la personne"


@pytest.fixture
def data(place, other_place):
    """Recorded through the services on built (empty) roll-ups: the writes keep them."""
    rebuild()
    advisor = AdvisorFactory()
    other_advisor = AdvisorFactory()
    alice = BeneficiaryFactory(first_name="Alice", last_name=CANARY_NAME, gender="female",
                               birth_year=1950, social_status="retired")  # fmt: skip
    bob = BeneficiaryFactory(first_name="Bob", last_name="Canarimoto", gender="male",
                             birth_year=1990, social_status="employed",
                             commune=CommuneFactory(name="Ille-sur-Têt"))  # fmt: skip
    march = date(2025, 3, 10)
    a1 = record_individual(advisor, place=place, beneficiary=alice, date=march,
                           themes=["email", "health"], private_notes=CANARY_NOTE)  # fmt: skip
    a2 = record_individual(advisor, place=place, beneficiary=alice, date=date(2025, 3, 20),
                           duration_minutes=60)  # fmt: skip
    a3 = record_individual(advisor, place=place, date=march, gender="unknown",
                           age_bracket="18_24", social_status="unemployed")  # fmt: skip
    w = record_collective(advisor, place=place, participants=6, date=date(2025, 3, 11))
    b1 = record_individual(other_advisor, place=other_place, beneficiary=bob,
                           date=date(2025, 1, 15), themes=["housing"])  # fmt: skip
    b2 = record_individual(other_advisor, place=None, location_kind="home", beneficiary=bob,
                           date=date(2025, 2, 5), themes=["housing"])  # fmt: skip
    b3 = record_individual(other_advisor, place=other_place, beneficiary=bob,
                           date=date(2025, 3, 3), themes=["email"],
                           duration_minutes=15)  # fmt: skip
    return {
        "advisor": advisor, "other_advisor": other_advisor, "alice": alice, "bob": bob,
        "activities": [a1, a2, a3, w, b1, b2, b3], "place": place, "other_place": other_place,
    }  # fmt: skip


@pytest.fixture
def year_2025():
    return StatsFilters(date(2025, 1, 1), date(2025, 12, 1))
