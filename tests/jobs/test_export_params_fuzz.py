"""Hostile export parameters (issue 16): whatever the query string, an export answers without a
5xx, and a job is created only for parameters its kind accepts — parameters which, read back
from the job, rebuild the same export (the same fingerprint: asked again, the same job)."""

import pytest
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from relais.jobs.exports import export_kind
from relais.jobs.models import ExportJob
from relais.jobs.services import export_fingerprint

pytestmark = pytest.mark.django_db

# (URL name, its arguments, the export kind, the format) of every export the registry serves.
EXPORTS = [
    ("reporting:export_activities", ["xlsx"], "activities", "xlsx"),
    ("reporting:export_activities", ["csv"], "activities", "csv"),
    ("reporting:export_activities", ["ods"], "activities", "ods"),
    ("reporting:export_statistics", ["xlsx"], "statistics", "xlsx"),
    ("reporting:export_statistics", ["csv"], "statistics", "csv"),
    ("planning:coverage_xlsx", [], "coverage", "xlsx"),
    ("planning:coverage_csv", [], "coverage", "csv"),
    ("workshops:programme", [], "programme", None),  # the format is a parameter
]
KEYS = [
    "start", "end", "partner", "place", "advisor", "commune", "theme", "kind", "sep", "bom",
    "du", "semaines", "separateur", "first", "last", "format", "utm_source",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d:%Y-%m}"),
    st.sampled_from(["", "0", "1", "semicolon", ";", "point-virgule", "xlsx", "pdf", "csv",
                     "email", "collective", "2025-13", "2026-02-30", "x" * 5000, "\x00", "=1+1"]),
)  # fmt: skip
QUERIES = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)


@pytest.fixture(autouse=True)
def _every_valid_export_is_a_job(settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"
    settings.RELAIS_EXPORT_JOB_ROWS = -1  # even an empty export: a job (never built: no commit)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(EXPORTS), query=QUERIES)
@example(target=EXPORTS[0], query={"start": "2025-13", "place": "abc"})
@example(target=EXPORTS[5], query={"semaines": "99", "du": "0001-01-01"})
@example(target=EXPORTS[7], query={"first": "2026-01-01", "last": "2025-01-01", "format": "xlsx"})
@example(target=EXPORTS[7], query={"first": "2026-01-01", "last": "2026-02-01", "format": "pdf"})
def test_no_5xx_and_a_job_only_for_valid_parameters(coordinator, coordinator_client, target, query):
    ExportJob.objects.all().delete()
    name, args, kind_name, fmt = target
    response = coordinator_client.get(reverse(name, args=args), query)
    assert response.status_code < 500
    if response.status_code != 302:
        assert not ExportJob.objects.exists()
        if response.status_code == 400:  # the export's refusal, or the NUL guard's page
            assert '<html lang="fr">' in response.content.decode()
        return
    job = ExportJob.objects.get()
    assert response.url == reverse("jobs:export", args=[job.pk])
    assert job.kind == kind_name and job.status == ExportJob.Status.QUEUED
    # The stored parameters are accepted as they are, and are their own canonical form.
    kind = export_kind(kind_name)
    again = kind.prepare(coordinator, QueryDict(job.params), job.fmt)
    assert again.params == job.params
    fingerprint = export_fingerprint(
        user=coordinator, kind=kind_name, fmt=job.fmt, params=job.params
    )
    assert fingerprint == job.fingerprint
    if fmt is not None:
        assert job.fmt == fmt
    # Asked again, the same job.
    assert coordinator_client.get(reverse(name, args=args), query).url == response.url
    assert ExportJob.objects.count() == 1


def test_an_unknown_format_is_a_404_without_a_job(coordinator_client):
    for fmt in ("pdf", "xls", "csv;", "..%2f"):
        url = reverse("reporting:export_activities", args=["xlsx"]).replace(".xlsx", f".{fmt}")
        assert coordinator_client.get(url).status_code == 404
    assert not ExportJob.objects.exists()
