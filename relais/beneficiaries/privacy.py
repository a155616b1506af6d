"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from relais.jobs.privacy import job_file_destroy
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


def _import_jobs_due(cutoff: datetime) -> QuerySet:
    return apps.get_model("jobs", "ImportJob").objects.filter(created_at__lt=cutoff)


# The hourly job purge-imports deletes each import job, its uploaded file and its checked lines
# RELAIS_IMPORT_KEEP_HOURS (24 h by default) after its last step; this rule is the backstop.
# The people imported are in beneficiaries.Beneficiary, under that model's own rule. The jobs
# app sits below this one, so the rule is declared here, beside the importer it runs.
register(
    RetentionRule(
        category="import_jobs",
        model="jobs.ImportJob",
        fields=("filename", "file", "rows", "errors", "warnings", "error"),
        label="Imports volumineux vérifiés en arrière-plan (fichier envoyé et lignes vérifiées)",
        processing=BENEFICIARY_PROCESSING,
        data_subjects="Personnes accompagnées nommées dans le fichier ; personnel (expéditeur)",
        purpose="Vérifier puis importer un fichier trop long pour être traité pendant la page.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(days=3),
        term_label="24 heures après la dernière étape, 3 jours au plus",
        start_event="Envoi du fichier",
        due=_import_jobs_due,
        action=RetentionAction.DELETE,
        destroy=job_file_destroy,
        recipients="La personne qui a envoyé le fichier",
    )
)
