"""Forms of the committee pages (the services validate again with full_clean)."""

from django import forms

from relais.core.forms import DateInput
from relais.core.models import Organisation

from .models import ActionItem, CommitteeMember, Meeting

DATE = DateInput()


def _time():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["category", "full_name", "function", "organisation", "other_organisation",
                  "email", "joined_on", "left_on"]  # fmt: skip
        widgets = {"joined_on": DATE, "left_on": DATE}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "location", "agenda", "attendees", "minutes",
                  "decisions"]  # fmt: skip
        widgets = {
            "date": DATE,
            "start_time": _time(),
            "end_time": _time(),
            "attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = CommitteeMember.objects.select_related("organisation")


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner_member", "owner_label", "partner", "due_on", "status"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.partners()
        self.fields["owner_member"].queryset = CommitteeMember.objects.active()


class ReviewForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2020, max_value=2100)
    structure = forms.ModelChoiceField(
        label="Structure",
        queryset=Organisation.objects.partners(),
        required=False,
        empty_label="Tout le département",
    )
