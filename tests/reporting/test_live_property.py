"""Property: whatever sequence of writes (record, correct, delete an activity; change, merge,
delete — as the purge and the right to erasure do — a beneficiary), the dashboard's figures,
read from the roll-ups the writes keep, equal a direct aggregate over the activities table.

The expected figures are computed here, in Python, from the activity rows: nothing of
``relais.reporting`` is used to compute them. Every filter of the dashboard is checked (each
partner, place, adviser, commune, theme and kind, whole months and days).
"""

import os
import uuid
from collections import defaultdict
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.activities.enums import BREAKDOWNS, count_field
from relais.activities.models import Activity, ActivityTheme
from relais.activities.services import activity_delete, activity_record, activity_update
from relais.beneficiaries.models import Beneficiary
from relais.beneficiaries.services import beneficiary_delete, beneficiary_merge, beneficiary_update
from relais.reporting import stats
from relais.reporting.rollup import rebuild
from relais.reporting.stats import StatsFilters

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory, OrganisationFactory, PlaceFactory
from .test_stats import _rollup_rows

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("RELAIS_PROPERTY_EXAMPLES", "60"))
THEMES = ["email", "health", "housing"]
FIRST_DAY = date(2025, 1, 1)
DAYS = 90  # January to March 2025
DURATION_BOUNDS = [(15, "duration_15"), (30, "duration_30"), (45, "duration_45"),
                   (60, "duration_60"), (90, "duration_90"), (120, "duration_120")]  # fmt: skip

# --- Operations ------------------------------------------------------------------------------

days = st.integers(0, DAYS - 1).map(lambda n: FIRST_DAY + timedelta(days=n))
themes = st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True)
index = st.integers(0, 50)
durations = st.sampled_from([10, 30, 45, 60, 75, 120, 150])

record = st.fixed_dictionaries({
    "op": st.just("record"), "kind": st.sampled_from(["individual", "collective"]),
    "advisor": index, "place": st.one_of(st.none(), index), "person": st.one_of(st.none(), index),
    "date": days, "themes": themes, "duration": durations, "participants": st.integers(1, 12),
})  # fmt: skip
correct = st.fixed_dictionaries({
    "op": st.just("correct"), "activity": index, "place": st.one_of(st.none(), index),
    "person": st.one_of(st.none(), index), "date": days, "themes": themes,
    "duration": durations, "participants": st.integers(1, 12),
})  # fmt: skip
delete = st.fixed_dictionaries({"op": st.just("delete"), "activity": index})
purge = st.fixed_dictionaries({"op": st.just("purge"), "person": index})
merge = st.fixed_dictionaries({"op": st.just("merge"), "keep": index, "remove": index})
move = st.fixed_dictionaries({"op": st.just("move"), "person": index,
                              "commune": st.one_of(st.none(), index)})  # fmt: skip
operations = st.lists(
    st.one_of(record, record, record, correct, delete, purge, merge, move), min_size=1,
    max_size=14,
)  # fmt: skip


def _pick(items, i):
    return items[i % len(items)] if items else None


def _data(world, op, kind, person):
    place = None if op["place"] is None else _pick(world["places"], op["place"])
    data = {
        "date": op["date"], "duration_minutes": op["duration"], "themes": op["themes"],
        "location_kind": "place" if place else "home", "place": place, "equipment": [],
    }  # fmt: skip
    if kind == "collective":
        data |= {"place": place or world["places"][0], "location_kind": "place",
                 "title": "Atelier", "level": "beginner",
                 "participants_count": op["participants"]}  # fmt: skip
    else:
        data |= {"beneficiary": person, "autonomy": "guided", "gender": "male",
                 "age_bracket": "25_39", "social_status": "employed"}  # fmt: skip
    return data


def _run(world, op) -> None:
    people = list(Beneficiary.objects.order_by("pk"))
    activities = list(Activity.objects.order_by("pk").select_related("beneficiary"))
    person = None if op.get("person") is None else _pick(people, op["person"])
    if op["op"] == "record":
        advisor = _pick(world["advisors"], op["advisor"])
        activity_record(advisor=advisor, kind=op["kind"], idempotency_key=uuid.uuid4(),
                        data=_data(world, op, op["kind"], person))  # fmt: skip
    elif op["op"] == "correct" and activities:
        activity = _pick(activities, op["activity"])
        activity_update(activity=activity, data=_data(world, op, activity.kind, person))
    elif op["op"] == "delete" and activities:
        activity_delete(activity=_pick(activities, op["activity"]))
    elif op["op"] == "purge" and person is not None:
        beneficiary_delete(beneficiary=person)
    elif op["op"] == "merge" and len(people) > 1:
        keep, remove = _pick(people, op["keep"]), _pick(people, op["remove"])
        if keep.pk != remove.pk:
            beneficiary_merge(keep=keep, remove=remove)
    elif op["op"] == "move" and person is not None:
        commune = None if op["commune"] is None else _pick(world["communes"], op["commune"])
        beneficiary_update(beneficiary=person, data={"commune": commune})


# --- The expected figures, straight from the table -------------------------------------------

COUNT_FIELDS = [count_field(p, v) for p in BREAKDOWNS for v in BREAKDOWNS[p].values]


def _table() -> list[dict]:
    """Every activity with what the figures need, read with plain ORM lookups."""
    rows = list(
        Activity.objects.values(
            "pk", "date", "kind", "advisor_id", "place_id", "place__partner_id",
            "place__commune_id", "beneficiary_id", "beneficiary__commune_id",
            "participants_count", "duration_minutes", *COUNT_FIELDS,
        )
    )  # fmt: skip
    themes = defaultdict(set)
    for activity_id, theme in ActivityTheme.objects.values_list("activity_id", "theme"):
        themes[activity_id].add(theme)
    first = {}
    for row in sorted(rows, key=lambda r: (r["date"], r["pk"])):
        if row["beneficiary_id"] is not None:
            first.setdefault(row["beneficiary_id"], row["pk"])
    for row in rows:
        row["themes"] = themes[row["pk"]]
        row["commune"] = row["place__commune_id"] or row["beneficiary__commune_id"]
        row["linked"] = row["beneficiary_id"] is not None
        row["new"] = row["linked"] and first[row["beneficiary_id"]] == row["pk"]
    return rows


def _selected(rows, f: StatsFilters, first: date, last: date) -> list[dict]:
    def keep(r):
        return (
            first <= r["date"] <= last
            and (not f.partners or r["place__partner_id"] in f.partners)
            and (not f.places or r["place_id"] in f.places)
            and (not f.advisors or r["advisor_id"] in f.advisors)
            and (not f.communes or r["commune"] in f.communes)
            and (not f.kind or r["kind"] == f.kind)
            and (not f.theme or f.theme in r["themes"])
        )

    return [r for r in rows if keep(r)]


def _duration_bucket(minutes: int) -> str:
    for bound, name in DURATION_BOUNDS:
        if minutes <= bound:
            return name
    return "duration_more"


def _expected(rows, f: StatsFilters) -> dict:
    chosen = _selected(rows, f, f.first, f.last)
    totals = {
        "activities": len(chosen),
        "individual": sum(r["kind"] == "individual" for r in chosen),
        "collective": sum(r["kind"] == "collective" for r in chosen),
        "accompaniments": sum(r["participants_count"] for r in chosen),
        "workshop_participants": sum(
            r["participants_count"] for r in chosen if r["kind"] == "collective"
        ),
        "minutes": sum(r["duration_minutes"] for r in chosen),
        "linked": sum(r["linked"] for r in chosen),
        "new_beneficiaries": sum(r["new"] for r in chosen),
    }
    counts = {name: sum(r[name] for r in chosen) for name in COUNT_FIELDS}
    for _, name in [*DURATION_BOUNDS, (None, "duration_more")]:
        counts[name] = sum(_duration_bucket(r["duration_minutes"]) == name for r in chosen)
    by = {"place": defaultdict(lambda: [0, 0]), "commune": defaultdict(lambda: [0, 0]),
          "theme": defaultdict(lambda: [0, 0])}  # fmt: skip
    for r in chosen:
        for dimension, keys in (("place", [r["place_id"]]), ("commune", [r["commune"]]),
                                ("theme", sorted(r["themes"]))):  # fmt: skip
            for key in keys:
                if dimension == "theme" and f.theme and key != f.theme:
                    continue
                by[dimension][str(key or "")][0] += 1
                by[dimension][str(key or "")][1] += r["participants_count"]
    series = []
    month = f.end - relativedelta(months=11)
    while month <= f.end:
        last = min(month + relativedelta(months=1) - timedelta(days=1), f.last)
        in_month = _selected(rows, f, month, last)
        new = sum(r["new"] for r in in_month)
        series.append((month, len(in_month), sum(r["participants_count"] for r in in_month),
                       new, sum(r["linked"] for r in in_month) - new))  # fmt: skip
        month += relativedelta(months=1)
    return {"totals": totals, "counts": counts,
            "by": {k: {key: tuple(v) for key, v in d.items()} for k, d in by.items()},
            "series": series}  # fmt: skip


def _shown(dashboard) -> dict:
    t = dashboard.totals
    by = {}
    for dimension in ("place", "commune", "theme"):
        by[dimension] = {
            row.key: (row.activities, row.accompaniments)
            for row in dashboard.breakdowns[dimension].rows
        }
    return {
        "totals": {
            name: getattr(t, name)
            for name in (
                "activities",
                "individual",
                "collective",
                "accompaniments",
                "workshop_participants",
                "minutes",
                "linked",
                "new_beneficiaries",
            )
        },
        "counts": dict(t.counts),
        "by": by,
        "series": [
            (p.month, p.activities, p.accompaniments, p.new_beneficiaries, p.returning_visits)
            for p in dashboard.series
        ],
    }


def _every_filter(world) -> list[StatsFilters]:
    quarter = StatsFilters(date(2025, 1, 1), date(2025, 3, 1))
    periods = [
        quarter,
        StatsFilters(date(2025, 2, 1), date(2025, 2, 1)),
        StatsFilters.between(date(2025, 1, 15), date(2025, 2, 20)),
        StatsFilters.between(date(2025, 3, 3), date(2025, 3, 9)),
    ]
    from dataclasses import replace

    filters = list(periods)
    for one in (
        *[{"partners": (p.pk,)} for p in world["partners"]],
        *[{"places": (p.pk,)} for p in world["places"]],
        *[{"advisors": (a.pk,)} for a in world["advisors"]],
        *[{"communes": (c.pk,)} for c in world["communes"]],
        *[{"theme": theme} for theme in THEMES],
        {"kind": "individual"}, {"kind": "collective"},
        {"advisors": (world["advisors"][0].pk,), "theme": "email"},
    ):  # fmt: skip
        filters.append(replace(quarter, **one))
        filters.append(replace(periods[2], **one))
    return filters


@pytest.fixture
def world(db):
    rebuild()  # built (and empty): from here on, only the writes keep the roll-ups
    communes = [CommuneFactory(name=f"Commune {n}") for n in range(3)]
    partners = [OrganisationFactory(name=f"Structure {n}") for n in range(2)]
    places = [PlaceFactory(partner=partners[0], commune=communes[0]),
              PlaceFactory(partner=partners[0], commune=communes[1]),
              PlaceFactory(partner=partners[1], commune=communes[1])]  # fmt: skip
    return {"communes": communes, "partners": partners, "places": places,
            "advisors": [AdvisorFactory() for _ in range(3)]}  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, period=st.tuples(days, days).map(sorted))
def test_dashboard_equals_a_direct_aggregate_after_any_writes(world, ops, period):
    """``period``: any days (whole months from the monthly roll-ups, the others from the
    daily ones), checked for every filter too."""
    with transaction.atomic():
        # The people of each example: some in a commune, one without.
        for n, commune in enumerate([world["communes"][2], world["communes"][0], None]):
            BeneficiaryFactory(commune=commune, gender=["female", "male", "unknown"][n],
                               birth_year=1950 + 20 * n)  # fmt: skip
        for op in ops:
            _run(world, op)
        rows = _table()
        drawn = StatsFilters.between(*period)
        from dataclasses import replace

        every = _every_filter(world)
        every += [replace(f, first_day=drawn.first_day, last_day=drawn.last_day) for f in every]
        for f in dict.fromkeys(every):
            assert _shown(stats.dashboard(f)) == _expected(rows, f), f
        # The rows the writes kept, monthly and daily, are the rows a rebuild writes.
        kept = _rollup_rows()
        rebuild()
        assert _rollup_rows() == kept
        transaction.set_rollback(True)
