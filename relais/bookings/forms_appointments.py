"""Appointment forms: the public booking form (no account) and the coordinators' types."""

from django import forms

from .appointments import AppointmentType
from .consent import CURRENT_APPOINTMENT_CONSENT_VERSION, appointment_consent_text
from .forms import ContactConsentForm

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
