"""Registration forms: the public one (no account) and the staff one (phone call, desk)."""

from django import forms
from django.core.exceptions import ValidationError

from relais.core.forms import add_errors

from .consent import CURRENT_CONSENT_VERSION, consent_text
from .enums import Attendance
from .services import clean_contact


class ContactConsentForm(forms.Form):
    """A resident's names, phone and/or e-mail and consent to a versioned information text.

    Subclasses say which text (``consent_version`` and ``consent_text_for``) and what the
    consent is for (``consent_required_message``); contact rules live in ``clean_contact``.
    """

    consent_version: int
    consent_required_message = "Votre accord est nécessaire pour enregistrer votre demande."

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
        label="J'ai lu et j'accepte l'utilisation de mes données décrite ci-dessus."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = self.consent_required_message
        self.fields["consent_version"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=self.consent_version
        )
        self.consent_text = self.consent_text_for(self.consent_version)
        # Rendered by hand with this value, whatever was posted (see clean()).
        self.consent_version_shown = self.consent_version

    @staticmethod
    def consent_text_for(version: int) -> str:
        raise NotImplementedError

    def contact_and_consent(self) -> dict:
        """The cleaned names, contacts and consent, as the booking services take them."""
        names = ("first_name", "last_name", "phone", "email", "consent", "consent_version")
        return {name: self.cleaned_data[name] for name in names}

    def clean(self):
        data = super().clean()
        if data.get("consent_version") not in (None, self.consent_version):
            # The page showed an older text than the current one: have it read again.
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
            add_errors(self, error)
        return data


class RegistrationForm(ContactConsentForm):
    consent_version = CURRENT_CONSENT_VERSION
    consent_required_message = "Votre accord est nécessaire pour enregistrer votre inscription."
    consent_text_for = staticmethod(consent_text)


class StaffRegistrationForm(RegistrationForm):
    """An adviser registers someone who calls or comes to the desk, after reading them the
    information text: the consent is theirs, recorded with the same version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = (
            "La personne a été informée de l'utilisation de ses données (texte ci-dessus) "
            "et l'accepte."
        )
        self.fields["consent"].error_messages["required"] = (
            "L'accord de la personne est nécessaire pour l'inscrire."
        )
        for name in ("phone", "email"):
            self.fields[name].help_text = ""


ATTENDANCE_CHOICES = [("", "Non renseigné"), *Attendance.choices]


class AttendanceForm(forms.Form):
    """One choice per confirmed registration, named ``r<id>``."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=str(registration),
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=registration.attendance,
                widget=forms.RadioSelect,
            )

    def marks(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data.get(f"r{r.pk}", "") for r in self.registrations}

    def rows(self):
        return [(registration, self[f"r{registration.pk}"]) for registration in self.registrations]
