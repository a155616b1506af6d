"""Factories of the task engine's own rows: workers' heartbeats, periodic runs, export and
import jobs."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.jobs.models import ExportJob, ImportJob, PeriodicRun, WorkerHeartbeat

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
    kind = "activities"
    fmt = "csv"
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    filename = "activites.csv"


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A beneficiaries import waiting for its check. ``file`` names a file that is not written
    (the exports' storage is the disk): give one (``ContentFile``) to run the import."""

    class Meta:
        model = ImportJob

    requested_by = factory.SubFactory(UserFactory)
    label = "Personnes accompagnées"
    importer = "relais.beneficiaries.importing.JobSteps"
    filename = "personnes.csv"
    file = "imports/2026/11/personnes.csv"
    digest = factory.Sequence(lambda n: f"{n:064x}")
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
