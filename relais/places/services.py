"""Writes to places. Every change goes through :func:`place_update`, which keeps its history."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from relais.core.pagecache import public_pages_changed

from .models import Place, PlaceChange

# Bookkeeping columns: set by Django, never edited, never part of the history.
UNTRACKED_FIELDS = frozenset({"id", "created_at", "updated_at"})


def _editable_fields() -> dict[str, models.Field]:
    return {
        field.name: field
        for field in Place._meta.concrete_fields
        if field.name not in UNTRACKED_FIELDS
    }


def _display(place: Place, field: models.Field, value) -> str | bool | int | None:
    """A value as the history shows it: labels for choices and relations, text for decimals."""
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(getattr(place, field.name))
    if isinstance(value, Decimal):
        if isinstance(field, models.DecimalField):  # 42.6107 and 42.61070 are the same value
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        return str(value)
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def place_update(*, place: Place, user, data: dict) -> Place:
    """Apply ``data`` (field name → new value) to a place, validate it and record the change.

    The diff is computed against the stored row (unsaved edits on ``place`` are discarded), so a
    ModelForm that already wrote to its instance cannot hide a change. Empty coordinates default
    to the commune's centroid. One :class:`PlaceChange` lists every field that changed, with its
    French label and old and new values; nothing is recorded (nor saved) when nothing changed.
    Raises ``ValidationError`` (French messages, nothing saved) on invalid data and
    ``ValueError`` on an unknown field name.
    """
    fields = _editable_fields()
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"Unknown place field(s): {', '.join(unknown)}")
    with transaction.atomic():
        place.refresh_from_db(from_queryset=Place.objects.select_for_update())
        before = {
            name: _display(place, fields[name], place.serializable_value(name)) for name in fields
        }
        for name, value in data.items():
            field = fields[name]
            if field.is_relation:
                setattr(place, name, value)
            else:
                setattr(place, field.attname, value)
        if place.latitude in (None, "") and place.longitude in (None, ""):
            place.latitude, place.longitude = place.commune.latitude, place.commune.longitude
        try:
            place.full_clean()
        except ValidationError:
            place.refresh_from_db()  # leave the caller's object as stored
            raise
        changes = []
        for name, field in fields.items():
            new = _display(place, field, place.serializable_value(name))
            if new != before[name]:
                label = str(field.verbose_name)
                changes.append({"field": name, "label": label, "old": before[name], "new": new})
        if not changes:
            return place
        place.save()
        PlaceChange.objects.create(place=place, user=user, changes=changes)
        public_pages_changed(place, old_slugs=[before.get("slug")])
    return place
