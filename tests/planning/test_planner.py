"""The planner's pure core: commitments met, pins, infeasibility explained, opening hours."""

from datetime import date

from relais.planning import planner
from relais.planning.travel import AVERAGE_SPEED_KMH, ROAD_FACTOR, haversine_km

from .conftest import SEED_TABLE

WEEK = date(2026, 9, 7)  # a Monday
HOMES = {
    "Prades": (42.6175, 2.4217),
    "Vinça": (42.6447, 2.5278),
    "Ille-sur-Têt": (42.6706, 2.6211),
    "Font-Romeu": (42.5145, 2.0212),
}


def _minutes(a, b) -> int:
    return round(haversine_km(*a, *b) * ROAD_FACTOR / AVERAGE_SPEED_KMH * 60)


def demo_like(*, advisors=None, outside_hours=False, **changes) -> planner.PlanningProblem:
    """The seed's eight places (open Mon–Fri, 13 half-days) and four advisers nearby."""
    places = [
        planner.PlannerPlace(
            id=i,
            name=f"Lieu de {name}",
            demand=count * (2 if unit == "day" else 1),
            windows=changes.get("windows", {}).get(name, planner.default_windows()),
        )
        for i, (name, _lat, _lon, count, unit) in enumerate(SEED_TABLE, start=1)
    ]
    coords = {i: (float(lat), float(lon)) for i, (_n, lat, lon, _c, _u) in enumerate(SEED_TABLE, 1)}
    advisors = advisors or [
        planner.PlannerAdvisor(
            id=100 + i, name=home, home=home, days=frozenset(range(5)), capacity=10
        )
        for i, home in enumerate(HOMES)
    ]
    travel = {(a.id, p.id): _minutes(HOMES[a.home], coords[p.id]) for a in advisors for p in places}
    return planner.PlanningProblem(
        places=places,
        advisors=advisors,
        travel=travel,
        week_start=WEEK,
        outside_hours=outside_hours,
        pins=changes.get("pins", []),
    )


def _check_valid(problem, result):
    per_place = {}
    seen_advisor, seen_place = set(), set()
    advisors = {a.id: a for a in problem.advisors}
    for a in result.assignments:
        per_place[a.place_id] = per_place.get(a.place_id, 0) + 1
        assert (a.advisor_id, a.window) not in seen_advisor  # one place at a time
        assert (a.place_id, a.window) not in seen_place  # one adviser per window
        seen_advisor.add((a.advisor_id, a.window))
        seen_place.add((a.place_id, a.window))
        assert advisors[a.advisor_id].available(a.window)
    for advisor_id, load in result.loads.items():
        assert load <= advisors[advisor_id].capacity
    return per_place


def test_demo_like_plan_meets_every_commitment_with_no_more_travel_than_greedy():
    problem = demo_like()
    result = planner.solve(problem, time_limit_s=5)
    assert result.status == planner.OPTIMAL
    per_place = _check_valid(problem, result)
    assert sum(per_place.values()) == problem.total_demand == 13
    assert per_place == {p.id: p.demand for p in problem.places}
    assert result.gap == 0
    baseline = planner.greedy(problem)
    assert not baseline.shortfalls
    assert result.travel_minutes <= baseline.travel_minutes
    assert result.travel_minutes == planner.plan_travel(problem, result.assignments)


def test_pins_are_respected_even_when_they_cost_travel():
    font_romeu = 103
    pin = planner.Pin(advisor_id=font_romeu, place_id=2, weekday=1, half="am")  # Vinça
    problem = demo_like(pins=[pin])
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    assert planner.Assignment(font_romeu, 2, 1, "am") in result.assignments
    assert result.travel_minutes > planner.solve(demo_like(), time_limit_s=5).travel_minutes


def test_impossible_pin_is_dropped_with_a_french_message():
    off = planner.PlannerAdvisor(
        id=200, name="Sarah Tablette", home="Vinça", days=frozenset({0, 2}), capacity=8
    )
    problem = demo_like()
    problem.advisors.append(off)
    problem.travel.update({(200, p.id): 10 for p in problem.places})
    problem.pins = [planner.Pin(200, 2, 1, "am")]  # a Tuesday: not a working day
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    assert any("Choix imposé ignoré : Sarah Tablette" in text for text in result.explanations)


def test_over_committed_instance_is_infeasible_and_explained_in_french():
    one = [
        planner.PlannerAdvisor(
            id=1, name="Léa Pixel", home="Prades", days=frozenset(range(5)), capacity=10
        )
    ]
    problem = demo_like(advisors=one)
    result = planner.solve(problem, time_limit_s=5)
    assert result.status == planner.INFEASIBLE
    text = "\n".join(result.explanations)
    assert "Les engagements demandent 13 demi-journées par semaine" in text
    assert "n'en assure que 10" in text
    # The best partial plan holds 10 half-days; the places left short are named.
    assert len(result.assignments) == 10
    assert sum(result.shortfalls.values()) == 3
    short = [p for p in problem.places if p.id in result.shortfalls]
    for place in short:
        assert any(t.startswith(place.name) and "au plus" in t for t in result.explanations)


def test_a_place_open_too_little_is_named_with_its_windows():
    problem = demo_like(windows={"Catllar": frozenset({(2, "pm")})})
    result = planner.solve(problem, time_limit_s=5)
    assert result.status == planner.INFEASIBLE
    assert (
        "Lieu de Catllar : 2 demi-journées engagées, 1 au plus possible car le lieu n'est "
        "ouvert au moins 3 h que 1 demi-journée par semaine (mercredi après-midi)."
    ) in result.explanations
    assert result.shortfalls == {4: 1}

    allowed = planner.solve(
        demo_like(windows={"Catllar": frozenset({(2, "pm")})}, outside_hours=True),
        time_limit_s=5,
    )
    assert allowed.is_plan
    assert allowed.outside_hours_count == 1
    assert any("hors des horaires d'ouverture" in t for t in allowed.explanations)


def test_leave_is_respected():
    problem = demo_like()
    away = frozenset((d, h) for d in range(5) for h in planner.HALVES if d != 4)
    problem.advisors[0] = planner.PlannerAdvisor(
        id=100,
        name="Prades",
        home="Prades",
        days=frozenset(range(5)),
        capacity=10,
        unavailable=away,
    )
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    assert all(a.weekday == 4 for a in result.assignments if a.advisor_id == 100)


def test_windows_from_opening_hours():
    assert planner.windows_from_opening_hours("We 14:00-17:00; PH off", WEEK) == {(2, "pm")}
    assert planner.windows_from_opening_hours("Tu 16:00-18:30", WEEK) == frozenset()
    both = planner.windows_from_opening_hours("Mo-Fr 09:00-12:00,13:30-17:00", WEEK)
    assert both == planner.default_windows()
    assert planner.windows_from_opening_hours("", WEEK) is None


def test_capacity_from_weekly_hours_and_working_days():
    assert planner.capacity_for(35, 5) == 10
    assert planner.capacity_for(28, 4) == 8
    assert planner.capacity_for(24.5, 3) == 6
    assert planner.capacity_for(35, 2) == 4


def test_result_round_trips_through_json():
    result = planner.solve(demo_like(), time_limit_s=5)
    again = planner.PlanResult.from_dict(result.to_dict())
    assert again.assignments == result.assignments
    assert again.loads == result.loads


def test_working_time_includes_the_tours_and_the_midday_break_holds():
    problem = demo_like()
    problem.advisors = [
        planner.PlannerAdvisor(
            id=a.id, name=a.name, home=a.home, days=a.days, capacity=10, weekly_minutes=1200
        )
        for a in problem.advisors
    ]
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    worked = planner.working_minutes(problem, result.assignments)
    assert all(minutes <= 1200 for minutes in worked.values())
    assert result.working_minutes == worked
    days = {}
    for a in result.assignments:
        days.setdefault((a.advisor_id, a.weekday), {})[a.half] = a.place_id
    for (advisor_id, _d), halves in days.items():
        if len(halves) == 2:
            assert problem.between(advisor_id, halves["am"], halves["pm"]) <= 45


def test_full_days_are_held_whole_unless_splitting_is_allowed():
    problem = demo_like()
    prades = next(p for p in problem.places if p.name == "Lieu de Prades")
    problem.places[problem.places.index(prades)] = planner.PlannerPlace(
        id=prades.id, name=prades.name, demand=4, windows=prades.windows, full_days=2
    )
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    by_day = {}
    for a in result.assignments:
        if a.place_id == prades.id:
            by_day.setdefault(a.weekday, set()).add(a.advisor_id)
    assert sorted(len(v) for v in by_day.values()) == [1, 1]  # two days, one adviser each
    assert all(
        sum(1 for a in result.assignments if a.place_id == prades.id and a.weekday == d) == 2
        for d in by_day
    )


def test_cap_on_places_and_continuity_with_the_current_planning():
    problem = demo_like()
    problem.max_places_per_advisor = 2
    result = planner.solve(problem, time_limit_s=5)
    assert result.is_plan
    places = {}
    for a in result.assignments:
        places.setdefault(a.advisor_id, set()).add(a.place_id)
    assert all(len(p) <= 2 for p in places.values())

    # Font-Romeu's adviser held Sahorre until now: continuity keeps her there when it is
    # worth more than the extra drive.
    sahorre = next(p for p in problem.places if p.name == "Lieu de Sahorre")
    kept = demo_like()
    kept.previous = frozenset({(103, sahorre.id)})
    kept.continuity_weight = 200
    result = planner.solve(kept, time_limit_s=5)
    assert {a.advisor_id for a in result.assignments if a.place_id == sahorre.id} == {103}


def test_a_plan_is_returned_even_without_time_for_the_solver():
    result = planner.solve(demo_like(), time_limit_s=0.01)
    assert result.is_plan and len(result.assignments) == 13
    assert result.source == "heuristique"
