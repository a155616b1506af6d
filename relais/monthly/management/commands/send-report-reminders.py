"""``relais send-report-reminders``: e-mail about late monthly reports (cron daily).

Thresholds and recipients: relais/monthly/reminders.py and docs/operations.md.
Idempotent: each reminder is recorded with its sending, so a re-run sends nothing new.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relais.monthly.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Relance les conseillers (compte rendu mensuel non transmis le 10 du mois suivant) et "
        "les structures (compte rendu non validé 10 jours après sa transmission), une fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Ne rien envoyer.")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Date de référence AAAA-MM-JJ."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            sent, already = send_reminders(today=today or timezone.localdate(), dry_run=dry_run)
        except OSError as error:  # SMTP and socket errors: the next run retries
            raise CommandError(f"Échec de l'envoi : {error}") from error
        verb = "à envoyer (simulation)" if dry_run else "envoyée(s)"
        self.stdout.write(f"{sent} relance(s) {verb}, {already} déjà envoyée(s).")
