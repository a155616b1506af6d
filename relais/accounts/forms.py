from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
    UserChangeForm,
)
from django.template.loader import render_to_string

from relais.messaging.outbox import outbox_email

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for an e-mail address and with French messages."""

    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Après plusieurs échecs, le compte est "
            "bloqué temporairement."
        ),
        "inactive": "Ce compte est désactivé. Contactez l'équipe de coordination.",
    }


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    token = forms.CharField(
        label="Code de vérification",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text="Les 6 chiffres affichés par votre application, ou un code de secours.",
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip().replace(" ", "").lower()


class TotpConfirmForm(forms.Form):
    token = forms.RegexField(
        label="Code à 6 chiffres",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": "Saisissez les 6 chiffres affichés par l'application."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TotpReplaceForm(TotpConfirmForm):
    """Replacing an enrolled authenticator: the code of the new one and the account's password.

    The password proves the person at the keyboard is the account holder and not someone who
    found a session left open; the service checks it (``totp_enrolment_confirm``).
    """

    password = forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Par sécurité, confirmez votre mot de passe pour changer d'application.",
    )


class AdminUserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "organisation")


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


def axes_username(request, credentials) -> str:
    """django-axes key for the login: the e-mail as the login matches it, case-insensitively.

    Without it, "A@x.fr" and "a@x.fr" would be counted apart and a lockout sidestepped.
    """
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its e-mail queued in the outbox instead of sent in the request: an
    SMTP failure neither shows the user an error nor loses the link (the outbox retries it)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        outbox_email(to=to_email, subject=subject, body=body, from_email=from_email or "")


class TitlePreferenceForm(forms.ModelForm):
    """« Mon compte »: how the person's title is written (neutral unless they choose)."""

    class Meta:
        model = User
        fields = ["title_form"]
        widgets = {"title_form": forms.RadioSelect}
