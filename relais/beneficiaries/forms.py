"""Beneficiary forms. Saving goes through ``services``, never ``form.save()``."""

from django import forms
from django.conf import settings

from relais.core.models import Commune

from .models import Beneficiary

# The information notice read to the person before recording them (version stored with consent).
CONSENT_TEXT_VERSION = "2024-1"
CONSENT_TEXT = (
    "J'ai informé la personne que ses nom, prénom, année de naissance et coordonnées sont "
    "enregistrés par le Département pour suivre ses accompagnements, accessibles aux seuls "
    "conseillers de l'équipe, conservés 24 mois après son dernier accompagnement, et qu'elle "
    "peut demander à les consulter, les corriger ou les supprimer à tout moment ; elle est "
    "d'accord."
)


class BeneficiaryForm(forms.ModelForm):
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label="J'ai vérifié : ce n'est aucune des personnes ci-dessus, créer une nouvelle fiche.",
        required=False,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "first_name",
            "last_name",
            "birth_year",
            "gender",
            "social_status",
            "commune",
            "phone",
            "email",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "first_name": "Facultatif : laissez nom et prénom vides pour une personne anonyme.",
            "birth_year": "Suffit pour la tranche d'âge ; la date complète n'est jamais demandée.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.for_department(
            settings.RELAIS_DEPARTMENT_CODE
        )
        if self.instance.pk and self.instance.consent_given_on:
            self.fields["consent"].initial = True
            self.fields["consent"].disabled = True

    def _post_clean(self):
        # Validation of the model happens in the services (full_clean there).
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier Excel (.xlsx)",
        help_text="Première ligne : les en-têtes (voir la liste des colonnes ci-dessus).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Le fichier doit être un classeur Excel .xlsx.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 5 Mo.")
        return upload


class MergeForm(forms.Form):
    remove = forms.ModelChoiceField(
        label="Fiche en double à fusionner dans celle-ci",
        queryset=Beneficiary.objects.none(),
        empty_label="— Choisir —",
    )

    def __init__(self, *args, keep: Beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = Beneficiary.objects.exclude(pk=keep.pk).order_by(
            "last_name", "first_name", "pk"
        )
