from django.core.management.base import BaseCommand

from relais.jobs.services import imports_purge


class Command(BaseCommand):
    help = "Supprime les imports (fichier envoyé et lignes vérifiées) dont le délai est passé."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Imports supprimés : {imports_purge()}.")
