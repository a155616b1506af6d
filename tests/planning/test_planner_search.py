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


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=10_000), kind=st.sampled_from([0.0, 0.5, 1.0]))
def test_the_variables_a_neighbourhood_leaves_out_can_never_be_one(departement, seed, kind):
    """``_unforced`` drops free variables it finds held at 0 by the fixed part: CP-SAT, given
    the whole neighbourhood (nothing dropped) and asked to raise any dropped one, must find
    no plan."""
    from ortools.sat.python import cp_model

    _instance, problem, model = departement
    start = model.values(planner.heuristic(problem, 0.1, model=model, seed=seed))
    lns = NeighbourhoodSearch(model, start, seed=seed)
    lns.rng.random = lambda: kind  # « places » below 0.6, « days » below 0.9, else « week »
    kept = []
    unforced = lns._unforced
    lns._unforced = lambda free: kept.extend(unforced(free)) or free  # build it whole
    _whole, sub, free, _before = lns._build()
    dropped = sorted(set(free) - set(kept))
    assert kept and dropped  # the fixed part holds some at 0 in every kind
    local = {i: k for k, i in enumerate(free)}
    sub.add(sum(sub.get_int_var_from_proto_index(local[i]) for i in dropped) >= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(sub) == cp_model.INFEASIBLE


# --- Two searches at once, one on each side of a cut --------------------------------------


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_row_of_the_model_has_variables_of_both_sides(departement, data):
    """Checked row by row on the model itself, not with the search's compressed arrays."""
    _instance, problem, model = departement
    start = model.values(planner.heuristic(problem, 0.1, model=model))
    lns = NeighbourhoodSearch(model, start)
    seed_place = data.draw(st.sampled_from(lns.place_ids))
    side = lns.sides(seed_place)
    assert set(side.tolist()) <= {-1, 0, 1}
    assert (side == 0).sum() and (side == 1).sum()
    for variables, _coefs, _lo, _hi in model.rows:
        assert {int(side[i]) for i in variables} - {-1} != {0, 1}


@pytest.mark.parametrize("seed_place", [0, -1])
def test_both_sides_searched_apart_merge_into_a_plan_keeping_every_rule(departement, seed_place):
    instance, problem, model = departement
    start = model.values(planner.heuristic(problem, 0.2, model=model))
    one = NeighbourhoodSearch(model, start, seed=1)
    other = NeighbourhoodSearch(model, start, seed=2)
    side = one.sides(one.place_ids[seed_place])
    before = one.objective()
    for lns, which in ((one, 0), (other, 1)):
        lns.keep_to(side, which)
        for _ in range(8):
            lns.step(0.5)
    initial = [start[i] for i in range(len(model.upper))]
    changes = other.changes(initial)
    assert changes and all(side[i] == 1 for i, _v in changes)
    assert all(side[i] == 0 for i, _v in one.changes(initial))
    gains = before - one.objective(), before - other.objective()
    one.keep_to(None)
    assert one.merge(changes) == (gains[1] > 0)
    # The objective is a sum over variables: the merged plan gains what each side gained.
    assert one.objective() == before - gains[0] - max(0, gains[1])
    plan = model.assignments(lambda i: one.values[i])
    values = model.values(plan)
    assert values is not None and model.objective(values) == one.objective()
    assert check(instance, _plain(plan), complete=True) == []


def test_a_merge_that_would_break_a_row_is_refused(departement):
    _instance, problem, model = departement
    start = model.values(planner.heuristic(problem, 0.1, model=model))
    lns = NeighbourhoodSearch(model, start)
    kept = list(lns.values)
    # Every held half-day given up at no shortfall: cheaper, and every place's demand broken.
    broken = [(i, 0) for i in model.x.values() if kept[i]]
    cheaper = dict(enumerate(kept)) | dict(broken)
    assert model.objective(cheaper) < lns.objective()  # refused for the rows, not the cost
    assert not lns.merge(broken)
    assert lns.values == kept


def test_the_planner_uses_both_cores_above_the_bound_size(departement, monkeypatch):
    """On a model too large for the proven bound, the two-sided search runs, and its plan keeps
    every hard rule (the département, with the size limit lowered for the test)."""
    from relais.planning.planner import solver

    instance, problem, _model = departement
    rounds = []
    monkeypatch.setattr(solver, "BOUND_MAX_VARIABLES", 1_000)
    monkeypatch.setattr(solver, "SIDE_ROUND_S", 0.8)
    merge = NeighbourhoodSearch.merge
    monkeypatch.setattr(
        NeighbourhoodSearch, "merge", lambda self, c: rounds.append(len(c)) or merge(self, c)
    )
    result = solver.solve(problem, time_limit_s=4.0)
    assert rounds  # at least one round merged (or refused) the other side's changes
    assert result.status in (planner.FEASIBLE, planner.OPTIMAL)
    assert check(instance, _plain(result.assignments), complete=True) == []


def test_a_second_local_search_that_dies_costs_nothing_but_its_plan(departement, monkeypatch):
    """Above the bound's size a child runs a second local search during the first one; a child
    that dies (memory) leaves the plan of the first, which keeps every hard rule."""
    import os

    from relais.planning.planner import solver

    instance, problem, _model = departement
    monkeypatch.setattr(solver, "BOUND_MAX_VARIABLES", 1_000)
    monkeypatch.setattr(solver, "_search_child", lambda *args: os._exit(1))
    result = solver.solve(problem, time_limit_s=3.0)
    assert "Pas de borne prouvée à cette taille dans le temps imparti." in result.relaxed
    assert result.status in (planner.FEASIBLE, planner.OPTIMAL)
    assert result.assignments
    assert check(instance, _plain(result.assignments), complete=True) == []


def _expected_shares(model, values, owner_of, seeds) -> dict[int, float]:
    """Each seed's chance, computed from the model's keys (not the search's arrays): what the
    seed's variables cost in the plan, plus one, over the total."""
    cost = dict.fromkeys(seeds, 0.0)
    for key, i in owner_of(model):
        for seed in key:
            if seed in cost:
                cost[seed] += model.cost.get(i, 0) * values[i]
    weights = {seed: max(c, 0.0) + 1.0 for seed, c in cost.items()}
    total = sum(weights.values())
    return {seed: w / total for seed, w in weights.items()}


def _place_keys(model):
    yield from (((p,), i) for (_a, p, _d, _h), i in model.x.items())
    yield from (((p,) if p == q else (p, q), i) for (_a, _d, p, q), i in model.z.items())


def _advisor_keys(model):
    yield from (((a,), i) for (a, _p, _d, _h), i in model.x.items())
    yield from (((a,), i) for (a, _d, _p, _q), i in model.z.items())
    yield from (((a,), i) for a, i in model.dev.items())
    yield from (((a,), i) for (a, _p), i in model.u.items())


@pytest.mark.parametrize("side", [None, 0, 1])
def test_neighbourhoods_are_seeded_where_the_plan_costs_in_proportion(departement, side):
    """30,000 draws of each kind of seed against the chances computed independently: every
    draw is a seed of the search's side, each seed drawn as often as its cost says (within
    four standard errors)."""
    _instance, problem, model = departement
    values = model.values(planner.heuristic(problem, 0.3, model=model))
    lns = NeighbourhoodSearch(model, values, seed=3)
    if side is not None:
        lns.keep_to(lns.sides(lns.place_ids[0]), side)
    draws = 30_000
    for draw, owner_of, seeds in [
        (lns.seed_place, _place_keys, lns.seed_places),
        (lns.seed_advisor, _advisor_keys, lns.seed_advisors),
    ]:
        expected = _expected_shares(model, lns.values, owner_of, seeds)
        counts = dict.fromkeys(seeds, 0)
        for _ in range(draws):
            counts[draw()] += 1  # a KeyError: drawn outside the side's seeds
        for seed, share in expected.items():
            error = 4 * (share * (1 - share) / draws) ** 0.5 + 1e-4
            assert abs(counts[seed] / draws - share) <= error, (seed, counts[seed], share)
        # Not uniform: the plan's costs differ from seed to seed.
        assert max(expected.values()) > 1.5 * min(expected.values())


@pytest.mark.parametrize("kind", ["places", "days"])
def test_a_neighbourhood_grows_only_when_proven_quickly_and_shrinks_when_not_proven(
    departement, kind
):
    """Its size follows what the last one of its kind cost: proven optimal within ``QUICK_S``
    → one more; proven but slower → the same; not proven → two fewer (never below the least)."""
    _instance, problem, model = departement
    lns = NeighbourhoodSearch(model, model.values(planner.heuristic(problem, 0.1, model=model)))
    size = "place_size" if kind == "places" else "day_size"
    least = 2 if kind == "places" else search.DAY_SIZE_MIN
    lns.kind = kind
    setattr(lns, size, least + 3)
    lns._resize(True, search.QUICK_S * 0.9, search.LARGE_STEP_S)
    assert getattr(lns, size) == least + 4
    lns._resize(True, search.QUICK_S * 1.1, search.LARGE_STEP_S)
    assert getattr(lns, size) == least + 4
    lns._resize(True, search.QUICK_S * 0.9, 1.5 * search.QUICK_S)  # over half a short limit
    assert getattr(lns, size) == least + 4
    for expected in (least + 2, least, least):
        lns._resize(False, search.LARGE_STEP_S, search.LARGE_STEP_S)
        assert getattr(lns, size) == expected
    lns.kind, week = "week", lns.size
    lns._resize(True, search.LNS_STEP_S, search.LNS_STEP_S)  # a « week » grows when proven
    assert (lns.size, getattr(lns, size)) == (week + 1, least)
