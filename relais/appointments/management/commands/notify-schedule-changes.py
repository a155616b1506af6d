"""``relais notify-schedule-changes``: follow the planning for appointments (every 15 min).

The planning computes occurrences on the fly, so a leave, a closure, a cancelled or re-staffed
permanence changes them without any signal. This command compares every upcoming appointment
with today's occurrences: one whose adviser is no longer there goes to a colleague present and
free at that time, else it is cancelled and the person told (e-mail and SMS when known) with
the next free times at the same place. Idempotent: a cancelled appointment is never handled
again, and its message exists at most once. ``send-reminders`` runs it too, before reminding.
"""

from django.core.management.base import BaseCommand

from relais.appointments.services import appointments_affected, schedule_changes_apply
from relais.core import french


class Command(BaseCommand):
    help = (
        "Annule (ou confie à un collègue présent) les rendez-vous que le planning ne tient plus "
        "(absence, fermeture, permanence annulée) et prévient les personnes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche les rendez-vous concernés, sans rien changer ni envoyer.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            affected = appointments_affected()
            for item in affected:
                a = item.appointment
                self.stdout.write(
                    f"- {a.place} {french.short_datetime(a.starts_at)} : {item.reason}"
                )
            self.stdout.write(f"{len(affected)} rendez-vous concerné(s), simulation.")
            return
        report = schedule_changes_apply()
        self.stdout.write(
            f"{report.cancelled} rendez-vous annulé(s) et prévenu(s), "
            f"{report.handed_over} confié(s) à un collègue présent."
        )
