"""Retention of the workshop registrations and their messages (read by relais.privacy)."""

from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    CONTACT_FIELDS,
    PUBLIC_INTEREST,
    RetentionRule,
    contact_erased,
    declare_no_personal_data,
    register,
)

from .models import RETENTION_AFTER_SESSION

PROCESSING = "Inscriptions aux ateliers numériques"
SUBJECTS = "Habitants inscrits à un atelier (sans compte), en ligne ou par un conseiller"
RECIPIENTS = "Coordinateurs, administrateurs et conseillers du Département"


def registrations_due(cutoff: datetime) -> QuerySet:
    """Registrations whose session ended before ``cutoff`` (now minus 3 months)."""
    return apps.get_model("bookings", "Registration").objects.filter(
        anonymised_at__isnull=True, session__ends_at__lt=cutoff
    )


def messages_due(cutoff: datetime) -> QuerySet:
    return (
        apps.get_model("bookings", "Message")
        .objects.exclude(recipient="")
        .filter(
            Q(registration__session__ends_at__lt=cutoff)
            | Q(appointment__ends_at__lt=cutoff)
            | Q(registration__isnull=True, appointment__isnull=True, created_at__lt=cutoff)
        )
    )


register(
    RetentionRule(
        category="workshop_registrations",
        model="bookings.Registration",
        fields=CONTACT_FIELDS,
        label="Inscriptions aux ateliers",
        processing=PROCESSING,
        data_subjects=SUBJECTS,
        purpose="Réserver une place, gérer la liste d'attente, prévenir la personne "
        "(confirmation, rappel, annulation) et noter sa présence.",
        legal_basis=PUBLIC_INTEREST + " ; consentement recueilli et versionné à l'inscription",
        term=RETENTION_AFTER_SESSION,
        term_label="3 mois",
        start_event="Fin de la séance de l'atelier",
        due=registrations_due,
        action=RetentionAction.ANONYMISE,
        replacements=contact_erased(),
        kept={
            "status": "nombre d'inscrits, d'annulations et de personnes en attente",
            "attendance": "nombre de présents (compte rendu d'activité collective)",
        },
        recipients=RECIPIENTS,
        statistics="L'inscription subsiste sans nom ni coordonnées : statut et présence "
        "restent comptés par séance (session_attendance_counts).",
    )
)

register(
    RetentionRule(
        category="workshop_messages",
        model="bookings.Message",
        fields=("recipient",),
        label="Messages envoyés aux inscrits (e-mail, SMS)",
        processing=PROCESSING,
        data_subjects=SUBJECTS,
        purpose="Prouver l'envoi (ou l'échec) de chaque message et ne jamais l'envoyer deux fois.",
        legal_basis=PUBLIC_INTEREST,
        term=RETENTION_AFTER_SESSION,
        term_label="3 mois",
        start_event="Fin de la séance de l'atelier (ou envoi, sans inscription liée)",
        due=messages_due,
        action=RetentionAction.ANONYMISE,
        replacements={"recipient": ""},
        kept={"status": "taux d'envoi et d'échec par canal"},
        recipients=RECIPIENTS,
        statistics="Le message subsiste sans destinataire (type, canal, statut, date).",
    )
)


declare_no_personal_data(
    "workshops.WorkshopTopic", reason="Catalogue public des ateliers du Département."
)
declare_no_personal_data(
    "workshops.WorkshopSession",
    reason="Programme public des séances ; les conseillers y figurent par leur profil "
    "professionnel (règle de l'application team).",
)
