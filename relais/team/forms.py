"""Team forms. Saving goes through ``services`` (validation and M2M in one transaction)."""

from django import forms

from relais.core.forms import DateInput

from .enums import Weekday
from .models import Advisor, Leave, Skill


class AdvisorProfileForm(forms.ModelForm):
    working_days = forms.TypedMultipleChoiceField(
        label="Jours travaillés",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Temps partiel : ne cochez que les jours travaillés.",
    )
    skills = forms.ModelMultipleChoiceField(
        label="Compétences",
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Langues parlées, habilitations (ex. Aidants Connect).",
    )

    class Meta:
        model = Advisor
        fields = [
            "training_status",
            "training_date",
            "weekly_hours",
            "working_days",
            "contract_start",
            "contract_end",
        ]
        widgets = {
            "training_date": DateInput(),
            "contract_start": DateInput(),
            "contract_end": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("skills", list(self.instance.skills.all()))


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Leave
        fields = ["advisor", "kind", "start_date", "start_half", "end_date", "end_half", "note"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = Advisor.objects.active().with_user()
