"""The planner's week as a linear model, solver-neutral: CP-SAT and HiGHS read the same rows."""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from .problem import (
    AFTERNOON,
    MORNING,
    Assignment,
    Pin,
    PlanningProblem,
    day_tours,
    half_day_loads,
    load_shares,
)


class WeekModel:
    """The week as a linear integer model, independent of the solver that reads it.

    Variables (all integer, lower bound 0): ``x[a, p, d, h]`` adviser ``a`` holds place
    ``p`` in window ``(d, h)``; ``z[a, d, p, q]`` adviser ``a`` works at ``p`` in the
    morning and ``q`` in the afternoon of day ``d`` (only pairs meeting the break and the
    day length exist); ``short[p]`` half-days of ``p`` not held; ``whole_short[p]`` whole
    days of ``p`` not held whole; ``dev[a]`` deviation from the adviser's share; ``u[a, p]``
    adviser ``a`` works at ``p`` at all (with a cap on places). A day's driving is
    ``Σ 2 t(home, ·) x − Σ (t(home, p) + t(home, q) − t(p, q)) z``: exact, because working
    both halves forces the pair variable of the two places worked (the linking rows below).
    CP-SAT solves it (:func:`solve`); the benchmark hands the same rows to HiGHS for an
    independent bound.
    """

    def __init__(self, problem: PlanningProblem, pins: list[Pin]):
        self.problem = problem
        self.lower: list[int] = []
        self.upper: list[int] = []
        self.rows: list[tuple[list[int], list[int], float, float]] = []
        self.cost: dict[int, int] = {}
        self.x: dict[tuple[int, int, int, str], int] = {}
        self.z: dict[tuple[int, int, int, int], int] = {}
        self.short: dict[int, int] = {}
        self.whole_short: dict[int, int] = {}
        self.dev: dict[int, int] = {}
        self.u: dict[tuple[int, int], int] = {}
        self.outside: set[tuple[int, int, int, str]] = set()
        self.restricted = False
        self._build(pins)

    def var(self, upper: int, cost: int = 0, lower: int = 0) -> int:
        index = len(self.upper)
        self.lower.append(lower)
        self.upper.append(upper)
        if cost:
            self.cost[index] = cost
        return index

    def row(self, terms: list[tuple[int, int]], lo: float, hi: float) -> None:
        if terms:
            self.rows.append(([i for i, _ in terms], [c for _, c in terms], lo, hi))

    def candidates(self) -> dict[int, set[int]]:
        """Places offered to each adviser (rule « Size » in the module docstring)."""
        problem = self.problem
        reach = {
            a.id: sorted(
                (problem.travel[(a.id, p.id)], p.id)
                for p in problem.places
                if p.demand > 0 and problem.reachable(a, p)
            )
            for a in problem.advisors
            if a.capacity > 0
        }
        offered = {a: {p for _t, p in pairs} for a, pairs in reach.items()}
        limit = problem.max_candidates
        if limit is None or all(len(s) <= limit for s in offered.values()):
            return offered
        self.restricted = True
        chosen = {a: {p for _t, p in pairs[:limit]} for a, pairs in reach.items()}
        for place in problem.places:
            near = sorted(
                (problem.travel[(a, place.id)], a) for a in reach if place.id in offered[a]
            )
            for _t, a in near[: problem.min_advisors]:
                chosen[a].add(place.id)
        for item in [*problem.current, *problem.pins]:
            if item.advisor_id in chosen and item.place_id in offered[item.advisor_id]:
                chosen[item.advisor_id].add(item.place_id)
        for a, p in problem.previous:
            if a in chosen and p in offered[a]:
                chosen[a].add(p)
        return chosen

    def weights(self) -> tuple[int, int, int]:
        problem = self.problem
        per_half = (
            4 * problem.max_travel_minutes
            + problem.continuity_weight
            + 2 * problem.balance_weight
            + 1
        )
        outside = per_half
        short = 4 * per_half
        return outside, short, short

    def _build(self, pins: list[Pin]) -> None:
        problem = self.problem
        t = problem.travel
        pinned = {(p.advisor_id, p.place_id, p.weekday, p.half) for p in pins}
        offered = self.candidates()
        for key in pinned:
            offered.setdefault(key[0], set()).add(key[1])
        places = {p.id: p for p in problem.places}
        outside_weight, short_weight, whole_weight = self.weights()
        continuity = problem.continuity_weight if problem.previous else 0
        by_place, by_place_window = defaultdict(list), defaultdict(list)
        by_advisor_window, by_advisor = defaultdict(list), defaultdict(list)
        for advisor in problem.advisors:
            if advisor.capacity <= 0:
                continue
            for place_id in sorted(offered.get(advisor.id, ())):
                place = places[place_id]
                for window in sorted(problem.place_windows(place)):
                    key = (advisor.id, place_id, *window)
                    if not advisor.available(window):
                        continue
                    if problem.work(place_id) + 2 * t[(advisor.id, place_id)] > (
                        problem.max_day_minutes
                    ):
                        continue
                    cost = 2 * t[(advisor.id, place_id)]
                    if (advisor.id, place_id) not in problem.previous:
                        cost += continuity
                    if window not in place.windows:
                        self.outside.add(key)
                        cost += outside_weight
                    index = self.var(1, cost, lower=1 if key in pinned else 0)
                    self.x[key] = index
                    by_place[place_id].append(index)
                    by_place_window[(place_id, *window)].append(index)
                    by_advisor_window[(advisor.id, *window)].append(index)
                    by_advisor[advisor.id].append(index)
        for place in problem.places:
            if place.demand <= 0:
                continue
            self.short[place.id] = self.var(place.demand, short_weight)
            terms = [(i, 1) for i in by_place[place.id]] + [(self.short[place.id], 1)]
            self.row(terms, place.demand, place.demand)
        for group in (by_place_window, by_advisor_window):
            for indexes in group.values():
                if len(indexes) > 1:
                    self.row([(i, 1) for i in indexes], 0, 1)
        # Days: pairs of places, their linking rows, and the week's working time.
        week_terms = defaultdict(list)
        whole = defaultdict(list)
        allowed: dict[int, dict[tuple[int, int], int]] = {}
        for advisor in problem.advisors:
            a = advisor.id
            if a not in by_advisor:
                continue
            if len(by_advisor[a]) > advisor.capacity:
                self.row([(i, 1) for i in by_advisor[a]], 0, advisor.capacity)
            for d in sorted(advisor.days):
                mornings = [p for p in offered.get(a, ()) if (a, p, d, MORNING) in self.x]
                afternoons = [p for p in offered.get(a, ()) if (a, p, d, AFTERNOON) in self.x]
                for p in mornings:
                    week_terms[a].append(
                        (self.x[(a, p, d, MORNING)], problem.work(p) + 2 * t[(a, p)])
                    )
                for q in afternoons:
                    week_terms[a].append(
                        (self.x[(a, q, d, AFTERNOON)], problem.work(q) + 2 * t[(a, q)])
                    )
                if not mornings or not afternoons:
                    continue
                pair_terms, from_morning, to_afternoon = [], defaultdict(list), defaultdict(list)
                if a not in allowed:  # pairs and savings do not depend on the day
                    allowed[a] = {
                        (p, q): t[(a, p)] + t[(a, q)] - problem.between(a, p, q)
                        for p in offered[a]
                        for q in offered[a]
                        if problem.day_allowed(a, p, q)
                    }
                for p in mornings:
                    for q in afternoons:
                        saving = allowed[a].get((p, q))
                        if saving is None:
                            continue
                        index = self.var(1, -saving)
                        self.z[(a, d, p, q)] = index
                        pair_terms.append((index, 1))
                        from_morning[p].append(index)
                        to_afternoon[q].append(index)
                        week_terms[a].append((index, -saving))
                        if p == q:
                            whole[p].append(index)
                for p in mornings:
                    self.row(
                        [(i, 1) for i in from_morning[p]] + [(self.x[(a, p, d, MORNING)], -1)],
                        -1,
                        0,
                    )
                for q in afternoons:
                    self.row(
                        [(i, 1) for i in to_afternoon[q]] + [(self.x[(a, q, d, AFTERNOON)], -1)],
                        -1,
                        0,
                    )
                # Both halves worked ⇒ one allowed pair chosen.
                self.row(
                    [(self.x[(a, p, d, MORNING)], 1) for p in mornings]
                    + [(self.x[(a, q, d, AFTERNOON)], 1) for q in afternoons]
                    + [(i, -1) for i, _ in pair_terms],
                    -2,
                    1,
                )
            if advisor.weekly_minutes is not None:
                self.row(week_terms[a], -math.inf, advisor.weekly_minutes)
        if not problem.split_days:
            for place in problem.places:
                if place.full_days > 0:
                    self.whole_short[place.id] = self.var(place.full_days, whole_weight)
                    terms = [(i, 1) for i in whole[place.id]]
                    terms.append((self.whole_short[place.id], 1))
                    self.row(terms, place.full_days, math.inf)
        if problem.balance_weight:
            for advisor_id, share in load_shares(problem).items():
                if advisor_id not in by_advisor:
                    continue
                target = round(share)
                dev = self.var(problem.total_demand, problem.balance_weight)
                self.dev[advisor_id] = dev
                load = [(i, 1) for i in by_advisor[advisor_id]]
                self.row([(dev, 1), *[(i, -c) for i, c in load]], -target, math.inf)
                self.row([(dev, 1), *load], target, math.inf)
        if problem.max_places_per_advisor:
            for advisor_id in by_advisor:
                per_place = defaultdict(list)
                for (a, p, _d, _h), i in self.x.items():
                    if a == advisor_id:
                        per_place[p].append(i)
                if len(per_place) <= problem.max_places_per_advisor:
                    continue
                used = []
                for p, xs in per_place.items():
                    u = self.var(1)
                    self.u[(advisor_id, p)] = u
                    used.append((u, 1))
                    for i in xs:
                        self.row([(i, 1), (u, -1)], -1, 0)
                self.row(used, 0, problem.max_places_per_advisor)

    # Values of a plan, for hints and for comparing plans on the model's objective.
    def values(self, assignments) -> dict[int, int] | None:
        """Every variable's value for a plan; None when the plan is outside the model."""
        problem = self.problem
        values = dict.fromkeys(range(len(self.upper)), 0)
        for a in assignments:
            index = self.x.get((a.advisor_id, a.place_id, a.weekday, a.half))
            if index is None:
                return None
            values[index] = 1
        held = defaultdict(int)
        for a in assignments:
            held[a.place_id] += 1
        for place_id, index in self.short.items():
            demand = next(p.demand for p in problem.places if p.id == place_id)
            values[index] = demand - held[place_id]
            if values[index] < 0:
                return None
        whole = defaultdict(int)
        for (advisor_id, d), halves in day_tours(assignments).items():
            if MORNING in halves and AFTERNOON in halves:
                index = self.z.get((advisor_id, d, halves[MORNING], halves[AFTERNOON]))
                if index is None:
                    return None
                values[index] = 1
                if halves[MORNING] == halves[AFTERNOON]:
                    whole[halves[MORNING]] += 1
        for place_id, index in self.whole_short.items():
            full = next(p.full_days for p in problem.places if p.id == place_id)
            values[index] = max(0, full - whole[place_id])
        loads = half_day_loads(problem, assignments)
        shares = load_shares(problem)
        for advisor_id, index in self.dev.items():
            values[index] = abs(loads.get(advisor_id, 0) - round(shares[advisor_id]))
        for (advisor_id, place_id), index in self.u.items():
            values[index] = int(
                any(a.advisor_id == advisor_id and a.place_id == place_id for a in assignments)
            )
        for indexes, coefs, lo, hi in self.rows:
            total = sum(values[i] * c for i, c in zip(indexes, coefs, strict=True))
            if total < lo - 1e-9 or total > hi + 1e-9:
                return None
        return values

    def objective(self, values: dict[int, int]) -> int:
        return sum(c * values[i] for i, c in self.cost.items())

    def assignments(self, value) -> list[Assignment]:
        return [
            Assignment(a, p, d, h, outside_hours=(a, p, d, h) in self.outside)
            for (a, p, d, h), index in self.x.items()
            if value(index) > 0.5
        ]

    def to_cpsat(self, hint: dict[int, int] | None = None) -> cp_model.CpModel:
        """The model as CP-SAT's proto, filled in bulk (variable i is proto variable i).

        Written to the proto directly: through the modelling API, 85,000 variables took
        12 s of Python at 4× the département, more than the whole time limit.
        """
        model = cp_model.CpModel()
        proto = model.proto
        for lo, hi in zip(self.lower, self.upper, strict=True):
            proto.variables.add().domain.extend([lo, hi])
        big = cp_model.INT_MAX
        for indexes, coefs, lo, hi in self.rows:
            linear = proto.constraints.add().linear
            linear.vars.extend(indexes)
            linear.coeffs.extend(coefs)
            linear.domain.extend(
                [-big if lo == -math.inf else int(lo), big if hi == math.inf else int(hi)]
            )
        items = sorted(self.cost.items())
        proto.objective.vars.extend([i for i, _ in items])
        proto.objective.coeffs.extend([c for _, c in items])
        if hint:
            proto.solution_hint.vars.extend(list(hint))
            proto.solution_hint.values.extend(list(hint.values()))
        return model
