"""``relais journal-checkpoint``: append a checkpoint of the journal's head (frequent timer).

Re-reads only the entries since the last checkpoint (the daily ``verify-journal`` reads them
all), then appends the new head to RELAIS_JOURNAL_CHECKPOINT_FILE. Only entries written after
the last checkpoint can be deleted unseen by whoever writes to the database, so running it
often (every 15 minutes) narrows that window. Exits with status 1, writing nothing, when the
journal no longer matches its last checkpoint.
"""

from django.core.management.base import BaseCommand, CommandError

from relais.privacy.journal import journal_checkpoint, journal_verify


class Command(BaseCommand):
    help = "Ajoute un point de contrôle de la dernière entrée du journal, hors de la base."

    def handle(self, *args, **options):
        check = journal_verify(since_last_checkpoint=True)
        if not check.ok:
            raise CommandError(check.message)
        if not check.checkpoints.path:
            raise CommandError(
                "RELAIS_JOURNAL_CHECKPOINT_FILE est vide : nulle part où écrire le point de "
                "contrôle."
            )
        try:
            checkpoint = journal_checkpoint(check=check)
        except OSError as error:
            raise CommandError(
                f"Point de contrôle non écrit dans {check.checkpoints.path} : {error}"
            ) from error
        self.stdout.write(check.message)
        self.stdout.write(
            f"Point de contrôle ajouté : n° {checkpoint.sequence}"
            + (f", {checkpoint.hash}" if checkpoint.hash else " (journal vide)")
            + "."
        )
