"""The search's moves and neighbourhoods keep every hard rule: each is re-verified by the
independent checker (feasibility.py), and the local search's running total (updated from the
costs a move changed) must agree with the model's objective recomputed from scratch."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import planner_instances
from relais.planning import planner
from relais.planning.planner import search
from relais.planning.planner.search import LocalSearch, NeighbourhoodSearch

from .feasibility import check


@pytest.fixture(scope="module")
def departement():
    instance = planner_instances.departement(1)
    problem = planner_instances.to_problem(instance)
    return instance, problem, planner.WeekModel(problem, [])


def _plain(assignments) -> list[dict]:
    return [
        {"advisor_id": a.advisor_id, "place_id": a.place_id, "weekday": a.weekday, "half": a.half}
        for a in assignments
    ]


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_local_search_never_returns_worse_and_its_total_is_the_objective(departement, seed):
    instance, _problem, model = departement
    local = LocalSearch(model, [], seed=seed)
    local.construct()
    local.fill()
    start = model.objective(model.values(local.assignments()))
    local.improve(time.perf_counter() + 0.3)
    values = model.values(local.assignments())
    assert values is not None
    assert model.objective(values) == local.total() <= start
    assert check(instance, _plain(local.assignments()), complete=True) == []


@pytest.mark.parametrize(
    ("kind", "places", "days"), [("places", 1.0, 0.0), ("days", 0.0, 1.0), ("week", 0.0, 0.0)]
)
def test_every_neighbourhood_kind_keeps_every_hard_rule(
    departement, monkeypatch, kind, places, days
):
    instance, problem, model = departement
    monkeypatch.setattr(search, "PLACES_SHARE", places)
    monkeypatch.setattr(search, "DAYS_SHARE", days)
    start = model.values(planner.heuristic(problem, 0.3, model=model))
    lns = NeighbourhoodSearch(model, start, seed=1)
    before = lns.objective()
    for _ in range(6):
        lns.step(0.5)
        assert lns.kind == kind
    plan = model.assignments(lambda i: lns.values[i])
    values = model.values(plan)
    assert values is not None
    assert model.objective(values) == lns.objective() <= before
    assert check(instance, _plain(plan), complete=True) == []
