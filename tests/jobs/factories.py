"""Factories of the task engine's own rows: workers' heartbeats, periodic runs, export jobs."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.jobs.models import ExportJob, PeriodicRun, WorkerHeartbeat

from ..factories import UserFactory


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerHeartbeat

    worker_id = factory.Sequence(lambda n: f"relais-1:{4000 + n}")
    hostname = "relais-1"
    pid = factory.Sequence(lambda n: 4000 + n)
    queues = "default"
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    seen_at = factory.LazyFunction(timezone.now)


class PeriodicRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicRun

    job = "purge"
    # One run per (job, slot): each row its own hour.
    slot = factory.Sequence(
        lambda n: timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=n)
    )


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    requested_by = factory.SubFactory(UserFactory)
    label = "Activités"
    builder = "relais.reporting.exports.activity_export_job"
    fmt = "csv"
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    filename = "activites.csv"
