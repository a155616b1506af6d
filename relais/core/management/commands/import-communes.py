from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from relais.core.services import communes_import
from relais.core.validators import error_text


class Command(BaseCommand):
    help = (
        "Importe les communes d'un département depuis un CSV "
        "(colonnes nom,code_postal,latitude,longitude, et facultativement code_insee). "
        "Tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier CSV encodé en UTF-8")
        parser.add_argument(
            "--department",
            default=settings.RELAIS_DEPARTMENT_CODE,
            help="Code du département (par défaut RELAIS_DEPARTMENT_CODE)",
        )

    def handle(self, *args, file: Path, department: str, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} n'est pas encodé en UTF-8.") from None
        try:
            report = communes_import(text=text, department_code=department)
        except ValidationError as error:  # the département code given (a row's are checked)
            raise CommandError(error_text(error)) from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(report.errors)} ligne(s) invalide(s) : aucune commune importée."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Communes du {department} : {report.created} créée(s), "
                f"{report.updated} mise(s) à jour, {report.unchanged} inchangée(s)."
            )
        )
