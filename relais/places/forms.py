"""Place forms. Saving goes through ``services.place_update`` (history), never ``form.save()``."""

import itertools
from datetime import time

from django import forms
from django.db import models

from relais.core.french import french_time_range

from .hours import (
    DAYS,
    EXAMPLE,
    WEEK,
    french_to_osm,
    osm_to_week,
    validate_opening_hours,
    week_to_osm,
)
from .models import Place

# Two ranges a day (morning, afternoon) cover the partners' hours; more goes to the expert text.
RANGES_PER_DAY = 2
GRID_FIELDS = [
    f"hours_{day}_{index}_{end}"
    for day in WEEK
    for index in range(1, RANGES_PER_DAY + 1)
    for end in ("start", "end")
] + ["closed_on_holidays"]
HOURS_HELP = (
    "Pour les experts, ou en français : « mardi 14h-18h ; du lundi au vendredi 9h-12h et "
    f"14h-17h ; fermé les jours fériés ». Syntaxe OpenStreetMap : « {EXAMPLE} »."
)

REQUIREMENT_FIELDS = [
    "is_public_and_accessible",
    "room_capacity",
    "has_internet_and_wifi",
    "has_confidential_office",
    "has_computer",
    "has_printer_scanner",
    "has_photocopier",
    "has_phone",
]
COORDINATE_FIELDS = ["latitude", "longitude"]
FIELDSETS = [
    ("Adresse et contact", ["address", "postal_code", "phone", "email", "website", "siret"]),
    ("Accueil du public", ["description", "accessibility_notes"]),
    ("Conditions d'accueil (convention, art. 1.2)", REQUIREMENT_FIELDS),
    ("Position géographique", COORDINATE_FIELDS),
]


def formfield_for(model_field: models.Field, **kwargs) -> forms.Field:
    """Web addresses typed without a scheme are taken as https:// (Django 6's default)."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class PlaceForm(forms.ModelForm):
    """What a place's staff and the coordinators maintain; coordinates for coordinators only.

    Opening hours are entered in a grid (two time ranges per day, closed on public holidays) or,
    for experts, as text: OSM syntax or French (« mardi 14h-18h »), both written as OSM.
    """

    opening_hours = forms.CharField(
        label="Saisie experte des horaires",
        required=False,
        max_length=255,
        help_text=HOURS_HELP,
    )
    closed_on_holidays = forms.BooleanField(label="Fermé les jours fériés", required=False)

    class Meta:
        model = Place
        formfield_callback = formfield_for
        fields = [
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "siret",
            "opening_hours",
            "description",
            "accessibility_notes",
            *REQUIREMENT_FIELDS,
            *COORDINATE_FIELDS,
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, can_edit_coordinates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit_coordinates:
            for name in COORDINATE_FIELDS:
                del self.fields[name]
        for day in WEEK:
            for index in range(1, RANGES_PER_DAY + 1):
                for end, word in (("start", "début"), ("end", "fin")):
                    label = f"{DAYS[day].capitalize()}, plage {index}, {word}"
                    self.fields[f"hours_{day}_{index}_{end}"] = forms.TimeField(
                        label=label,
                        required=False,
                        widget=forms.TimeInput(
                            attrs={"type": "time", "aria-label": label}, format="%H:%M"
                        ),
                    )
        parsed = osm_to_week(self.instance.opening_hours if self.instance else "")
        # Hours beyond the grid (months, exceptions…) stay in the expert text only.
        self.grid_available = parsed is not None
        if parsed is None:
            for name in GRID_FIELDS:
                self.fields[name].disabled = True
            return
        week, closed = parsed
        self.fields["closed_on_holidays"].initial = closed
        for day, ranges in week.items():
            for index, (start, end) in enumerate(ranges[:RANGES_PER_DAY], start=1):
                # As times, not text: has_changed() compares the posted time with the initial.
                self.fields[f"hours_{day}_{index}_start"].initial = time.fromisoformat(start)
                self.fields[f"hours_{day}_{index}_end"].initial = time.fromisoformat(end)

    def grid_days(self) -> list[tuple[str, list[tuple]]]:
        """(day name, [(start field, end field), …]) for the template's grid."""
        return [
            (
                DAYS[day].capitalize(),
                [
                    (self[f"hours_{day}_{i}_start"], self[f"hours_{day}_{i}_end"])
                    for i in range(1, RANGES_PER_DAY + 1)
                ],
            )
            for day in WEEK
        ]

    def _post_clean(self):
        # After the instance received the form's values: what the open data needs of a place
        # it publishes (street address, the SIRET of a town hall's commune).
        super()._post_clean()
        for name, message in self.instance.publication_problems().items():
            self.add_error(name if name in self.fields else None, message)

    def clean_opening_hours(self):
        text = " ".join(self.cleaned_data["opening_hours"].split())
        if not text or "opening_hours" not in self.changed_data:
            return text
        try:
            validate_opening_hours(text)
        except forms.ValidationError:
            converted = french_to_osm(text)
            if converted is None:
                raise forms.ValidationError(
                    "Horaires non compris. Utilisez le tableau ci-dessus, ou écrivez-les en "
                    "français, une règle par jour ou groupe de jours séparés par « ; » (ex. "
                    "« du lundi au vendredi 9h-12h et 14h-17h ; samedi 10h-12h »), ou en "
                    f"syntaxe OpenStreetMap (ex. « {EXAMPLE} »)."
                ) from None
            return converted
        return text

    def _week_from_grid(self):
        week, errors = {}, []
        for day in WEEK:
            ranges = []
            for index in range(1, RANGES_PER_DAY + 1):
                start = self.cleaned_data.get(f"hours_{day}_{index}_start")
                end = self.cleaned_data.get(f"hours_{day}_{index}_end")
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    errors.append(f"{DAYS[day].capitalize()} : indiquez le début et la fin.")
                elif start >= end:
                    errors.append(
                        f"{DAYS[day].capitalize()} : la plage {french_time_range(start, end)} "
                        "finit avant de commencer."
                    )
                else:
                    ranges.append((f"{start:%H:%M}", f"{end:%H:%M}"))  # machine format (OSM)
            ranges.sort()
            if any(a[1] > b[0] for a, b in itertools.pairwise(ranges)):
                errors.append(f"{DAYS[day].capitalize()} : les deux plages se chevauchent.")
            week[day] = ranges
        return week, errors

    def clean(self):
        cleaned = super().clean()
        # A client that posts the text alone (an import script, an old page) did not use the grid.
        grid_posted = any(
            self.add_prefix(name) in self.data for name in GRID_FIELDS if name.startswith("hours_")
        )
        grid_changed = grid_posted and any(name in self.changed_data for name in GRID_FIELDS)
        text_changed = "opening_hours" in self.changed_data
        if grid_changed and text_changed:
            self.add_error(
                "opening_hours",
                "Modifiez les horaires soit dans le tableau, soit dans la saisie experte, "
                "pas les deux à la fois.",
            )
        elif grid_changed:
            week, errors = self._week_from_grid()
            if errors:
                raise forms.ValidationError(errors)
            cleaned["opening_hours"] = week_to_osm(
                week, closed_on_holidays=cleaned.get("closed_on_holidays", False)
            )
        for name in GRID_FIELDS:
            cleaned.pop(name, None)  # not fields of the place: the OSM text holds them
        return cleaned

    def fieldsets(self) -> list[tuple[str, list]]:  # the hours have their own template part
        """(legend, bound fields) groups for the template; empty groups left out."""
        groups = []
        for legend, names in FIELDSETS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups
