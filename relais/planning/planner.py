"""The weekly planner: which adviser holds which permanence, on real working days.

Pure core (no database): :class:`PlanningProblem` in, :class:`PlanResult` out. The Django
side (:mod:`relais.planning.planner_db`) builds the problem from the commitments, places and
team, and turns a result into slots.

Rules, in the planner's own words:

- **Half-day windows.** A week is cut into half-day windows: morning 09:00–12:30 and
  afternoon 13:30–17:00 (3 h 30 each, the agreements' default half-day). A place's window
  is *usable* when its OpenStreetMap opening hours keep it open for at least 3 h of the
  window. A place without opening hours is assumed open Monday to Friday. With
  ``outside_hours`` the planner may also use the place's other weekday windows, each one
  costing more than any travel, so they are used only when unavoidable.
- **Demand.** Half-days per week per place; ``full_days`` of them come as whole days
  (commitments counted in « journées »): the same adviser holds the morning and the
  afternoon of the same day, unless the coordinator allows splitting (``split_days``).
  Never more than one adviser in a place's window.
- **A day is a tour.** An adviser's day goes from home (résidence administrative or base)
  to the morning place, then to the afternoon place, then home: its driving is
  ``t(home, A) + t(A, B) + t(B, home)`` (one round trip when only one half-day is worked,
  lunch on site when A = B). ``place_travel`` gives the place-to-place times; without it a
  change of place at midday is costed through home (an upper bound).
- **Working time includes travel.** A worked half-day counts the half-day of the place's
  agreement (``PlannerPlace.half_day_minutes``, Art. 1.2, read through
  :mod:`relais.agreements.half_days`; else ``PlanningProblem.half_day_minutes``, by default
  the agreements' default half-day) and the day's driving counts too: per day at most
  ``max_day_minutes`` (10 h, the legal daily maximum), per week at most the adviser's
  contracted minutes (``weekly_minutes``).
  Only advisers under contract that week are in the problem (the database side filters).
- **Midday break.** Between the morning window (ends 12:30) and the afternoon one (starts
  13:30) there is an hour, and a permanence of 3 h may start up to 30 min into its window:
  the drive between the two places plus ``min_break_minutes`` (default 45) must fit in
  those 90 minutes, so by default a midday drive is at most 45 minutes.
- **Objective** (one weighted sum, so one bound and one gap): minutes driven (real tours),
  plus ``continuity_weight`` per half-day given to an adviser who did not hold that place in
  the current planning (when there is one), plus ``balance_weight`` per half-day of
  deviation between an adviser's load and their share of the week in proportion to their
  contracted hours; windows outside opening hours and unmet commitments cost more than any
  of these. Optional hard cap on the number of different places per adviser.
- **Never empty-handed.** Every commitment has a (heavily penalised) slack, so the model
  always has a solution: a constructive heuristic plus local search gives one at once, a
  large neighbourhood search with CP-SAT improves the best of it and the current planning
  (when valid), and the best plan found is returned with the proven bound and the gap when
  one was proven (CP-SAT on the whole model, on small models). A plan with unmet
  commitments is returned as partial, each place short explained in French.
- **Size.** Each adviser is offered the ``max_candidates`` nearest places (and every place
  its ``min_advisors`` nearest advisers, the pins and the current planning's pairs): the
  result says so when this restriction applied.
"""

from __future__ import annotations

import math
import multiprocessing
import random
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
MIDDAY_GAP_MINUTES = 60  # 12:30 → 13:30
WINDOW_SLACK_MINUTES = 30  # a 3 h permanence may start 30 min into its 3 h 30 window
MIN_BREAK_MINUTES = 45
MAX_DAY_MINUTES = 600  # 10 h: the legal daily maximum
WEEKDAYS_OPEN_BY_DEFAULT = range(5)
MAX_TRAVEL_MINUTES = 120
MAX_CANDIDATES = 24
MIN_ADVISORS = 6
NUM_WORKERS = 2
SUBSOLVERS = ("max_lp", "quick_restart")
LNS_STEP_S = 0.3  # a neighbourhood's time limit: most are proven optimal well within it
CONTINUITY_WEIGHT = 10
SEARCH_TEMPERATURE = 0.5  # minutes: the local search's starting annealing temperature
BALANCE_WEIGHT = 5

OPTIMAL, FEASIBLE, PARTIAL, INFEASIBLE, UNKNOWN = (
    "optimal",
    "feasible",
    "partial",
    "infeasible",
    "unknown",
)
STATUS_LABELS = {
    OPTIMAL: "optimal",
    FEASIBLE: "réalisable (optimalité non prouvée dans le temps imparti)",
    PARTIAL: "partiel : des engagements ne sont pas tenus par le meilleur planning trouvé "
    "dans le temps imparti",
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


def default_half_day_minutes() -> int:
    """The agreements' default half-day (Art. 1.2): :mod:`relais.agreements.half_days`."""
    from relais.agreements.half_days import half_day_minutes

    return half_day_minutes()


def capacity_for(
    weekly_hours: float, working_days: int, half_day_minutes: int | None = None
) -> int:
    """Half-days a week an adviser can hold: whole half-days in the contract, two a day."""
    minutes = half_day_minutes or default_half_day_minutes()
    return min(math.floor(float(weekly_hours) * 60 / minutes + 1e-9), 2 * working_days)


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
    demand: int  # half-days a week, whole days included (two each)
    windows: frozenset[Window]
    commitments: tuple[str, ...] = ()
    hours_known: bool = True
    full_days: int = 0  # of the demand, whole days (same adviser, same day)
    half_day_minutes: int | None = None  # the agreement's half-day; None: the problem's

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
    capacity: int  # half-days a week at most
    unavailable: frozenset[Window] = frozenset()
    weekly_minutes: int | None = None  # contracted working time, travel included; None: no cap

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
class PlanningProblem:
    places: list[PlannerPlace]
    advisors: list[PlannerAdvisor]
    travel: dict[tuple[int, int], int]  # (advisor id, place id) → one-way minutes from home
    pins: list[Pin] = field(default_factory=list)
    previous: frozenset[tuple[int, int]] = frozenset()  # (advisor id, place id) pairs
    week_start: date | None = None
    max_travel_minutes: int = MAX_TRAVEL_MINUTES
    outside_hours: bool = False
    place_travel: dict[tuple[int, int], int] = field(default_factory=dict)  # place → place
    current: list[Assignment] = field(default_factory=list)  # the planning in force: hints
    half_day_minutes: int | None = None  # None: the agreements' default half-day
    min_break_minutes: int = MIN_BREAK_MINUTES
    max_day_minutes: int = MAX_DAY_MINUTES
    split_days: bool = False
    max_places_per_advisor: int | None = None
    continuity_weight: int = CONTINUITY_WEIGHT
    balance_weight: int = BALANCE_WEIGHT
    max_candidates: int | None = MAX_CANDIDATES
    min_advisors: int = MIN_ADVISORS
    travel_notes: dict[tuple, str] = field(default_factory=dict)  # leg → doubt, in French

    def __post_init__(self) -> None:
        if self.half_day_minutes is None:
            self.half_day_minutes = default_half_day_minutes()
        self._work = {p.id: p.half_day_minutes or self.half_day_minutes for p in self.places}

    def work(self, place_id: int | None) -> int:
        """Working minutes of a half-day held at the place (none: 0)."""
        if place_id is None:
            return 0
        return self._work.get(place_id, self.half_day_minutes)

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

    def between(self, advisor_id: int, a: int, b: int) -> int:
        """Drive from place ``a`` to place ``b`` (through home when the pair is unknown)."""
        if a == b:
            return 0
        found = self.place_travel.get((a, b))
        if found is None:
            found = self.place_travel.get((b, a))
        if found is None:
            found = self.travel.get((advisor_id, a), 0) + self.travel.get((advisor_id, b), 0)
        return found

    @property
    def max_midday_drive(self) -> int:
        return MIDDAY_GAP_MINUTES + WINDOW_SLACK_MINUTES - self.min_break_minutes

    def day_drive(self, advisor_id: int, morning: int | None, afternoon: int | None) -> int:
        """Minutes driven on a day: home → morning place → afternoon place → home."""
        t = self.travel
        if morning is None and afternoon is None:
            return 0
        if morning is None:
            return 2 * t.get((advisor_id, afternoon), 0)
        if afternoon is None:
            return 2 * t.get((advisor_id, morning), 0)
        return (
            t.get((advisor_id, morning), 0)
            + self.between(advisor_id, morning, afternoon)
            + t.get((advisor_id, afternoon), 0)
        )

    def day_allowed(self, advisor_id: int, morning: int | None, afternoon: int | None) -> bool:
        """Break and day length rules for a day of two half-days."""
        if morning is None or afternoon is None:
            return (
                self.work(morning)
                + self.work(afternoon)
                + self.day_drive(advisor_id, morning, afternoon)
                <= self.max_day_minutes
            )
        if self.between(advisor_id, morning, afternoon) > self.max_midday_drive:
            return False
        return (
            self.work(morning)
            + self.work(afternoon)
            + self.day_drive(advisor_id, morning, afternoon)
            <= self.max_day_minutes
        )


@dataclass
class PlanResult:
    status: str
    assignments: list[Assignment] = field(default_factory=list)
    travel_minutes: int = 0  # real driving of the tours, minutes a week
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    loads: dict[int, int] = field(default_factory=dict)
    explanations: list[str] = field(default_factory=list)
    shortfalls: dict[int, int] = field(default_factory=dict)  # place id → half-days missing
    source: str = ""  # which method found the plan returned
    relaxed: list[str] = field(default_factory=list)  # what was relaxed or restricted
    working_minutes: dict[int, int] = field(default_factory=dict)  # adviser → week, travel incl.

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
        for key in ("loads", "shortfalls", "working_minutes"):
            data[key] = {str(k): v for k, v in getattr(self, key).items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PlanResult:
        data = dict(data)
        data["assignments"] = [Assignment(**a) for a in data.get("assignments", [])]
        for key in ("loads", "shortfalls", "working_minutes"):
            data[key] = {int(k): v for k, v in data.get(key, {}).items()}
        return cls(**data)


@dataclass(frozen=True)
class Progress:
    """One step of a solve, for a progress display."""

    message: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0


ProgressCallback = Callable[[Progress], None]


# --- Evaluating a plan ----------------------------------------------------------------------


def _days(assignments) -> dict[tuple[int, int], dict[str, int]]:
    days: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for a in assignments:
        days[(a.advisor_id, a.weekday)][a.half] = a.place_id
    return days


def plan_travel(problem: PlanningProblem, assignments) -> int:
    """Minutes driven per week: each adviser's day is one tour from home and back."""
    return sum(
        problem.day_drive(advisor_id, halves.get(MORNING), halves.get(AFTERNOON))
        for (advisor_id, _d), halves in _days(assignments).items()
    )


def working_minutes(problem: PlanningProblem, assignments) -> dict[int, int]:
    """Per adviser, the week's working time: half-days held plus the tours' driving."""
    minutes = {a.id: 0 for a in problem.advisors}
    for (advisor_id, _d), halves in _days(assignments).items():
        minutes[advisor_id] = (
            minutes.get(advisor_id, 0)
            + sum(problem.work(p) for p in halves.values())
            + problem.day_drive(advisor_id, halves.get(MORNING), halves.get(AFTERNOON))
        )
    return minutes


def _loads(problem: PlanningProblem, assignments) -> dict[int, int]:
    loads = {a.id: 0 for a in problem.advisors}
    for a in assignments:
        loads[a.advisor_id] = loads.get(a.advisor_id, 0) + 1
    return loads


def _shares(problem: PlanningProblem) -> dict[int, float]:
    """Each adviser's fair share of the week's half-days, in proportion to contracted time."""
    weights = {
        a.id: float(a.weekly_minutes or a.capacity * problem.half_day_minutes)
        for a in problem.advisors
        if a.capacity > 0
    }
    total = sum(weights.values()) or 1.0
    return {i: problem.total_demand * w / total for i, w in weights.items()}


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


# --- The model, solver-neutral ----------------------------------------------------------------


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
            for advisor_id, share in _shares(problem).items():
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
        for (advisor_id, d), halves in _days(assignments).items():
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
        loads = _loads(problem, assignments)
        shares = _shares(problem)
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


# --- Heuristic: construction plus local search ------------------------------------------------


class _Search:
    """A plan held per adviser, with the model's objective computed adviser by adviser.

    Used to have a plan at once (never empty-handed), to hint CP-SAT, and as the benchmark's
    « greedy + local search » baseline. Moves: give a half-day (or a whole day) to another
    adviser or another window, swap two advisers' places in the same window, fill a half-day
    still unheld. Only moves keeping every hard rule are taken.
    """

    def __init__(self, model: WeekModel, pins: list[Pin], seed: int = 0):
        self.model = model
        self.problem = problem = model.problem
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible search, not a secret)
        self.advisors = {a.id: a for a in problem.advisors}
        self.places = {p.id: p for p in problem.places}
        self.options = defaultdict(list)  # place → [(advisor, window)]
        self.reach = defaultdict(set)  # adviser → places offered
        for a, p, d, h in model.x:
            self.options[p].append((a, (d, h)))
            self.reach[a].add(p)
        self.shares = {i: round(s) for i, s in _shares(problem).items()}
        self.outside_weight, self.short_weight, self.whole_weight = model.weights()
        self.continuity = problem.continuity_weight if problem.previous else 0
        self.plan: dict[int, dict[Window, int]] = {a.id: {} for a in problem.advisors}
        self.held: dict[tuple[int, int, str], int] = {}  # (place, d, h) → adviser
        self.pinned = {(p.advisor_id, p.weekday, p.half) for p in pins}
        self.cost = {a: self.adviser_cost(a, {}) for a in self.plan}
        self.count: dict[int, int] = defaultdict(int)
        self.whole: dict[int, int] = defaultdict(int)
        self.penalties = {p.id: 0.0 for p in problem.places}
        for p in problem.places:
            self.penalties[p.id] = self.penalty(p.id)
        for pin in pins:
            self.place(pin.advisor_id, pin.place_id, pin.window)

    # Costs
    def adviser_cost(self, a: int, slots: dict[Window, int]) -> float:
        problem, advisor = self.problem, self.advisors[a]
        if len(slots) > advisor.capacity:
            return math.inf
        cap = problem.max_places_per_advisor
        if cap and len(set(slots.values())) > cap:
            return math.inf
        total, work = 0, 0
        for d in {w[0] for w in slots}:
            m, n = slots.get((d, MORNING)), slots.get((d, AFTERNOON))
            if m is not None and n is not None and not problem.day_allowed(a, m, n):
                return math.inf
            drive = problem.day_drive(a, m, n)
            total += drive
            work += drive + problem.work(m) + problem.work(n)
        if advisor.weekly_minutes is not None and work > advisor.weekly_minutes:
            return math.inf
        for w, p in slots.items():
            if (a, p) not in problem.previous:
                total += self.continuity
            if w not in self.places[p].windows:
                total += self.outside_weight
        if problem.balance_weight and a in self.shares:
            total += problem.balance_weight * abs(len(slots) - self.shares[a])
        return total

    def penalty(self, p: int) -> float:
        place = self.places[p]
        total = self.short_weight * (place.demand - self.count[p])
        if place.full_days and not self.problem.split_days:
            total += self.whole_weight * max(0, place.full_days - self.whole[p])
        return total

    def total(self) -> float:
        return sum(self.cost.values()) + sum(self.penalties.values())

    def _other_half(self, a: int, p: int, w: Window) -> bool:
        other = (w[0], AFTERNOON if w[1] == MORNING else MORNING)
        return self.plan[a].get(other) == p

    # Changes
    def place(self, a: int, p: int, w: Window) -> None:
        self.plan[a][w] = p
        self.held[(p, *w)] = a
        self.count[p] += 1
        if self._other_half(a, p, w):
            self.whole[p] += 1
        self.cost[a] = self.adviser_cost(a, self.plan[a])
        self.penalties[p] = self.penalty(p)

    def remove(self, a: int, w: Window) -> int:
        p = self.plan[a].pop(w)
        del self.held[(p, *w)]
        self.count[p] -= 1
        if self._other_half(a, p, w):
            self.whole[p] -= 1
        self.cost[a] = self.adviser_cost(a, self.plan[a])
        self.penalties[p] = self.penalty(p)
        return p

    def added_cost(self, a: int, p: int, w: Window) -> float:
        if w in self.plan[a] or (p, *w) in self.held:
            return math.inf
        return self.adviser_cost(a, {**self.plan[a], w: p}) - self.cost[a]

    def assignments(self) -> list[Assignment]:
        return [
            Assignment(a, p, d, h, outside_hours=(d, h) not in self.places[p].windows)
            for a, slots in self.plan.items()
            for (d, h), p in slots.items()
        ]

    # Construction
    def construct(self) -> None:
        if not self.problem.split_days:
            for place in sorted(self.problem.places, key=lambda p: len(self.options[p.id])):
                for _ in range(place.full_days - self.whole[place.id]):
                    if place.demand - self.count[place.id] < 2:
                        break
                    best = None
                    for a, (d, h) in self.options[place.id]:
                        if h != MORNING or (a, place.id, d, AFTERNOON) not in self.model.x:
                            continue
                        both = {(d, MORNING): place.id, (d, AFTERNOON): place.id}
                        if any(w in self.plan[a] or (place.id, *w) in self.held for w in both):
                            continue
                        delta = self.adviser_cost(a, {**self.plan[a], **both}) - self.cost[a]
                        if delta < math.inf and (best is None or delta < best[0]):
                            best = (delta, a, d)
                    if best is None:
                        break
                    _delta, a, d = best
                    self.place(a, place.id, (d, MORNING))
                    self.place(a, place.id, (d, AFTERNOON))
        self.flow()
        order = sorted(self.problem.places, key=lambda p: (len(self.options[p.id]), p.id))
        for place in order:
            for _ in range(place.demand - self.count[place.id]):
                best = None
                for a, w in self.options[place.id]:
                    delta = self.added_cost(a, place.id, w)
                    if delta < math.inf and (best is None or delta < best[0]):
                        best = (delta, a, w)
                if best is None:
                    break
                self.place(best[1], place.id, best[2])

    def flow(self) -> None:
        """The remaining half-days as a min-cost flow, each costed a round trip from home.

        Place → window → adviser's window → adviser, the adviser's arc capped by the
        half-days their working time still holds at a round trip of average length. The
        flow is optimal for that simpler cost; the half-days it proposes are kept when they
        fit the real rules (tours, break, working time), the rest is left to :meth:`fill`.
        """
        from ortools.graph.python import min_cost_flow

        problem = self.problem
        flow = min_cost_flow.SimpleMinCostFlow()
        nodes: dict = {}

        def node(key) -> int:
            return nodes.setdefault(key, len(nodes))

        source, sink = node("source"), node("sink")
        arcs = {}
        for (a, p, d, h), index in self.model.x.items():
            if (p, d, h) in self.held or (d, h) in self.plan[a]:
                continue
            cost = self.model.cost.get(index, 0)
            arcs[(a, p, d, h)] = flow.add_arc_with_capacity_and_unit_cost(
                node(("pw", p, d, h)), node(("aw", a, d, h)), 1, cost
            )
        total = 0
        for key in list(nodes):
            if key[0] == "pw":
                flow.add_arc_with_capacity_and_unit_cost(node(("p", key[1])), nodes[key], 1, 0)
            elif key[0] == "aw":
                flow.add_arc_with_capacity_and_unit_cost(nodes[key], node(("a", key[1])), 1, 0)
        for key in list(nodes):
            if key[0] == "p":
                need = self.places[key[1]].demand - self.count[key[1]]
                if need > 0:
                    flow.add_arc_with_capacity_and_unit_cost(source, nodes[key], need, 0)
                    total += need
            elif key[0] == "a":
                advisor = self.advisors[key[1]]
                room = advisor.capacity - len(self.plan[key[1]])
                if advisor.weekly_minutes is not None:
                    trips = [problem.travel[(advisor.id, p)] for p in self.reach[advisor.id]]
                    average = 2 * sorted(trips)[len(trips) // 2] if trips else 0
                    used = self.adviser_minutes(advisor.id)
                    room = min(
                        room,
                        (advisor.weekly_minutes - used) // (problem.half_day_minutes + average),
                    )
                if room > 0:
                    flow.add_arc_with_capacity_and_unit_cost(nodes[key], sink, room, 0)
        flow.set_node_supply(source, total)
        flow.set_node_supply(sink, -total)
        if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
            return
        for (a, p, d, h), arc in arcs.items():
            if flow.flow(arc) and self.added_cost(a, p, (d, h)) < math.inf:
                self.place(a, p, (d, h))

    def adviser_minutes(self, a: int) -> int:
        slots, problem = self.plan[a], self.problem
        total = 0
        for d in {w[0] for w in slots}:
            m, n = slots.get((d, MORNING)), slots.get((d, AFTERNOON))
            total += problem.day_drive(a, m, n)
            total += problem.work(m) + problem.work(n)
        return total

    # Local search
    def improve(self, deadline: float, stop=lambda: False) -> None:
        held_list = lambda: [  # noqa: E731
            (a, w) for a, slots in self.plan.items() for w in slots if (a, *w) not in self.pinned
        ]
        current = self.total()
        best, best_plan = current, {a: dict(slots) for a, slots in self.plan.items()}
        started = clock.perf_counter()
        span = max(1e-3, deadline - started)
        temperature = SEARCH_TEMPERATURE
        moves = 0
        while True:
            moves += 1
            if moves % 64 == 0:
                now = clock.perf_counter()
                if now >= deadline or stop():
                    break
                # Simulated annealing: worse moves accepted less and less often.
                temperature = SEARCH_TEMPERATURE * (1 - (now - started) / span) + 0.05
            items = held_list()
            if not items:
                return
            kind = self.rng.random()
            a, w = self.rng.choice(items)
            p = self.plan[a][w]
            snapshot = {a: dict(self.plan[a])}
            if kind < 0.45:  # relocate one half-day
                b, w2 = self.rng.choice(self.options[p])
                if (b, w2) == (a, w) or (b, *w2) in self.pinned:
                    continue
                if w2 in self.plan[b] and not (b == a and w2 == w):
                    continue
                if (p, *w2) in self.held and w2 != w:
                    continue
                snapshot.setdefault(b, dict(self.plan[b]))
                self.remove(a, w)
                self.place(b, p, w2)
            elif kind < 0.8:  # swap with another adviser working the same window
                others = [
                    b
                    for b in self.plan
                    if b != a and w in self.plan[b] and (b, *w) not in self.pinned
                ]
                if not others:
                    continue
                b = self.rng.choice(others)
                q = self.plan[b][w]
                if (a, q, *w) not in self.model.x or (b, p, *w) not in self.model.x:
                    continue
                snapshot[b] = dict(self.plan[b])
                self.remove(a, w)
                self.remove(b, w)
                self.place(a, q, w)
                self.place(b, p, w)
            else:  # move the whole day of this adviser to another adviser
                d = w[0]
                day = {v: q for v, q in self.plan[a].items() if v[0] == d}
                if any((a, *v) in self.pinned for v in day):
                    continue
                b = self.rng.choice(list(self.plan))
                if b == a or any(v in self.plan[b] for v in day):
                    continue
                if any((b, q, *v) not in self.model.x for v, q in day.items()):
                    continue
                snapshot[b] = dict(self.plan[b])
                for v in day:
                    self.remove(a, v)
                for v, q in day.items():
                    self.place(b, q, v)
            new = self.total()
            if new <= current or (
                new < math.inf and self.rng.random() < math.exp((current - new) / temperature)
            ):
                current = new
                if new < best:
                    best = new
                    best_plan = {a: dict(slots) for a, slots in self.plan.items()}
                continue
            for b in snapshot:  # undo
                for v in list(self.plan[b]):
                    self.remove(b, v)
            for b, slots in snapshot.items():
                for v, q in slots.items():
                    self.place(b, q, v)
            if moves % 50 == 0:
                self.fill()
                current = self.total()
        self.restore(best_plan)

    def restore(self, plan: dict[int, dict[Window, int]]) -> None:
        for a in self.plan:
            for w in list(self.plan[a]):
                self.remove(a, w)
        for a, slots in plan.items():
            for w, p in slots.items():
                self.place(a, p, w)

    def fill(self) -> None:
        """Give still unheld half-days to whoever can take them at least cost."""
        for place in self.problem.places:
            for _ in range(place.demand - self.count[place.id]):
                best = None
                for a, w in self.options[place.id]:
                    delta = self.added_cost(a, place.id, w)
                    if delta < math.inf and (best is None or delta < best[0]):
                        best = (delta, a, w)
                if best is None:
                    break
                self.place(best[1], place.id, best[2])


def heuristic(
    problem: PlanningProblem, time_limit_s: float = 1.0, *, seed: int = 0, model=None
) -> list[Assignment]:
    """Construction then local search for ``time_limit_s``: a plan meeting every hard rule."""
    started = clock.perf_counter()
    pins, _messages = _check_pins(problem)
    model = model or WeekModel(problem, pins)
    search = _Search(model, pins, seed=seed)
    search.construct()
    search.fill()
    search.improve(started + time_limit_s)
    search.fill()
    return search.assignments()


# --- Large neighbourhood search ---------------------------------------------------------------


class _Lns:
    """Large neighbourhood search on the model: free a few neighbouring advisers, fix the rest.

    CP-SAT on the whole département spends its 10 s in presolve and LP on two cores; on a
    neighbourhood (a few advisers sharing places, every other variable fixed at its value in
    the best plan) it proves the sub-problem optimal in a fraction of a second. Each step
    keeps the sub-problem's optimum, so the plan only improves and always meets every hard
    rule (the sub-model is the model's rows with the fixed part moved into the bounds).
    The neighbourhood grows while sub-problems are solved to optimality, shrinks otherwise.
    """

    def __init__(self, model: WeekModel, values: dict[int, int], *, seed: int = 0):
        self.model = model
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible search, not a secret)
        count = len(model.upper)
        self.values = [values[i] for i in range(count)]
        self.rows_of: list[list[int]] = [[] for _ in range(count)]
        for r, (indexes, _coefs, _lo, _hi) in enumerate(model.rows):
            for i in indexes:
                self.rows_of[i].append(r)
        self.owned: dict[int, list[int]] = defaultdict(list)  # adviser → their variables
        self.daily: dict[tuple[int, int], list[int]] = defaultdict(list)  # (adviser, day)
        self.weekly: dict[int, list[int]] = defaultdict(list)  # adviser → dev, u
        self.places_of: dict[int, set[int]] = defaultdict(set)  # adviser → places offered
        for (a, p, d, _h), i in model.x.items():
            self.owned[a].append(i)
            self.daily[(a, d)].append(i)
            self.places_of[a].add(p)
        for (a, d, _p, _q), i in model.z.items():
            self.owned[a].append(i)
            self.daily[(a, d)].append(i)
        for a, i in [*model.dev.items(), *((a, i) for (a, _p), i in model.u.items())]:
            self.owned[a].append(i)
            self.weekly[a].append(i)
        self.place_vars: dict[int, list[int]] = defaultdict(list)
        for p, i in [*model.short.items(), *model.whole_short.items()]:
            self.place_vars[p].append(i)
        self.advisors = sorted(self.owned)
        self.days = sorted({d for _a, d in self.daily})
        # Neighbours: the advisers sharing the most candidate places come first.
        self.near = {
            a: sorted(
                (b for b in self.advisors if b != a and self.places_of[a] & self.places_of[b]),
                key=lambda b, a=a: (-len(self.places_of[a] & self.places_of[b]), b),
            )
            for a in self.advisors
        }
        self.size = min(4, len(self.advisors))
        self.steps = self.improvements = 0
        self.proven = False  # every adviser freed at once and proven optimal

    def objective(self) -> int:
        return sum(c * self.values[i] for i, c in self.model.cost.items())

    def neighbourhood(self) -> list[int]:
        """A random adviser and ``size − 1`` advisers among those sharing most places."""
        if self.size >= len(self.advisors):
            return list(self.advisors)
        seed = self.rng.choice(self.advisors)
        near = self.near[seed][: 2 * self.size]
        chosen = [seed, *self.rng.sample(near, min(len(near), self.size - 1))]
        short = [p for p, vs in self.place_vars.items() if any(self.values[i] for i in vs)]
        if short and self.rng.random() < 0.3:  # a place short: the advisers who could go
            place = self.rng.choice(short)
            able = [a for a in self.advisors if place in self.places_of[a]]
            chosen = self.rng.sample(able, min(len(able), self.size))
        return chosen

    def free_variables(self) -> tuple[list[int], bool]:
        """The variables of a neighbourhood, and whether it is the whole model.

        Two kinds: a few advisers' whole weeks (:meth:`neighbourhood`), or three times as
        many neighbouring advisers on two days only — the moves that re-pair the half-days
        of a day among many advisers (a day held whole instead of two round trips).
        """
        chosen = self.neighbourhood()
        whole = len(chosen) == len(self.advisors)
        free = set()
        if not whole and self.rng.random() < 0.4:
            seed = chosen[0]
            near = self.near[seed][: 6 * self.size]
            chosen = [seed, *self.rng.sample(near, min(len(near), 3 * self.size - 1))]
            days = self.rng.sample(self.days, min(2, len(self.days)))
            for a in chosen:
                free.update(self.weekly[a])
                for d in days:
                    free.update(self.daily[(a, d)])
        else:
            for a in chosen:
                free.update(self.owned[a])
        for a in chosen:
            for p in self.places_of[a]:
                free.update(self.place_vars[p])
        return sorted(free), whole

    def step(self, time_limit_s: float) -> bool:
        """Re-solve one neighbourhood; True when the plan improved."""
        whole, sub, free, before = self._build()
        status, solution = self._solve(sub, time_limit_s)
        return self._commit(whole, status, solution, free, before)

    def _build(self):
        """The neighbourhood's sub-model: the rows it touches, the fixed part in the bounds."""
        model, values = self.model, self.values
        free, whole = self.free_variables()
        local = {i: j for j, i in enumerate(free)}
        sub = cp_model.CpModel()
        proto = sub.proto
        for i in free:
            proto.variables.add().domain.extend([model.lower[i], model.upper[i]])
        big = cp_model.INT_MAX
        for r in {r for i in free for r in self.rows_of[i]}:
            indexes, coefs, lo, hi = model.rows[r]
            fixed, terms, weights = 0, [], []
            for i, c in zip(indexes, coefs, strict=True):
                j = local.get(i)
                if j is None:
                    fixed += c * values[i]
                else:
                    terms.append(j)
                    weights.append(c)
            linear = proto.constraints.add().linear
            linear.vars.extend(terms)
            linear.coeffs.extend(weights)
            linear.domain.extend(
                [
                    -big if lo == -math.inf else int(lo - fixed),
                    big if hi == math.inf else int(hi - fixed),
                ]
            )
        before = 0
        for i in free:
            c = model.cost.get(i)
            if c:
                proto.objective.vars.append(local[i])
                proto.objective.coeffs.append(c)
                before += c * values[i]
        proto.solution_hint.vars.extend(range(len(free)))
        proto.solution_hint.values.extend(values[i] for i in free)
        return whole, sub, free, before

    def _solve(self, sub: cp_model.CpModel, time_limit_s: float):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        # The full LP relaxation proves most neighbourhoods optimal 2–4× faster (measured).
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = self.steps
        status = solver.solve(sub)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None
        return status, (solver.objective_value, list(solver.response_proto.solution))

    def _commit(self, whole, status, solution, free, before) -> bool:
        values = self.values
        self.steps += 1
        if status == cp_model.OPTIMAL:
            self.size = min(self.size + 1, len(self.advisors))
        else:
            self.size = max(2, self.size - 1)
        if solution is None:
            return False
        if status == cp_model.OPTIMAL and whole:
            self.proven = True
        objective, found = solution
        if objective >= before - 0.5:
            return False
        for j, i in enumerate(free):
            values[i] = found[j]
        self.improvements += 1
        return True

    def run(self, deadline: float, tick=lambda: False) -> None:
        """Steps until ``deadline``, a proof, or ``tick()`` says stop."""
        while not self.proven:
            left = deadline - clock.perf_counter()
            if left < 0.05:
                return
            self.step(min(LNS_STEP_S, left))
            if tick():
                return


# --- Solving --------------------------------------------------------------------------------


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


def _solver(time_limit_s: float, workers: int = 1) -> cp_model.CpSolver:
    """CP-SAT on the whole model, for the proven bound (and any better plan it meets)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    # With one or two workers the default search barely moves the bound on the département
    # instance; the full LP relaxation (and restarts from the hint) prove far more.
    if workers >= 2:
        solver.parameters.subsolvers.extend(SUBSOLVERS)
    else:
        solver.parameters.linearization_level = 2
    # Probing and symmetry detection took most of 10 s in presolve at the département's
    # size (17,000 variables) for no gain: off.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.random_seed = 0
    return solver


def _bound_child(model: WeekModel, hint, time_limit_s: float, send) -> None:
    """CP-SAT on the whole model: (status, bound, solution)."""
    solver = _solver(time_limit_s)
    status = solver.solve(model.to_cpsat(hint))
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    send.send(
        (
            status,
            solver.best_objective_bound if status != cp_model.INFEASIBLE else None,
            list(solver.response_proto.solution) if found else None,
        )
    )
    send.close()


class _Helper:
    """Work on the second core, in a child process: CP-SAT on the whole model for the bound
    (small models, where it proves the optimum).

    A process, not a thread: CP-SAT's Python solve keeps the GIL (measured: a thread running
    it halves the local search beside it). Forked, so the child has the model at once.
    """

    def __init__(self, target, *args):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=target, args=(*args, send), daemon=True)
        self.process.start()
        send.close()

    def done(self) -> bool:
        return self.receive.poll()

    def result(self, timeout_s: float):
        """(status, bound or None, values or None); UNKNOWN when the child is late."""
        found = (cp_model.UNKNOWN, None, None)
        try:
            if self.receive.poll(max(0.0, timeout_s)):
                found = self.receive.recv()
        except EOFError:  # the child died (memory): nothing from it, the plan stands
            pass
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()
        return found


BOUND_MAX_VARIABLES = 10_000  # above, CP-SAT's bound in 10 s on one core is too weak to show
HEURISTIC_SHARE = 0.6  # of the time limit: construction and local search, then LNS
PROGRESS_EVERY_S = 1.0


def solve(
    problem: PlanningProblem,
    time_limit_s: float = 10.0,
    progress: ProgressCallback | None = None,
    *,
    workers: int = NUM_WORKERS,
) -> PlanResult:
    """Plan the week (rules in the module docstring): always the best plan found.

    The time is shared: construction and local search first (``HEURISTIC_SHARE``), then a
    large neighbourhood search from the best plan so far (:class:`_Lns`) while, with two
    workers, CP-SAT works on the whole model in a second thread for the proven bound.
    """
    started = clock.perf_counter()
    deadline = started + time_limit_s

    def tell(message: str, objective=None, bound=None) -> None:
        if progress:
            progress(Progress(message, objective, bound, clock.perf_counter() - started))

    pins, pin_messages = _check_pins(problem)
    team_problems, place_problems = precheck(problem)
    tell(f"Modèle : {len(problem.places)} lieux, {len(problem.advisors)} conseillers.")
    model = WeekModel(problem, pins)
    relaxed = []
    if model.restricted:
        relaxed.append(
            f"Chaque conseiller s'est vu proposer ses {problem.max_candidates} lieux les plus "
            f"proches (et chaque lieu ses {problem.min_advisors} conseillers les plus proches) : "
            "l'écart est calculé sur ce choix."
        )
    # Candidates: the current planning when it still fits, then the heuristic.
    candidates = []
    current = [a for a in problem.current if (a.advisor_id, a.place_id, *a.window) in model.x]
    values = model.values(current) if current else None
    if values is not None:
        candidates.append((model.objective(values), "planning en vigueur", current, values))
    search_until = started + time_limit_s * HEURISTIC_SHARE
    tell("Premier planning : construction et recherche locale.")
    search = _Search(model, pins)
    search.construct()
    search.fill()
    built = search.assignments()
    values = model.values(built)
    if values is not None:
        candidates.append((model.objective(values), "heuristique", built, values))
    candidates.sort(key=lambda c: c[0])
    # Meanwhile CP-SAT works on the whole model from the best plan so far in a child process
    # (the other core), for the proven bound (the hint matters: without it the demo is not
    # even solved in 5 s); it ends the search early when it proves the optimum.
    helper = None
    if workers < 2 or deadline - clock.perf_counter() <= 1.0:
        relaxed.append("Temps ou processeurs trop limités pour calculer une borne prouvée.")
    elif len(model.upper) <= BOUND_MAX_VARIABLES:
        helper = _Helper(
            _bound_child,
            model,
            candidates[0][3] if candidates else None,
            deadline - clock.perf_counter() - 0.3,
        )
    else:
        # Larger: CP-SAT's bound in 10 s on one core was below 65 % of the optimum, and a
        # forked child searching with another seed slowed this process's search more than
        # it found (measured on the benchmark, docs/performance.md): one process.
        relaxed.append("Pas de borne prouvée à cette taille dans le temps imparti.")
    # A CP-SAT done early (optimal or infeasible) ends the local search too.
    search.improve(search_until, stop=lambda: helper is not None and helper.done())
    search.fill()
    found = search.assignments()
    values = model.values(found)
    if values is not None:
        candidates.append((model.objective(values), "heuristique", found, values))
    candidates.sort(key=lambda c: c[0])
    proven = False
    early = helper is not None and helper.done()
    if candidates and not early and deadline - clock.perf_counter() > 0.5:
        tell("Recherche à grands voisinages (CP-SAT par groupes de conseillers).")
        lns = _Lns(model, candidates[0][3])
        told = [clock.perf_counter()]

        def tick() -> bool:
            if clock.perf_counter() - told[0] >= PROGRESS_EVERY_S:
                told[0] = clock.perf_counter()
                tell(f"Voisinages : planning à {lns.objective()}.", lns.objective())
            return helper is not None and helper.done()

        lns.run(deadline, tick=tick)
        proven = lns.proven
        if lns.improvements:
            assignments = model.assignments(lambda i: lns.values[i])
            values = model.values(assignments)
            if values is not None:
                candidates.append(
                    (model.objective(values), "voisinages (CP-SAT)", assignments, values)
                )
    status, bound, solution = cp_model.UNKNOWN, None, None
    if helper is not None:
        # The child stops at its own time limit; a little grace for its answer to arrive.
        status, bound, solution = helper.result(deadline - clock.perf_counter() + 1.0)
    proven = proven or status == cp_model.OPTIMAL
    if solution is not None:
        assignments = model.assignments(lambda i: solution[i])
        values = model.values(assignments)
        if values is not None:
            candidates.append((model.objective(values), "CP-SAT", assignments, values))
    elif status == cp_model.INFEASIBLE and problem.pins:
        # Only the pins can make the model infeasible (every commitment has a slack):
        # they clash with working time or the break. Solve again without them.
        from dataclasses import replace

        again = solve(
            replace(problem, pins=[]),
            max(0.5, deadline - clock.perf_counter()),
            progress,
            workers=workers,
        )
        again.explanations.insert(
            0,
            "Les choix imposés ne tiennent pas ensemble dans le temps de travail ou la "
            "pause méridienne : ils ont été ignorés.",
        )
        again.relaxed.append("choix imposés ignorés")
        return again
    if not candidates:
        return PlanResult(
            UNKNOWN,
            seconds=clock.perf_counter() - started,
            explanations=[*pin_messages, "Aucun planning trouvé : vérifiez les données."],
        )
    candidates.sort(key=lambda c: (c[0], c[1] != "CP-SAT"))
    objective, source, assignments, values = candidates[0]
    if proven:  # the best plan found is optimal: its objective is the bound
        bound = objective if bound is None else max(bound, objective)
    if bound is not None:
        # Driving and penalties are never negative: a bound below 0 says nothing more.
        bound = max(0.0, min(bound, objective))
    shortfalls = {p: values[i] for p, i in model.short.items() if values[i]}
    whole_missing = {p: values[i] for p, i in model.whole_short.items() if values[i]}
    _outside_w, short_weight, _whole_w = model.weights()
    if not shortfalls and not whole_missing:
        status_out = OPTIMAL if proven or (bound is not None and bound >= objective) else FEASIBLE
    elif (
        team_problems
        or place_problems
        or proven
        or (bound is not None and bound >= min(short_weight, _whole_w) - 1e-6)
    ):
        status_out = INFEASIBLE
    else:
        status_out = PARTIAL
    result = PlanResult(
        status_out,
        assignments=sorted(assignments, key=lambda a: (a.place_id, a.weekday, a.half)),
        travel_minutes=plan_travel(problem, assignments),
        objective=float(objective),
        bound=float(bound) if bound is not None else None,
        gap=_gap(objective, bound) if bound is not None else None,
        seconds=clock.perf_counter() - started,
        loads=_loads(problem, assignments),
        shortfalls=shortfalls,
        source=source,
        relaxed=relaxed,
        working_minutes=working_minutes(problem, assignments),
    )
    result.explanations = pin_messages + (team_problems if shortfalls else [])
    if shortfalls:
        _explain_shortfalls(problem, result, place_problems)
    places = {p.id: p for p in problem.places}
    for place_id, missing in sorted(whole_missing.items()):
        place = places[place_id]
        result.explanations.append(
            f"{place.name}{_commitment_text(place)} : {_plural(missing, 'journée')} sur "
            f"{place.full_days} ne peu{'ven' if missing > 1 else ''}t pas être tenue"
            f"{'s' if missing > 1 else ''} entière{'s' if missing > 1 else ''} par un même "
            "conseiller (horaires d'ouverture, temps de travail ou trajets) : autorisez le "
            "fractionnement des journées ou ajustez les horaires."
        )
    if status_out == PARTIAL:
        result.explanations.append(
            "Aucun planning tenant tous les engagements n'a été trouvé dans le temps imparti, "
            "sans preuve qu'il n'en existe pas : voici le meilleur planning partiel trouvé ; "
            "augmentez la durée de calcul pour chercher encore."
        )
    result.explanations += _outside_hours_notes(problem, assignments)
    result.explanations += _travel_notes(problem, assignments)
    return result


def _gap(objective: float, bound: float) -> float:
    if objective <= 0:
        return 0.0
    return max(0.0, (objective - bound) / objective)


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
                "les conseillers qui peuvent s'y rendre sont déjà occupés ailleurs, absents "
                "ou au bout de leur temps de travail (trajets compris) sur ses demi-journées "
                "d'ouverture"
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


def _travel_notes(problem, assignments) -> list[str]:
    """The estimated legs the plan drives that the travel module flags as doubtful."""
    if not problem.travel_notes:
        return []
    legs = []
    for (advisor_id, _d), halves in _days(assignments).items():
        for p in halves.values():
            legs.append((advisor_id, p))
        m, n = halves.get(MORNING), halves.get(AFTERNOON)
        if m is not None and n is not None and m != n:
            legs.append(("places", min(m, n), max(m, n)))
    notes = []
    for leg in dict.fromkeys(legs):
        if leg in problem.travel_notes and problem.travel_notes[leg] not in notes:
            notes.append(problem.travel_notes[leg])
    return notes


# --- Greedy baseline ------------------------------------------------------------------------


def greedy_assignments(problem: PlanningProblem, pins: list[Pin] | None = None) -> list:
    """Each demanded half-day, place by place, to the nearest adviser still free then.

    The former planner's baseline, kept as the benchmark's « greedy »: it knows neither
    tours, working time nor whole days (the benchmark counts its violations). Places are
    taken in the problem's order; within a place, the window and adviser with the least
    travel win (ties: the lighter load). May leave half-days unassigned.
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
        source="glouton",
        working_minutes=working_minutes(problem, assignments),
    )
