"""Statistical disclosure control, checked from the outside (issue 20 §1).

Hypothesis draws a small département (a few dozen activities over places, communes, months,
themes, advisers, profiles, home visits) and a combination of filters (commune, place,
partner, period, month, theme, adviser, kind), then reads the figures as they leave: through
``/api/v1/stats`` with a statistics-only token and on the statistics page as an adviser. For
every answer:

* no published figure lies in 1 … threshold − 1;
* no secret figure can be computed from the published ones: the sums the published figures
  obey are written down here, from what the figures mean (not from
  ``relais.reporting.disclosure``), checked to hold on the exact figures, and a secret figure
  counts as recovered when those sums determine it (numpy rank test: removing its column
  lowers the rank).
"""

from datetime import date

import numpy
import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from relais.api.services import api_token_create
from relais.places.models import Place

from ..activities.factories import record_collective, record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory, OrganisationFactory, PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-02T10:00")]
THRESHOLD = 5
THEMES = ["email", "health", "housing", "security"]
GENDERS = ["female", "male", "unknown"]
AGES = ["18_24", "25_39", "40_59", "70_plus", "unknown"]
STATUSES = ["unemployed", "employed", "retired", "unknown"]


@pytest.fixture
def world(db):
    """Three communes, four places of two partners (two places in the first commune), two
    advisers, and people living in each commune (for home visits)."""
    communes = [CommuneFactory(name=name) for name in ("Prades", "Céret", "Ille-sur-Têt")]
    partners = [OrganisationFactory(), OrganisationFactory()]
    places = [
        PlaceFactory(partner=partners[0], commune=communes[0]),
        PlaceFactory(partner=partners[0], commune=communes[0]),
        PlaceFactory(partner=partners[1], commune=communes[1]),
        PlaceFactory(partner=partners[1], commune=communes[2]),
    ]
    people = [BeneficiaryFactory(commune=commune) for commune in communes]
    return {
        "communes": communes,
        "partners": partners,
        "places": places,
        "advisors": [AdvisorFactory(), AdvisorFactory()],
        "people": people,
    }


ACTIVITY = st.fixed_dictionaries(
    {
        "where": st.integers(0, 4),  # 4: at home, no place (the person's commune counts)
        "month": st.integers(1, 12),
        "day": st.integers(1, 28),
        "collective": st.integers(0, 9).map(lambda n: n == 0),  # one in ten
        "participants": st.integers(1, 9),
        "themes": st.lists(st.sampled_from(THEMES), min_size=1, max_size=2, unique=True),
        "advisor": st.integers(0, 1),
        "gender": st.sampled_from(GENDERS),
        "age": st.sampled_from(AGES),
        "status": st.sampled_from(STATUSES),
        "minutes": st.sampled_from([15, 30, 60, 120]),
        "person": st.integers(0, 2),
    }
)
MONTHS = st.integers(1, 12)
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "commune": st.integers(0, 2),
        "place": st.integers(0, 3),
        "partner": st.integers(0, 1),
        "theme": st.sampled_from(THEMES),
        "kind": st.sampled_from(["individual", "collective"]),
        "advisor": st.integers(0, 1),  # the page only (the API has no adviser filter)
        "period": st.tuples(MONTHS, MONTHS).map(sorted),
        "month": MONTHS,
    },
)


def _record(world, spec):
    day = date(2025, spec["month"], spec["day"])
    advisor = world["advisors"][spec["advisor"]]
    place = world["places"][spec["where"]] if spec["where"] < 4 else None
    common = {"date": day, "themes": spec["themes"], "duration_minutes": spec["minutes"]}
    if place is None:
        common |= {"location_kind": "home", "beneficiary": world["people"][spec["person"]]}
        record_individual(advisor, place=None, **common)
    elif spec["collective"]:
        record_collective(advisor, place=place, participants=spec["participants"], **common)
    else:
        record_individual(advisor, place=place, gender=spec["gender"], age_bracket=spec["age"],
                          social_status=spec["status"], **common)  # fmt: skip


def _params(world, filters) -> dict:
    params = {"start": "2025-01", "end": "2025-12"}
    if "period" in filters:
        first, last = filters["period"]
        params = {"start": f"2025-{first:02d}", "end": f"2025-{last:02d}"}
    if "month" in filters:
        params = {"start": f"2025-{filters['month']:02d}", "end": f"2025-{filters['month']:02d}"}
    for name, key in (("commune", "communes"), ("place", "places"), ("partner", "partners")):
        if name in filters:
            params[name] = world[key][filters[name]].pk
    for name in ("theme", "kind"):
        if name in filters:
            params[name] = filters[name]
    return params


# --- The independent checker -----------------------------------------------------------------


def _cells(answer) -> dict[str, int | None]:
    """Every figure of an answer by name; None when not published."""
    cells = {f"totals.{name}": value for name, value in answer["totals"].items()}
    for dimension, rows in answer["breakdowns"].items():
        for row in rows:
            for measure in ("activities", "accompaniments"):
                if row.get(f"{measure}_applies", True):
                    cells[f"{dimension}.{row['key']}.{measure}"] = row[measure]
    for point in answer["series"]:
        for measure, value in point.items():
            if measure != "month":
                cells[f"series.{point['month']}.{measure}"] = value
    del cells["totals.minutes"]  # minutes: not a count of anybody
    return cells


def _sums(answer, cells, place_communes) -> list[dict[str, int]]:
    """The linear relations the figures obey, as {name: coefficient} summing to 0."""

    def total_is(total, parts):
        relation = {total: 1}
        for part in parts:
            relation[part] = relation.get(part, 0) - 1
        return relation

    relations = [
        total_is("totals.activities", ["totals.individual", "totals.collective"]),
        total_is("totals.accompaniments", ["totals.individual", "totals.workshop_participants"]),
        # Individual activities: new people, people seen before, anonymous ones (a hidden
        # quantity when the answer does not give it).
        total_is(
            "totals.individual",
            ["totals.new_beneficiaries", "totals.returning_visits", "totals.anonymous_individual"],
        ),
    ]
    for dimension, rows in answer["breakdowns"].items():
        for measure in ("activities", "accompaniments"):
            names = [f"{dimension}.{row['key']}.{measure}" for row in rows]
            if not names or any(name not in cells for name in names):
                continue
            # Themes overlap (an activity may have two): they add up only when one is listed.
            if dimension != "theme" or len(names) == 1:
                relations.append(total_is(f"totals.{measure}", names))
    for kind, measure, total in (
        ("individual", "activities", "individual"),
        ("individual", "accompaniments", "individual"),
        ("collective", "activities", "collective"),
        ("collective", "accompaniments", "workshop_participants"),
    ):
        name = f"kind.{kind}.{measure}"
        if name in cells:
            relations.append(total_is(f"totals.{total}", [name]))
    start, end = date.fromisoformat(answer["period"]["start"]), answer["period"]["end"]
    months = [p["month"] for p in answer["series"]]
    if start.day == 1 and months and months[0] <= start.isoformat()[:7]:
        inside = [m for m in months if m >= start.isoformat()[:7] and m <= end[:7]]
        for measure in [k for k in answer["series"][0] if k != "month"]:
            relations.append(
                total_is(f"totals.{measure}", [f"series.{m}.{measure}" for m in inside])
            )
    # A commune's figure = its places' + the home visits of its residents (hidden), and the
    # « no place » row = all those home visits.
    rows = {
        dimension: answer["breakdowns"].get(dimension, []) for dimension in ("place", "commune")
    }
    if rows["place"] and rows["commune"]:
        for measure in ("activities", "accompaniments"):
            outside = cells.get(f"place..{measure}", 0)
            hidden = []
            for row in rows["commune"]:
                parts = [
                    f"place.{place['key']}.{measure}"
                    for place in rows["place"]
                    if place["key"] and place_communes.get(int(place["key"])) == row["key"]
                ]
                if outside != 0:
                    hidden.append(f"home.{row['key']}.{measure}")
                    parts.append(hidden[-1])
                relations.append(total_is(f"commune.{row['key']}.{measure}", parts))
            if hidden:
                relations.append(total_is(f"place..{measure}", hidden))
    return relations


def _recovered(relations, cells) -> set[str]:
    """The secret figures that the relations determine from the published ones."""
    unknown = sorted(
        {name for relation in relations for name in relation if cells.get(name) is None}
    )
    if not unknown:
        return set()
    matrix = numpy.array(
        [[relation.get(name, 0) for name in unknown] for relation in relations], dtype=float
    )
    rank = numpy.linalg.matrix_rank(matrix)
    return {
        name
        for i, name in enumerate(unknown)
        if name in cells and numpy.linalg.matrix_rank(numpy.delete(matrix, i, axis=1)) < rank
    }


def check(answer, exact, place_communes):
    cells, true = _cells(answer), _cells(exact)
    small = {
        name: value for name, value in cells.items() if value is not None and 0 < value < THRESHOLD
    }
    assert not small, f"published under the threshold: {small}"
    relations = _sums(answer, cells, place_communes)
    for relation in relations:  # the checker's relations hold on the exact figures
        if all(name in true for name in relation):
            assert sum(c * true[name] for name, c in relation.items()) == 0, relation
    for name, value in cells.items():  # what is published is exact
        assert value is None or value == true[name], name
    recovered = _recovered(relations, cells)
    assert not recovered, f"recoverable by subtraction: {sorted(recovered)}"
    return sum(value is None for value in cells.values())


def _page_answer(result) -> dict:
    """The statistics page's figures (its context) in the API's shape."""

    def figure(value):
        return value if isinstance(value, int) else None

    t = result.totals
    names = ["activities", "individual", "collective", "accompaniments",
             "workshop_participants", "minutes", "new_beneficiaries", "returning_visits",
             "anonymous_individual"]  # fmt: skip
    return {
        "period": {
            "start": result.filters.first.isoformat(),
            "end": result.filters.last.isoformat(),
        },
        "totals": {name: figure(getattr(t, name)) for name in names},
        "breakdowns": {
            dimension: [
                {
                    "key": row.key,
                    "activities": figure(row.activities),
                    "accompaniments": figure(row.accompaniments),
                    "activities_applies": row.activities is not None,
                    "accompaniments_applies": row.accompaniments is not None,
                }
                for row in item.rows
            ]
            for dimension, item in result.breakdowns.items()
        },
        "series": [
            {
                "month": f"{p.month:%Y-%m}",
                **{m: figure(getattr(p, m)) for m in ("activities", "accompaniments",
                                                       "new_beneficiaries", "returning_visits")},
            }
            for p in result.series
        ],
    }  # fmt: skip


def _api_answer(body, exact) -> dict:
    """The API's answer, each breakdown row saying which measures it has (null in the exact
    answer: the measure does not apply, as « activités » of an age bracket)."""
    applies = {
        (dimension, row["key"], measure): row[measure] is not None
        for dimension, rows in exact["breakdowns"].items()
        for row in rows
        for measure in ("activities", "accompaniments")
    }
    for dimension, rows in body["breakdowns"].items():
        for row in rows:
            for measure in ("activities", "accompaniments"):
                row[f"{measure}_applies"] = applies[(dimension, row["key"], measure)]
    return body


@examples(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(activities=st.lists(ACTIVITY, min_size=1, max_size=30), filters=FILTERS)
def test_no_small_cell_and_no_recoverable_secret(
    client, client_for, coordinator, advisor_user, world, activities, filters, settings
):
    settings.RELAIS_DISCLOSURE_THRESHOLD = THRESHOLD
    place_communes = dict(Place.objects.values_list("pk", "commune_id"))
    place_communes = {pk: str(commune) for pk, commune in place_communes.items()}
    adviser_page = client_for(advisor_user)
    coordinator_page = client_for(coordinator)
    with transaction.atomic():
        for spec in activities:
            _record(world, spec)
        _, secret = api_token_create(user=coordinator, name="Open data", scopes=["stats:read"])
        params = _params(world, filters)
        headers = {"Authorization": f"Bearer {secret}"}
        body = client.get(reverse("api:stats"), params, headers=headers).json()
        settings.RELAIS_DISCLOSURE_THRESHOLD = 1  # the same answer, unprotected
        exact = client.get(reverse("api:stats"), params, headers=headers).json()
        settings.RELAIS_DISCLOSURE_THRESHOLD = THRESHOLD
        check(_api_answer(body, exact), _api_answer(exact, exact), place_communes)

        page = dict(params)
        if "advisor" in filters:
            page["advisor"] = world["advisors"][filters["advisor"]].pk
        response = adviser_page.get(reverse("reporting:dashboard"), page)
        assert response.status_code == 200
        protected = response.context["result"]
        assert not protected.exact
        truth = coordinator_page.get(reverse("reporting:dashboard"), page).context["result"]
        assert truth.exact
        secrets = check(_page_answer(protected), _page_answer(truth), place_communes)
        if secrets:
            assert "secret statistique" in response.content.decode()
        transaction.set_rollback(True)
