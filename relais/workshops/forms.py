"""Catalogue, session and programme forms. Saving goes through ``services``, never form.save()."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from relais.core.forms import (
    CheckboxSelectMultiple,
    DateInput,
    ModelChoiceField,
    ModelMultipleChoiceField,
    Select,
)
from relais.core.validators import validate_plausible_date, validate_programme_date
from relais.places.models import Place
from relais.team.models import Advisor

from .enums import theme_choices
from .models import MAX_WAITING_LIST, WorkshopTopic
from .services import MAX_SERIES_LENGTH, TOPIC_FIELDS


class TopicForm(forms.ModelForm):
    class Meta:
        model = WorkshopTopic
        fields = list(TOPIC_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
            "equipment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": "Laissez vide : il est calculé à partir du titre."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["themes"] = forms.MultipleChoiceField(
            label="Thématiques", choices=theme_choices(), required=False
        )

    def _post_clean(self):
        # Validation of the whole instance happens in the service (topic_create/topic_update).
        pass


class SessionForm(forms.Form):
    """One session, or a weekly series of them (``occurrences`` > 1)."""

    topic = ModelChoiceField(label="Atelier", queryset=WorkshopTopic.objects.none(), widget=Select)
    place = ModelChoiceField(label="Lieu", queryset=Place.objects.none(), widget=Select)
    day = forms.DateField(
        label="Date (première séance)",
        widget=DateInput(),
        validators=[validate_programme_date],
    )
    start_time = forms.TimeField(
        label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        min_value=15,
        max_value=480,
        required=False,
        help_text="Vide : la durée prévue au catalogue.",
    )
    capacity = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        required=False,
        help_text="Vide : celui du catalogue, dans la limite de la salle du lieu.",
    )
    waiting_list_cap = forms.IntegerField(
        label="Places sur la liste d'attente",
        min_value=0,
        max_value=MAX_WAITING_LIST,
        required=False,
        help_text="Une fois la séance complète, au plus ce nombre de personnes attendent une "
        "place. Vide : autant que de places à la séance. 0 : pas de liste d'attente.",
    )
    advisors = ModelMultipleChoiceField(
        label="Animé par",
        queryset=Advisor.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    occurrences = forms.IntegerField(
        label="Nombre de semaines",
        min_value=1,
        max_value=MAX_SERIES_LENGTH,
        initial=1,
        help_text="Plus de 1 : une séance chaque semaine au même horaire (les jours fériés "
        "sont sautés).",
    )

    def __init__(self, *args, edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = WorkshopTopic.objects.exclude(status="retired")
        self.fields["place"].queryset = Place.objects.active().select_related("commune")
        self.fields["advisors"].queryset = Advisor.objects.active().with_user()
        if edit:
            del self.fields["occurrences"]
            self.fields["day"].label = "Date"

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError("La date est passée.")
        if day > timezone.localdate() + timedelta(days=2 * 366):
            raise forms.ValidationError("La date est à plus de deux ans.")
        return day


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Motif (communiqué aux personnes inscrites)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


EXPORT_FORMATS = [("pdf", "PDF"), ("xlsx", "Tableur (XLSX)")]


class ProgrammeForm(forms.Form):
    place = forms.ModelChoiceField(
        label="Lieu", queryset=Place.objects.none(), required=False, empty_label="Tous les lieux"
    )
    first = forms.DateField(
        label="Du",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )
    last = forms.DateField(
        label="Au",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )
    format = forms.ChoiceField(label="Format", choices=EXPORT_FORMATS, initial="pdf")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.visible_to(user).order_by("name")
        if user.is_partner_staff:
            self.fields["place"].empty_label = "Tous les lieux de ma structure"

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                raise forms.ValidationError("La fin de la période précède son début.")
            if (last - first).days > 400:
                raise forms.ValidationError("La période est limitée à un an environ.")
        return data
