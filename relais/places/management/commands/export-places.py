from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.places.opendata import opendata_rows, write_csv


class Command(BaseCommand):
    help = (
        "Exporte les lieux actifs au standard national « Lieux de médiation numérique » "
        "v1.0.2 (CSV UTF-8, sortie standard par défaut)."
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

    def handle(self, *args, output: Path | None, **options):
        rows = opendata_rows()
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
