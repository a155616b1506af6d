"""Mandate forms. Saving goes through ``services``, never ``form.save()``."""

from django import forms

from .enums import ActionKind, Binding, Duration, IdentityDocument, Mode, ProcedureFamily
from .models import MAX_NAMED_PROCEDURES, MAX_PROCEDURE_LENGTH
from .services import DATA_REQUEST_PROCEDURE
from .texts import CURRENT_VERSION, information_text


class MandateForm(forms.Form):
    mode = forms.ChoiceField(
        label="Modalité des démarches", choices=Mode.choices, widget=forms.RadioSelect
    )
    binds = forms.ChoiceField(
        label="Le mandat est donné à",
        choices=Binding.choices,
        initial=Binding.TEAM,
        widget=forms.RadioSelect,
    )
    identity_document_type = forms.ChoiceField(
        label="Pièce d'identité présentée",
        choices=[("", "—"), *IdentityDocument.choices],
    )
    identity_checked = forms.BooleanField(
        label="J'ai vérifié l'identité de la personne sur le document original ; aucune copie "
        "n'en est faite ni conservée.",
    )
    scope_families = forms.MultipleChoiceField(
        label="Familles de démarches couvertes",
        choices=ProcedureFamily.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    named_procedures = forms.CharField(
        label="Démarches désignées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Une démarche par ligne (par exemple « Demande de RSA »), "
        f"{MAX_NAMED_PROCEDURES} au plus.",
    )
    covers_data_requests = forms.BooleanField(
        label="Le mandat couvre aussi les demandes de communication de données personnelles "
        "(convention, art. 2).",
        required=False,
    )
    duration = forms.ChoiceField(label="Durée", choices=Duration.choices, widget=forms.RadioSelect)
    information_given = forms.BooleanField(
        label=f"J'ai lu et remis à la personne l'information sur ses données et ses droits "
        f"(version {CURRENT_VERSION}, reproduite ci-dessus).",
    )

    information_version = CURRENT_VERSION
    information_paragraphs = information_text(CURRENT_VERSION)

    def clean_named_procedures(self) -> list[str]:
        lines = [
            " ".join(line.split()) for line in self.cleaned_data["named_procedures"].splitlines()
        ]
        lines = [line for line in lines if line]
        if len(lines) > MAX_NAMED_PROCEDURES:
            raise forms.ValidationError(f"{MAX_NAMED_PROCEDURES} démarches au plus.")
        if any(len(line) > MAX_PROCEDURE_LENGTH for line in lines):
            raise forms.ValidationError(f"{MAX_PROCEDURE_LENGTH} caractères au plus par démarche.")
        return lines

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "binds": data["binds"],
            "identity_document_type": data["identity_document_type"],
            "scope_families": list(data["scope_families"]),
            "named_procedures": data["named_procedures"],
            "covers_data_requests": data["covers_data_requests"],
            "duration": data["duration"],
        }


class ActionForm(forms.Form):
    procedure = forms.ChoiceField(label="Démarche")
    kind = forms.ChoiceField(label="Action", choices=[("", "—"), *ActionKind.choices])

    def __init__(self, *args, mandate, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")]
        choices += [
            (f"family:{code}", mandate.get_family_label(code)) for code in mandate.active_families
        ]
        choices += [(f"named:{index}", name) for index, name in enumerate(mandate.named_procedures)]
        if mandate.covers_data_requests:
            choices.append(("data", DATA_REQUEST_PROCEDURE))
        self.fields["procedure"].choices = choices
        self.mandate = mandate

    def data_for_service(self) -> dict:
        value = self.cleaned_data["procedure"]
        kind = self.cleaned_data["kind"]
        if value.startswith("family:"):
            return {"kind": kind, "family": value.removeprefix("family:")}
        if value.startswith("named:"):
            return {"kind": kind, "procedure": self.mandate.named_procedures[int(value[6:])]}
        return {"kind": kind, "procedure": DATA_REQUEST_PROCEDURE}


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label="Motif (facultatif)",
        required=False,
        max_length=200,
        help_text="Le retrait n'a pas à être justifié. N'indiquez ni nom ni information de santé.",
    )


class FamilyRevocationForm(forms.Form):
    family = forms.ChoiceField(label="Famille de démarches retirée")

    def __init__(self, *args, mandate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = [
            (code, mandate.get_family_label(code)) for code in mandate.active_families
        ]


class ScanForm(forms.Form):
    file = forms.FileField(
        label="Mandat signé (PDF, JPEG ou PNG, 10 Mo au plus)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
