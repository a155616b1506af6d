"""The weekly planner: which adviser holds which permanence, on real working days.

Pure core (no database): :class:`PlanningProblem` in, :class:`PlanResult` out. The modules:
:mod:`.problem` (the problem, the result, the plan's measures, the checks before solving),
:mod:`.model` (the week as a linear model), :mod:`.search` (construction, local search,
large neighbourhood search), :mod:`.solver` (:func:`solve`, and the greedy baseline). The
Django side: :func:`relais.planning.queries.problem_from_database` reads the problem,
:mod:`.runs` records a run and turns a plan into slots, :mod:`relais.planning.tasks` solves a
run in a worker. This module exports the pure API, so callers write ``planner.solve``.

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
  (when valid) — on large models in two processes, each on its side of a cut — and the best
  plan found is returned with the proven bound and the gap when one was proven (CP-SAT on
  the whole model, on small models). A plan with unmet
  commitments is returned as partial, each place short explained in French.
- **Size.** Each adviser is offered the ``max_candidates`` nearest places (and every place
  its ``min_advisors`` nearest advisers, the pins and the current planning's pairs): the
  result says so when this restriction applied.
"""

from .model import WeekModel
from .problem import (
    AFTERNOON,
    DAY_LABELS,
    FEASIBLE,
    HALF_LABELS,
    HALVES,
    INFEASIBLE,
    MORNING,
    OPTIMAL,
    PARTIAL,
    STATUS_LABELS,
    UNKNOWN,
    WINDOWS,
    Assignment,
    Pin,
    PlannerAdvisor,
    PlannerPlace,
    PlanningProblem,
    PlanResult,
    Progress,
    capacity_for,
    default_windows,
    plan_travel,
    result_payload,
    window_label,
    windows_from_opening_hours,
    working_minutes,
)
from .search import heuristic
from .solver import greedy, greedy_assignments, solve

__all__ = [
    "AFTERNOON",
    "DAY_LABELS",
    "FEASIBLE",
    "HALF_LABELS",
    "HALVES",
    "INFEASIBLE",
    "MORNING",
    "OPTIMAL",
    "PARTIAL",
    "STATUS_LABELS",
    "UNKNOWN",
    "WINDOWS",
    "Assignment",
    "Pin",
    "PlanResult",
    "PlannerAdvisor",
    "PlannerPlace",
    "PlanningProblem",
    "Progress",
    "WeekModel",
    "capacity_for",
    "default_windows",
    "greedy",
    "greedy_assignments",
    "heuristic",
    "plan_travel",
    "result_payload",
    "solve",
    "window_label",
    "windows_from_opening_hours",
    "working_minutes",
]
