"""The planner and the database: record a run, apply a plan, which week may be planned.

- :func:`plan_run_start` records a :class:`PlanRun` and enqueues its solve for a worker
  (``relais worker``, queue "planner": :func:`relais.planning.tasks.plan_run_task`;
  ``settings.RELAIS_PLANNER_SYNC = True`` solves inline, for tests). The task writes
  progress to the row, so whichever web worker serves the polling request reads it. A solve
  whose worker dies is run again by another (docs/operations.md, « Worker »).
- :func:`plan_apply` turns a plan into weekly slots through ``slot_create``, only where
  the place has no slot yet in that half-day.

The problem itself is read by :func:`relais.planning.queries.problem_from_database`.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core import dates
from relais.core.dates import monday_of
from relais.core.params import parse_date
from relais.core.validators import error_text
from relais.places.models import Place
from relais.team.models import Advisor

from ..models import PlanRun, Slot
from ..periods import agreement_periods
from ..services import slot_create
from ..tasks import plan_run_execute, plan_run_task
from .problem import WINDOWS, window_label


def plan_run_start(
    *, week_start: date, user=None, pins=(), outside_hours=False, split_days=False, time_limit=10
) -> PlanRun:
    """Record a run and solve it: in a worker, or inline when configured so."""
    run = PlanRun(
        week_start=monday_of(week_start),
        pins=list(pins),
        outside_hours=outside_hours,
        split_days=split_days,
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
    created, skipped = [], []
    places = Place.objects.in_bulk([a["place_id"] for a in result.get("assignments", [])])
    advisors = Advisor.objects.in_bulk([a["advisor_id"] for a in result.get("assignments", [])])
    for item in result.get("assignments", []):
        place, advisor = places.get(item["place_id"]), advisors.get(item["advisor_id"])
        window = (item["weekday"], item["half"])
        if place is None or advisor is None:
            skipped.append(f"{window_label(window)} : lieu ou conseiller supprimé.")
            continue
        start, end = WINDOWS[item["half"]]
        existing = (
            Slot.objects.valid_between(valid_from, valid_from)
            .filter(place=place, weekday=item["weekday"], start_time__lt=end, end_time__gt=start)
            .exists()
        )
        if existing:
            skipped.append(f"{place} le {window_label(window)} : déjà couvert.")
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
            reason = error_text(error)
            skipped.append(f"{place} le {window_label(window)} : {reason}")
    return created, skipped


def next_monday(today: date | None = None) -> date:
    return dates.next_monday(today or timezone.localdate())


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
