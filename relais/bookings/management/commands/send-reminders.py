"""``relais send-reminders``: remind people of their workshop or appointment, 48 hours before
(run every 15 min); appointments the planning no longer holds are cancelled first.

Idempotent: each reminder exists at most once per registration and channel (a unique constraint
on Message), so a re-run, or two runs overlapping, never send one twice. A reminder is recorded
``queued`` and committed before it is sent, then marked ``sent`` or ``failed``: at most once,
never twice — a crash in between leaves it ``queued`` (listed in the admin), not re-sent.
Cancelled registrations, cancelled sessions and sessions already started get nothing.
"""

from django.core.management.base import BaseCommand

from relais.bookings.models import Message
from relais.bookings.services import reminder_hours, reminders_due, reminders_send
from relais.bookings.services_appointments import (
    appointment_reminders_send,
    schedule_changes_apply,
)


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
        # Appointments: follow the planning first, so nobody is reminded of a cancelled one.
        changes = schedule_changes_apply()
        appointments = appointment_reminders_send()
        failed = Message.objects.filter(kind="reminder", status="failed").count()
        self.stdout.write(
            f"{report.queued} rappel(s) envoyé(s) ou tenté(s), {report.already} déjà envoyé(s)"
            f"{f' ; {failed} échec(s) au total, voir les messages' if failed else ''}."
        )
        self.stdout.write(
            f"Rappels de rendez-vous envoyés ou tentés : {appointments.queued}, déjà envoyés : "
            f"{appointments.already} ; rendez-vous annulés après un changement de planning : "
            f"{changes.cancelled}."
        )
