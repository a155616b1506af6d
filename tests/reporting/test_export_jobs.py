"""Large exports as jobs (issue 16): written by a worker, progress, a download kept for a
limited time, asked twice → one job, only the requester and the coordination download."""

import csv
import io
import os
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from relais.accounts.enums import Role
from relais.activities.models import Activity
from relais.jobs.exports import export_kind
from relais.jobs.models import ExportJob
from relais.jobs.services import export_build, export_request, exports_purge

from ..helpers import committed, login_verified, run_together
from ..jobs.sheets import assert_same_workbook, cells
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
    kind = export_kind("activities")

    def ask(query, fmt="csv"):
        export = kind.prepare(coordinator, QueryDict(query), fmt)
        return export_request(user=coordinator, kind=kind, fmt=fmt, export=export)

    first = ask(YEAR)
    assert ask(YEAR).pk == first.pk
    # The same filters in another order, with noise: the same export, the same job.
    assert ask("utm_source=mail&end=2025-12&start=2025-01").pk == first.pk
    ExportJob.objects.filter(pk=first.pk).update(status=ExportJob.Status.RUNNING)
    assert ask(YEAR).pk == first.pk
    assert ask(YEAR, "ods").pk != first.pk  # another file
    assert ask(YEAR + "&kind=collective").pk != first.pk  # other filters
    ExportJob.objects.filter(pk=first.pk).update(status=ExportJob.Status.DONE)
    assert ask(YEAR).pk != first.pk  # done: a new one is fresh data


def test_the_same_request_twice_through_the_page_gives_one_job(coordinator_client, data):
    first = coordinator_client.get(
        reverse("reporting:export_activities", args=["xlsx"]) + "?" + YEAR
    )
    again = coordinator_client.get(
        reverse("reporting:export_activities", args=["xlsx"]) + "?" + YEAR
    )
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_export_asked_at_the_same_instant_gives_one_job(coordinator, data, settings):
    """Six tabs asking the same export at once: the partial unique constraint leaves one job and
    every request is sent to it (no ValidationError from a twin committed in between)."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (set DATABASE_URL=postgres://…, as CI does).")
    device = coordinator.totpdevice_set.get()
    clients = [login_verified(Client(), coordinator, device) for _ in range(6)]
    url = reverse("reporting:export_activities", args=["xlsx"]) + "?" + YEAR
    # run=False: the jobs stay queued (no worker), so every request finds the same active one.
    dummy = {**settings.TASKS["default"], "BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    with override_settings(TASKS={"default": dummy}):
        answers, errors = run_together(lambda client: client.get(url), [(c,) for c in clients])
    job = ExportJob.objects.get()
    assert errors == []
    assert [a.status_code for a in answers] == [302] * 6
    assert {a.url for a in answers} == {reverse("jobs:export", args=[job.pk])}


def test_a_twin_committed_after_the_check_still_gives_its_job(coordinator, data, monkeypatch):
    """The race's narrow window made certain: the twin request commits its job after this one
    looked for it. The database's constraint settles it and this request gets the twin's job;
    a validation of the constraint in Python would have raised instead."""
    kind = export_kind("activities")
    export = kind.prepare(coordinator, QueryDict(YEAR), "csv")
    twin = export_request(user=coordinator, kind=kind, fmt="csv", export=export)
    looked = []
    real_first = QuerySet.first

    def first_before_the_twin(queryset):
        if queryset.model is ExportJob and not looked:
            looked.append(True)
            return None  # the twin was not committed yet when this request looked
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_before_the_twin)
    assert export_request(user=coordinator, kind=kind, fmt="csv", export=export).pk == twin.pk
    assert looked and ExportJob.objects.count() == 1


def test_the_progress_page_polls_while_the_job_runs(coordinator_client, coordinator, data):
    job = ExportJob.objects.create(
        requested_by=coordinator, label="Activités", kind="activities", fmt="xlsx", fingerprint="f",
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


def test_a_failing_export_is_retried_then_shows_its_error_in_french_on_the_jobs_page(
    coordinator, coordinator_client, monkeypatch, data, settings
):
    from relais.reporting import exports

    calls = []

    def broken(filters, *, with_advisor):
        calls.append(1)
        raise ValueError("base indisponible")

    monkeypatch.setattr(exports, "activity_rows", broken)
    _ask(coordinator_client, "csv")
    job = ExportJob.objects.get()
    # Tried RELAIS_TASK_MAX_ATTEMPTS times (at once: the immediate backend does not defer).
    assert len(calls) == job.attempts == settings.RELAIS_TASK_MAX_ATTEMPTS
    assert job.status == ExportJob.Status.FAILED
    assert job.error == (
        "L'export n'a pas pu être écrit : base indisponible "
        f"(après {settings.RELAIS_TASK_MAX_ATTEMPTS} tentatives)"
    )
    page = coordinator_client.get(reverse("jobs:jobs")).content.decode()
    assert "export « Activités » (CSV)" in page and "base indisponible" in page
    assert (
        "base indisponible"
        in coordinator_client.get(reverse("jobs:export", args=[job.pk])).content.decode()
    )


def test_a_right_withdrawn_after_the_click_is_withdrawn_from_the_file(
    advisor_client, advisor_user, data
):
    _ask(advisor_client)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    advisor_user.role = Role.COMMITTEE_MEMBER  # sees the statistics, exports no activity
    advisor_user.save()
    for url in ("jobs:export", "jobs:export_download"):
        assert advisor_client.get(reverse(url, args=[job.pk])).status_code == 403


def test_a_job_built_after_the_right_was_withdrawn_fails_in_french(advisor_user, data):
    kind = export_kind("activities")
    export = kind.prepare(advisor_user, QueryDict(YEAR), "csv")
    job = export_request(user=advisor_user, kind=kind, fmt="csv", export=export)
    advisor_user.role = Role.COMMITTEE_MEMBER
    advisor_user.save()
    with pytest.raises(PermissionDenied):
        export_build(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.attempts == 1  # not retried
    assert job.error == "Le demandeur n'a plus accès à cet export : il n'a pas été écrit."


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_the_job_file_equals_the_immediate_file(coordinator_client, data, settings, fmt):
    """The same data, once through the page (small: immediate), once through a job; both files
    read back independently (openpyxl for XLSX, csv / the ODS XML for the others)."""
    settings.RELAIS_EXPORT_JOB_ROWS = 1000
    immediate = _ask(coordinator_client, fmt)
    assert immediate.status_code == 200
    immediate_file = b"".join(immediate.streaming_content)
    settings.RELAIS_EXPORT_JOB_ROWS = 3
    _ask(coordinator_client, fmt)
    job_file = _download(coordinator_client, ExportJob.objects.get())
    if fmt == "xlsx":
        assert assert_same_workbook(job_file, immediate_file) == 8 * 38  # 7 activities, 38 columns
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(job_file.decode()))) == list(
            csv.reader(io.StringIO(immediate_file.decode()))
        )
    else:
        assert _ods_content(job_file) == _ods_content(immediate_file)


def _ods_content(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("content.xml")


def test_a_large_statistics_export_is_a_job_equal_to_the_immediate_one(
    coordinator_client, data, settings
):
    """Statistics read every activity of the period: above the threshold, a job too."""
    url = reverse("reporting:export_statistics", args=["xlsx"]) + "?" + YEAR
    settings.RELAIS_EXPORT_JOB_ROWS = 1000
    immediate = coordinator_client.get(url)
    assert immediate.status_code == 200 and not ExportJob.objects.exists()
    settings.RELAIS_EXPORT_JOB_ROWS = 3
    response = committed(coordinator_client.get, url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.kind == "statistics"
    assert job.status == ExportJob.Status.DONE and job.filename.startswith("statistiques-")
    compared = assert_same_workbook(
        _download(coordinator_client, job), b"".join(immediate.streaming_content)
    )
    assert compared > 50
    assert cells(_download(coordinator_client, job))["Indicateurs"][1] == ("Activités", 7)


def test_invalid_filters_are_refused_in_french_without_a_job(coordinator_client, data):
    response = coordinator_client.get(
        reverse("reporting:export_activities", args=["xlsx"]) + "?start=2025-13&place=abc"
    )
    assert response.status_code == 400 and not ExportJob.objects.exists()
    assert "Export impossible" in response.content.decode()


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
