"""The workshop programme (sessions and their registrations) above RELAIS_EXPORT_JOB_ROWS: a job
written by the worker (issue 16), the same file as the immediate export."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from relais.jobs.models import ExportJob

from ..helpers import committed
from ..jobs.sheets import assert_same_workbook, cells
from .factories import RegistrationFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"


def _query(fmt, place=None):
    first = timezone.localdate()
    return {
        "place": place.pk if place else "",
        "first": first.isoformat(),
        "last": (first + timedelta(days=30)).isoformat(),
        "format": fmt,
    }


def _job_file(client, query) -> tuple[ExportJob, bytes]:
    response = committed(client.get, reverse("workshops:programme"), query)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:export", args=[job.pk])
    job.refresh_from_db()
    assert job.kind == "programme" and job.status == ExportJob.Status.DONE, job.error
    download = client.get(reverse("jobs:export_download", args=[job.pk]))
    return job, b"".join(download.streaming_content)


def test_a_large_programme_xlsx_is_a_job_equal_to_the_immediate_file(
    coordinator_client, session, other_place, settings
):
    RegistrationFactory(session=session)
    WorkshopSessionFactory(place=other_place, topic__title="Atelier ailleurs")
    settings.RELAIS_EXPORT_JOB_ROWS = 1000
    immediate = coordinator_client.get(reverse("workshops:programme"), _query("xlsx"))
    assert immediate.status_code == 200 and not ExportJob.objects.exists()
    settings.RELAIS_EXPORT_JOB_ROWS = 1  # two sessions: « large »
    job, written = _job_file(coordinator_client, _query("xlsx"))
    assert job.rows_done == 2
    assert assert_same_workbook(written, immediate.content) > 2 * 11
    titles = [row[5] for row in cells(written)["Annexe 2"][4:]]
    assert sorted(titles) == sorted([session.topic.title, "Atelier ailleurs"])
    registered = {row[5]: row[9] for row in cells(written)["Annexe 2"][4:]}
    assert registered[session.topic.title] == 1  # the registration counted


def test_a_large_programme_pdf_is_a_job(coordinator_client, session, settings):
    settings.RELAIS_EXPORT_JOB_ROWS = 0
    job, written = _job_file(coordinator_client, _query("pdf", session.place))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(written)).pages)
    assert "Programmation des ateliers" in text and session.place.name in text
    assert job.filename.endswith(".pdf")


def test_partner_staff_cannot_turn_another_place_into_a_job(partner_client, other_place, settings):
    settings.RELAIS_EXPORT_JOB_ROWS = 0
    response = partner_client.get(reverse("workshops:programme"), _query("xlsx", other_place))
    assert response.status_code == 200  # the form, with its error: the place is not theirs
    assert not ExportJob.objects.exists()
