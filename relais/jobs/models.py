"""What the task engine does not record itself: which workers are alive, and periodic runs.

django-tasks' database backend stores each task (``django_tasks_db.DBTaskResult``) but knows
nothing of its workers: a worker killed mid-task leaves its row RUNNING for ever. Each
``relais worker`` therefore beats in :class:`WorkerHeartbeat`, and a task whose worker has
stopped beating is run again (:func:`relais.jobs.services.tasks_recover`).
"""

import os
import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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


class _ExportsStorage(FileSystemStorage):
    """RELAIS_EXPORTS_DIR read at each use, not once when the models load: a test that points
    it elsewhere writes there (not in the project's var/), and so does the worker it starts."""

    @property
    def base_location(self):
        return settings.RELAIS_EXPORTS_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def exports_storage():
    """Where the files of export and import jobs are kept (RELAIS_EXPORTS_DIR), never under
    MEDIA_URL: they are served only by the views, which check who asks."""
    return _ExportsStorage()


class ExportJob(models.Model):
    """A large export written by a worker, then downloadable for a limited time.

    PERSONAL DATA: the file may hold what its export holds (advisors' names); it and the row
    are deleted once ``expires_at`` has passed (periodic job ``purge-exports``).

    ``kind`` names an export of the registry (relais.jobs.exports: activities, statistics,
    coverage, programme), which builds it again from ``params``, the canonical query string of
    its filters, for the person who asked and with the rights they have then. One job at a time
    per ``fingerprint`` (a hash of requester, kind, format and params) while it is queued or
    running: asking twice gives the same job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="export_jobs",
        verbose_name="demandé par",
    )  # fmt: skip
    label = models.CharField("export", max_length=120)
    kind = models.CharField("type d'export", max_length=40)
    fmt = models.CharField("format", max_length=10)
    params = models.TextField("filtres", blank=True)
    fingerprint = models.CharField("empreinte", max_length=64)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("lignes écrites", default=0)
    rows_total = models.PositiveIntegerField("lignes", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives échouées", default=0)
    file = models.FileField("fichier", storage=exports_storage, upload_to="%Y/%m/", blank=True)
    filename = models.CharField("nom du fichier", max_length=120)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("disponible jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status__in=["queued", "running"]),
                name="export_job_once_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.fmt}) — {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


LINE_OF_ERROR = re.compile(r"Ligne (\d+) ")


class ImportJob(models.Model):
    """A large spreadsheet import run by a worker: checked, then confirmed, then written.

    PERSONAL DATA: the uploaded file and the checked rows hold what the import holds (the
    people of a beneficiaries import); the row and its file are deleted once ``expires_at`` has
    passed (periodic job ``purge-imports``), RELAIS_IMPORT_KEEP_HOURS after the last step.

    ``importer`` is the dotted path of the app's import (an object with ``check(job, content,
    progress)`` and ``write(job, rows)``: the very functions the immediate path calls). The
    worker checks the file (QUEUED → CHECKING → CHECKED or REFUSED); the requester confirms;
    the worker writes every row or none (IMPORTING → DONE or FAILED). One job at a time per
    fingerprint (requester, importer, file's digest) while it is not finished: sending the same
    file twice gives the same job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        CHECKING = "checking", "Vérification en cours"
        CHECKED = "checked", "Vérifié : à confirmer"
        REFUSED = "refused", "Refusé : rien n'a été importé"
        IMPORTING = "importing", "Import en cours"
        DONE = "done", "Importé"
        FAILED = "failed", "Échec : rien n'a été importé"

    ACTIVE = (Status.QUEUED, Status.CHECKING, Status.CHECKED, Status.IMPORTING)

    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="import_jobs",
        verbose_name="demandé par",
    )  # fmt: skip
    label = models.CharField("import", max_length=120)
    importer = models.CharField("fonction", max_length=200)
    next_url = models.CharField("page de retour", max_length=200, blank=True)
    filename = models.CharField("nom du fichier", max_length=120)
    file = models.FileField("fichier", storage=exports_storage, upload_to="imports/%Y/%m/")
    digest = models.CharField("empreinte du fichier", max_length=64)
    fingerprint = models.CharField("empreinte", max_length=64)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("lignes vérifiées", default=0)
    rows_total = models.PositiveIntegerField("lignes", null=True, blank=True)
    rows = models.JSONField("lignes à importer", default=list, blank=True)
    errors = models.JSONField("erreurs", default=list, blank=True)
    warnings = models.JSONField("avertissements", default=list, blank=True)
    created_count = models.PositiveIntegerField("lignes créées", default=0)
    updated_count = models.PositiveIntegerField("lignes mises à jour", default=0)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("conservé jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status__in=["queued", "checking", "checked", "importing"]),
                name="import_job_once_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.filename}) — {self.get_status_display()}"

    @property
    def refused_count(self) -> int:
        """Lines refused: each error names its line (« Ligne N : … »), a line may have several."""
        return len({match[1] for error in self.errors if (match := LINE_OF_ERROR.match(error))})

    @property
    def percent(self) -> int:
        if self.status in (self.Status.CHECKED, self.Status.DONE, self.Status.REFUSED):
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
