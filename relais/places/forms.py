"""Place forms. Saving goes through ``services.place_update`` (history), never ``form.save()``."""

from django import forms
from django.db import models

from .models import Place

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
    ("Adresse et contact", ["address", "postal_code", "phone", "email", "website"]),
    ("Accueil du public", ["opening_hours", "description", "accessibility_notes"]),
    ("Conditions d'accueil (convention, art. 1.2)", REQUIREMENT_FIELDS),
    ("Position géographique", COORDINATE_FIELDS),
]


def formfield_for(model_field: models.Field, **kwargs) -> forms.Field:
    """Web addresses typed without a scheme are taken as https:// (Django 6's default)."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class PlaceForm(forms.ModelForm):
    """What a place's staff and the coordinators maintain; coordinates for coordinators only."""

    class Meta:
        model = Place
        formfield_callback = formfield_for
        fields = [
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
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

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, bound fields) groups for the template; empty groups left out."""
        groups = []
        for legend, names in FIELDSETS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups
