"""``relais send-reminders``: remind people of their workshop or appointment, 48 hours before
(run every 15 min); appointments the planning no longer holds are cancelled first.

One loop for every kind registered in ``relais.bookings.reminders`` (workshop registrations,
then appointments). Idempotent: each reminder exists at most once per object and channel (a
unique constraint on Message), so a re-run, or two runs overlapping, never send one twice. A
reminder is recorded ``queued`` and committed before it is sent, then marked ``sent`` or
``failed``: at most once, never twice — a crash in between leaves it ``queued`` (listed in the
admin), not re-sent. Cancelled registrations, sessions or appointments, and those already
started, get nothing.
"""

from django.core.management.base import BaseCommand

from relais.bookings import reminders
from relais.bookings.models import Message


class Command(BaseCommand):
    help = (
        "Envoie les rappels d'atelier et de rendez-vous (e-mail, et SMS si un portable est "
        "connu) aux personnes inscrites, une seule fois chacun, dans les heures qui précèdent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche le nombre de personnes à rappeler, sans rien envoyer ni enregistrer.",
        )

    def handle(self, *args, dry_run=False, **options):
        for kind in reminders.registered():
            if dry_run:
                self.stdout.write(
                    f"{len(reminders.pending(kind))} {kind.label} à rappeler, "
                    "simulation : rien n'a été envoyé."
                )
                continue
            if kind.prepare is not None:
                self.stdout.write(kind.prepare(None))
            report = reminders.reminders_send(kind)
            self.stdout.write(kind.summary.format(queued=report.queued, already=report.already))
        if not dry_run:
            failed = Message.objects.filter(kind="reminder", status="failed").count()
            if failed:
                self.stdout.write(f"{failed} rappel(s) en échec au total, voir les messages.")
