"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.beneficiaries.models import RETENTION_MONTHS
from relais.privacy.enums import RetentionAction
from relais.privacy.registry import PUBLIC_INTEREST, RetentionRule, register

from .models import Activity


def activity_notes_due(cutoff):
    return Activity.objects.filter(date__lt=timezone.localdate(cutoff)).exclude(private_notes="")


# Anonymous counts and equipment flags: figures, not data about a person.
_COUNTS = {
    f.name: "effectif anonyme (statistiques)"
    for f in Activity._meta.concrete_fields
    if f.name.startswith(("gender_", "age_", "status_"))
}

register(
    RetentionRule(
        category="activity_notes",
        model="activities.Activity",
        fields=("private_notes",),
        label="Notes privées des accompagnements",
        processing="Accompagnement des usagers aux démarches numériques",
        data_subjects="Usagers accompagnés par l'équipe départementale",
        purpose="Aide-mémoire du conseiller pour poursuivre une démarche engagée.",
        legal_basis=PUBLIC_INTEREST,
        # Same term as the beneficiary's record: a note outliving the person's record could
        # still name them.
        term=relativedelta(months=RETENTION_MONTHS),
        term_label=f"{RETENTION_MONTHS} mois",
        start_event="Date de l'accompagnement",
        due=activity_notes_due,
        action=RetentionAction.ANONYMISE,
        replacements={"private_notes": ""},
        kept={**_COUNTS, "equipment_phone": "matériel utilisé (statistiques)"},
        recipients="Le conseiller auteur de la note seul",
        statistics="L'accompagnement reste compté (thèmes, durée, effectifs anonymes) ; seule "
        "la note disparaît.",
    )
)
