"""``relais purge [--dry-run] [--today YYYY-MM-DD]``: apply the retention table (daily timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from relais.privacy.services import purge_run


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide « {value} » : format attendu AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = "Supprime ou anonymise les données personnelles arrivées au terme de leur conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait purgé, sans rien modifier.",
        )
        parser.add_argument(
            "--today",
            type=str,
            help="Date de référence (AAAA-MM-JJ) ; par défaut, maintenant.",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        report = purge_run(today=_date(today) if today else None, dry_run=dry_run)
        verb = "à purger" if dry_run else "purgé(s)"
        for result in report.results:
            rule = result.rule
            line = (
                f"{rule.category} ({rule.model}, {rule.action_label.lower()} après "
                f"{rule.term_label}) : {result.count} {verb}"
            )
            if result.error:
                line += f" — ÉCHEC : {result.error}"
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(
                f"Simulation au {report.run_for:%d/%m/%Y} : {report.total} ligne(s) seraient "
                "purgées. Rien n'a été modifié."
            )
            return
        self.stdout.write(
            f"Purge du {report.run_for:%d/%m/%Y} : {report.total} ligne(s) purgée(s) "
            f"(purge n° {report.run.pk})."
        )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} catégorie(s) en échec : {', '.join(report.errors)}."
            )
