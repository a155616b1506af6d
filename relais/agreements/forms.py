"""Agreement forms. Validation that involves several objects lives in the services."""

import re

from django import forms
from django.core.exceptions import ValidationError

from relais.core.forms import DateInput
from relais.core.models import Organisation
from relais.core.uploads import document_check
from relais.core.validators import validate_plausible_date
from relais.places.models import Place

from .enums import (
    CommitmentFrequency,
    CommitmentUnit,
    CommunicationDecision,
    CommunicationMedium,
    Modality,
    PartyRole,
    TerminationKind,
)
from .models import Agreement, AgreementContact


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


def _checked_file(upload):
    """The form's own check of an upload (PDF, JPEG or PNG, 10 Mo), so that the message sits at
    the field; the service checks again."""
    if not upload:
        return upload
    try:
        document_check(upload)
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from None
    finally:
        upload.seek(0)
    return upload


class InsuranceCertificateForm(forms.Form):
    """Art. 4.2: « une assurance responsabilité civile générale … pendant toute la durée »."""

    insurer = forms.CharField(label="Assureur", max_length=150)
    policy_number = forms.CharField(label="N° de police", max_length=60)
    valid_from = PlausibleDateField(label="Valable du")
    valid_until = PlausibleDateField(label="Valable jusqu'au")
    file = forms.FileField(
        label="Attestation",
        required=False,
        help_text="PDF, JPEG ou PNG, 10 Mo au plus.",
    )

    def clean_file(self):
        return _checked_file(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "La fin de validité précède son début.")
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = AgreementContact
        fields = ["party", "role", "full_name", "function", "email", "phone", "until"]
        widgets = {"until": DateInput()}
        help_texts = {
            "until": "Renseignez-la quand la personne quitte ce rôle ; le contact est effacé "
            "un an plus tard.",
        }


class CommunicationRequestForm(forms.Form):
    """What, where, when, and whether the Département's mention and logo appear (Art. 5)."""

    subject = forms.CharField(label="Objet", max_length=200)
    medium = forms.ChoiceField(label="Support", choices=CommunicationMedium.choices)
    channel = forms.CharField(
        label="Diffusion",
        max_length=200,
        help_text="Où : site, journal, lieux d'affichage, réseau social…",
    )
    planned_on = PlausibleDateField(label="Diffusion prévue le")
    description = forms.CharField(
        label="Contenu", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label="Maquette ou projet", required=False, help_text="PDF, JPEG ou PNG, 10 Mo au plus."
    )
    shows_mention = forms.BooleanField(
        label="La mention « Opération menée par le Département des Pyrénées-Orientales, avec "
        "l'appui financier de l'État… » figure sur le support",
        required=False,
    )
    shows_logo = forms.BooleanField(
        label="Le logo du Département figure sur le support", required=False
    )
    requester_validated_by = forms.CharField(
        label="Validé pour le demandeur par",
        max_length=150,
        required=False,
        help_text="Responsable éditorial qui a validé le contenu (art. 4.1).",
    )

    def __init__(self, *args, requested_by_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if requested_by_choices:
            self.fields = {
                "requested_by": forms.ChoiceField(
                    label="À la demande de", choices=requested_by_choices
                ),
                **self.fields,
            }

    def clean_attachment(self):
        return _checked_file(self.cleaned_data.get("attachment"))


class CommunicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision", choices=CommunicationDecision.choices, widget=forms.RadioSelect
    )
    decided_by = forms.CharField(
        label="Décision prise par",
        max_length=150,
        help_text="Nom et fonction de la personne qui valide (art. 4.1).",
    )
    comment = forms.CharField(
        label="Motif ou modifications demandées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision")
            in (
                CommunicationDecision.REFUSED,
                CommunicationDecision.CHANGES_REQUESTED,
            )
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", "Indiquez le motif ou les modifications demandées.")
        return data


class CommunicationResubmitForm(forms.Form):
    planned_on = PlausibleDateField(label="Diffusion prévue le")
    description = forms.CharField(
        label="Ce qui a changé", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label="Nouvelle maquette", required=False, help_text="PDF, JPEG ou PNG, 10 Mo au plus."
    )
    shows_mention = CommunicationRequestForm.base_fields["shows_mention"]
    shows_logo = CommunicationRequestForm.base_fields["shows_logo"]

    def clean_attachment(self):
        return _checked_file(self.cleaned_data.get("attachment"))
