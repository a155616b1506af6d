"""``relais refresh-stats [--full]``: update the statistics roll-ups (cron: every 5 minutes;
``--full`` nightly). See relais.reporting.rollup."""

import time

from django.core.management.base import BaseCommand

from relais.reporting.rollup import refresh


class Command(BaseCommand):
    help = "Met à jour les statistiques pré-calculées (incrémental ; --full : tout recalculer)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Recalculer tous les mois.")

    def handle(self, *args, full=False, **options):
        start = time.perf_counter()
        result = refresh(full=full)
        self.stdout.write(
            f"{len(result['months'])} mois recalculé(s), {result['rows']} ligne(s) "
            f"en {time.perf_counter() - start:.1f} s."
        )
