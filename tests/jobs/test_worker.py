"""`relais worker`: tasks recovered when their worker dies, periodic jobs enqueued once."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from relais.jobs import services
from relais.jobs.models import PeriodicRun, WorkerHeartbeat
from relais.jobs.schedule import JOBS, JOBS_BY_NAME
from relais.jobs.tasks import periodic_run
from relais.messaging.models import OutboxStatus
from relais.messaging.outbox import outbox_email

from ..helpers import page_text
from .tasks_for_tests import note_attempt

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


@pytest.fixture
def restore_signals():
    """The worker installs its own SIGINT/SIGTERM handlers: give the test run its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _claimed(worker_ids, *, started_ago: int):
    result = note_attempt.enqueue("/dev/null")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = worker_ids
    row.started_at = timezone.now() - dt.timedelta(seconds=started_ago)
    row.save()
    return row


def _beat(worker_id, *, ago: int = 0):
    moment = timezone.now() - dt.timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, queues="*", started_at=moment, seen_at=moment
    )


def test_a_task_whose_worker_stopped_beating_runs_again_then_fails_when_out_of_attempts(
    database_backend, settings
):
    settings.RELAIS_TASK_MAX_ATTEMPTS = 2
    _beat("alive")
    _beat("dead", ago=600)
    running = _claimed(["alive"], started_ago=600)  # a long task of a live worker
    lost = _claimed(["dead"], started_ago=600)
    unknown = _claimed(["never-beat"], started_ago=600)  # killed before its row was kept
    recent = _claimed(["dead"], started_ago=10)  # too recent to tell
    exhausted = _claimed(["dead", "dead"], started_ago=600)
    assert services.tasks_recover() == (2, 1)
    statuses = {
        name: DBTaskResult.objects.get(pk=row.pk).status
        for name, row in [("running", running), ("lost", lost), ("unknown", unknown),
                          ("recent", recent), ("exhausted", exhausted)]
    }  # fmt: skip
    assert statuses == {
        "running": "RUNNING", "lost": "READY", "unknown": "READY", "recent": "RUNNING",
        "exhausted": "FAILED",
    }  # fmt: skip
    failed = DBTaskResult.objects.get(pk=exhausted.pk)
    assert failed.exception_class_path == services.WORKER_LOST
    assert "s'est arrêté pendant la tâche" in failed.traceback


def test_a_worker_restarted_under_the_same_id_recovers_its_own_task_at_once(database_backend):
    """systemd restarts relais-worker@1 with the same --worker-id: its previous process's task
    must not look alive because the new process beats under that id."""
    _beat("host-1", ago=5)
    mine = _claimed(["host-1"], started_ago=5)
    other = _claimed(["host-2"], started_ago=5)
    _beat("host-2", ago=5)
    services.worker_housekeeping(
        worker_id="host-1", queues="*", started_at=timezone.now(), first=True
    )
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=other.pk).status == "RUNNING"


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
def test_the_worker_runs_the_outbox_through_the_database_queue(
    database_backend, restore_signals, mailoutbox
):
    message = outbox_email(to="a@exemple.test", subject="Bonjour", body="Texte")
    assert DBTaskResult.objects.ready().count() == 1 and mailoutbox == []
    call_command("worker", batch=True, startup_delay=False, worker_id="w1", verbosity=0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(mailoutbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops says so


def test_each_slot_of_each_periodic_job_is_enqueued_once(settings):
    first = services.periodic_enqueue_due()
    assert {run.job for run in first} == {job.name for job in JOBS}
    assert services.periodic_enqueue_due() == []  # a second worker, or the next beat
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        again = services.periodic_enqueue_due()
    assert {run.job for run in again} == {"outbox-sweep"}


def test_slots_are_aligned_and_a_missed_daily_slot_is_caught_up_once():
    paris = timezone.get_current_timezone()
    now = dt.datetime(2026, 11, 24, 10, 7, tzinfo=paris)
    assert JOBS_BY_NAME["send-reminders"].last_slot(now) == now.replace(minute=0)
    assert JOBS_BY_NAME["purge"].last_slot(now) == now.replace(hour=3, minute=0)
    early = dt.datetime(2026, 11, 24, 2, 0, tzinfo=paris)
    assert JOBS_BY_NAME["purge"].last_slot(early) == dt.datetime(2026, 11, 23, 3, 0, tzinfo=paris)


def test_a_periodic_run_records_its_output_or_its_error_in_french(monkeypatch):
    run = PeriodicRun.objects.create(job="outbox-sweep", slot=timezone.now())
    periodic_run.call(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and "Messages remis en file : 0" in run.output

    def broken(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr("relais.jobs.tasks.call_command", broken)
    failed = PeriodicRun.objects.create(job="verify-journal", slot=timezone.now())
    periodic_run.call(failed.pk)
    failed.refresh_from_db()
    assert failed.status == "failed"
    assert failed.error == "Échec : la commande s'est terminée avec le code 1"


def test_the_jobs_page_lists_each_job_and_the_failures(coordinator_client):
    PeriodicRun.objects.create(
        job="purge", slot=timezone.now(), status="failed", error="Échec : base indisponible"
    )
    page = page_text(coordinator_client.get(reverse("jobs:jobs")))
    assert "Échec : base indisponible" in page
    assert all(job.label in page for job in JOBS)
    assert "Aucun processus de travail actif" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="a worker in another process needs a database it can reach (PostgreSQL)",
)
def test_a_worker_killed_mid_task_loses_nothing(database_backend, tmp_path):
    """SIGKILL a real worker in the middle of a task: another worker runs it again, once."""
    notes = tmp_path / "attempts.txt"
    result = note_attempt.enqueue(str(notes), sleep_first=120)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "RELAIS_WORKER_HEARTBEAT_SECONDS": "1",
        "RELAIS_WORKER_LOST_AFTER_SECONDS": "2",
    }
    command = [sys.executable, "-m", "relais", "worker", "--no-startup-delay", "--interval",
               "0.2", "--verbosity", "0"]  # fmt: skip
    first = subprocess.Popen([*command, "--worker-id", "first"], cwd=ROOT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while not (notes.exists() and notes.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert notes.read_text() == "1\n"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    time.sleep(3)  # the dead worker's last heartbeat grows old
    second = subprocess.run(  # noqa: S603 - our own command
        [*command, "--worker-id", "second", "--batch"], cwd=ROOT, env=env, timeout=120
    )
    assert second.returncode == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 2
    assert row.worker_ids == ["first", "second"]
    assert notes.read_text() == "1\n2\n"  # the first run died; the second is the one run
