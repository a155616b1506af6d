"""Appointment forms: the public booking form (no account), the coordinators' types and a
place's own booking rules."""

from django import forms

from relais.bookings.forms import ContactConsentForm

from .consent import CURRENT_APPOINTMENT_CONSENT_VERSION, appointment_consent_text
from .models import (
    HORIZON_DAYS_RANGE,
    MIN_NOTICE_HOURS_RANGE,
    WALK_IN_PERCENT_RANGE,
    AppointmentType,
    PlaceAppointmentSettings,
)
from .rules import days_text, department_rules

CONSENT_REQUIRED = "Votre accord est nécessaire pour enregistrer votre rendez-vous."


class AppointmentForm(ContactConsentForm):
    consent_version = CURRENT_APPOINTMENT_CONSENT_VERSION
    consent_required_message = CONSENT_REQUIRED
    consent_text_for = staticmethod(appointment_consent_text)


class AppointmentTypeForm(forms.ModelForm):
    class Meta:
        model = AppointmentType
        fields = ["name", "description", "duration_minutes", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


DEPARTMENT_VALUE = "Laisser vide pour la valeur départementale ({value})."


class PlaceAppointmentSettingsForm(forms.ModelForm):
    """« Réglages des rendez-vous » of a place; the help texts give the département's values."""

    class Meta:
        model = PlaceAppointmentSettings
        fields = ["appointments_enabled", "min_notice_hours", "horizon_days", "walk_in_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = department_rules()
        days = days_text(defaults.horizon_days)
        explained = {
            "min_notice_hours": (
                MIN_NOTICE_HOURS_RANGE,
                "Les habitants réservent au moins ce nombre d'heures avant le rendez-vous "
                "(0 à 720). " + DEPARTMENT_VALUE.format(value=f"{defaults.min_notice_hours:g} h"),
            ),
            "horizon_days": (
                HORIZON_DAYS_RANGE,
                "Les créneaux sont proposés jusqu'à ce nombre de jours à l'avance (1 à 365). "
                + DEPARTMENT_VALUE.format(value=days),
            ),
            "walk_in_percent": (
                WALK_IN_PERCENT_RANGE,
                "Part de chaque permanence laissée libre pour les visites sans rendez-vous, en "
                "pourcentage (0 : tout peut être réservé). "
                + DEPARTMENT_VALUE.format(value=f"{defaults.walk_in_percent} %"),
            ),
        }
        for name, ((low, high), help_text) in explained.items():
            field = self.fields[name]
            field.help_text = help_text
            # The model's validators, with their French messages, instead of Django's generic
            # bounds (one message per error, not two).
            field.validators = list(PlaceAppointmentSettings._meta.get_field(name).validators)
            field.widget.attrs.update({"min": low, "max": high})
        self.fields["appointments_enabled"].help_text = (
            "Décochez pour ne plus proposer de rendez-vous en ligne dans ce lieu : sa page de "
            "réservation l'indique et n'affiche aucun créneau. Les rendez-vous déjà pris restent "
            "et l'équipe les voit toujours."
        )


class AppointmentCancelForm(forms.Form):
    """Staff cancelling someone's appointment: the reason travels in the e-mail and SMS."""

    reason = forms.CharField(
        label="Motif (communiqué à la personne)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=200,
        required=False,
    )
