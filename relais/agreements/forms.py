"""Agreement forms. Validation that involves several objects lives in the services."""

import re

from django import forms

from relais.core.forms import DateInput
from relais.core.models import Organisation
from relais.core.validators import validate_plausible_date
from relais.places.models import Place

from .enums import CommitmentFrequency, CommitmentUnit, Modality, PartyRole, TerminationKind
from .models import Agreement


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "partner",
            "reference",
            "signed_at",
            "original_copies",
            "duration_months",
            "tacit_renewal",
            "opposition_notice_months",
            "hard_end_date",
            "notice_days",
            "force_majeure_notice_days",
            "day_hours",
            "half_day_hours",
            "communication_mention",
            "jurisdiction",
            "text",
        ]
        widgets = {
            "hard_end_date": DateInput(),
            "title": forms.Textarea(attrs={"rows": 2}),
            "text": forms.Textarea(attrs={"rows": 20}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.partners()


class CommitmentForm(forms.Form):
    place = forms.ModelChoiceField(label="Lieu", queryset=Place.objects.none())
    count = forms.IntegerField(label="Nombre", min_value=1, max_value=14)
    unit = forms.ChoiceField(label="Unité", choices=CommitmentUnit.choices)
    frequency = forms.ChoiceField(label="Fréquence", choices=CommitmentFrequency.choices)
    modality = forms.ChoiceField(label="Modalités", choices=Modality.choices)

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = Place.objects.active().select_related("commune")
        if partner is not None:
            places = places.filter(partner=partner)
        self.fields["place"].queryset = places


class SignatoryForm(forms.Form):
    title = forms.CharField(
        label="Qualité", max_length=200, help_text="Ex. : Le Maire de la Commune de Prades"
    )
    name = forms.CharField(label="Nom", max_length=150)


class PlausibleDateField(forms.DateField):
    """A date of the agreement's life, typed in a date picker, within the plausible years."""

    widget = DateInput
    default_validators = [validate_plausible_date]


class DateForm(forms.Form):
    on = PlausibleDateField(label="Date")


class OppositionForm(DateForm):
    by = forms.ChoiceField(label="Partie qui s'oppose", choices=PartyRole.choices)


class TerminationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Motif", choices=TerminationKind.choices, widget=forms.RadioSelect
    )
    initiated_by = forms.ChoiceField(label="À l'initiative de", choices=PartyRole.choices)
    notice_sent_on = PlausibleDateField(label="Mise en demeure envoyée le (faute)", required=False)
    notice_received_on = PlausibleDateField(
        label="Mise en demeure reçue le (faute)", required=False
    )
    notified_on = PlausibleDateField(label="Notification reçue le (force majeure)", required=False)
    dissolved_on = PlausibleDateField(label="Date de dissolution", required=False)


class AmendmentForm(forms.Form):
    subject = forms.CharField(label="Objet de l'avenant", max_length=300)
    dated_on = PlausibleDateField(label="Daté du")
    effective_from = PlausibleDateField(label="Prend effet le")
    text = forms.CharField(
        label="Texte de l'avenant",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Le texte signé, tel quel.",
    )
    article = forms.CharField(
        label="Article dont l'avenant change la rédaction",
        required=False,
        max_length=10,
        help_text="Numéro, ex. : 6 ou 1.2 (vide : l'avenant ne change que le tableau des lieux).",
    )
    article_text = forms.CharField(
        label="Nouvelle rédaction de cet article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("article", "").strip()) != bool(data.get("article_text", "").strip()):
            raise forms.ValidationError(
                "Indiquez à la fois l'article modifié et sa nouvelle rédaction (ou aucun des deux)."
            )
        if data.get("article") and not re.fullmatch(r"\d+(?:\.\d+)?", data["article"].strip()):
            self.add_error("article", "Un numéro d'article : 6, 1.2…")
        return data


class AmendmentLineForm(CommitmentForm):
    """A line of the new table; leave the place empty to drop a line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if data.get("place") and not data.get("count"):
            self.add_error("count", "Indiquez le nombre de journées ou de demi-journées.")
        return data


class AmendmentSignForm(DateForm):
    party = forms.ChoiceField(label="Partie signataire", choices=PartyRole.choices)
