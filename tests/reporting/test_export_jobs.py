"""Large exports as jobs (issue 16): written by a worker, progress, a download kept for a
limited time, asked twice → one job, only the requester and the coordination download."""

import io
import os
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from relais.activities.models import Activity
from relais.jobs.models import ExportJob
from relais.jobs.services import export_request, exports_purge

from ..helpers import committed
from ..jobs.test_worker import database_backend, restore_signals  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
YEAR = "start=2025-01&end=2025-12"


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"
    settings.RELAIS_EXPORT_JOB_ROWS = 3  # the fixture's 7 activities are « large »


def _ask(client, fmt="xlsx"):
    url = reverse("reporting:export_activities", args=[fmt]) + "?" + YEAR
    return committed(client.get, url)


def _download(client, job):
    response = client.get(reverse("jobs:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_large_export_becomes_a_job_whose_file_matches_the_database(coordinator_client, data):
    """The file read back with openpyxl against a plain ORM query (not the export's code)."""
    response = _ask(coordinator_client)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:export", args=[job.pk])
    job.refresh_from_db()  # the immediate backend built it at the commit
    assert job.status == ExportJob.Status.DONE and job.rows_done == job.rows_total == 7
    sheet = load_workbook(io.BytesIO(_download(coordinator_client, job)), read_only=True).active
    ids = sorted(row[0] for row in list(sheet.iter_rows(values_only=True))[1:])
    expected = Activity.objects.filter(date__gte="2025-01-01", date__lt="2026-01-01").values_list(
        "pk", flat=True
    )
    assert ids == sorted(expected)
    page = coordinator_client.get(reverse("jobs:export", args=[job.pk])).content.decode()
    assert "Télécharger" in page and "hx-trigger" not in page  # done: no more polling
    [notice] = mail.outbox
    assert "Votre export est prêt" in notice.subject
    assert reverse("jobs:export", args=[job.pk]) in notice.body


def test_a_small_export_stays_immediate(coordinator_client, data, settings):
    settings.RELAIS_EXPORT_JOB_ROWS = 1000
    response = _ask(coordinator_client, "csv")
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_asked_twice_while_it_runs_gives_the_same_job(coordinator, data):
    # Not committed: the task is never enqueued, the job stays queued.
    ask = dict(user=coordinator, label="Activités", fmt="csv", params=YEAR, filename="a.csv",
               builder="relais.reporting.exports.activity_export_job")  # fmt: skip
    first = export_request(**ask)
    assert export_request(**ask).pk == first.pk
    ExportJob.objects.filter(pk=first.pk).update(status=ExportJob.Status.RUNNING)
    assert export_request(**ask).pk == first.pk
    assert export_request(**{**ask, "fmt": "ods"}).pk != first.pk  # another file
    ExportJob.objects.filter(pk=first.pk).update(status=ExportJob.Status.DONE)
    assert export_request(**ask).pk != first.pk  # done: a new one is fresh data


def test_the_progress_page_polls_while_the_job_runs(coordinator_client, coordinator, data):
    job = ExportJob.objects.create(
        requested_by=coordinator, label="Activités", builder="x", fmt="xlsx", fingerprint="f",
        filename="a.xlsx", status=ExportJob.Status.RUNNING, rows_total=200, rows_done=50,
    )  # fmt: skip
    page = coordinator_client.get(reverse("jobs:export", args=[job.pk]))
    html = page.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="25"' in html and "50 lignes sur 200" in html
    fragment = coordinator_client.get(reverse("jobs:export", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="etat-export"')
    assert coordinator_client.get(reverse("jobs:export_download", args=[job.pk])).status_code == 404


def test_only_the_requester_and_the_coordination_download(
    advisor_client, advisor_user, coordinator_client, partner_client, data
):
    _ask(advisor_client)
    job = ExportJob.objects.get()
    assert job.requested_by == advisor_user and job.status == ExportJob.Status.DONE
    _download(advisor_client, job)
    _download(coordinator_client, job)
    for url in ("jobs:export", "jobs:export_download"):
        assert partner_client.get(reverse(url, args=[job.pk])).status_code == 403


def test_a_job_and_its_file_are_purged_when_their_time_is_up(coordinator_client, data, settings):
    _ask(coordinator_client)
    job = ExportJob.objects.get()
    path = job.file.path
    assert exports_purge() == 0
    with time_machine.travel(
        timezone.now() + timedelta(hours=settings.RELAIS_EXPORT_KEEP_HOURS + 1)
    ):
        call_command("purge-exports", stdout=io.StringIO())
    assert not ExportJob.objects.exists() and not os.path.exists(path)


def test_a_failing_export_shows_its_error_in_french(coordinator, monkeypatch, data):
    from relais.reporting import exports

    def broken(job):
        raise ValueError("base indisponible")

    monkeypatch.setattr(exports, "activity_export_job", broken)
    # The task fails (the worker records it, the jobs page lists it); the job says why.
    committed(export_request, user=coordinator, label="Activités", fmt="csv", params=YEAR,
              filename="a.csv", builder="relais.reporting.exports.activity_export_job")  # fmt: skip
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "L'export n'a pas pu être écrit : base indisponible"


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
@pytest.mark.usefixtures("database_backend", "restore_signals")
def test_a_real_worker_writes_the_export(coordinator_client, data):
    """End to end: the job waits in the task table until `relais worker` writes its file."""
    from django_tasks_db.models import DBTaskResult

    response = coordinator_client.get(
        reverse("reporting:export_activities", args=["csv"]) + "?" + YEAR + "&sep=semicolon"
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJob.Status.QUEUED
    assert "hx-trigger" in coordinator_client.get(response.url).content.decode()
    call_command("worker", batch=True, startup_delay=False, worker_id="w1", verbosity=0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 7
    lines = _download(coordinator_client, job).decode("utf-8").splitlines()
    assert len(lines) == 8 and lines[0].startswith("Identifiant;")
    assert {row.status for row in DBTaskResult.objects.all()} == {"SUCCESSFUL"}
