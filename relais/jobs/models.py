"""What the task engine does not record itself: which workers are alive, and periodic runs.

django-tasks' database backend stores each task (``django_tasks_db.DBTaskResult``) but knows
nothing of its workers: a worker killed mid-task leaves its row RUNNING for ever. Each
``relais worker`` therefore beats in :class:`WorkerHeartbeat`, and a task whose worker has
stopped beating is run again (:func:`relais.jobs.services.tasks_recover`).
"""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One ``relais worker`` process, and the last time it said it was alive."""

    worker_id = models.CharField("identifiant", max_length=64, primary_key=True)
    hostname = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("processus")
    queues = models.CharField("files", max_length=255)
    started_at = models.DateTimeField("démarré le")
    seen_at = models.DateTimeField("vu le", db_index=True)

    class Meta:
        verbose_name = "processus de travail"
        verbose_name_plural = "processus de travail"
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class PeriodicRun(models.Model):
    """One scheduled run of a periodic job (relais/jobs/schedule.py): enqueued once per slot.

    The unique (job, slot) pair is what lets every worker run the scheduler: the first to
    insert the row enqueues the task, the others get an IntegrityError and do nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminée"
        FAILED = "failed", "Échec"

    job = models.CharField("tâche", max_length=60)
    slot = models.DateTimeField("échéance")
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    enqueued_at = models.DateTimeField("mise en file le", auto_now_add=True)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    output = models.TextField("sortie", blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "exécution périodique"
        verbose_name_plural = "exécutions périodiques"
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"
