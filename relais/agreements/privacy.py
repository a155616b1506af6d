"""This app's lines in the retention table (read by relais.privacy; see its registry.py).

The agreements' own models are declared in relais.privacy's built-in list; these are the
models added since (issue 13).
"""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    PUBLIC_INTEREST,
    PUBLIC_OFFICIALS,
    RetentionRule,
    declare_no_personal_data,
    register,
)

from .models import AgreementContact

CONTACT_TERM_MONTHS = 12

declare_no_personal_data("agreements.SourceDocument", reason=PUBLIC_OFFICIALS)
declare_no_personal_data(
    "agreements.AmendmentArticle",
    reason="Rédaction d'un article d'un avenant : document public du partenariat.",
)
declare_no_personal_data(
    "agreements.InsuranceCertificate",
    reason="Assurance de la structure partenaire (personne morale) : assureur, police, dates.",
)
declare_no_personal_data(
    "agreements.CommunicationRequest",
    reason="Demande d'autorisation de communiquer (art. 5) : décision et validation éditoriale "
    "par des agents en qualité officielle, conservées avec la convention.",
)
declare_no_personal_data(
    "agreements.CommunicationEvent",
    reason="Étapes d'une demande d'autorisation (art. 5) : agents en qualité officielle, "
    "conservées avec la convention.",
)


def contacts_due(cutoff):
    return AgreementContact.objects.filter(until__lt=timezone.localdate(cutoff))


register(
    RetentionRule(
        category="agreement_contacts",
        model="agreements.AgreementContact",
        fields=("full_name", "function", "email", "phone"),
        label="Contacts des conventions",
        processing="Suivi des conventions de partenariat",
        data_subjects="Agents du Département et des structures partenaires désignés par la "
        "convention (équipe technique, interlocuteurs, responsables éditoriaux)",
        purpose="Savoir qui joindre pour l'accompagnement (art. 3.3), le suivi (art. 3.4) et la "
        "validation des publications (art. 4.1).",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(months=CONTACT_TERM_MONTHS),
        term_label=f"{CONTACT_TERM_MONTHS} mois",
        start_event="Fin du rôle de la personne dans la convention",
        due=contacts_due,
        action=RetentionAction.DELETE,
    )
)
