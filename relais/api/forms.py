from datetime import timedelta

from django import forms
from django.utils import timezone

from relais.core.forms import DateInput

from .enums import Scope

# A token lives one year unless the coordinator says otherwise, at most three.
DEFAULT_LIFETIME = timedelta(days=365)
MAX_LIFETIME = timedelta(days=3 * 365)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Usage du jeton",
        max_length=120,
        help_text="L'application cliente, ex. « Tableau de bord open data ».",
    )
    scopes = forms.MultipleChoiceField(
        label="Portées", choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label="Valable jusqu'au",
        widget=DateInput(),
        help_text="Dernier jour de validité, au plus trois ans après aujourd'hui.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + DEFAULT_LIFETIME

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("La date d'expiration est passée.")
        if day > today + MAX_LIFETIME:
            raise forms.ValidationError(
                "Un jeton vit au plus trois ans : choisissez une date avant le "
                f"{today + MAX_LIFETIME:%d/%m/%Y}."
            )
        return day
