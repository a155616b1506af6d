"""Appointment forms: the public booking form (no account) and the coordinators' types."""

from django import forms
from django.core.exceptions import ValidationError

from .appointments import AppointmentType
from .consent import CURRENT_APPOINTMENT_CONSENT_VERSION, appointment_consent_text
from .services import clean_contact

CONSENT_REQUIRED = "Votre accord est nécessaire pour enregistrer votre rendez-vous."


class AppointmentForm(forms.Form):
    first_name = forms.CharField(
        label="Prénom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        help_text="Ex. : 06 12 34 56 78. Un portable permet de recevoir un rappel par SMS.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.CharField(
        label="Adresse e-mail",
        max_length=254,
        required=False,
        help_text="Ex. : prenom.nom@exemple.fr. Vous y recevrez la confirmation et le rappel.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label="J'ai lu et j'accepte l'utilisation de mes données décrite ci-dessus.",
        error_messages={"required": CONSENT_REQUIRED},
    )
    consent_version = forms.IntegerField(
        widget=forms.HiddenInput, initial=CURRENT_APPOINTMENT_CONSENT_VERSION
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = appointment_consent_text(CURRENT_APPOINTMENT_CONSENT_VERSION)
        self.consent_version_shown = CURRENT_APPOINTMENT_CONSENT_VERSION

    def clean(self):
        data = super().clean()
        if data.get("consent_version") not in (None, CURRENT_APPOINTMENT_CONSENT_VERSION):
            self.add_error(
                None,
                "Le texte d'information a changé depuis l'affichage de la page : relisez-le "
                "et validez à nouveau.",
            )
        if self.errors.keys() & {"first_name", "last_name", "phone", "email"}:
            return data
        try:
            data.update(
                clean_contact(
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    phone=data.get("phone", ""),
                    email=data.get("email", ""),
                )
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(None if field == "__all__" else field, messages)
        return data


class AppointmentTypeForm(forms.ModelForm):
    class Meta:
        model = AppointmentType
        fields = ["name", "description", "duration_minutes", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
