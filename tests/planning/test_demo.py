"""The planning demo: the seed's 13 half-days a week, idempotent, waiting for an agreement."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.places.models import Place
from relais.planning.checks import planning_findings
from relais.planning.coverage import coverage_table
from relais.planning.demo import demo_period
from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Closure, Slot
from relais.planning.occurrences import occurrences_between
from relais.team.models import Leave

from .conftest import SEED_TABLE

pytestmark = pytest.mark.django_db
QUIET_WEEK = date(2026, 10, 5)  # no public or school holiday


@pytest.fixture
def demo_with_agreement():
    """The whole demo: the agreements' demo signs the 2026–2029 successor the slots fit in."""
    call_command("demo", "--force")
    return {name: Place.objects.get(commune__name=name) for name, *_ in SEED_TABLE}


# The demo's planning runs from a year back to seven months ahead of today: QUIET_WEEK (a week
# without holidays, named by date) is inside it only when today is near it.
@pytest.mark.now("2026-11-24T10:00")
def test_demo_plans_every_commitment(demo_with_agreement):
    in_force = Slot.objects.filter(valid_from__lte=QUIET_WEEK, valid_until__gte=QUIET_WEEK)
    assert in_force.count() == 13
    assert not Slot.objects.filter(place__commune__name="Baillestavy").exists()
    table = coverage_table(QUIET_WEEK, weeks=1)
    assert sum(c.committed for c in table.cells) == 13
    assert sum(c.planned for c in table.cells) == 13
    assert table.shortfalls == []
    # A year of history (the activities' demo was held in it), one slot per agreement period:
    # the seed's agreement until 22 June 2026, its successor from the next day.
    today = timezone.localdate()  # the demo's period is computed from it, as the demo did
    first, last = demo_period(today)
    for line in Slot.objects.values("place", "weekday", "start_time").distinct():
        slots = list(Slot.objects.filter(**line).order_by("valid_from"))
        assert slots[0].valid_from == first and slots[-1].valid_until == last
        assert all(slot.commitment is not None for slot in slots)
        for before, after in pairwise(slots):
            assert after.valid_from == before.valid_until + timedelta(days=1)


def test_demo_week_passes_every_check(demo_with_agreement):
    findings = planning_findings(QUIET_WEEK, QUIET_WEEK + timedelta(days=6))
    assert findings == []


def test_demo_leave_next_week_leaves_occurrences_unstaffed(demo_with_agreement):
    today = timezone.localdate()
    next_monday = today + timedelta(days=7 - today.weekday())
    assert Leave.objects.filter(advisor__user__last_name="Tablette").exists()
    week = occurrences_between(next_monday, next_monday + timedelta(days=6))
    unstaffed = [o for o in week if o.status == OccurrenceStatus.UNSTAFFED]
    if next_monday <= date(2027, 6, 21):  # while the demo slots run
        assert {o.place.commune.name for o in unstaffed} >= {"Vinça"}


def test_demo_is_idempotent(demo_with_agreement):
    counts = (Slot.objects.count(), Closure.objects.count(), Leave.objects.count())
    call_command("demo", "--force")
    assert (Slot.objects.count(), Closure.objects.count(), Leave.objects.count()) == counts


def test_planner_meets_every_demo_commitment_within_opening_hours(demo_with_agreement):
    from relais.planning import planner
    from relais.planning.queries import problem_from_database

    # Prades commits two days a week but its médiathèque is open all day only on Wednesday
    # (and Saturday): held whole, one of the two days cannot be, and the planner says so.
    problem = problem_from_database(QUIET_WEEK)
    assert sum(place.demand for place in problem.places) == 13
    result = planner.solve(problem, time_limit_s=10)
    assert result.status == planner.INFEASIBLE
    assert len(result.assignments) == 13
    assert any(
        text.startswith("Médiathèque de Prades") and "entière" in text
        for text in result.explanations
    )
    # Allowed to split the days, every commitment is met within opening hours.
    split = planner.solve(problem_from_database(QUIET_WEEK, split_days=True), time_limit_s=10)
    assert split.is_plan, split.explanations
    assert len(split.assignments) == 13
