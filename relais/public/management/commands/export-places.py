from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.public.opendata import opendata_rows, write_csv


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = (
        "Exporte les lieux où une médiation est proposée (engagement d'une convention en "
        "vigueur) au standard national « Lieux de médiation numérique » v1.0.2 (CSV UTF-8, "
        "sortie standard par défaut), avec les horaires des permanences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["lamednum"],
            default="lamednum",
            help="Format d'export : lamednum (standard de La MedNum, seul format disponible).",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="Fichier à écrire (par défaut : sortie standard)."
        )

        parser.add_argument(
            "--date",
            dest="on",
            type=_iso_date,
            help="Date à laquelle l'export est vrai, AAAA-MM-JJ (par défaut : aujourd'hui).",
        )

    def handle(self, *args, output: Path | None, on: date | None = None, **options):
        rows = opendata_rows(on)
        if output is None:
            # The standard is UTF-8 whatever the terminal's locale (OutputWrapper proxies to the
            # real stream; a StringIO from call_command has no reconfigure()).
            if hasattr(self.stdout, "reconfigure"):
                self.stdout.reconfigure(encoding="utf-8")
            write_csv(rows, self.stdout)  # each row ends with a newline: none is added
            return
        try:
            with output.open("w", encoding="utf-8", newline="") as file:
                write_csv(rows, file)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {output} : {error.strerror}") from None
        self.stderr.write(f"{len(rows)} lieu(x) exporté(s) dans {output}.")
