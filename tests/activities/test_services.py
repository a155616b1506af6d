"""Recording activities: validation, database constraints, idempotency."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from relais.activities.models import Activity, ActivityTheme
from relais.activities.services import activity_record, activity_update

from ..beneficiaries.factories import BeneficiaryFactory
from ..helpers import run_together
from .factories import record_collective, record_individual

pytestmark = pytest.mark.django_db


def test_individual_activity_copies_the_beneficiary_profile(advisor, place):
    person = BeneficiaryFactory(birth_year=1958, gender="female", social_status="retired")
    activity = record_individual(advisor, place=place, beneficiary=person, date=date(2025, 3, 1))
    assert activity.participants_count == 1
    assert (activity.gender_female, activity.age_60_69, activity.status_retired) == (1, 1, 1)
    assert list(activity.themes.values_list("theme", flat=True)) == ["email"]
    person.refresh_from_db()
    assert person.last_activity_on == date(2025, 3, 1)


def test_anonymous_individual_activity_counts_one_unknown_person(advisor, place):
    activity = record_individual(advisor, place=place)
    assert activity.beneficiary is None
    assert (activity.gender_unknown, activity.age_unknown, activity.status_unknown) == (1, 1, 1)


def test_collective_breakdown_defaults_to_unknown_and_must_sum(advisor, place):
    activity = record_collective(
        advisor, place=place, participants=7, gender_female=4, gender_male=3
    )
    assert (activity.gender_female, activity.gender_male, activity.age_unknown) == (4, 3, 7)
    with pytest.raises(ValidationError, match="répartition par genre compte 5"):
        record_collective(advisor, place=place, participants=7, gender_female=5)


def test_themes_are_required(advisor, place):
    with pytest.raises(ValidationError) as error:
        record_individual(advisor, place=place, themes=())
    assert "themes" in error.value.message_dict
    assert not Activity.objects.exists()


def test_database_refuses_kind_specific_nonsense(advisor, place):
    activity = record_individual(advisor, place=place)
    for change in (
        {"title": "Pas pour un individuel"},
        {"participants_count": 2, "gender_unknown": 2, "age_unknown": 2, "status_unknown": 2},
        {"gender_female": 1},  # breakdown no longer sums to 1
        {"location_kind": "place", "place": None},
        {"equipment_none": True, "equipment_phone": True},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Activity.objects.filter(pk=activity.pk).update(**change)
    collective = record_collective(advisor, place=place)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=collective.pk).update(title="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityTheme.objects.create(activity=activity, theme="email")


def _help_of_march_3rd(place) -> dict:
    """The form's data of a 45-minute e-mail help on 3 March 2025 (the idempotency tests)."""
    return {
        "date": date(2025, 3, 3),
        "duration_minutes": 45,
        "location_kind": "place",
        "place": place,
        "themes": ["email"],
        "autonomy": "guided",
    }


def test_same_key_twice_records_one_activity(advisor, place):
    key = uuid.uuid4()
    data = _help_of_march_3rd(place)
    first, created = activity_record(
        advisor=advisor, kind="individual", data=data, idempotency_key=key
    )
    again, created_again = activity_record(
        advisor=advisor, kind="individual", data=data, idempotency_key=str(key)
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Activity.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks tables across threads; runs on PostgreSQL "
    "(CI). The race itself is covered on every database by the next test.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_the_same_key_record_one_activity(advisor_user, place):
    """Two requests racing past the « already recorded? » check: the unique key settles it."""
    advisor = advisor_user.advisor
    key = uuid.uuid4()
    data = _help_of_march_3rd(place)
    results, errors = run_together(
        lambda: activity_record(advisor=advisor, kind="individual", data=data, idempotency_key=key),
        [(), ()],
    )
    assert errors == []
    assert Activity.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert {activity.pk for activity, _ in results} == {Activity.objects.get().pk}


def test_race_lost_at_insert_returns_the_winner(advisor, place):
    """The IntegrityError path: the key is already stored (a replay, or a post that crossed
    ours). Since issue 19 §2 there is no SELECT before the INSERT: the unique key decides."""
    key = uuid.uuid4()
    winner = record_individual(advisor, place=place)
    Activity.objects.filter(pk=winner.pk).update(idempotency_key=key)
    data = _help_of_march_3rd(place)
    activity, created = activity_record(
        advisor=advisor, kind="individual", data=data, idempotency_key=key
    )
    assert (activity.pk, created) == (winner.pk, False)
    assert Activity.objects.count() == 1


def test_update_replaces_themes_and_moves_last_activity_dates(advisor, place):
    first, second = BeneficiaryFactory(), BeneficiaryFactory()
    activity = record_individual(advisor, place=place, beneficiary=first, date=date(2025, 2, 1))
    activity_update(
        activity=activity,
        data={
            "date": date(2025, 2, 2),
            "duration_minutes": 60,
            "location_kind": "remote",
            "place": place,
            "themes": ["health", "social_health"],
            "beneficiary": second,
            "autonomy": "autonomous",
        },
    )
    activity.refresh_from_db()
    assert activity.place is None  # only kept for activities at a place
    assert sorted(activity.themes.values_list("theme", flat=True)) == ["health", "social_health"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.last_activity_on, second.last_activity_on) == (None, date(2025, 2, 2))


def test_participants_and_dates_have_sane_bounds(advisor, place):
    """Issue 12: SQLite accepted 99,999,999,999 participants, which then showed in the
    statistics and the committee's annual review; an activity could be dated year 1."""
    from relais.activities.enums import MAX_PARTICIPANTS

    assert record_collective(advisor, place=place, participants=MAX_PARTICIPANTS)
    with pytest.raises(ValidationError) as error:
        record_collective(advisor, place=place, participants=99_999_999_999)
    assert "participants_count" in error.value.message_dict
    for day in (date(1, 1, 1), date(2020, 12, 31), date(9999, 12, 31)):
        with pytest.raises(ValidationError) as error:
            record_individual(advisor, place=place, date=day)
        assert "date" in error.value.message_dict
    assert Activity.objects.count() == 1
    collective = Activity.objects.get()
    big = MAX_PARTICIPANTS + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=collective.pk).update(
            participants_count=big, gender_unknown=big, age_unknown=big, status_unknown=big
        )
