"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    PUBLIC_INTEREST,
    RetentionRule,
    declare_no_personal_data,
    register,
)

from .models import RETENTION_MONTHS, Beneficiary
from .services import beneficiary_delete

BENEFICIARY_PROCESSING = "Accompagnement des usagers aux démarches numériques"


def beneficiaries_due(cutoff):
    """Same rule as ``BeneficiaryQuerySet.due_for_purge``, measured from the purge's cutoff."""
    limit = timezone.localdate(cutoff)
    return Beneficiary.objects.filter(
        Q(last_activity_on__lt=limit) | Q(last_activity_on__isnull=True, created_at__lt=cutoff)
    )


register(
    RetentionRule(
        category="beneficiaries",
        model="beneficiaries.Beneficiary",
        fields=(
            "first_name",
            "last_name",
            "name_key",
            "birth_year",
            "gender",
            "social_status",
            "phone",
            "email",
            "consent_given_on",
            "consent_text_version",
        ),
        label="Personnes accompagnées",
        processing=BENEFICIARY_PROCESSING,
        data_subjects="Usagers accompagnés par l'équipe départementale",
        purpose="Suivre l'accompagnement d'une personne d'une séance à l'autre et produire "
        "les statistiques anonymes du dispositif.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(months=RETENTION_MONTHS),
        term_label=f"{RETENTION_MONTHS} mois",
        start_event="Dernier accompagnement (ou création de la fiche, sans accompagnement)",
        due=beneficiaries_due,
        action=RetentionAction.DELETE,
        destroy=lambda beneficiary: beneficiary_delete(beneficiary=beneficiary),
        recipients="Conseillers de l'équipe départementale (secret professionnel, convention "
        "art. 2) ; les coordinateurs ne voient que des effectifs anonymes",
        statistics="Les accompagnements gardent leurs effectifs anonymes (genre, tranche "
        "d'âge, statut) : les statistiques ne changent pas.",
    )
)

declare_no_personal_data(
    "beneficiaries.BeneficiaryImport",
    reason="Trace d'un import confirmé : clé aléatoire de l'aperçu (un import par aperçu), "
    "nombre de personnes et date ; son auteur est désigné par son compte. Aucune donnée des "
    "personnes importées.",
)
