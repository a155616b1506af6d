"""``relais generate-synthetic --activities N``: a synthetic dataset for benchmarks (throw-away
database only). See relais.reporting.synthetic."""

from django.core.management.base import BaseCommand

from relais.reporting.synthetic import generate


class Command(BaseCommand):
    help = (
        "Crée un jeu de données synthétique (conseillers, lieux, personnes, activités sur 3 ans)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, required=True)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--no-refresh", action="store_true", help="Sans calculer les statistiques."
        )

    def handle(self, *args, activities, seed, no_refresh=False, **options):
        result = generate(activities, seed=seed, log=self.stdout.write)
        self.stdout.write(f"{activities} activités créées en {result['seconds']:.1f} s.")
        if not no_refresh:
            from relais.reporting.rollup import rebuild

            rebuild()
            self.stdout.write("Statistiques calculées.")
