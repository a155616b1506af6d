"""The planner's task: one run, solved in a worker (queue "planner"), never in a web worker."""

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task

from .models import PlanRun


@task(queue_name="planner", takes_context=True)
def plan_run_task(context: TaskContext, run_id: int) -> str:
    """Solve a recorded run (``planner_db.plan_run_execute``), which writes progress and result.

    A run whose worker died is run again from the start by the next worker (the row is simply
    rewritten); the last attempt the engine allows is spent on saying so instead of solving
    again, so the page never shows « en cours » for a run nobody is computing.
    """
    from .planner_db import plan_run_execute

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
