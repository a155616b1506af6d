"""The coverage export above RELAIS_EXPORT_JOB_ROWS: a job written by the worker (issue 16),
whose file is the immediate export's, read back independently with openpyxl and csv."""

import csv
import io

import pytest
from django.urls import reverse

from relais.jobs.models import ExportJob

from ..helpers import committed
from ..jobs.sheets import assert_same_workbook, cells
from .test_coverage import seed_week  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
PERIOD = {"du": "2026-05-11", "semaines": 2}


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"


def _immediate(client, settings, url, query):
    settings.RELAIS_EXPORT_JOB_ROWS = 100_000
    response = client.get(url, query)
    assert response.status_code == 200 and not ExportJob.objects.exists()
    return response.content


def _through_a_job(client, settings, url, query) -> tuple[ExportJob, bytes]:
    settings.RELAIS_EXPORT_JOB_ROWS = 0  # every coverage is « large »
    response = committed(client.get, url, query)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:export", args=[job.pk])
    job.refresh_from_db()
    assert job.kind == "coverage" and job.status == ExportJob.Status.DONE, job.error
    download = client.get(reverse("jobs:export_download", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


@pytest.mark.usefixtures("seed_week")
def test_a_large_coverage_xlsx_is_a_job_equal_to_the_immediate_file(coordinator_client, settings):
    url = reverse("planning:coverage_xlsx")
    immediate = _immediate(coordinator_client, settings, url, PERIOD)
    job, written = _through_a_job(coordinator_client, settings, url, PERIOD)
    assert job.filename == "couverture-2026-05-11-2-semaines.xlsx"
    assert job.rows_done == 8 * 2  # the eight seed places, two weeks
    assert assert_same_workbook(written, immediate) == (1 + 16) * 8
    # An independent reading of a figure: Prades, the Ascension week, 3 of 4 half-days planned.
    prades = next(row for row in cells(written)["Couverture"] if row[0] == "Lieu de Prades")
    assert prades[4:] == (4, 3, None, 1)


@pytest.mark.usefixtures("seed_week")
def test_a_large_coverage_csv_is_a_job_equal_to_the_immediate_file(coordinator_client, settings):
    url = reverse("planning:coverage_csv")
    query = {**PERIOD, "separateur": "point-virgule"}
    immediate = _immediate(coordinator_client, settings, url, query)
    job, written = _through_a_job(coordinator_client, settings, url, query)
    assert written == immediate and written.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 16
    # The period is stored written out: the job exports these weeks whatever day it runs.
    assert job.params == "du=2026-05-11&semaines=2&separateur=point-virgule"


def test_an_invalid_period_is_refused_without_a_job(coordinator_client, settings):
    settings.RELAIS_EXPORT_JOB_ROWS = 0
    response = coordinator_client.get(reverse("planning:coverage_xlsx"), {"semaines": "99"})
    assert response.status_code == 400 and not ExportJob.objects.exists()
    assert "Nombre de semaines" in response.content.decode()


def test_only_the_planning_managers_export_the_coverage(partner_client, settings):
    settings.RELAIS_EXPORT_JOB_ROWS = 0
    assert partner_client.get(reverse("planning:coverage_xlsx"), PERIOD).status_code == 403
    assert not ExportJob.objects.exists()
