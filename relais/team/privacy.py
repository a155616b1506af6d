"""The team's lines in the retention table (read by relais.privacy; see its registry.py).

Adviser profiles themselves are a built-in rule of the privacy app (they predate it).
"""

from datetime import date

from dateutil.relativedelta import relativedelta

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    RetentionRule,
    declare_no_personal_data,
    register,
)

from .models import Leave

declare_no_personal_data(
    "team.Skill",
    reason="Intitulés de compétences (langues, habilitations) : un catalogue, pas une personne.",
)


def leave_due(cutoff):
    """Leave ended before the start of the year preceding the purge (current + previous year)."""
    return Leave.objects.filter(end_date__lt=date(cutoff.year, 1, 1))


register(
    RetentionRule(
        category="advisor_leave",
        model="team.Leave",
        fields=("kind", "start_date", "start_half", "end_date", "end_half", "note"),
        label="Congés et absences des conseillers",
        processing="Organisation des permanences de l'équipe départementale",
        data_subjects="Conseillers de l'équipe départementale",
        purpose="Planifier les permanences, proposer des remplaçants et suivre le temps de "
        "travail.",
        legal_basis="Exécution du contrat de travail et obligations de l'employeur "
        "(art. 6.1.b et 6.1.c RGPD)",
        term=relativedelta(years=1),
        term_label="Année en cours et année précédente",
        start_event="Fin de l'absence",
        due=leave_due,
        action=RetentionAction.DELETE,
        recipients="Coordinateurs du Département et le conseiller concerné (le motif "
        "« arrêt maladie » n'est montré à personne d'autre)",
        statistics="Aucune : les absences ne servent pas aux statistiques.",
    )
)
