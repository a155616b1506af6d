"""Planning forms. Saving goes through ``services``; the model's clean() checks the dates."""

from datetime import date

from django import forms
from django.utils import timezone

from relais.core.dates import monday_of
from relais.core.forms import (
    CheckboxSelectMultiple,
    DateInput,
    ModelChoiceField,
    ModelMultipleChoiceField,
    Select,
)
from relais.core.validators import validate_plausible_date
from relais.places.models import Place
from relais.team.models import Advisor

from .models import Closure, Slot

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AdvisorChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name()} ({obj.home_commune.name})"


def _advisors():
    return Advisor.objects.active().with_user().order_by("user__last_name", "user__first_name")


class SlotForm(forms.ModelForm):
    advisors = AdvisorChoiceField(
        label="Conseillers",
        queryset=Advisor.objects.none(),
        widget=CheckboxSelectMultiple,
        help_text="Un ou plusieurs conseillers tiennent la permanence.",
    )

    class Meta:
        model = Slot
        fields = [
            "place",
            "weekday",
            "start_time",
            "end_time",
            "recurrence",
            "anchor_date",
            "month_week",
            "valid_from",
            "valid_until",
            "advisors",
            "respect_school_holidays",
            "note",
        ]
        widgets = {
            "start_time": TIME,
            "end_time": TIME,
            "anchor_date": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "place": Select,
        }
        field_classes = {"place": ModelChoiceField}  # core.forms: one query, options in Python

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.active().select_related("commune")
        self.fields["advisors"].queryset = _advisors()


class ClosureForm(forms.ModelForm):
    long_closure_confirmed = forms.BooleanField(
        label="Je confirme une fermeture de plus d'un an",
        required=False,
        help_text="À cocher seulement si le lieu ferme vraiment plus d'un an.",
    )

    class Meta:
        model = Closure
        fields = ["place", "start_date", "end_date", "reason"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places if places is not None else Place.objects.none()


class CancelForm(forms.Form):
    reason = forms.CharField(label="Motif de l'annulation", max_length=200)


class ReplaceForm(forms.Form):
    advisors = AdvisorChoiceField(
        label="Conseillers qui tiennent la permanence ce jour-là",
        queryset=Advisor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label="Motif", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisors"].queryset = _advisors()


class PeriodForm(forms.Form):
    """The period of the checks and coverage pages (GET)."""

    du = forms.DateField(
        label="Semaine du", required=False, widget=DATE, validators=[validate_plausible_date]
    )
    semaines = forms.IntegerField(
        label="Nombre de semaines", min_value=1, max_value=26, required=False
    )


def period_from(request, default_weeks: int) -> tuple[PeriodForm, date, int]:
    """The period asked for in the query string: from a Monday, a number of weeks."""
    form = PeriodForm(request.GET or None)
    start, weeks = None, None
    if form.is_valid():
        start, weeks = form.cleaned_data["du"], form.cleaned_data["semaines"]
    start = monday_of(start or timezone.localdate())
    return form, start, weeks or default_weeks
