"""Deleting (anonymising), merging and finding duplicates of beneficiaries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from relais.activities.enums import ALL_COUNT_FIELDS
from relais.activities.models import Activity
from relais.beneficiaries.models import Beneficiary
from relais.beneficiaries.queries import beneficiary_duplicates
from relais.beneficiaries.services import (
    beneficiary_create,
    beneficiary_delete,
    beneficiary_merge,
    beneficiary_update,
)

from ..activities.factories import record_individual
from .factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def _figures() -> dict:
    totals = Activity.objects.aggregate(
        participants=Sum("participants_count"), **{name: Sum(name) for name in ALL_COUNT_FIELDS}
    )
    totals["activities"] = Activity.objects.count()
    return totals


def test_deleting_a_beneficiary_anonymises_their_activities_and_keeps_the_figures(advisor, place):
    person = BeneficiaryFactory(birth_year=1950, gender="male", social_status="retired")
    for day in (date(2025, 1, 6), date(2025, 2, 3)):
        record_individual(advisor, place=place, beneficiary=person, date=day)
    record_individual(advisor, place=place)
    before = _figures()
    assert beneficiary_delete(beneficiary=person) == 2
    assert not Beneficiary.objects.exists()
    assert Activity.objects.filter(beneficiary__isnull=True).count() == 3
    assert _figures() == before
    assert before["gender_male"] == 2 and before["age_70_plus"] == 2


def test_profile_changes_follow_onto_the_counts(advisor, place):
    person = BeneficiaryFactory(birth_year=None, gender="unknown", social_status="unknown")
    activity = record_individual(advisor, place=place, beneficiary=person, date=date(2025, 1, 6))
    beneficiary_update(beneficiary=person, data={"birth_year": 1990, "gender": "female"})
    activity.refresh_from_db()
    assert (activity.age_25_39, activity.gender_female, activity.status_unknown) == (1, 1, 1)


def test_create_normalises_and_validates():
    person = beneficiary_create(
        data={
            "first_name": " Éloïse ",
            "last_name": "Dupont-Martin",
            "phone": "+33 6 12 34 56 78",
            "email": "Eloise@Exemple.FR",
            "birth_year": 1961,
        },
        created_by=None,
    )
    assert (person.name_key, person.phone, person.email) == (
        "dupont martin|eloise",
        "+33612345678",  # E.164, like every phone number (relais.core.validators)
        "eloise@exemple.fr",
    )
    with pytest.raises(ValidationError) as error:
        beneficiary_create(
            data={"last_name": "X", "birth_year": 1850, "phone": "06"}, created_by=None
        )
    assert set(error.value.message_dict) == {"birth_year", "phone"}
    with pytest.raises(ValidationError, match="version de la mention"):
        beneficiary_create(
            data={"last_name": "X", "consent_given_on": date(2025, 1, 1)}, created_by=None
        )


def test_duplicates_by_normalised_name_and_year_or_by_phone_or_email():
    original = BeneficiaryFactory(
        first_name="Éloïse",
        last_name="Dupont-Martin",
        birth_year=1961,
        phone="+33612345678",
        email="e@exemple.fr",
    )
    BeneficiaryFactory(first_name="Éloïse", last_name="Dupont-Martin", birth_year=1990)
    assert beneficiary_duplicates(
        first_name="eloise", last_name="DUPONT MARTIN", birth_year=1961
    ) == [original]
    # First and last name swapped on a paper form.
    assert beneficiary_duplicates(
        first_name="Dupont-Martin", last_name="Eloise", birth_year=1961
    ) == [original]
    assert beneficiary_duplicates(last_name="Autre", phone="06 12 34 56 78") == [original]
    assert beneficiary_duplicates(last_name="Autre", email="E@Exemple.fr") == [original]
    assert beneficiary_duplicates(last_name="Dupont-Martin", first_name="Éloïse") == []
    assert (
        beneficiary_duplicates(
            first_name="Éloïse", last_name="Dupont-Martin", birth_year=1961, exclude_pk=original.pk
        )
        == []
    )


def test_merge_moves_activities_and_fills_blanks(advisor, place):
    keep = BeneficiaryFactory(
        first_name="Jean", last_name="Cade", phone="", birth_year=1950, social_status="unknown"
    )
    remove = BeneficiaryFactory(
        first_name="Jean",
        last_name="Cade",
        phone="+33612345678",
        birth_year=1950,
        social_status="retired",
    )
    record_individual(advisor, place=place, beneficiary=keep, date=date(2025, 1, 6))
    moved = record_individual(advisor, place=place, beneficiary=remove, date=date(2025, 3, 3))
    before = Activity.objects.count()
    beneficiary_merge(keep=keep, remove=remove)
    keep.refresh_from_db()
    assert not Beneficiary.objects.filter(pk=remove.pk).exists()
    assert keep.activities.count() == 2 == before
    assert keep.phone == "+33612345678"
    assert keep.social_status == "retired"
    assert keep.last_activity_on == date(2025, 3, 3)
    moved.refresh_from_db()
    assert moved.status_retired == 1
    with pytest.raises(ValueError):
        beneficiary_merge(keep=keep, remove=keep)


def test_due_for_purge_after_24_months():
    old = BeneficiaryFactory(last_activity_on=date(2023, 1, 1))
    BeneficiaryFactory(last_activity_on=date(2025, 1, 1))
    assert list(Beneficiary.objects.due_for_purge(date(2025, 6, 1))) == [old]


def test_merge_keeps_everything_that_refers_to_the_duplicate(advisor, place):
    """A merge once deleted the duplicate's signed mandates (CASCADE): every reference moves."""
    from relais.mandates.models import Mandate
    from relais.privacy.models import RightsRequest
    from relais.rights.services import due_date

    from ..mandates.factories import make_mandate

    keep = BeneficiaryFactory(first_name="Rosa", last_name="Vidal")
    remove = BeneficiaryFactory(first_name="Rosa", last_name="Vidal")
    mandate = make_mandate(beneficiary=remove, advisor=advisor)
    today = date(2026, 11, 2)
    request = RightsRequest.objects.create(
        beneficiary=remove,
        kind="access",
        channel="mail",
        received_on=today,
        due_on=due_date(today),
    )
    beneficiary_merge(keep=keep, remove=remove)
    assert Mandate.objects.get(pk=mandate.pk).beneficiary == keep
    assert RightsRequest.objects.get(pk=request.pk).beneficiary == keep
    # Every model that refers to a beneficiary is covered, whatever is added later.
    referring = {r.related_model._meta.label for r in Beneficiary._meta.related_objects}
    assert referring >= {"activities.Activity", "mandates.Mandate", "privacy.RightsRequest"}


def test_search_by_phone_finds_numbers_stored_in_e164():
    """Phone numbers are stored in E.164 since issue 12; people still type them the French way."""
    person = BeneficiaryFactory(last_name="Cade", phone="+33612345678")
    spanish = BeneficiaryFactory(last_name="Puig", phone="+34612345678")
    assert list(Beneficiary.objects.search("06 12 34 56 78")) == [person]
    assert list(Beneficiary.objects.search("0034 612 34")) == [spanish]
    assert set(Beneficiary.objects.search("12 34 56")) == {person, spanish}
    assert list(Beneficiary.objects.search("٦١٢٣٤")) == []
