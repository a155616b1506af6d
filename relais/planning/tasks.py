"""The planner's task: one run, solved in a worker (queue "planner"), never in a web worker."""

import logging
import time

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task

from . import planner
from .models import PlanRun
from .queries import problem_from_database

PROGRESS_EVERY_S = 0.5


@task(queue_name="planner", takes_context=True)
def plan_run_task(context: TaskContext, run_id: int) -> str:
    """Solve a recorded run (:func:`plan_run_execute`), which writes progress and result.

    A run whose worker died is run again from the start by the next worker (the row is simply
    rewritten); the last attempt the engine allows is spent on saying so instead of solving
    again, so the page never shows « en cours » for a run nobody is computing.
    """
    attempt = context.attempt
    if attempt > 1 and attempt >= settings.RELAIS_TASK_MAX_ATTEMPTS:
        PlanRun.objects.filter(pk=run_id).update(
            status=PlanRun.Status.FAILED,
            progress=(
                f"Le calcul a été interrompu {attempt - 1} fois (le processus de travail "
                "s'est arrêté) : relancez-le, éventuellement avec une durée plus courte."
            ),
            finished_at=timezone.now(),
        )
        return PlanRun.Status.FAILED
    return plan_run_execute(run_id).status


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
            run.week_start,
            pins=run.pins,
            outside_hours=run.outside_hours,
            split_days=run.split_days,
        )
        result = planner.solve(problem, time_limit_s=run.time_limit, progress=progress)
        payload = planner.result_payload(problem, result)
        status, message = PlanRun.Status.DONE, f"Terminé en {result.seconds:.1f} s."
    except Exception as error:  # reported on the page; the traceback goes to the logs
        logging.getLogger(__name__).exception("Planner run %s failed", run_id)
        payload, status = None, PlanRun.Status.FAILED
        message = f"Le calcul a échoué : {error.__class__.__name__}."
    PlanRun.objects.filter(pk=run_id).update(
        status=status, progress=message, result=payload, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
