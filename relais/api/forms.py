from django import forms

from .enums import Scope


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Usage du jeton",
        max_length=120,
        help_text="L'application cliente, ex. « Tableau de bord open data ».",
    )
    scopes = forms.MultipleChoiceField(
        label="Portées", choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
