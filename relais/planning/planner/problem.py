"""The planner's problem and result: windows, places, advisers, pins, the plan's measures and
the checks made before solving (pure: no database, no solver)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from relais.core.french import plural

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
# Each adviser's nearest places offered to the model (with each place's MIN_ADVISORS nearest
# advisers). 16 rather than 24: a third fewer variables (53,000 against 86,000 at 4×), smaller
# neighbourhoods proven faster. Measured in 10 s (same machine, same hour, three runs each):
# 4× 5232–5302 against 5242–5343 (5246–5366 against 5355–5474 before the neighbourhoods were
# pruned), 1× 2719–2724 against 2736–2757, 2× 3729–3759 against 3760–3795; 14 and 20 did no
# better at 4×; 12 left the 4× plan at 5126 after 60 s (16: 5053).
MAX_CANDIDATES = 16
MIN_ADVISORS = 6
CONTINUITY_WEIGHT = 10
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


def plural_text(count: int, word: str) -> str:
    return plural(count, word, f"{word}s")


def half_days_text(count: int) -> str:
    return plural(count, "demi-journée", "demi-journées")


def default_half_day_minutes() -> int:
    """The agreements' default half-day (Art. 1.2): :mod:`relais.agreements.half_days`."""
    # Read here, not at the top: the pure core (and the benchmarks' instances) import without
    # Django's models, which only this default needs.
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


def day_tours(assignments) -> dict[tuple[int, int], dict[str, int]]:
    days: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for a in assignments:
        days[(a.advisor_id, a.weekday)][a.half] = a.place_id
    return days


def plan_travel(problem: PlanningProblem, assignments) -> int:
    """Minutes driven per week: each adviser's day is one tour from home and back."""
    return sum(
        problem.day_drive(advisor_id, halves.get(MORNING), halves.get(AFTERNOON))
        for (advisor_id, _d), halves in day_tours(assignments).items()
    )


def working_minutes(problem: PlanningProblem, assignments) -> dict[int, int]:
    """Per adviser, the week's working time: half-days held plus the tours' driving."""
    minutes = {a.id: 0 for a in problem.advisors}
    for (advisor_id, _d), halves in day_tours(assignments).items():
        minutes[advisor_id] = (
            minutes.get(advisor_id, 0)
            + sum(problem.work(p) for p in halves.values())
            + problem.day_drive(advisor_id, halves.get(MORNING), halves.get(AFTERNOON))
        )
    return minutes


def half_day_loads(problem: PlanningProblem, assignments) -> dict[int, int]:
    loads = {a.id: 0 for a in problem.advisors}
    for a in assignments:
        loads[a.advisor_id] = loads.get(a.advisor_id, 0) + 1
    return loads


def load_shares(problem: PlanningProblem) -> dict[int, float]:
    """Each adviser's fair share of the week's half-days, in proportion to contracted time."""
    weights = {
        a.id: float(a.weekly_minutes or a.capacity * problem.half_day_minutes)
        for a in problem.advisors
        if a.capacity > 0
    }
    total = sum(weights.values()) or 1.0
    return {i: problem.total_demand * w / total for i, w in weights.items()}


# --- Necessary checks -----------------------------------------------------------------------


def commitment_text(place: PlannerPlace) -> str:
    return f" ({', '.join(place.commitments)})" if place.commitments else ""


def windows_text(windows) -> str:
    return ", ".join(window_label(w) for w in sorted(windows, key=lambda w: (w[0], w[1])))


def precheck(problem: PlanningProblem) -> tuple[list[str], dict[int, tuple[int, str]]]:
    """Necessary conditions, cheap: (team-level messages, {place id: (max possible, why)})."""
    team, places = [], {}
    if problem.total_demand > problem.total_capacity:
        team.append(
            f"Les engagements demandent {half_days_text(problem.total_demand)} par semaine, "
            f"l'équipe disponible n'en assure que {problem.total_capacity} au plus "
            f"({plural_text(len(problem.advisors), 'conseiller')})."
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
                    f"par semaine ({windows_text(windows)})"
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


def check_pins(problem: PlanningProblem) -> tuple[list[Pin], list[str]]:
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


# --- What is stored and shown ------------------------------------------------------------------


def result_payload(problem: PlanningProblem, result: PlanResult) -> dict:
    """What is stored and shown: the result with the names and travel it refers to."""
    data = result.to_dict()
    data["places"] = {
        str(p.id): {"name": p.name, "demand": p.demand, "commitments": list(p.commitments)}
        for p in problem.places
    }
    data["advisors"] = {
        str(a.id): {
            "name": a.name,
            "home": a.home,
            "capacity": a.capacity,
            "weekly_minutes": a.weekly_minutes,
        }
        for a in problem.advisors
    }
    # Each day's tour (home → morning place → afternoon place → home) shared between its
    # half-days, so an adviser's half-days add up to their real driving.
    days = defaultdict(list)
    for item in data["assignments"]:
        days[(item["advisor_id"], item["weekday"])].append(item)
    for (advisor_id, _d), items in days.items():
        halves = {item["half"]: item["place_id"] for item in items}
        drive = problem.day_drive(advisor_id, halves.get(MORNING), halves.get(AFTERNOON))
        items.sort(key=lambda item: item["half"])
        for index, item in enumerate(items):
            share = drive // len(items)
            item["travel_minutes"] = share if index < len(items) - 1 else drive - share * index
    data["week_start"] = problem.week_start.isoformat() if problem.week_start else None
    return data
