"""Issue 12's repair migrations: rows stored before the validators existed are repaired, kept.

Each test migrates back to before the repair, stores what the old code let through, migrates
forward and reads the rows again.
"""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory, OrganisationFactory, PlaceFactory

BEFORE = [
    ("activities", "0002_activity_workshop_session"),
    ("beneficiaries", "0002_import_single_use"),
    ("core", "0002_cache_table"),
    ("places", "0002_place_contact_hours_history"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_phone_numbers_and_postal_codes_stored_before_issue_12_are_repaired():
    place = PlaceFactory(phone="04 68 96 00 00", postal_code="66500")
    organisation = OrganisationFactory(phone="NaN")  # unreadable: kept for a person to fix
    commune = CommuneFactory(name="Catllar")
    person = BeneficiaryFactory(phone="0612345678")
    try:
        state = _migrate(BEFORE)
        state.get_model("places", "Place").objects.filter(pk=place.pk).update(postal_code="٦٦٥٠٠")
        state.get_model("core", "Commune").objects.filter(pk=commune.pk).update(postal_code="٦٦٥٠٠")
    finally:
        _migrate(_latest())
    place.refresh_from_db()
    commune.refresh_from_db()
    organisation.refresh_from_db()
    person.refresh_from_db()
    assert (place.phone, place.postal_code) == ("+33468960000", "66500")
    assert commune.postal_code == "66500"
    assert organisation.phone == "NaN"
    assert person.phone == "+33612345678"


@pytest.mark.django_db(transaction=True)
def test_impossible_participant_counts_are_brought_down_and_the_activity_kept():
    advisor, place = AdvisorFactory(), PlaceFactory()
    huge = 2_000_000_000  # PostgreSQL holds it too (SQLite took 99,999,999,999)
    try:
        state = _migrate(BEFORE)
        activity = state.get_model("activities", "Activity").objects.create(
            advisor_id=advisor.pk,
            kind="collective",
            date=date(2025, 3, 11),
            duration_minutes=120,
            location_kind="place",
            place_id=place.pk,
            title="Se protéger des arnaques",
            participants_count=huge,
            gender_female=huge,
            age_25_39=huge - 1,
            age_40_59=1,
            status_unknown=huge,
        )
    finally:
        _migrate(_latest())
    from relais.activities.models import Activity

    repaired = Activity.objects.get(pk=activity.pk)
    assert repaired.title == "Se protéger des arnaques" and repaired.place_id == place.pk
    assert repaired.participants_count == 500
    assert (repaired.gender_unknown, repaired.gender_female) == (500, 0)
    assert (repaired.age_unknown, repaired.age_25_39, repaired.age_40_59) == (500, 0, 0)
    assert repaired.status_unknown == 500
    repaired.full_clean()
