"""Forms of the rights register: a new request, the extension of its deadline, its closing."""

from django import forms

from relais.core.forms import DateInput
from relais.core.validators import validate_plausible_date
from relais.privacy.models import RightsChannel, RightsKind, RightsStatus

from .services import received_on_problem


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Droit exercé", choices=[("", "—"), *RightsKind.choices])
    channel = forms.ChoiceField(label="Demande reçue", choices=RightsChannel.choices)
    received_on = forms.DateField(
        label="Reçue le",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )
    requester_label = forms.CharField(
        label="Demandeur (sans fiche)",
        required=False,
        max_length=150,
        help_text="Seulement si la personne n'a pas de fiche ou n'est pas encore identifiée.",
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if problem := received_on_problem(received_on):
            raise forms.ValidationError(problem)
        return received_on


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la prolongation",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Complexité ou nombre des demandes (RGPD, art. 12.3).",
    )
    person_informed_on = forms.DateField(
        label="Personne informée de la prolongation et de ses motifs le",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Issue",
        choices=[
            (RightsStatus.DONE, RightsStatus.DONE.label),
            (RightsStatus.REFUSED, RightsStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label="Réponse apportée",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui a été fait ou, pour un refus, le motif (obligatoire).",
    )
