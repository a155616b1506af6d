"""``relais verify-journal``: re-read the journal's whole chain (daily timer).

Checks every entry's HMAC and link, the checkpoints kept outside the database and the last
recorded verification; exits with status 1 and names the first broken entry when the journal
was tampered with. When it is intact, appends a checkpoint of its head (``--no-checkpoint``:
verify only, e.g. a restored copy). Also says what, on this instance, could still rewrite the
journal (roles not separated, SQLite).
"""

from django.core.management.base import BaseCommand, CommandError

from relais.core import french
from relais.privacy.db_roles import journal_protection_problems
from relais.privacy.journal import (
    JournalCheck,
    journal_checkpoint,
    journal_verification_record,
    journal_verify,
)


def report_lines(check: JournalCheck) -> list[str]:
    """What the operator reads after ``Journal intègre``: the head, the plain start, the anchors."""
    lines = []
    if check.last_hash:
        # Copied to journald by the timer: one more copy outside the database.
        key = f" (clé {check.last_key_id})" if check.last_key_id else " (sans clé)"
        lines.append(f"Dernière entrée : n° {check.last_sequence}, {check.last_hash}{key}")
    if check.legacy_until:
        lines.append(
            f"Entrées n° 1 à {check.legacy_until} : antérieures à la clé du journal, vérifiées "
            "par leur seule empreinte SHA-256 ; elles sont scellées par l'entrée signée qui les "
            "suit et par les points de contrôle externes pris depuis."
        )
    log = check.checkpoints
    if not log.path:
        lines.append(
            "Aucun point de contrôle externe (RELAIS_JOURNAL_CHECKPOINT_FILE est vide) : une fin "
            "de journal supprimée ne serait pas détectée."
        )
    elif log.last is None:
        lines.append(f"Points de contrôle externes : aucun encore dans {log.path}.")
    else:
        lines.append(
            f"Points de contrôle externes : {len(log.checkpoints)} dans {log.path}, le dernier "
            f"du {_local(log.last.at)} (entrée n° {log.last.sequence}) concorde."
        )
    return lines


def _local(moment) -> str:
    return french.short_datetime(moment)


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal (chaînage HMAC-SHA256, points de contrôle externes) et "
        "ajoute un point de contrôle de sa dernière entrée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="vérifier seulement, sans ajouter de point de contrôle",
        )

    def handle(self, *args, no_checkpoint=False, **options):
        check = journal_verify()
        journal_verification_record(check=check)
        for problem in journal_protection_problems():
            self.stderr.write(f"Attention : {problem}")
        if not check.ok:
            raise CommandError(check.message)
        self.stdout.write(check.message)
        for line in report_lines(check):
            self.stdout.write(line)
        if not no_checkpoint:
            try:
                checkpoint = journal_checkpoint(check=check)
            except OSError as error:
                raise CommandError(
                    f"Point de contrôle non écrit dans {check.checkpoints.path} : {error}"
                ) from error
            if check.checkpoints.path:
                self.stdout.write(
                    f"Point de contrôle ajouté : n° {checkpoint.sequence}"
                    + (f", {checkpoint.hash}" if checkpoint.hash else " (journal vide)")
                    + "."
                )
