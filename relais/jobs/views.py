"""The jobs page (the last run of each periodic job, failed tasks, live workers) and the page of
an export job."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from relais.core.perms import require
from relais.messaging.perms import can_view_outbox

from .exports import export_kind
from .models import ExportJob, ImportJob, PeriodicRun, WorkerHeartbeat
from .perms import can_view_export, can_view_import
from .schedule import JOBS
from .services import import_confirm as import_confirm_job


@login_required
def jobs_page(request):
    require(can_view_outbox(request.user))  # coordinators and administrators
    last_runs = {}
    for run in PeriodicRun.objects.filter(job__in=[job.name for job in JOBS]).order_by("-slot"):
        last_runs.setdefault(run.job, run)
        if len(last_runs) == len(JOBS):
            break
    alive_after = timezone.now() - dt.timedelta(seconds=settings.RELAIS_WORKER_LOST_AFTER_SECONDS)
    return render(
        request,
        "jobs/jobs.html",
        {
            "jobs": [(job, last_runs.get(job.name)) for job in JOBS],
            "failed_runs": PeriodicRun.objects.filter(status=PeriodicRun.Status.FAILED)[:20],
            "failed_tasks": DBTaskResult.objects.failed().order_by("-finished_at")[:20],
            "failed_exports": ExportJob.objects.filter(status=ExportJob.Status.FAILED)
            .select_related("requested_by")
            .order_by("-finished_at")[:20],
            "waiting": DBTaskResult.objects.ready().count(),
            "workers": WorkerHeartbeat.objects.filter(seen_at__gte=alive_after),
        },
    )


def _export(request, pk: int) -> ExportJob:
    """The job, for its requester or the coordination, while they may still make this export:
    a right withdrawn after the click is withdrawn from the file too."""
    job = get_object_or_404(ExportJob, pk=pk)
    require(can_view_export(request.user, job))
    try:
        allowed = export_kind(job.kind).allowed(request.user)
    except KeyError:  # a kind no longer in the registry
        allowed = False
    require(allowed)
    return job


@login_required
def export_page(request, pk: int):
    """An export job's progress (refreshed by htmx while it runs), then its download link."""
    job = _export(request, pk)
    template = "jobs/export_status.html" if request.htmx else "jobs/export.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk: int):
    job = _export(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("Cet export n'est pas (ou plus) disponible.")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _import(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=pk)
    require(can_view_import(request.user, job))
    return job


@login_required
def import_page(request, pk: int):
    """An import job: its progress (refreshed by htmx while a worker works), the lines refused
    or the lines to confirm, then the counts."""
    job = _import(request, pk)
    template = "jobs/import_status.html" if request.htmx else "jobs/import.html"
    context = {"job": job}
    if job.status == ImportJob.Status.CHECKED:
        # The importer says which of its row's fields the preview shows, as on its own page.
        columns = import_string(job.importer).PREVIEW_COLUMNS
        context["columns"] = [label for _, label in columns]
        context["preview_rows"] = [
            (row["line"], [(label, row.get(name)) for name, label in columns]) for row in job.rows
        ]
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Confirm a checked import: a worker writes it (twice gives the same job, written once)."""
    job = _import(request, pk)
    if job.status == ImportJob.Status.CHECKED:
        job = import_confirm_job(job=job)
    return redirect("jobs:import", job.pk)
