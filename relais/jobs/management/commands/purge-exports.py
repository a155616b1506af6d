from django.core.management.base import BaseCommand

from relais.jobs.services import exports_purge


class Command(BaseCommand):
    help = "Supprime les exports dont la durée de mise à disposition est passée."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Exports supprimés : {exports_purge()}.")
