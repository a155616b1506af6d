"""Tasks of the jobs app: one run of a periodic job."""

import io

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from .models import PeriodicRun
from .schedule import JOBS_BY_NAME

OUTPUT_MAX = 20_000


@task()
def periodic_run(run_id: int) -> str:
    """Run the management command of a periodic job and record its outcome on the row.

    The commands are idempotent, so a retry after the worker died simply runs it again. A
    failure is recorded (French message on the jobs page), not retried: the next slot is.
    """
    run = PeriodicRun.objects.get(pk=run_id)
    job = JOBS_BY_NAME.get(run.job)
    PeriodicRun.objects.filter(pk=run_id).update(
        status=PeriodicRun.Status.RUNNING, started_at=timezone.now(), attempts=run.attempts + 1
    )
    out = io.StringIO()
    try:
        if job is None:
            raise LookupError(f"tâche périodique inconnue : {run.job}")
        call_command(*job.command, stdout=out, stderr=out)
    except (Exception, SystemExit) as error:  # a command's exit status 1 is a SystemExit
        status = PeriodicRun.Status.FAILED
        message = str(error) or error.__class__.__name__
        if isinstance(error, SystemExit):
            message = f"la commande s'est terminée avec le code {error.code}"
        error_text = f"Échec : {message}"[:2000]
    else:
        status, error_text = PeriodicRun.Status.DONE, ""
    PeriodicRun.objects.filter(pk=run_id).update(
        status=status,
        finished_at=timezone.now(),
        output=out.getvalue()[-OUTPUT_MAX:],
        error=error_text,
    )
    return status


@task(queue_name="exports")
def export_build_task(job_id: int) -> str:
    """Write an export job's file (relais.jobs.services.export_build); re-runnable."""
    from .services import export_build

    return export_build(job_id)


# The import tasks read the uploaded file from RELAIS_EXPORTS_DIR: the queue of the exports,
# which runs where that directory is reachable (docs/operations.md).
@task(queue_name="exports")
def import_check_task(job_id: int) -> str:
    """Check an import job's file (relais.jobs.services.import_check); re-runnable."""
    from .services import import_check

    return import_check(job_id)


@task(queue_name="exports")
def import_write_task(job_id: int) -> str:
    """Write a confirmed import job (relais.jobs.services.import_write); re-runnable."""
    from .services import import_write

    return import_write(job_id)
