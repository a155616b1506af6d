"""A planner run is solved by a worker (a task), not by a thread of the web worker."""

import threading
from types import SimpleNamespace

import pytest

from relais.planning.models import PlanRun
from relais.planning.planner import runs
from relais.planning.tasks import plan_run_task

from ..helpers import committed
from ..jobs.test_worker import database_backend, restore_signals  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(current_agreement, advisor_at):
    return [advisor_at(name) for name in ("Prades", "Vinça")]


def test_a_run_is_enqueued_after_the_commit_and_solved_by_the_task(team, settings):
    settings.RELAIS_PLANNER_SYNC = False
    threads = threading.active_count()
    run = committed(runs.plan_run_start, week_start=runs.next_monday(), time_limit=5)
    assert threading.active_count() == threads  # no thread left behind in the web worker
    run.refresh_from_db()
    assert run.status == PlanRun.Status.DONE and run.result is not None


def test_nothing_runs_while_the_request_has_not_committed(team, settings):
    settings.RELAIS_PLANNER_SYNC = False
    run = runs.plan_run_start(week_start=runs.next_monday(), time_limit=5)
    run.refresh_from_db()
    assert run.status == PlanRun.Status.PENDING


def test_the_last_attempt_after_dead_workers_reports_the_run_failed(team, settings):
    settings.RELAIS_TASK_MAX_ATTEMPTS = 3
    run = PlanRun.objects.create(week_start=runs.next_monday(), status="running")
    assert plan_run_task.call(SimpleNamespace(attempt=3), run.pk) == PlanRun.Status.FAILED
    run.refresh_from_db()
    assert run.status == PlanRun.Status.FAILED and "interrompu 2 fois" in run.progress
    assert run.finished_at is not None


def test_a_retry_after_a_dead_worker_solves_the_run_again(team):
    run = PlanRun.objects.create(week_start=runs.next_monday(), time_limit=5, status="running")
    assert plan_run_task.call(SimpleNamespace(attempt=2), run.pk) == PlanRun.Status.DONE


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
@pytest.mark.usefixtures("database_backend", "restore_signals")
def test_a_real_worker_solves_a_run_from_the_database_queue(team, settings):
    """End to end: the run is a row of the task table until `relais worker` takes it."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.RELAIS_PLANNER_SYNC = False
    run = runs.plan_run_start(week_start=runs.next_monday(), time_limit=5)
    assert DBTaskResult.objects.ready().count() == 1
    call_command("worker", batch=True, startup_delay=False, worker_id="w1", verbosity=0)
    run.refresh_from_db()
    assert run.status == PlanRun.Status.DONE and run.result is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
