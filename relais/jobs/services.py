"""The worker's housekeeping: heartbeats, recovery of tasks whose worker died, the scheduler.

Each ``relais worker`` calls :func:`worker_housekeeping` every
``RELAIS_WORKER_HEARTBEAT_SECONDS`` from a thread of its own (the worker's main thread is busy
running tasks). Everything here is safe with any number of workers on any number of machines:
rows are claimed with ``select_for_update(skip_locked=True)`` or inserted under a unique
constraint.
"""

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import PeriodicRun, WorkerHeartbeat
from .schedule import JOBS

logger = logging.getLogger(__name__)

WORKER_LOST = "relais.jobs.services.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped (killed, machine lost) before the task ended."""


def worker_heartbeat(*, worker_id: str, queues: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "queues": queues[:255],
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def worker_stopped(*, worker_id: str) -> None:
    """A worker that stops cleanly says so: its tasks ended, nothing is left to recover."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_recover(
    *, now: dt.datetime | None = None, restarted: str | None = None
) -> tuple[int, int]:
    """Run again the RUNNING tasks whose worker stopped beating; fail those out of attempts.

    A task is « lost » when the last worker that claimed it has no heartbeat newer than
    ``RELAIS_WORKER_LOST_AFTER_SECONDS`` (nor any: it was killed and its row cleaned, or it was
    not a ``relais worker``) and the task started before that too. It goes back to READY — a
    retry — while it has been claimed fewer than ``RELAIS_TASK_MAX_ATTEMPTS`` times, else it is
    marked FAILED with :class:`WorkerLost`. Tasks are written so that running one again gives
    the result of one run (the outbox claims each message, a planner run rewrites its row).
    ``restarted`` is the id of a worker starting now: a task still RUNNING under that id was
    left by its previous process (systemd restarts a unit with the same ``--worker-id``), and
    is recovered at once. Returns (retried, failed).
    """
    now = now or timezone.now()
    lost_before = now - dt.timedelta(seconds=settings.RELAIS_WORKER_LOST_AFTER_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=lost_before).values_list("worker_id", flat=True)
    )
    retried = failed = 0
    alive.discard(restarted)
    with transaction.atomic():
        running = DBTaskResult.objects.running()
        if not restarted:  # (a JSON "contains" lookup does not exist on SQLite)
            running = running.filter(started_at__lt=lost_before)
        for row in running.select_for_update(skip_locked=True):
            last = row.worker_ids[-1] if row.worker_ids else None
            if last in alive or (row.started_at >= lost_before and last != restarted):
                continue
            if len(row.worker_ids) < settings.RELAIS_TASK_MAX_ATTEMPTS:
                row.status = TaskResultStatus.READY
                row.save(update_fields=["status"])
                retried += 1
                logger.warning("Task %s lost with its worker: run again", row.id)
            else:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = WORKER_LOST
                row.traceback = (
                    f"Le processus de travail s'est arrêté pendant la tâche, "
                    f"{len(row.worker_ids)} fois : abandonnée."
                )
                row.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
                logger.error("Task %s lost with its worker too often: failed", row.id)
    # Heartbeats of workers gone for a day only clutter the jobs page.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return retried, failed


def periodic_enqueue_due(*, now: dt.datetime | None = None) -> list[PeriodicRun]:
    """Enqueue the last slot of each periodic job that has no run yet (once, whoever asks)."""
    from .tasks import periodic_run

    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        slot = job.last_slot(now)
        if PeriodicRun.objects.filter(job=job.name, slot=slot).exists():
            continue  # the usual case, without an INSERT failing in the database's log
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, slot=slot)
                transaction.on_commit(lambda pk=run.pk: periodic_run.enqueue(pk))
        except IntegrityError:
            continue  # this slot is enqueued already, by this worker or another
        enqueued.append(run)
    return enqueued


def worker_housekeeping(
    *, worker_id: str, queues: str, started_at: dt.datetime, first: bool = False
) -> None:
    if first:  # before this process's heartbeat makes its id look alive
        tasks_recover(restarted=worker_id)
    worker_heartbeat(worker_id=worker_id, queues=queues, started_at=started_at)
    tasks_recover()
    if settings.RELAIS_PERIODIC_JOBS:
        periodic_enqueue_due()
