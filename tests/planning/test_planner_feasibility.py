"""The plans the planner returns, re-verified by an independent checker (feasibility.py).

The checker reads the benchmark's plain instances and the plan's JSON only; here the planner
is just the thing under test.
"""

import pytest

from bench import planner_instances
from relais.planning import planner

from .feasibility import check, driving_minutes


def _solve(instance, seconds, **changes):
    problem = planner_instances.to_problem(instance, **changes)
    result = planner.solve(problem, time_limit_s=seconds)
    return result, result.to_dict()["assignments"]


@pytest.mark.parametrize(
    ("build", "seconds"),
    [
        (planner_instances.demo, 5),
        (lambda: planner_instances.departement(1), 6),
        (lambda: planner_instances.departement(2), 8),
    ],
    ids=["demo", "département ×1", "département ×2"],
)
def test_every_hard_rule_holds_on_the_returned_plan(build, seconds):
    instance = build()
    result, plan = _solve(instance, seconds)
    assert plan, result.explanations
    complete = result.is_plan
    assert check(instance, plan, complete=complete) == []
    # The driving the planner reports is the real tours' driving.
    assert result.travel_minutes == driving_minutes(instance, plan)
    if not complete:  # a partial plan says which places are short
        assert result.shortfalls and result.explanations


def test_the_demo_is_solved_to_optimality():
    result, _plan = _solve(planner_instances.demo(), 10)
    assert result.status == planner.OPTIMAL
    assert result.gap == 0


def test_pins_and_whole_days_hold():
    instance = planner_instances.departement(1)
    _first, plan = _solve(instance, 4)
    # Pin an adviser to a place near home, on a window both are free and open.
    busy = {(i["advisor_id"], i["weekday"], i["half"]) for i in plan}
    held = {(i["place_id"], i["weekday"], i["half"]) for i in plan}
    pin = next(
        {"advisor_id": a["id"], "place_id": p["id"], "weekday": d, "half": h}
        for a in instance["advisors"]
        for p in instance["places"]
        for d, h in p["windows"]
        if instance["travel"][f"{a['id']},{p['id']}"] <= 60
        and d in a["days"]
        and [d, h] not in a["unavailable"]
        and (a["id"], d, h) not in busy
        and (p["id"], d, h) not in held
    )
    result, plan = _solve(instance, 4, pins=[planner.Pin(**pin)])
    assert check(instance, plan, pins=[pin], complete=result.is_plan) == []
    assert not any("Choix imposé ignoré" in text for text in result.explanations)
    assert any(p["full_days"] for p in instance["places"])


def test_a_pin_on_leave_is_dropped_and_said():
    instance = planner_instances.departement(1)
    advisor = next(a for a in instance["advisors"] if a["unavailable"])
    d, h = advisor["unavailable"][0]
    place = next(p for p in instance["places"] if [d, h] in p["windows"])
    pin = planner.Pin(advisor["id"], place["id"], d, h)
    result, plan = _solve(instance, 3, pins=[pin])
    assert any("Choix imposé ignoré" in text for text in result.explanations)
    assert check(instance, plan, complete=result.is_plan) == []


def test_the_checker_catches_the_former_greedy_plans():
    """The former planner's greedy (round trips, no working time) breaks the rules here."""
    instance = planner_instances.departement(1)
    problem = planner_instances.to_problem(instance)
    plan = planner.greedy(problem).to_dict()["assignments"]
    errors = check(instance, plan, complete=False)
    assert any("contract" in e or "no break" in e or "whole days" in e for e in errors)
