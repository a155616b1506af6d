"""The dashboard's filter form (GET): period in months, partner, place, adviser, commune,
theme, kind. Choices are limited to what the user may see (partner staff: their places)."""

from datetime import date

from django import forms
from django.utils import timezone

from relais.activities.enums import ActivityKind, Theme
from relais.core.models import Commune, Organisation
from relais.core.params import parse_month
from relais.core.validators import PLAUSIBLE_EARLIEST, PLAUSIBLE_LATEST
from relais.places.models import Place
from relais.team.models import Advisor

from .stats import StatsFilters


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                f"Indiquez un mois au format AAAA-MM, entre {PLAUSIBLE_EARLIEST:%Y} et "
                f"{PLAUSIBLE_LATEST:%Y}."
            )
        return month


class StatsFilterForm(forms.Form):
    start = MonthField(label="Du mois", required=False)
    end = MonthField(label="Au mois (inclus)", required=False)
    partner = forms.TypedChoiceField(
        label="Structure", required=False, coerce=int, empty_value=None
    )
    place = forms.TypedChoiceField(label="Lieu", required=False, coerce=int, empty_value=None)
    advisor = forms.TypedChoiceField(
        label="Conseiller", required=False, coerce=int, empty_value=None
    )
    commune = forms.TypedChoiceField(label="Commune", required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(label="Thématique", required=False)
    kind = forms.ChoiceField(label="Type", required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user
        places = Place.objects.visible_to(user).order_by("name")
        everything = [("", "Tous")]
        self.fields["place"].choices = everything + list(places.values_list("pk", "name"))
        self.fields["commune"].choices = [
            ("", "Toutes"),
            *list(Commune.objects.filter(places__in=places).distinct().values_list("pk", "name")),
        ]
        self.fields["advisor"].choices = everything + [
            (a.pk, a.user.get_full_name())
            for a in Advisor.objects.select_related("user").order_by(
                "user__last_name", "user__first_name"
            )
        ]
        if user.is_partner_staff:
            del self.fields["partner"]
        else:
            self.fields["partner"].choices = [
                ("", "Toutes"),
                *list(Organisation.objects.partners().order_by("name").values_list("pk", "name")),
            ]
        self.fields["theme"].choices = [("", "Toutes"), *list(Theme.choices)]
        self.fields["kind"].choices = [("", "Tous"), *list(ActivityKind.choices)]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Le mois de fin précède le mois de début.")
        return data

    def filters(self, today: date | None = None) -> StatsFilters:
        """The StatsFilters of the form's valid fields (invalid ones are ignored and shown in
        error); default period: the last 12 months."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound and not self.is_valid() else {}
        data = self.cleaned_data if self.is_bound and self.is_valid() else data
        default = StatsFilters.last_months(12, today or timezone.localdate())
        end = data.get("end") or default.end
        start = data.get("start") or (
            default.start if not data.get("end") else end.replace(month=1)
        )

        def one(name):
            value = data.get(name)
            return (value,) if value else ()

        return StatsFilters(
            start=start,
            end=end,
            partners=one("partner"),
            places=one("place"),
            advisors=one("advisor"),
            communes=one("commune"),
            theme=data.get("theme") or "",
            kind=data.get("kind") or "",
        )
