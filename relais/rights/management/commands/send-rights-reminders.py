"""``relais send-rights-reminders``: remind the handlers of rights requests (daily timer).

Idempotent: each request gets each reminder (7 days before the deadline, on the day, overdue)
at most once; a re-run the same day sends nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from relais.rights.services import rights_reminders_send


class Command(BaseCommand):
    help = "Relance les demandes d'exercice des droits dont l'échéance d'un mois approche."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Date de référence (AAAA-MM-JJ).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"Date invalide « {today} » : format AAAA-MM-JJ.") from None
        report = rights_reminders_send(today=day)
        self.stdout.write(
            f"{report.sent} relance(s) envoyée(s)"
            + (f", {report.skipped} sans destinataire" if report.skipped else "")
            + "."
        )
