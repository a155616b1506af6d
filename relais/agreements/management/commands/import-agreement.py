import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.core.models import Organisation

from ...importing import ACCEPTED_EXTENSIONS, agreement_import, analyse_document
from ...models import Agreement


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Importe une délibération et/ou sa convention (texte collé dans un .txt) ou le tableau "
        "des lieux d'une convention (.csv, .xlsx, .ods), ou leur PDF. Tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier .pdf, .txt, .csv, .xlsx ou .ods")
        parser.add_argument(
            "--dry-run", action="store_true", help="Analyse et vérifie sans rien enregistrer"
        )
        parser.add_argument(
            "--json", action="store_true", help="Affiche ce qui a été trouvé, en JSON"
        )
        parser.add_argument(
            "--convention",
            type=int,
            metavar="ID",
            help="Convention qui reçoit le tableau d'un fichier sans convention (.csv, .xlsx…)",
        )

    def handle(self, *args, file: Path, dry_run: bool, json: bool, convention, **options):
        if file.suffix.lower() not in ACCEPTED_EXTENSIONS:
            raise CommandError(
                f"Format « {file.suffix} » non pris en charge "
                "(attendu : .pdf, .txt, .csv, .xlsx, .ods)."
            )
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        result = analyse_document(file.name, content)
        if json:
            self.stdout.write(_dumps(result.as_dict()))
        for warning in result.warnings:
            self.stderr.write(f"Avertissement : {warning}")
        for discrepancy in result.discrepancies:
            self.stderr.write(f"Écart : {discrepancy}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} erreur(s) : rien n'a été importé.")

        department = Organisation.objects.departments().first()
        if department is None:
            raise CommandError("Aucun Département n'est enregistré : créez-le d'abord.")
        target = None
        if convention is not None:
            target = Agreement.objects.filter(pk=convention).first()
            if target is None:
                raise CommandError(f"Convention n° {convention} introuvable.")
        try:
            with transaction.atomic():
                agreement = agreement_import(
                    result=result,
                    department=department,
                    agreement=target,
                    source=(file.name, content),
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            # With --json, stdout holds only the JSON document.
            out = self.stderr if json else self.stdout
            out.write("Simulation : le document peut être importé ; rien n'a été enregistré.")
            return
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("Import refusé : rien n'a été importé.") from None
        if not json:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Convention importée : {agreement.title} (n° {agreement.pk}), "
                    f"{agreement.commitments.count()} engagement(s)."
                )
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
