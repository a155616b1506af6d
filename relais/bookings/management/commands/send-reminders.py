"""``relais send-reminders``: remind people of their workshop, 48 hours before (run every 15 min).

Idempotent: each reminder exists at most once per registration and channel (a unique constraint
on Message), so a re-run, or two runs overlapping, never send one twice. A reminder is recorded
``queued`` and committed before it is sent, then marked ``sent`` or ``failed``: at most once,
never twice — a crash in between leaves it ``queued`` (listed in the admin), not re-sent.
Cancelled registrations, cancelled sessions and sessions already started get nothing.
"""

from django.core.management.base import BaseCommand

from relais.bookings.models import Message
from relais.bookings.services import reminder_hours, reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels d'atelier (e-mail, et SMS si un portable est connu) aux personnes "
        "inscrites, une seule fois chacun, dans les RELAIS_REMINDER_HOURS heures avant la séance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche le nombre d'inscriptions concernées, sans rien envoyer ni enregistrer.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = reminders_due()
            pending = [r for r in due if not r.messages.filter(kind="reminder").exists()]
            self.stdout.write(
                f"{len(pending)} inscription(s) à rappeler (fenêtre de {reminder_hours()} h), "
                "simulation : rien n'a été envoyé."
            )
            return
        report = reminders_send()
        failed = Message.objects.filter(kind="reminder", status="failed").count()
        self.stdout.write(
            f"{report.queued} rappel(s) envoyé(s) ou tenté(s), {report.already} déjà envoyé(s)"
            f"{f' ; {failed} échec(s) au total, voir les messages' if failed else ''}."
        )
