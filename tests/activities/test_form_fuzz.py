"""Fuzzing the collective activity form (issue 14 §4): whatever is typed in the counts, the
durations or the hidden fields, the page never answers 5xx and nothing out of bounds is stored.

Run on SQLite by default and on PostgreSQL with ``DATABASE_URL=postgres://…`` (PostgreSQL
refused 99,999,999,999 participants with an integer error where SQLite stored it).
"""

import uuid

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from relais.activities.enums import ALL_COUNT_FIELDS, MAX_DURATION_MINUTES, MAX_PARTICIPANTS
from relais.activities.models import Activity

from ..factories import PlaceFactory
from ..workshops.factories import WorkshopSessionFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create") + "?kind=collective"

EDGES = [0, 1, 499, 500, 501, 720, 721, 32767, 32768, 2**31 - 1, 2**31, 2**63, 99_999_999_999]
numbers = st.one_of(
    st.sampled_from(EDGES),
    st.sampled_from(EDGES).map(lambda n: -n),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.integers(min_value=0, max_value=12),
)
small = st.integers(min_value=0, max_value=12).map(str)  # plausible, so that some are recorded
typed = st.one_of(
    small,
    small,
    numbers.map(str),
    st.just(""),
    st.sampled_from(["1e9", "12.5", "٣", " 7 ", "0x10", "NaN", "-0", "+5", "1_000"]),
    st.text(max_size=8).filter(lambda text: "\x00" not in text),
)
count_fields = st.one_of(
    st.just({}),  # breakdowns left empty, as most reports do
    st.fixed_dictionaries({}, optional={name: small for name in ALL_COUNT_FIELDS}),
    st.fixed_dictionaries({}, optional={name: typed for name in ALL_COUNT_FIELDS}),
)
form_values = st.fixed_dictionaries(
    {
        "participants_count": typed,
        "duration": st.sampled_from(["15", "45", "120", "120", "other", "", "99999999999", "-30"]),
        "custom_duration": typed,
    },
    optional={
        "date": st.sampled_from(["2026-11-20", "1899-01-01", "9999-12-31", "20-11-2026", ""]),
        "place": st.one_of(typed, st.just("known")),
        "workshop_session": st.one_of(typed, st.just("known")),
        "location_kind": st.sampled_from(["place", "remote", "home", "", "moon"]),
    },
)


def _stored_values_are_in_bounds() -> None:
    for activity in Activity.objects.all():
        activity.full_clean()  # the model's own rules, French messages, all bounds
        assert 1 <= activity.participants_count <= MAX_PARTICIPANTS
        assert 1 <= activity.duration_minutes <= MAX_DURATION_MINUTES
        assert all(0 <= getattr(activity, name) <= MAX_PARTICIPANTS for name in ALL_COUNT_FIELDS)


@pytest.fixture
def known(db):
    return {"place": PlaceFactory(), "session": WorkshopSessionFactory()}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=form_values, counts=count_fields)
@example(
    values={"participants_count": "99999999999", "duration": "120", "custom_duration": ""},
    counts={},
)
@example(
    values={"participants_count": "12", "duration": "other", "custom_duration": "99999999999"},
    counts={"gender_unknown": "99999999999", "age_unknown": "-1", "status_unknown": "5"},
)
@example(
    values={"participants_count": "12", "duration": "120", "custom_duration": ""},
    counts={"gender_female": "5", "age_70_plus": "12"},
)  # recorded: « Non communiqué » takes the 7 others of the genders
def test_collective_form_never_fails_and_stores_nothing_out_of_bounds(
    advisor_client, known, values, counts
):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "title": "Atelier",
        "themes": ["email"],
        "location_kind": "place",
        "place": str(known["place"].pk),
        "date": "2026-11-20",
        **values,
        **counts,
    }
    if data.get("workshop_session") == "known":
        data["workshop_session"] = str(known["session"].pk)
    if data.get("place") == "known":
        data["place"] = str(known["place"].pk)
    before = Activity.objects.count()
    response = advisor_client.post(CREATE, data)
    assert response.status_code in (200, 302), response.status_code
    event("recorded" if response.status_code == 302 else "refused")  # --hypothesis-show-statistics
    if response.status_code == 200:
        assert Activity.objects.count() == before  # refused: nothing written
        errors = response.context["form"].errors
        assert errors, "a refused form says why"
        text = " ".join(str(e) for messages in errors.values() for e in messages)
        assert "Ensure" not in text and "integer" not in text.lower()
    _stored_values_are_in_bounds()


def test_an_impossible_total_is_refused_on_its_own_field_only(advisor_client, known):
    """The issue's case: 99,999,999,999 participants, the three breakdowns left untouched."""
    response = advisor_client.post(
        CREATE,
        {
            "idempotency_key": str(uuid.uuid4()),
            "title": "Atelier",
            "themes": ["email"],
            "duration": "120",
            "location_kind": "place",
            "place": str(known["place"].pk),
            "date": "2026-11-20",
            "participants_count": "99999999999",
            "gender_unknown": "6",
            "age_unknown": "6",
            "status_unknown": "6",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["participants_count"]
    assert errors["participants_count"] == [
        f"Indiquez un nombre de participants entre 1 et {MAX_PARTICIPANTS} : vérifiez le nombre "
        "saisi."
    ]
    assert not Activity.objects.exists()
