"""Canary rows for the export jobs' retention rule (collected by tests/privacy/test_purge.py)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from relais.jobs.models import ExportJob, ImportJob
from tests.factories import UserFactory


def _job(days_ago: int, n: int) -> ExportJob:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        return ExportJob.objects.create(
            requested_by=UserFactory(), label="Activités", kind="activities", fmt="csv",
            fingerprint=f"canary-{n}", filename="activites.csv", status=ExportJob.Status.DONE,
        )  # fmt: skip


def make_export_jobs():
    return _job(days_ago=5, n=1), _job(days_ago=0, n=2)


def _import_job(days_ago: int, n: int) -> ImportJob:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        return ImportJob.objects.create(
            requested_by=UserFactory(), label="Personnes accompagnées", importer="x",
            filename="personnes.xlsx", digest="d", fingerprint=f"canary-{n}",
            status=ImportJob.Status.DONE,
        )  # fmt: skip


def make_import_jobs():
    return _import_job(days_ago=5, n=1), _import_job(days_ago=0, n=2)
