"""Retention of the appointments (read by relais.privacy). Their messages are
``bookings.Message`` rows, whose rule (``relais/bookings/privacy.py``) covers both kinds."""

from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    CONTACT_FIELDS,
    PUBLIC_INTEREST,
    RetentionRule,
    contact_erased,
    declare_no_personal_data,
    register,
)

from .models import RETENTION_AFTER_APPOINTMENT


def appointments_due(cutoff: datetime) -> QuerySet:
    """Appointments that ended before ``cutoff`` (now minus 3 months)."""
    return apps.get_model("appointments", "Appointment").objects.filter(
        anonymised_at__isnull=True, ends_at__lt=cutoff
    )


register(
    RetentionRule(
        category="appointments",
        model="appointments.Appointment",
        fields=CONTACT_FIELDS,
        label="Rendez-vous avec un conseiller",
        processing="Rendez-vous individuels avec les conseillers numériques",
        data_subjects="Habitants ayant pris rendez-vous (sans compte), en ligne",
        purpose="Réserver un créneau pendant une permanence, prévenir la personne "
        "(confirmation, rappel, annulation, autres créneaux) et noter sa venue.",
        legal_basis=PUBLIC_INTEREST + " ; consentement recueilli et versionné à la réservation",
        term=RETENTION_AFTER_APPOINTMENT,
        term_label="3 mois",
        start_event="Fin du rendez-vous",
        due=appointments_due,
        action=RetentionAction.ANONYMISE,
        replacements=contact_erased(),
        kept={
            "status": "nombre de rendez-vous honorés, annulés, non venus",
            "appointment_type": "rendez-vous par type, lieu et conseiller",
            "cancelled_by": "origine de l'annulation (la personne, l'équipe, le planning), "
            "sans nom",
        },
        recipients="Coordinateurs, administrateurs et conseillers du Département",
        statistics="Le rendez-vous subsiste sans nom ni coordonnées : type, lieu, date et "
        "statut restent comptés.",
    )
)

declare_no_personal_data(
    "appointments.AppointmentType", reason="Catalogue des types de rendez-vous proposés."
)
declare_no_personal_data(
    "appointments.PlaceAppointmentSettings",
    reason="Règles de réservation propres à un lieu (délai, période, part sans rendez-vous).",
)
