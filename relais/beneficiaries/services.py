"""Writes to beneficiaries: create, update, merge, delete (anonymising), import."""

from django.core.exceptions import ValidationError
from django.db import transaction

from relais.activities.models import Activity
from relais.activities.services import activities_resync_person, refresh_last_activity

from .importing import build_beneficiary
from .models import Beneficiary

EDITABLE_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "gender",
    "social_status",
    "commune",
    "phone",
    "email",
    "consent_given_on",
    "consent_text_version",
]
# Copied from the removed record when the kept one has no value.
MERGED_FIELDS = [f for f in EDITABLE_FIELDS if f not in {"gender", "social_status"}]


def _set(beneficiary: Beneficiary, data: dict) -> None:
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"Unknown beneficiary field: {name}")
        if value is None and name not in {"birth_year", "commune", "consent_given_on"}:
            value = ""
        setattr(beneficiary, name, value)


def beneficiary_create(*, data: dict, created_by) -> Beneficiary:
    beneficiary = Beneficiary(created_by=created_by)
    _set(beneficiary, data)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


def beneficiary_update(*, beneficiary: Beneficiary, data: dict) -> Beneficiary:
    """Change a beneficiary; their activities' anonymous counts follow the new profile."""
    with transaction.atomic():
        _set(beneficiary, data)
        beneficiary.full_clean()
        beneficiary.save()
        activities_resync_person(beneficiary=beneficiary)
    return beneficiary


def beneficiary_merge(*, keep: Beneficiary, remove: Beneficiary) -> Beneficiary:
    """Merge a duplicate into ``keep``: its activities move over, its blanks fill ``keep``'s.

    ``keep``'s own values win; ``remove`` is then deleted.
    """
    if keep.pk == remove.pk:
        raise ValueError("Cannot merge a beneficiary into itself.")
    with transaction.atomic():
        for name in MERGED_FIELDS:
            if getattr(keep, name) in (None, "") and getattr(remove, name) not in (None, ""):
                setattr(keep, name, getattr(remove, name))
        for name in ("gender", "social_status"):
            if getattr(keep, name) == "unknown":
                setattr(keep, name, getattr(remove, name))
        Activity.objects.filter(beneficiary=remove).update(beneficiary=keep)
        remove.delete()
        keep.full_clean()
        keep.save()
        activities_resync_person(beneficiary=keep)
        refresh_last_activity(keep)
    return keep


def beneficiary_delete(*, beneficiary: Beneficiary) -> int:
    """Delete a beneficiary (right to erasure, end of retention); their activities stay.

    Their current gender, age bracket and status are copied onto the activities' anonymous
    counts first, then the link is cut: the statistics do not change. Returns the number of
    activities anonymised.
    """
    with transaction.atomic():
        count = activities_resync_person(beneficiary=beneficiary)
        Activity.objects.filter(beneficiary=beneficiary).update(beneficiary=None)
        beneficiary.delete()
    return count


def beneficiaries_import(*, rows: list[dict], created_by) -> list[Beneficiary]:
    """Create every checked row of an import (``importing.read_workbook``) or none of them.

    One invalid line (e.g. the data changed since the preview) rolls the whole import back and
    raises ``ValidationError`` naming the line.
    """
    created = []
    with transaction.atomic():
        for row in rows:
            beneficiary = build_beneficiary(row, created_by=created_by)
            try:
                beneficiary.full_clean()
            except ValidationError as error:
                messages = " ".join(m for ms in error.message_dict.values() for m in ms)
                raise ValidationError(f"Ligne {row['line']} : {messages}") from error
            beneficiary.save()
            created.append(beneficiary)
    return created
