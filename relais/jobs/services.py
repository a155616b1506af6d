"""The worker's housekeeping: heartbeats, recovery of tasks whose worker died, the scheduler.

Each ``relais worker`` calls :func:`worker_housekeeping` every
``RELAIS_WORKER_HEARTBEAT_SECONDS`` from a thread of its own (the worker's main thread is busy
running tasks). Everything here is safe with any number of workers on any number of machines:
rows are claimed with ``select_for_update(skip_locked=True)`` or inserted under a unique
constraint.
"""

import datetime as dt
import hashlib
import logging
import os
import socket
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from relais.core import french
from relais.core.validators import error_text
from relais.messaging.outbox import outbox_email

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


# --- Export jobs ------------------------------------------------------------------------------
# Progress is written every PROGRESS_ROWS rows: often enough for the page, rarely enough to cost
# nothing next to the rows themselves.
PROGRESS_ROWS = 5000
# A failed export is tried again after 30 s, then 60 s, ... (RELAIS_TASK_MAX_ATTEMPTS runs).
EXPORT_RETRY_SECONDS = 30


def export_fingerprint(*, user, kind: str, fmt: str, params: str) -> str:
    """Who asks, which kind, which format, which canonical filters: one job at a time each."""
    return hashlib.sha256("\x1f".join([str(user.pk), kind, fmt, params]).encode()).hexdigest()


def export_request(*, user, kind, fmt: str, export):
    """The export job of ``export`` (an :class:`relais.jobs.exports.Export` of ``kind``): the one
    already queued or running for the same person, kind, format and filters, or a new one.

    Asking twice (a double click, a second tab) while the first is not done gives the same
    job; the partial unique constraint settles two requests arriving together.
    """
    from .models import ExportJob

    fingerprint = export_fingerprint(user=user, kind=kind.name, fmt=fmt, params=export.params)
    active = ExportJob.objects.filter(fingerprint=fingerprint, status__in=ExportJob.ACTIVE)
    existing = active.first()
    if existing is not None:
        return existing
    job = ExportJob(
        requested_by=user, label=kind.label[:120], kind=kind.name, fmt=fmt,
        params=export.params, fingerprint=fingerprint, filename=export.filename[:120],
        rows_total=export.size,
    )  # fmt: skip
    # The unique constraint is the database's to settle (below): checked here, a twin request
    # committed in between would raise a ValidationError instead of giving its job.
    job.full_clean(exclude=["file"], validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        return active.get()
    from .tasks import export_build_task

    transaction.on_commit(lambda: export_build_task.enqueue(job.pk), robust=True)
    return job


def _failure_message(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return "Le demandeur n'a plus accès à cet export : il n'a pas été écrit."
    if isinstance(error, ValidationError):
        return "Les filtres de l'export ne sont plus valides : " + error_text(error)
    return f"L'export n'a pas pu être écrit : {error}"


def _export_failed(job, error: Exception) -> str:
    """Record why a job failed, in French. A fault that may pass (the database, the disk) is
    tried again later, up to RELAIS_TASK_MAX_ATTEMPTS runs in all; a refusal (rights, filters)
    is final at once. The last failure is raised, so the task is marked failed too."""
    from .models import ExportJob
    from .tasks import export_build_task

    logger.exception("Export job %s failed", job.pk)
    attempts = job.attempts + 1
    message = _failure_message(error)
    final = isinstance(error, PermissionDenied | ValidationError)
    if final or attempts >= settings.RELAIS_TASK_MAX_ATTEMPTS:
        if attempts > 1:
            message += f" (après {attempts} tentatives)"
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), attempts=attempts,
            error=message[:2000],
            expires_at=timezone.now() + dt.timedelta(hours=settings.RELAIS_EXPORT_KEEP_HOURS),
        )  # fmt: skip
        raise error
    delay = EXPORT_RETRY_SECONDS * 2 ** (attempts - 1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.QUEUED, attempts=attempts, rows_done=0,
        error=f"{message} Nouvelle tentative dans {delay} s.",
    )  # fmt: skip
    task = export_build_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    task.enqueue(job.pk)
    return ExportJob.Status.QUEUED


def export_build(job_id: int) -> str:
    """Write the file of an export job; safe to run again (a worker died): it starts over.

    The export is built again from the stored filters for the person who asked, with the
    permissions of now (a right withdrawn since the click is a right withdrawn), and written by
    the same code as the immediate download (relais.jobs.exports).
    """
    from django.core.files import File
    from django.http import QueryDict

    from .exports import export_kind
    from .models import ExportJob

    job = ExportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.status not in ExportJob.ACTIVE:
        return job.status if job else "missing"
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_done=0)
    try:
        user = job.requested_by
        if not user.is_active:
            raise PermissionDenied
        export = export_kind(job.kind).prepare(user, QueryDict(job.params), job.fmt)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=export.size)
        done = 0

        def counted(rows):
            nonlocal done
            for row in rows:
                yield row
                done += 1
                if done % PROGRESS_ROWS == 0:
                    ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        with tempfile.TemporaryFile() as handle:
            for block in export.write(counted):
                handle.write(block)
            handle.seek(0)
            job.file.save(job.filename, File(handle), save=False)
    except Exception as error:
        return _export_failed(job, error)
    now = timezone.now()
    job.status, job.finished_at, job.rows_done = ExportJob.Status.DONE, now, done
    job.expires_at = now + dt.timedelta(hours=settings.RELAIS_EXPORT_KEEP_HOURS)
    with transaction.atomic():
        job.save(update_fields=["status", "finished_at", "expires_at", "file", "rows_done"])
        if job.requested_by.email:
            from django.urls import reverse

            link = settings.RELAIS_SITE_URL.rstrip("/") + reverse("jobs:export", args=[job.pk])
            outbox_email(
                to=job.requested_by.email,
                subject=f"Votre export est prêt : {job.label}",
                body=(
                    f"Bonjour,\n\nL'export « {job.label} » ({job.fmt.upper()}) est prêt. "
                    f"Vous pouvez le télécharger jusqu'au "
                    f"{french.french_datetime(job.expires_at)} :\n{link}\n\nRelais"
                ),
                origin=f"export:{job.pk}",
            )
    return job.status


def _expired_delete(model, *, now: dt.datetime | None) -> int:
    """Delete the jobs of ``model`` (exports or imports) past their time, with their files."""
    count = 0
    for job in model.objects.filter(expires_at__lt=now or timezone.now()):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the export jobs past their time, with their files; returns how many."""
    from .models import ExportJob

    return _expired_delete(ExportJob, now=now)


# --- Import jobs ------------------------------------------------------------------------------
# The app's import is an object with ``check(*, job, content, progress)`` (returns a preview:
# ``rows``, ``errors``, ``warnings``, ``ok``) and ``write(*, job, rows)`` (returns the counts
# created, updated; raises ValidationError, nothing stored): the functions its immediate path
# calls, so that a file gives the same answer whatever its size.


def import_request(
    *, user, label: str, importer: str, filename: str, content: bytes, next_url: str = ""
):
    """The import job of this file: the one not finished yet, or a new one, checked by a worker.

    Sending the same file twice (a double click, a second tab) while its job is not finished
    gives the same job; the partial unique constraint settles two requests arriving together.
    """
    from django.core.files.base import ContentFile

    from .models import ImportJob

    digest = hashlib.sha256(content).hexdigest()
    fingerprint = hashlib.sha256("\x1f".join([str(user.pk), importer, digest]).encode()).hexdigest()
    active = ImportJob.objects.filter(fingerprint=fingerprint, status__in=ImportJob.ACTIVE)
    existing = active.first()
    if existing is not None:
        return existing
    job = ImportJob(
        requested_by=user, label=label[:120], importer=importer, filename=filename[-120:],
        digest=digest, fingerprint=fingerprint, next_url=next_url[:200],
        expires_at=_import_keep_until(timezone.now()),  # pushed back at each step
    )  # fmt: skip
    # The unique constraint is the database's to settle (below): checked here, a twin request
    # committed in between would raise a ValidationError instead of giving its job.
    job.full_clean(exclude=["file"], validate_constraints=False)
    job.file.save(job.filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        job.file.delete(save=False)
        return active.get()
    from .tasks import import_check_task

    transaction.on_commit(lambda: import_check_task.enqueue(job.pk), robust=True)
    return job


def _import_notify(job, subject: str, text: str) -> None:
    """One e-mail per step, in the transaction that records the step: never sent twice."""
    from django.urls import reverse

    if not job.requested_by.email:
        return
    link = settings.RELAIS_SITE_URL.rstrip("/") + reverse("jobs:import", args=[job.pk])
    outbox_email(
        to=job.requested_by.email,
        subject=f"{subject} : {job.label}",
        body=f"Bonjour,\n\n{text}\n{link}\n\nRelais",
        origin=f"import:{job.pk}:{job.status}",
    )


def _import_keep_until(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.RELAIS_IMPORT_KEEP_HOURS)


def _import_failed(job, message: str, errors=()) -> None:
    from .models import ImportJob

    now = timezone.now()
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportJob.Status.FAILED, finished_at=now, error=message[:2000],
            errors=list(errors), rows=[], expires_at=_import_keep_until(now),
        )  # fmt: skip
        if updated:
            job.status = ImportJob.Status.FAILED
            _import_notify(job, "Import impossible", f"Le fichier {job.filename} n'a pas pu "
                           f"être importé : {message}\nRien n'a été enregistré.")  # fmt: skip


def import_check(job_id: int) -> str:
    """Check every line of an import job's file (reads only); safe to run again: it starts over.

    The job ends CHECKED (its rows wait for the requester's confirmation) or REFUSED (the
    errors per line, nothing stored), like the immediate path's preview."""
    from django.utils.module_loading import import_string

    from .models import ImportJob

    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.CHECKING):
        return job.status if job else "missing"
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, rows_done=0)
    job.status = ImportJob.Status.CHECKING

    def progress(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        preview = import_string(job.importer).check(job=job, content=content, progress=progress)
    except Exception as error:
        logger.exception("Import job %s failed while checking", job.pk)
        _import_failed(job, f"le fichier n'a pas pu être vérifié ({error.__class__.__name__}).")
        raise
    now = timezone.now()
    status = ImportJob.Status.CHECKED if preview.ok else ImportJob.Status.REFUSED
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
            status=status, rows=preview.rows if preview.ok else [], errors=preview.errors,
            warnings=preview.warnings, rows_done=len(preview.rows), finished_at=now,
            expires_at=_import_keep_until(now),
        )  # fmt: skip
        if updated:
            job.status = status
            if preview.ok:
                _import_notify(
                    job, "Import vérifié, à confirmer",
                    f"Le fichier {job.filename} est vérifié : {len(preview.rows)} ligne(s) à "
                    f"importer. Rien n'est enregistré tant que vous ne confirmez pas l'import :",
                )  # fmt: skip
            else:
                _import_notify(
                    job, "Import refusé",
                    f"Le fichier {job.filename} contient {len(preview.errors)} erreur(s) : rien "
                    f"n'a été importé. Les lignes à corriger sont indiquées ici :",
                )  # fmt: skip
    return status


def import_confirm(*, job):
    """The requester confirms a checked import: a worker writes it. Confirming twice (a double
    click, two tabs) enqueues it once and gives the same job."""
    from .models import ImportJob

    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.IMPORTING, confirmed_at=timezone.now(),
        expires_at=_import_keep_until(timezone.now()),
    )  # fmt: skip
    if updated:
        from .tasks import import_write_task

        transaction.on_commit(lambda: import_write_task.enqueue(job.pk), robust=True)
    job.refresh_from_db()
    return job


def import_write(job_id: int) -> str:
    """Write a confirmed import job's rows, all or none, in one transaction with the job's DONE.

    A worker killed while writing leaves nothing (the transaction rolls back): the task run
    again writes the rows once. A run after the commit finds the job DONE and does nothing.
    """
    from django.core.exceptions import ValidationError
    from django.utils.module_loading import import_string

    from .models import ImportJob

    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job.status if job else "missing"
    try:
        with transaction.atomic():
            # The row locked first: two runs of the task at once (a worker thought dead) wait.
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.IMPORTING:
                return locked.status
            created, updated = import_string(job.importer).write(job=job, rows=job.rows)
            now = timezone.now()
            job.status, job.finished_at = ImportJob.Status.DONE, now
            job.created_count, job.updated_count, job.rows = created, updated, []
            job.expires_at = _import_keep_until(now)
            job.save(update_fields=[
                "status", "finished_at", "created_count", "updated_count", "rows", "expires_at",
            ])  # fmt: skip
            _import_notify(
                job, "Import terminé",
                f"Le fichier {job.filename} est importé : {created} ligne(s) créée(s)"
                + (f", {updated} mise(s) à jour" if updated else "") + ".",
            )  # fmt: skip
    except ValidationError as error:
        # The database changed since the check (e.g. a commune removed): nothing was stored.
        _import_failed(job, error_text(error), errors=error.messages)
    except Exception as error:
        logger.exception("Import job %s failed while writing", job.pk)
        _import_failed(job, f"erreur pendant l'écriture ({error.__class__.__name__}).")
        raise
    return job.status


def imports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the import jobs past their time, with their files; returns how many."""
    from .models import ImportJob

    return _expired_delete(ImportJob, now=now)
