"""``relais worker``: django-tasks' database worker, plus what it lacks to survive a crash.

On top of ``db_worker`` (same options; all queues by default) a thread of this process, every
``RELAIS_WORKER_HEARTBEAT_SECONDS``: records that the worker is alive, runs again the tasks of
workers that stopped beating (killed mid-task), and enqueues the periodic jobs that are due
(``RELAIS_PERIODIC_JOBS``). Run one or several per machine, on as many machines as needed:
they share the queue through the database (docs/operations.md, « Worker »).
"""

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from relais.jobs import services

logger = logging.getLogger("relais.jobs")


class Housekeeping(threading.Thread):
    """The worker's heartbeat, recovery and scheduler, beside the thread that runs tasks."""

    def __init__(self, *, worker_id: str, queues: str):
        super().__init__(name="relais-worker-housekeeping", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self, *, first: bool = False) -> None:
        try:
            services.worker_housekeeping(
                worker_id=self.worker_id, queues=self.queues, started_at=self.started_at,
                first=first,
            )  # fmt: skip
        except Exception:  # a database hiccup must not stop the beats that follow
            logger.exception("Worker housekeeping failed")

    def run(self) -> None:
        while not self.stopping.wait(settings.RELAIS_WORKER_HEARTBEAT_SECONDS):
            try:
                self.beat()
            finally:
                connection.close()  # this thread's own connection; reopened at the next beat


class Command(db_worker.Command):
    help = "Exécute les tâches de fond (envois, planificateur, tâches périodiques)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Every queue unless told otherwise (db_worker's default is the "default" queue only).
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options) -> None:
        housekeeping = Housekeeping(worker_id=options["worker_id"], queues=options["queue_name"])
        # The first beat, from this thread, before any task is claimed: a worker is never
        # unknown while it runs one, and a restarted worker recovers its own lost task at once.
        housekeeping.beat(first=True)
        if not options["batch"]:
            housekeeping.start()
        try:
            super().handle(*args, **options)
        finally:
            housekeeping.stopping.set()
            services.worker_stopped(worker_id=options["worker_id"])
