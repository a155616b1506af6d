"""``relais refresh-stats [--check]``: rebuild the statistics roll-ups from the activities.

Not a periodic job: every write keeps the roll-ups exact in its own transaction (see
relais.reporting.rollup). Needed after a restore, a bulk load or a release that changes the
roll-up layout (until then every figure is computed from the activities, exact but slower).
``--check`` only compares them with the activities, month by month; ``--if-stale`` rebuilds only
when they were built with another layout (after an upgrade)."""

import time

from django.core.management.base import BaseCommand, CommandError

from relais.reporting.rollup import mismatched_months, rebuild
from relais.reporting.stats import rollups_ready


class Command(BaseCommand):
    help = (
        "Reconstruit les statistiques pré-calculées à partir des activités (après une "
        "restauration, un chargement en masse ou une mise à jour) ; --check : vérifie seulement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Comparer sans rien écrire (code 1 si écart)."
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Seulement si elles ne sont pas construites avec la version actuelle.",
        )
        # Accepted for the timers of earlier releases; every run rebuilds everything now.
        parser.add_argument("--full", action="store_true", help="Sans effet (compatibilité).")

    def handle(self, *args, check=False, if_stale=False, **options):
        start = time.perf_counter()
        if if_stale and rollups_ready():
            self.stdout.write("Statistiques pré-calculées déjà à jour : rien à faire.")
            return
        if check:
            wrong = mismatched_months()
            if wrong:
                raise CommandError(
                    "Écart avec les activités pour : "
                    + ", ".join(f"{month:%m/%Y}" for month in wrong)
                    + ". Lancez « relais refresh-stats »."
                )
            self.stdout.write("Statistiques pré-calculées conformes aux activités.")
            return
        result = rebuild()
        self.stdout.write(
            f"{len(result['months'])} mois recalculé(s), {result['rows']} ligne(s) "
            f"en {time.perf_counter() - start:.1f} s."
        )
