"""The weekly planner: which adviser holds which permanence, solved with OR-Tools CP-SAT.

Pure core (no database): :class:`PlanningProblem` in, :class:`PlanResult` out. The Django
side (:mod:`relais.planning.planner_db`) builds the problem from the commitments, places and
team, and turns a result into slots.

Rules, in the planner's own words:

- **Half-day windows.** A week is cut into half-day windows: morning 09:00–12:30 and
  afternoon 13:30–17:00 (3 h 30 each, the agreements' default half-day). A place's window
  is *usable* when its OpenStreetMap opening hours keep it open for at least 3 h of the
  window (the shortest permanence that counts as a half-day, see
  :mod:`relais.planning.coverage`). Opening hours are read on the dates of the planned week.
  A place without opening hours is assumed open Monday to Friday.
- **Outside opening hours.** Some places ask for more half-days than they are open (the
  seed's Catllar: one day a week, open 3 h only on Wednesday afternoon). By default such a
  commitment cannot be met and is explained; with ``outside_hours`` the planner may also use
  the place's other weekday windows (the partner opens the room for the permanence), each
  one costing more than any travel, so they are used only when unavoidable.
- **Demand.** Half-days per week per place: a day is two half-days; fortnightly and monthly
  commitments are rounded *up* to whole weekly half-days (a fortnightly half-day reserves a
  weekly window; the coordinator may then make the slot fortnightly). Never more than one
  adviser in a place's window: a second adviser at the same time gives the public no extra
  half-day of permanence.
- **Advisers.** One place per window at most, only on working days and outside leave, and
  at most ``capacity`` half-days a week: ``floor(weekly hours / 3.5)`` capped at two per
  working day (35 h → 10, 28 h over 4 days → 8). Travel is not deducted: the 3 h 30 window
  holds a permanence of at least 3 h plus the drive, and the planning checks warn when a
  week's permanences plus travel exceed the working time.
- **Travel.** ``travel[(advisor, place)]`` is the one-way drive from the adviser's home
  commune (résidence administrative) to the place, from :mod:`relais.planning.travel`
  (matrix CSV when provided, else haversine × road factor 1.4 at 50 km/h). Each worked
  half-day costs a round trip from home. This is an upper bound of the real drive (a day
  at one place, lunch on site, drives one round trip; a day at two places drives home →
  A → B → home, no more than two round trips by the triangle inequality) that keeps the
  model small and its LP relaxation tight: counting one round trip per day needs a
  « visit » variable per (adviser, place, day) whose relaxation made the bound useless on
  the département-scale benchmark. Places further than ``max_travel_minutes`` one way
  from an adviser's home are not offered to them.
- **Objective, lexicographic, in two solves.** First solve: least travel (plus, before
  travel, the windows used outside opening hours when allowed). Second solve, with the
  first solve's travel fixed as an upper bound and its solution as a hint: continuity then
  balance, as ``continuity × (max capacity + 1) + (max load − min load)`` where continuity
  counts each (adviser, place) pair used, twice when the pair is not in the current
  planning: so the same adviser keeps the same place week after week and a place sees
  few different faces. The reported bound and gap are the first solve's, on travel. The
  first solve is hinted with a min-cost flow (with one round trip per half-day it is a
  transportation problem, see :func:`_flow_assignments`): CP-SAT starts from the optimum
  and proves it; CP-SAT proper is needed for the second solve, whose objective is not a
  flow.
- **Infeasibility.** Cheap necessary checks run first (a place open fewer half-days than
  committed, out of every adviser's reach, team capacity below the commitments). When one
  fails, or the solver proves the model infeasible, a second model with one slack variable
  per place finds the plan meeting the most commitments, and each place still short is
  explained in French.
"""

from __future__ import annotations

import math
import time as clock
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from ortools.sat.python import cp_model

MORNING, AFTERNOON = "am", "pm"
HALVES = (MORNING, AFTERNOON)
HALF_LABELS = {MORNING: "matin", AFTERNOON: "après-midi"}
DAY_LABELS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WINDOWS = {
    MORNING: (dtime(9, 0), dtime(12, 30)),
    AFTERNOON: (dtime(13, 30), dtime(17, 0)),
}
MIN_OPEN_MINUTES = 180
HALF_DAY_HOURS = 3.5
WEEKDAYS_OPEN_BY_DEFAULT = range(5)
MAX_TRAVEL_MINUTES = 120
NUM_WORKERS = 2
SUBSOLVERS = ("max_lp", "quick_restart")
SECOND_SOLVE_SHARE = 0.3  # of the time limit, for continuity and balance

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "optimal", "feasible", "infeasible", "unknown"
STATUS_LABELS = {
    OPTIMAL: "optimal",
    FEASIBLE: "réalisable (optimalité non prouvée dans le temps imparti)",
    INFEASIBLE: "impossible : des engagements ne peuvent pas être tenus",
    UNKNOWN: "aucune solution trouvée dans le temps imparti",
}

Window = tuple[int, str]  # (weekday 0 = Monday, half)


def window_label(window: Window) -> str:
    return f"{DAY_LABELS[window[0]]} {HALF_LABELS[window[1]]}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("s" if abs(count) > 1 else "")


def half_days_text(count: int) -> str:
    return f"{count} demi-journée" + ("s" if count > 1 else "")


def capacity_for(weekly_hours: float, working_days: int) -> int:
    """Half-days a week an adviser can hold (rule in the module docstring)."""
    return min(math.floor(float(weekly_hours) / HALF_DAY_HOURS + 1e-9), 2 * working_days)


def windows_from_opening_hours(expression: str, week_start: date) -> frozenset[Window] | None:
    """Usable windows of a place for the week starting ``week_start``; None if unknown.

    ``None`` for an empty or unreadable expression: the caller then assumes Monday–Friday.
    """
    from opening_hours import OpeningHours, State

    if not (expression or "").strip():
        return None
    try:
        hours = OpeningHours(expression)
    except Exception:  # the place form refuses invalid expressions; never crash here
        return None
    usable = set()
    for day in range(7):
        on = week_start + timedelta(days=day)
        for half, (start, end) in WINDOWS.items():
            open_minutes = 0.0
            for begin, finish, state, _ in hours.intervals(
                datetime.combine(on, start), datetime.combine(on, end)
            ):
                if state == State.OPEN:
                    open_minutes += (finish - begin).total_seconds() / 60
            if open_minutes >= MIN_OPEN_MINUTES:
                usable.add((day, half))
    return frozenset(usable)


def default_windows() -> frozenset[Window]:
    return frozenset((d, h) for d in WEEKDAYS_OPEN_BY_DEFAULT for h in HALVES)


# --- Problem and result -------------------------------------------------------------------


@dataclass(frozen=True)
class PlannerPlace:
    id: int
    name: str
    demand: int
    windows: frozenset[Window]
    commitments: tuple[str, ...] = ()
    hours_known: bool = True

    @property
    def extra_windows(self) -> frozenset[Window]:
        """Weekday windows outside the opening hours (used only with ``outside_hours``)."""
        return default_windows() - self.windows


@dataclass(frozen=True)
class PlannerAdvisor:
    id: int
    name: str
    home: str
    days: frozenset[int]
    capacity: int
    unavailable: frozenset[Window] = frozenset()

    def available(self, window: Window) -> bool:
        return window[0] in self.days and window not in self.unavailable


@dataclass(frozen=True)
class Pin:
    advisor_id: int
    place_id: int
    weekday: int
    half: str

    @property
    def window(self) -> Window:
        return (self.weekday, self.half)


@dataclass
class PlanningProblem:
    places: list[PlannerPlace]
    advisors: list[PlannerAdvisor]
    travel: dict[tuple[int, int], int]  # (advisor id, place id) → one-way minutes
    pins: list[Pin] = field(default_factory=list)
    previous: frozenset[tuple[int, int]] = frozenset()  # (advisor id, place id) pairs
    week_start: date | None = None
    max_travel_minutes: int = MAX_TRAVEL_MINUTES
    outside_hours: bool = False

    @property
    def total_demand(self) -> int:
        return sum(p.demand for p in self.places)

    @property
    def total_capacity(self) -> int:
        return sum(a.capacity for a in self.advisors)

    def reachable(self, advisor: PlannerAdvisor, place: PlannerPlace) -> bool:
        minutes = self.travel.get((advisor.id, place.id))
        return minutes is not None and minutes <= self.max_travel_minutes

    def place_windows(self, place: PlannerPlace) -> frozenset[Window]:
        if self.outside_hours:
            return place.windows | place.extra_windows
        return place.windows


@dataclass(frozen=True)
class Assignment:
    advisor_id: int
    place_id: int
    weekday: int
    half: str
    outside_hours: bool = False

    @property
    def window(self) -> Window:
        return (self.weekday, self.half)


@dataclass
class PlanResult:
    status: str
    assignments: list[Assignment] = field(default_factory=list)
    travel_minutes: int = 0
    objective: float | None = None  # first solve's objective (travel, with outside-hours cost)
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    loads: dict[int, int] = field(default_factory=dict)
    explanations: list[str] = field(default_factory=list)
    shortfalls: dict[int, int] = field(default_factory=dict)  # place id → half-days missing

    @property
    def is_plan(self) -> bool:
        return self.status in (OPTIMAL, FEASIBLE)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def outside_hours_count(self) -> int:
        return sum(a.outside_hours for a in self.assignments)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["loads"] = {str(k): v for k, v in self.loads.items()}
        data["shortfalls"] = {str(k): v for k, v in self.shortfalls.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PlanResult:
        data = dict(data)
        data["assignments"] = [Assignment(**a) for a in data.get("assignments", [])]
        data["loads"] = {int(k): v for k, v in data.get("loads", {}).items()}
        data["shortfalls"] = {int(k): v for k, v in data.get("shortfalls", {}).items()}
        return cls(**data)


@dataclass(frozen=True)
class Progress:
    """One step of a solve, for a progress display."""

    message: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0


ProgressCallback = Callable[[Progress], None]


# --- Travel of a plan ----------------------------------------------------------------------


def plan_travel(problem: PlanningProblem, assignments) -> int:
    """Minutes driven per week: a round trip from home per half-day held."""
    return sum(2 * problem.travel.get((a.advisor_id, a.place_id), 0) for a in assignments)


def _loads(problem: PlanningProblem, assignments) -> dict[int, int]:
    loads = {a.id: 0 for a in problem.advisors}
    for a in assignments:
        loads[a.advisor_id] = loads.get(a.advisor_id, 0) + 1
    return loads


# --- Necessary checks -----------------------------------------------------------------------


def _commitment_text(place: PlannerPlace) -> str:
    return f" ({', '.join(place.commitments)})" if place.commitments else ""


def _windows_text(windows) -> str:
    return ", ".join(window_label(w) for w in sorted(windows, key=lambda w: (w[0], w[1])))


def precheck(problem: PlanningProblem) -> tuple[list[str], dict[int, tuple[int, str]]]:
    """Necessary conditions, cheap: (team-level messages, {place id: (max possible, why)})."""
    team, places = [], {}
    if problem.total_demand > problem.total_capacity:
        team.append(
            f"Les engagements demandent {half_days_text(problem.total_demand)} par semaine, "
            f"l'équipe disponible n'en assure que {problem.total_capacity} au plus "
            f"({_plural(len(problem.advisors), 'conseiller')})."
        )
    for place in problem.places:
        if place.demand <= 0:
            continue
        windows = problem.place_windows(place)
        if len(windows) < place.demand:
            if not windows:
                why = "le lieu n'est ouvert au moins 3 h sur aucune demi-journée de la semaine"
            else:
                why = (
                    f"le lieu n'est ouvert au moins 3 h que {half_days_text(len(windows))} "
                    f"par semaine ({_windows_text(windows)})"
                )
            places[place.id] = (len(windows), why)
            continue
        reachable = [a for a in problem.advisors if problem.reachable(a, place)]
        if not reachable:
            places[place.id] = (
                0,
                f"aucun conseiller n'habite à moins de {problem.max_travel_minutes} min de trajet",
            )
            continue
        staffed = {w for w in windows if any(a.available(w) for a in reachable)}
        if len(staffed) < place.demand:
            places[place.id] = (
                len(staffed),
                f"sur ses demi-journées d'ouverture, seules {len(staffed)} trouvent un "
                f"conseiller à moins de {problem.max_travel_minutes} min qui travaille ce "
                "jour-là et n'est pas absent",
            )
    return team, places


# --- CP-SAT model ---------------------------------------------------------------------------


class _Model:
    """Variables and constraints shared by the plain and the slack models."""

    def __init__(self, problem: PlanningProblem, *, with_slack: bool, pins: list[Pin]):
        self.problem = problem
        self.model = cp_model.CpModel()
        m = self.model
        self.x: dict[tuple[int, int, int, str], cp_model.IntVar] = {}
        self.outside: set[tuple[int, int, int, str]] = set()
        self.cost: dict[tuple[int, int, int, str], int] = {}
        pinned = {(p.advisor_id, p.place_id, p.weekday, p.half) for p in pins}
        for place in problem.places:
            if place.demand <= 0:
                continue
            windows = problem.place_windows(place)
            for advisor in problem.advisors:
                if advisor.capacity <= 0:
                    continue
                reachable = problem.reachable(advisor, place)
                for window in windows:
                    key = (advisor.id, place.id, *window)
                    if not advisor.available(window) or not (reachable or key in pinned):
                        continue
                    self.x[key] = m.new_bool_var(f"x_{key}")
                    self.cost[key] = 2 * problem.travel.get((advisor.id, place.id), 0)
                    if window not in place.windows:
                        self.outside.add(key)
        by_place, by_place_window = defaultdict(list), defaultdict(list)
        by_advisor_window, by_advisor = defaultdict(list), defaultdict(list)
        for key, var in self.x.items():
            a, p, d, h = key
            by_place[p].append(var)
            by_place_window[(p, d, h)].append(var)
            by_advisor_window[(a, d, h)].append(var)
            by_advisor[a].append(var)
        self.slack = {}
        for place in problem.places:
            if place.demand <= 0:
                continue
            if with_slack:
                self.slack[place.id] = m.new_int_var(0, place.demand, f"slack_{place.id}")
                m.add(sum(by_place[place.id]) + self.slack[place.id] == place.demand)
            else:
                m.add(sum(by_place[place.id]) == place.demand)
        for group in (by_place_window, by_advisor_window):
            for variables in group.values():
                if len(variables) > 1:
                    m.add_at_most_one(variables)
        advisors = {a.id: a for a in problem.advisors}
        for advisor_id, variables in by_advisor.items():
            if len(variables) > advisors[advisor_id].capacity:
                m.add(sum(variables) <= advisors[advisor_id].capacity)
        for key in pinned:
            if key in self.x:
                m.add(self.x[key] == 1)
        self.by_advisor = by_advisor
        self.travel_expr = sum(c * self.x[k] for k, c in self.cost.items() if c)
        max_cost = max(self.cost.values(), default=0)
        # Weights making each level dominate the next (lexicographic by weighted sum).
        self.outside_weight = max_cost * problem.total_demand + 1
        outside_count = sum(self.x[k] for k in self.outside)
        self.first_objective = self.travel_expr + self.outside_weight * outside_count
        if with_slack:
            slack_weight = self.outside_weight * (problem.total_demand + 1)
            self.first_objective += slack_weight * sum(self.slack.values())

    def assignments(self, value) -> list[Assignment]:
        return [
            Assignment(a, p, d, h, outside_hours=(a, p, d, h) in self.outside)
            for (a, p, d, h), var in self.x.items()
            if value(var)
        ]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressCallback | None, stage: str, started: float):
        super().__init__()
        self.progress, self.stage, self.started = progress, stage, started

    def on_solution_callback(self) -> None:
        if self.progress is None:
            return
        objective, bound = self.objective_value, self.best_objective_bound
        gap = (objective - bound) / objective * 100 if objective else 0.0
        self.progress(
            Progress(
                f"{self.stage} : solution à {objective:.0f} (borne {bound:.0f}, écart {gap:.1f} %)",
                objective,
                bound,
                clock.perf_counter() - self.started,
            )
        )


def _solver(time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = NUM_WORKERS
    # With two workers, CP-SAT's default pair left the département-scale bound at 1–5 %
    # after 10 s; the full LP relaxation plus restarts from the greedy hint proves the
    # optimum in about 2.5 s (see docs/performance.md).
    solver.parameters.subsolvers.extend(SUBSOLVERS)
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.random_seed = 0
    return solver


def _check_pins(problem: PlanningProblem) -> tuple[list[Pin], list[str]]:
    """Pins that can be kept, and a French message for each one dropped."""
    places = {p.id: p for p in problem.places}
    advisors = {a.id: a for a in problem.advisors}
    kept, messages, taken, per_place = [], [], set(), defaultdict(int)
    for pin in problem.pins:
        place, advisor = places.get(pin.place_id), advisors.get(pin.advisor_id)
        if place is None or advisor is None:
            messages.append("Un choix imposé porte sur un lieu ou un conseiller hors du calcul.")
            continue
        what = f"{advisor.name} à {place.name} le {window_label(pin.window)}"
        if not advisor.available(pin.window):
            why = "ne travaille pas ou est absent·e ce jour-là"
        elif pin.window not in problem.place_windows(place):
            why = "le lieu n'est pas ouvert au moins 3 h sur cette demi-journée"
        elif (pin.advisor_id, *pin.window) in taken or (pin.place_id, *pin.window) in taken:
            why = "un autre choix imposé occupe déjà ce créneau"
        elif per_place[pin.place_id] >= place.demand:
            why = "le lieu a déjà toutes ses demi-journées engagées"
        else:
            kept.append(pin)
            taken.add((pin.advisor_id, *pin.window))
            taken.add((pin.place_id, *pin.window))
            per_place[pin.place_id] += 1
            continue
        messages.append(f"Choix imposé ignoré : {what} ({why}).")
    return kept, messages


def solve(
    problem: PlanningProblem,
    time_limit_s: float = 10.0,
    progress: ProgressCallback | None = None,
) -> PlanResult:
    """Plan the week (rules in the module docstring)."""
    started = clock.perf_counter()

    def tell(message: str) -> None:
        if progress:
            progress(Progress(message, seconds=clock.perf_counter() - started))

    pins, pin_messages = _check_pins(problem)
    team_problems, place_problems = precheck(problem)
    if team_problems or place_problems:
        tell("Des engagements ne peuvent pas être tenus : recherche du meilleur planning partiel.")
        result = _solve_with_slack(problem, pins, time_limit_s, progress, started)
        result.explanations = pin_messages + team_problems + result.explanations
        _explain_shortfalls(problem, result, place_problems)
        return result

    tell(f"Modèle : {len(problem.places)} lieux, {len(problem.advisors)} conseillers.")
    built = _Model(problem, with_slack=False, pins=pins)
    model = built.model
    model.minimize(built.first_objective)
    _hint(built, _flow_assignments(built, pins))
    first_limit = time_limit_s * (1 - SECOND_SOLVE_SHARE)
    solver = _solver(first_limit)
    status = solver.solve(model, _Reporter(progress, "Trajets", started))
    if status == cp_model.INFEASIBLE:
        tell("Aucun planning ne tient tous les engagements : recherche du meilleur partiel.")
        result = _solve_with_slack(problem, pins, time_limit_s, progress, started)
        result.explanations = pin_messages + result.explanations
        _explain_shortfalls(problem, result, {})
        return result
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PlanResult(
            UNKNOWN,
            seconds=clock.perf_counter() - started,
            explanations=[
                *pin_messages,
                "Aucune solution trouvée dans le temps imparti : augmentez la durée de calcul.",
            ],
        )
    objective, bound = solver.objective_value, solver.best_objective_bound
    assignments = built.assignments(solver.boolean_value)
    first_status = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE

    # Second solve: continuity then balance, travel held at the first solve's value.
    remaining = time_limit_s - (clock.perf_counter() - started)
    if remaining > 0.2:
        tell("Trajets minimaux trouvés : mêmes conseillers aux mêmes lieux, charges équilibrées.")
        model.clear_objective()
        model.add(built.first_objective <= round(objective))
        model.clear_hints()
        _hint(built, assignments)
        secondary = _secondary_objective(built)
        model.minimize(secondary)
        second = _solver(min(remaining, time_limit_s * SECOND_SOLVE_SHARE))
        if second.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            assignments = built.assignments(second.boolean_value)
    travel = plan_travel(problem, assignments)
    return PlanResult(
        first_status,
        assignments=sorted(assignments, key=lambda a: (a.place_id, a.weekday, a.half)),
        travel_minutes=travel,
        objective=objective,
        bound=bound,
        gap=_gap(objective, bound),
        seconds=clock.perf_counter() - started,
        loads=_loads(problem, assignments),
        explanations=pin_messages + _outside_hours_notes(problem, assignments),
    )


def _gap(objective: float, bound: float) -> float:
    return max(0.0, (objective - bound) / objective) if objective else 0.0


def _hint(built: _Model, assignments: list[Assignment]) -> None:
    chosen = {(a.advisor_id, a.place_id, a.weekday, a.half) for a in assignments}
    for key, var in built.x.items():
        built.model.add_hint(var, key in chosen)


def _flow_assignments(built: _Model, pins: list[Pin]) -> list[Assignment]:
    """The first solve's optimum as a min-cost flow, to hint CP-SAT.

    With a round trip per half-day, the first objective is a transportation problem: source
    → place (its demand) → place's window (1) → adviser's same window (1, the cost) →
    adviser (their capacity) → sink. Its LP is integral, so the flow is optimal for the
    first solve; CP-SAT starts from it and only has to prove it (and a maximum flow at least
    cost is also the best partial plan when the slack model runs). Pins are pre-assigned.
    """
    from ortools.graph.python import min_cost_flow

    problem = built.problem
    pinned = {(p.advisor_id, p.place_id, p.weekday, p.half) for p in pins}
    taken_place = {(p, d, h) for (_a, p, d, h) in pinned}
    taken_advisor = {(a, d, h) for (a, _p, d, h) in pinned}
    demand, capacity = defaultdict(int), {a.id: a.capacity for a in problem.advisors}
    for place in problem.places:
        demand[place.id] = place.demand
    for a, p, _d, _h in pinned:
        demand[p] -= 1
        capacity[a] -= 1
    nodes: dict = {}

    def node(key) -> int:
        return nodes.setdefault(key, len(nodes))

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = node("source"), node("sink")
    arcs = {}
    for key, cost in built.cost.items():
        a, p, d, h = key
        if key in pinned or (p, d, h) in taken_place or (a, d, h) in taken_advisor:
            continue
        extra = built.outside_weight if key in built.outside else 0
        arcs[key] = flow.add_arc_with_capacity_and_unit_cost(
            node(("pw", p, d, h)), node(("aw", a, d, h)), 1, cost + extra
        )
    for key in list(nodes):
        if key[0] == "pw":
            flow.add_arc_with_capacity_and_unit_cost(node(("p", key[1])), nodes[key], 1, 0)
        elif key[0] == "aw":
            flow.add_arc_with_capacity_and_unit_cost(nodes[key], node(("a", key[1])), 1, 0)
    for key in list(nodes):
        if key[0] == "p" and demand[key[1]] > 0:
            flow.add_arc_with_capacity_and_unit_cost(source, nodes[key], demand[key[1]], 0)
        elif key[0] == "a" and capacity.get(key[1], 0) > 0:
            flow.add_arc_with_capacity_and_unit_cost(nodes[key], sink, capacity[key[1]], 0)
    total = sum(max(0, v) for v in demand.values())
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    chosen = [Assignment(*key, outside_hours=key in built.outside) for key in pinned]
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return greedy_assignments(problem, pins)
    chosen += [
        Assignment(*key, outside_hours=key in built.outside)
        for key, arc in arcs.items()
        if flow.flow(arc)
    ]
    return chosen


def _secondary_objective(built: _Model):
    m, problem = built.model, built.problem
    pairs = defaultdict(list)
    for (a, p, _d, _h), var in built.x.items():
        pairs[(a, p)].append(var)
    continuity = []
    for (a, p), variables in pairs.items():
        used = m.new_bool_var(f"u_{a}_{p}")
        for var in variables:
            m.add_implication(var, used)
        continuity.append((1 if (a, p) in problem.previous else 2) * used)
    top = max((a.capacity for a in problem.advisors), default=0)
    loads = [sum(v) for a, v in built.by_advisor.items()]
    if not loads:
        return sum(continuity)
    high, low = m.new_int_var(0, top, "max_load"), m.new_int_var(0, top, "min_load")
    for load in loads:
        m.add(high >= load)
        m.add(low <= load)
    return (top + 1) * sum(continuity) + (high - low)


def _solve_with_slack(problem, pins, time_limit_s, progress, started) -> PlanResult:
    built = _Model(problem, with_slack=True, pins=pins)
    built.model.minimize(built.first_objective)
    _hint(built, _flow_assignments(built, pins))
    remaining = max(0.5, time_limit_s - (clock.perf_counter() - started))
    solver = _solver(remaining)
    status = solver.solve(built.model, _Reporter(progress, "Planning partiel", started))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PlanResult(INFEASIBLE, seconds=clock.perf_counter() - started)
    assignments = built.assignments(solver.boolean_value)
    shortfalls = {
        place_id: solver.value(var) for place_id, var in built.slack.items() if solver.value(var)
    }
    return PlanResult(
        INFEASIBLE,
        assignments=sorted(assignments, key=lambda a: (a.place_id, a.weekday, a.half)),
        travel_minutes=plan_travel(problem, assignments),
        seconds=clock.perf_counter() - started,
        loads=_loads(problem, assignments),
        shortfalls=shortfalls,
    )


def _explain_shortfalls(problem, result: PlanResult, place_problems: dict) -> None:
    places = {p.id: p for p in problem.places}
    reasons = dict(place_problems)
    for place_id in sorted(set(result.shortfalls) | set(reasons), key=lambda i: places[i].name):
        place = places[place_id]
        possible, why = reasons.get(place_id, (None, None))
        missing = result.shortfalls.get(place_id, 0)
        met = place.demand - missing
        if why is None:
            why = (
                "les conseillers qui peuvent s'y rendre sont déjà occupés ailleurs ou "
                "absents sur ses demi-journées d'ouverture"
            )
        count = min(met, possible) if possible is not None else met
        result.explanations.append(
            f"{place.name}{_commitment_text(place)} : {half_days_text(place.demand)} "
            f"engagée{'s' if place.demand > 1 else ''}, {count} au plus "
            f"possible{'s' if count > 1 else ''} car {why}."
        )
    if not result.assignments and not result.explanations:
        result.explanations.append("Aucun planning possible avec ces données.")


def _outside_hours_notes(problem, assignments) -> list[str]:
    places = {p.id: p for p in problem.places}
    outside = defaultdict(list)
    for a in assignments:
        if a.outside_hours:
            outside[a.place_id].append(a.window)
    return [
        f"{places[pid].name} : {half_days_text(len(ws))} hors des horaires d'ouverture "
        f"({_windows_text(ws)}), le lieu n'étant pas ouvert assez longtemps ; à convenir avec "
        "la structure."
        for pid, ws in sorted(outside.items(), key=lambda i: places[i[0]].name)
    ]


# --- Greedy baseline ------------------------------------------------------------------------


def greedy_assignments(problem: PlanningProblem, pins: list[Pin] | None = None) -> list:
    """Each demanded half-day, place by place, to the nearest adviser still free then.

    The baseline of the benchmark and the first solve's hint. Places are taken in the
    problem's order; within a place, the window and adviser with the least travel win (ties:
    the lighter load). May leave half-days unassigned.
    """
    load, busy, used = defaultdict(int), set(), set()
    chosen = []
    for pin in pins or []:
        chosen.append(Assignment(pin.advisor_id, pin.place_id, pin.weekday, pin.half))
        load[pin.advisor_id] += 1
        busy.add((pin.advisor_id, *pin.window))
        used.add((pin.place_id, *pin.window))
    placed = defaultdict(int)
    for a in chosen:
        placed[a.place_id] += 1
    for place in problem.places:
        for _ in range(place.demand - placed[place.id]):
            best = None
            for window in sorted(problem.place_windows(place)):
                if (place.id, *window) in used:
                    continue
                for advisor in problem.advisors:
                    if (
                        load[advisor.id] >= advisor.capacity
                        or (advisor.id, *window) in busy
                        or not advisor.available(window)
                        or not problem.reachable(advisor, place)
                    ):
                        continue
                    score = (
                        window not in place.windows,
                        problem.travel[(advisor.id, place.id)],
                        load[advisor.id],
                    )
                    if best is None or score < best[0]:
                        best = (score, advisor, window)
            if best is None:
                break
            _, advisor, window = best
            chosen.append(
                Assignment(advisor.id, place.id, *window, outside_hours=window not in place.windows)
            )
            load[advisor.id] += 1
            busy.add((advisor.id, *window))
            used.add((place.id, *window))
    return chosen


def greedy(problem: PlanningProblem) -> PlanResult:
    started = clock.perf_counter()
    assignments = greedy_assignments(problem)
    placed = defaultdict(int)
    for a in assignments:
        placed[a.place_id] += 1
    shortfalls = {p.id: p.demand - placed[p.id] for p in problem.places if placed[p.id] < p.demand}
    return PlanResult(
        FEASIBLE if not shortfalls else INFEASIBLE,
        assignments=assignments,
        travel_minutes=plan_travel(problem, assignments),
        seconds=clock.perf_counter() - started,
        loads=_loads(problem, assignments),
        shortfalls=shortfalls,
    )
