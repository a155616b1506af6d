"""The periodic jobs: what used to be a dozen systemd timers, now enqueued by the workers.

Each job is an idempotent management command (running it twice, or late, does no harm). A
job runs « every N minutes » (slots aligned on the hour) or « daily at HH:MM » (Paris time).
Like systemd's ``Persistent=true``, a slot missed while no worker ran is caught up once: the
scheduler enqueues the most recent slot that has no run yet, never the whole backlog.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from relais.core import french


@dataclass(frozen=True)
class Job:
    name: str  # stable: stored in PeriodicRun.job
    command: tuple[str, ...]  # a management command and its arguments
    label: str  # French, for the jobs page
    every_minutes: int | None = None
    daily_at: dt.time | None = None

    def last_slot(self, now: dt.datetime) -> dt.datetime:
        """The most recent slot at or before ``now``."""
        local = timezone.localtime(now)
        if self.every_minutes:
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            minutes = (local - midnight).total_seconds() // 60
            return midnight + dt.timedelta(minutes=minutes - minutes % self.every_minutes)
        at = dt.datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo)
        return at if at <= local else at - dt.timedelta(days=1)

    @property
    def when(self) -> str:
        if self.every_minutes:
            return f"toutes les {self.every_minutes} minutes"
        return f"chaque jour à {french.french_time(self.daily_at)}"


JOBS = (
    # The writes keep the statistics' roll-ups (ADR 0007): nothing to refresh, only a check.
    Job("check-stats", ("refresh-stats", "--check"),
        "Statistiques : vérification des agrégats", daily_at=dt.time(3, 30)),
    Job("send-reminders", ("send-reminders",), "Rappels d'ateliers et de rendez-vous",
        every_minutes=15),
    Job("journal-checkpoint", ("journal-checkpoint",), "Point de contrôle du journal",
        every_minutes=15),
    Job("purge", ("purge",), "Purge (durées de conservation) et sessions expirées",
        daily_at=dt.time(3, 0)),
    Job("verify-journal", ("verify-journal",), "Vérification du journal", daily_at=dt.time(4, 0)),
    Job("send-agreement-alerts", ("send-agreement-alerts",), "Alertes d'échéances des conventions",
        daily_at=dt.time(7, 30)),
    Job("send-report-reminders", ("send-report-reminders",),
        "Relances des comptes rendus mensuels", daily_at=dt.time(8, 0)),
    Job("send-rights-reminders", ("send-rights-reminders",),
        "Relances des demandes d'exercice des droits", daily_at=dt.time(8, 30)),
    Job("purge-exports", ("purge-exports",), "Exports : suppression des fichiers expirés",
        every_minutes=60),
    Job("purge-imports", ("purge-imports",), "Imports : suppression des fichiers expirés",
        every_minutes=60),
    Job("outbox-sweep", ("outbox-sweep",), "Messages : reprise des envois en attente",
        every_minutes=5),
)  # fmt: skip
JOBS_BY_NAME = {job.name: job for job in JOBS}
