"""Beneficiary forms. Saving goes through ``services``, never ``form.save()``."""

from django import forms
from django.conf import settings
from django.urls import reverse

from relais.core.forms import ModelChoiceField, Select
from relais.core.models import Commune
from relais.core.params import parse_id

from .models import Beneficiary
from .queries import PICKER_LIMIT, PICKER_MIN_CHARS, beneficiaries_matching, picker_words

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
            "commune": Select,  # the département's communes, hundreds: see core.forms.Select
        }
        field_classes = {"commune": ModelChoiceField}  # read in one query
        help_texts = {
            "first_name": "Facultatif : laissez nom et prénom vides pour une personne anonyme.",
            "birth_year": "Suffit pour la tranche d'âge ; la date complète n'est jamais demandée.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the choices show: the département has hundreds of communes to list.
        self.fields["commune"].queryset = Commune.objects.for_department(
            settings.RELAIS_DEPARTMENT_CODE
        ).only("pk", "name", "postal_code")
        if self.instance.pk and self.instance.consent_given_on:
            self.fields["consent"].initial = True
            self.fields["consent"].disabled = True

    def _post_clean(self):
        # Validation of the model happens in the services (full_clean there).
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NewPersonForm(BeneficiaryForm):
    """« Nouvelle personne » inside the activity form (issue 17 §1): what is asked at the desk,
    a name required (« Personne anonyme » is the picker's own choice). Prefixed: the activity
    form around it has its own ``gender`` and ``social_status``."""

    prefix = "new_person"
    # Its fields sit inside the activity form: a `required` attribute would stop the browser
    # from sending the activity when nobody new is entered. The server checks them.
    use_required_attribute = False

    class Meta(BeneficiaryForm.Meta):
        fields = ["first_name", "last_name", "birth_year", "commune"]
        help_texts = {
            "birth_year": BeneficiaryForm.Meta.help_texts["birth_year"],
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in (
            ("first_name", "Indiquez le prénom."),
            ("last_name", "Indiquez le nom."),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["birth_year"].error_messages["invalid"] = (
            "Saisissez une année, par exemple 1956."
        )
        self.fields["commune"].empty_label = "— Non précisée —"


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


class BeneficiaryPicker(forms.Widget):
    """A search field and the people found, as radio buttons, instead of a ``<select>`` of the
    whole file (a million people at national scale; issue 19).

    With JavaScript, htmx asks ``beneficiaries:pick`` for the names as one types; without it,
    the form is its own search: « Rechercher » (or Enter) sends the form, the field answers with
    the people found and an error asking to choose one (``BeneficiaryPickerField``). The radios
    are a native group: arrows to move, a screen reader announces « 3 sur 10 ».
    """

    template_name = "beneficiaries/widgets/picker.html"
    use_fieldset = True
    # Set by the field: the people the form's user may choose.
    queryset = Beneficiary.objects.none()
    anonymous_label = ""

    def value_from_datadict(self, data, files, name):
        return {
            "pk": data.get(name, ""),
            "q": data.get(f"{name}_q", ""),
            "search": f"{name}_search" in data,
        }

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):
            pk, query = parse_id(value.get("pk")), value.get("q", "").strip()
        else:
            pk, query = parse_id(getattr(value, "pk", value)), ""
        selected = self.queryset.filter(pk=pk).select_related("commune").first() if pk else None
        people = []
        if query and selected is None:
            people = beneficiaries_matching(self.queryset, query)
        context["widget"].update(
            {
                "query": query,
                "selected": selected,
                "results": picker_results(people, query, selected=selected),
                "anonymous_label": self.anonymous_label,
                "search_url": reverse("beneficiaries:pick"),
                "min_chars": PICKER_MIN_CHARS,
            }
        )
        return context


def picker_results(people: list, query: str, *, selected=None) -> dict:
    """What the results list shows: the people (at most ``PICKER_LIMIT``), whether there are
    more, and the sentence read out to a screen reader."""
    more = len(people) > PICKER_LIMIT
    people = [p for p in people[:PICKER_LIMIT] if selected is None or p.pk != selected.pk]
    if not query:
        status = ""
    elif not picker_words(query):
        status = f"Tapez au moins {PICKER_MIN_CHARS} lettres."
    elif not people and selected is None:
        status = f"Aucune personne ne correspond à « {query} »."
    elif more:
        status = f"Plus de {PICKER_LIMIT} personnes : précisez (prénom, nom complet)."
    else:
        status = f"{len(people)} personne(s) trouvée(s)."
    return {"people": people, "more": more, "status": status}


class BeneficiaryPickerField(forms.Field):
    """A person chosen by search (``BeneficiaryPicker``): a pk among ``queryset``, or a search
    that matches exactly one person; ``None`` for « Personne anonyme » when not required.

    The pk comes from the browser: it is checked against ``queryset`` (the people the user may
    choose), so a forged or stale pk gets a French message, never a 500 nor someone else's
    record.
    """

    widget = BeneficiaryPicker
    default_error_messages = {
        "required": "Choisissez une personne.",
        "invalid_choice": "Cette personne n'existe plus ou ne vous est pas accessible : "
        "cherchez-la de nouveau.",
        "none_found": "Aucune personne ne correspond à « %(query)s ». Vérifiez l'orthographe, "
        "ou enregistrez une nouvelle personne.",
        "choose": "Choisissez la personne dans la liste ci-dessous.",
        "too_short": f"Tapez au moins {PICKER_MIN_CHARS} lettres du nom.",
    }

    def __init__(self, *, queryset=None, anonymous_label: str = "", **kwargs):
        super().__init__(**kwargs)
        self.queryset = Beneficiary.objects.all() if queryset is None else queryset
        self.widget.anonymous_label = anonymous_label

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, value):
        self._queryset = value
        self.widget.queryset = value

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset.all()
        return result

    def to_python(self, value):
        if not isinstance(value, dict):  # initial data: an instance, a pk or nothing
            value = {"pk": getattr(value, "pk", value) or "", "q": "", "search": False}
        raw_pk = str(value.get("pk") or "").strip()
        query = str(value.get("q") or "").strip()
        if raw_pk and not value.get("search"):
            pk = parse_id(raw_pk)
            person = self.queryset.filter(pk=pk).first() if pk else None
            if person is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
            return person
        if not query:
            return None
        if not picker_words(query):
            raise forms.ValidationError(self.error_messages["too_short"], code="too_short")
        people = beneficiaries_matching(self.queryset, query, limit=1)
        if not people:
            raise forms.ValidationError(
                self.error_messages["none_found"], code="none_found", params={"query": query}
            )
        if len(people) > 1 or value.get("search"):
            # « Rechercher » without JavaScript asks for the list, even for one name.
            raise forms.ValidationError(self.error_messages["choose"], code="choose")
        return people[0]

    def has_changed(self, initial, data):
        initial_pk = getattr(initial, "pk", initial)
        return str(initial_pk or "") != str((data or {}).get("pk") or "")


class MergeForm(forms.Form):
    remove = BeneficiaryPickerField(
        label="Fiche en double à fusionner dans celle-ci",
        queryset=Beneficiary.objects.none(),
    )

    def __init__(self, *args, keep: Beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = Beneficiary.objects.exclude(pk=keep.pk)
