"""The planner and the database: build the problem, run it (with progress), apply a plan.

- :func:`problem_from_database` reads the commitments in force on the week's Monday (on-site
  ones: a remote half-day needs no place window and no drive), the places' opening hours,
  the advisers under contract (working days, weekly hours, leave that week, home commune)
  and the travel times (:func:`relais.planning.travel.travel_minutes`). Exceptional
  closures are ignored: the plan is a weekly template, closures are exceptions to it.
  The current slots give the "previous" (adviser, place) pairs for continuity.
- :func:`plan_run_start` records a :class:`PlanRun` and enqueues its solve for a worker
  (``relais worker``, queue "planner": :func:`relais.planning.tasks.plan_run_task`;
  ``settings.RELAIS_PLANNER_SYNC = True`` solves inline, for tests). The task writes
  progress to the row, so whichever web worker serves the polling request reads it. A solve
  whose worker dies is run again by another (docs/operations.md, « Worker »).
- :func:`plan_apply` turns a plan into weekly slots through ``slot_create``, only where
  the place has no slot yet in that half-day.
"""

import math
import time
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.params import parse_date, parse_id

from . import planner
from .models import PlanRun, Slot, monday_of
from .periods import agreement_periods
from .services import slot_create
from .tasks import plan_run_task
from .travel import travel_doubt, travel_minutes

PROGRESS_EVERY_S = 0.5


def _commitments_by_place(monday: date) -> dict:
    from relais.agreements.enums import Modality
    from relais.agreements.models import Agreement, Commitment

    found = defaultdict(list)
    agreements = Agreement.objects.filter(commitments__isnull=False).distinct()
    for agreement in agreements.prefetch_related("signatories"):
        if not agreement.timeline(monday).is_in_force:
            continue
        lines = (
            Commitment.objects.filter(agreement=agreement, modality=Modality.ON_SITE)
            .valid_on(monday)
            .select_related("place__commune", "agreement")
        )
        for commitment in lines:
            found[commitment.place].append(commitment)
    return found


def _unavailable(advisor, leaves, monday: date) -> frozenset:
    away = set()
    for offset in range(7):
        day = monday + timedelta(days=offset)
        if not advisor.works_on(day):
            continue
        for half, (start, end) in planner.WINDOWS.items():
            if any(leave.covers(day, start, end) for leave in leaves):
                away.add((offset, half))
    return frozenset(away)


def problem_from_database(
    week_start: date, *, pins=(), outside_hours: bool = False, split_days: bool | None = None
) -> planner.PlanningProblem:
    """The planning problem of the week starting ``week_start`` (rules in the docstring)."""
    from relais.agreements.enums import CommitmentUnit
    from relais.agreements.half_days import half_day_hours_by_place, half_day_minutes
    from relais.team.models import Advisor, Leave

    if split_days is None:
        split_days = settings.RELAIS_PLANNER_SPLIT_DAYS
    monday = monday_of(week_start)
    places = []
    communes = {}
    by_place = _commitments_by_place(monday)
    # A half-day's working time is the one of the place's agreement (Art. 1.2).
    lengths = half_day_hours_by_place([place.pk for place in by_place], monday)
    for place, commitments in sorted(by_place.items(), key=lambda i: i[0].name):
        windows = planner.windows_from_opening_hours(place.opening_hours, monday)
        weekly = sum(c.weekly_half_days for c in commitments)
        # Commitments counted in days are held as whole days (rounded up like the demand).
        whole_days = sum(
            c.weekly_half_days / 2 for c in commitments if c.unit == CommitmentUnit.DAY
        )
        places.append(
            planner.PlannerPlace(
                id=place.pk,
                name=place.name,
                demand=math.ceil(weekly),
                windows=windows if windows is not None else planner.default_windows(),
                commitments=tuple(c.label for c in commitments),
                hours_known=windows is not None,
                full_days=min(math.ceil(whole_days), math.ceil(weekly) // 2),
                half_day_minutes=half_day_minutes(lengths[place.pk]),
            )
        )
        communes[place.pk] = place.commune
    advisors = []
    team = Advisor.objects.active().under_contract_on(monday).with_user()
    leaves = defaultdict(list)
    for leave in Leave.objects.overlapping(monday, monday + timedelta(days=6)):
        leaves[leave.advisor_id].append(leave)
    for advisor in team:
        days = frozenset(d for d in range(7) if advisor.works_on(monday + timedelta(days=d)))
        advisors.append(
            planner.PlannerAdvisor(
                id=advisor.pk,
                name=str(advisor),
                home=advisor.home_commune.name,
                days=days,
                capacity=planner.capacity_for(advisor.weekly_hours, len(days)),
                unavailable=_unavailable(advisor, leaves[advisor.pk], monday),
                weekly_minutes=round(float(advisor.weekly_hours) * 60),
            )
        )
        communes[("advisor", advisor.pk)] = advisor.home_commune
    travel = {
        (a.id, p.id): travel_minutes(communes[("advisor", a.id)], communes[p.id])
        for a in advisors
        for p in places
    }
    place_travel = {
        (p.id, q.id): travel_minutes(communes[p.id], communes[q.id])
        for p in places
        for q in places
        if p.id < q.id
    }
    notes = {}
    for a in advisors:
        for p in places:
            doubt = travel_doubt(communes[("advisor", a.id)], communes[p.id])
            if doubt:
                notes[(a.id, p.id)] = doubt
    for p, q in place_travel:
        doubt = travel_doubt(communes[p], communes[q])
        if doubt:
            notes[("places", p, q)] = doubt
    # The planning in force that week: continuity pairs, and a warm start for the solver.
    slots = Slot.objects.valid_between(monday, monday + timedelta(days=6)).values_list(
        "place_id", "advisors", "weekday", "start_time"
    )
    known_places = {p.id for p in places}
    known_advisors = {a.id for a in advisors}
    previous = frozenset((a, p) for p, a, _d, _s in slots if a is not None)
    current = [
        planner.Assignment(
            a, p, d, planner.MORNING if start < planner.WINDOWS[planner.AFTERNOON][0] else "pm"
        )
        for p, a, d, start in slots
        if a in known_advisors and p in known_places
    ]
    return planner.PlanningProblem(
        places=places,
        advisors=advisors,
        travel=travel,
        pins=[planner.Pin(**pin) for pin in pins],
        previous=previous,
        week_start=monday,
        outside_hours=outside_hours,
        place_travel=place_travel,
        current=current,
        travel_notes=notes,
        min_break_minutes=settings.RELAIS_PLANNER_MIN_BREAK_MINUTES,
        split_days=split_days,
        half_day_minutes=half_day_minutes(),
    )


def result_payload(problem: planner.PlanningProblem, result: planner.PlanResult) -> dict:
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
        drive = problem.day_drive(
            advisor_id, halves.get(planner.MORNING), halves.get(planner.AFTERNOON)
        )
        items.sort(key=lambda item: item["half"])
        for index, item in enumerate(items):
            share = drive // len(items)
            item["travel_minutes"] = share if index < len(items) - 1 else drive - share * index
    data["week_start"] = problem.week_start.isoformat() if problem.week_start else None
    return data


# --- Runs -----------------------------------------------------------------------------------


def plan_run_start(
    *, week_start: date, user=None, pins=(), outside_hours=False, time_limit=10
) -> PlanRun:
    """Record a run and solve it: in a worker, or inline when configured so."""
    run = PlanRun(
        week_start=monday_of(week_start),
        pins=list(pins),
        outside_hours=outside_hours,
        time_limit=time_limit,
        created_by=user,
    )
    run.full_clean()
    run.save()
    if settings.RELAIS_PLANNER_SYNC:
        plan_run_execute(run.pk)
        run.refresh_from_db()
    else:
        # After the commit, so the worker finds the row; no thread in the web worker.
        transaction.on_commit(lambda: plan_run_task.enqueue(run.pk))
    return run


def plan_run_execute(run_id: int) -> PlanRun:
    """Solve a recorded run, writing progress and the result to its row."""
    run = PlanRun.objects.get(pk=run_id)
    PlanRun.objects.filter(pk=run_id).update(
        status=PlanRun.Status.RUNNING, progress="Lecture des engagements, lieux et conseillers…"
    )
    last = [0.0]

    def progress(step: planner.Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = now
        PlanRun.objects.filter(pk=run_id).update(
            progress=f"{step.message} — {step.seconds:.1f} s"[:300]
        )

    try:
        problem = problem_from_database(
            run.week_start, pins=run.pins, outside_hours=run.outside_hours
        )
        result = planner.solve(problem, time_limit_s=run.time_limit, progress=progress)
        payload = result_payload(problem, result)
        status, message = PlanRun.Status.DONE, f"Terminé en {result.seconds:.1f} s."
    except Exception as error:  # reported on the page; the traceback goes to the logs
        import logging

        logging.getLogger(__name__).exception("Planner run %s failed", run_id)
        payload, status = None, PlanRun.Status.FAILED
        message = f"Le calcul a échoué : {error.__class__.__name__}."
    PlanRun.objects.filter(pk=run_id).update(
        status=status, progress=message, result=payload, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


# --- Presentation ---------------------------------------------------------------------------


def week_grid(payload: dict) -> dict:
    """Rows (places) × columns (weekday, half) of advisers, for the page and the command."""
    assignments = payload.get("assignments", [])
    used_days = sorted({a["weekday"] for a in assignments} | set(range(5)))
    columns = [(d, h) for d in used_days for h in planner.HALVES]
    cells = defaultdict(list)
    for item in assignments:
        cells[(item["place_id"], item["weekday"], item["half"])].append(item)
    rows = []
    for place_id, place in sorted(payload.get("places", {}).items(), key=lambda i: i[1]["name"]):
        pid = int(place_id)
        row_cells = []
        for d, h in columns:
            items = [
                {
                    **item,
                    "advisor": payload["advisors"][str(item["advisor_id"])]["name"],
                    "pin_value": f"{item['advisor_id']}-{pid}-{d}-{h}",
                }
                for item in cells.get((pid, d, h), [])
            ]
            row_cells.append(
                {"weekday": d, "half": h, "label": planner.window_label((d, h)), "items": items}
            )
        rows.append(
            {
                "id": pid,
                "name": place["name"],
                "demand": place["demand"],
                "commitments": place["commitments"],
                "missing": payload.get("shortfalls", {}).get(place_id, 0),
                "cells": row_cells,
            }
        )
    return {
        "columns": [
            {"weekday": d, "half": h, "label": planner.window_label((d, h))} for d, h in columns
        ],
        "days": [{"weekday": d, "label": planner.DAY_LABELS[d]} for d in used_days],
        "rows": rows,
    }


def advisor_loads(payload: dict) -> list[dict]:
    """Advisers with at least one half-day, heaviest first, with their travel."""
    travel = defaultdict(int)
    for item in payload.get("assignments", []):
        travel[item["advisor_id"]] += item["travel_minutes"]
    rows = []
    for advisor_id, load in payload.get("loads", {}).items():
        if not load:
            continue
        advisor = payload["advisors"][str(advisor_id)]
        rows.append(
            {
                "name": advisor["name"],
                "home": advisor["home"],
                "load": load,
                "capacity": advisor["capacity"],
                "travel_minutes": travel[int(advisor_id)],
                "working_minutes": payload.get("working_minutes", {}).get(str(advisor_id)),
                "weekly_minutes": advisor.get("weekly_minutes"),
            }
        )
    return sorted(rows, key=lambda r: (-r["load"], r["name"]))


def parse_pins(values) -> list[dict]:
    """``"advisor-place-weekday-half"`` strings from the page's checkboxes, as pin dicts."""
    pins = []
    for value in values:
        parts = str(value).split("-")
        if len(parts) != 4 or parts[3] not in planner.HALVES:
            continue
        advisor_id, place_id = parse_id(parts[0]), parse_id(parts[1])
        weekday = "0123456".find(parts[2]) if len(parts[2]) == 1 else -1
        if advisor_id and place_id and weekday >= 0:
            pins.append(
                {
                    "advisor_id": advisor_id,
                    "place_id": place_id,
                    "weekday": weekday,
                    "half": parts[3],
                }
            )
    return pins


# --- Apply ----------------------------------------------------------------------------------


def _period_end(place, valid_from: date) -> date | None:
    for period in agreement_periods(place):
        if period.contains(valid_from, valid_from):
            return period.end
    return None


@transaction.atomic
def plan_apply(*, result: dict, valid_from: date, user=None) -> tuple[list[Slot], list[str]]:
    """Create weekly slots from a plan payload, from ``valid_from`` to the agreement's end.

    Only half-days where the place has no slot yet (valid on ``valid_from``, overlapping the
    window) are created, so applying twice, or over an existing planning, adds nothing that
    is already covered. Returns the slots created and a French message per half-day skipped.
    """
    from relais.places.models import Place
    from relais.team.models import Advisor

    created, skipped = [], []
    places = Place.objects.in_bulk([a["place_id"] for a in result.get("assignments", [])])
    advisors = Advisor.objects.in_bulk([a["advisor_id"] for a in result.get("assignments", [])])
    for item in result.get("assignments", []):
        place, advisor = places.get(item["place_id"]), advisors.get(item["advisor_id"])
        window = (item["weekday"], item["half"])
        if place is None or advisor is None:
            skipped.append(f"{planner.window_label(window)} : lieu ou conseiller supprimé.")
            continue
        start, end = planner.WINDOWS[item["half"]]
        existing = (
            Slot.objects.valid_between(valid_from, valid_from)
            .filter(place=place, weekday=item["weekday"], start_time__lt=end, end_time__gt=start)
            .exists()
        )
        if existing:
            skipped.append(f"{place} le {planner.window_label(window)} : déjà couvert.")
            continue
        try:
            created.append(
                slot_create(
                    place=place,
                    advisors=[advisor],
                    created_by=user,
                    weekday=item["weekday"],
                    start_time=start,
                    end_time=end,
                    valid_from=valid_from,
                    valid_until=_period_end(place, valid_from),
                    note="Créée par le planificateur",
                )
            )
        except ValidationError as error:
            reason = " ".join(error.messages)
            skipped.append(f"{place} le {planner.window_label(window)} : {reason}")
    return created, skipped


def next_monday(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def parse_week(value: str | None, *, today: date | None = None) -> date:
    """The Monday of the week of ``value`` (ISO date), or next Monday.

    Raises ``ValueError`` for anything else, a date outside the plausible range included,
    and for a past week: a plan is applied from its Monday on, and a week already over
    has no permanence left to create (the current week is accepted).
    """
    if value:
        day = parse_date(value)
        if day is None:
            raise ValueError(f"semaine invalide : {value[:20]!r}")
        monday = monday_of(day)
        if monday < monday_of(today or timezone.localdate()):
            raise ValueError("semaine passée")
        return monday
    return next_monday(today)
