"""Writes to beneficiaries: create, update, merge, delete (anonymising), import."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relais.activities.models import Activity
from relais.activities.services import activities_resync_person, refresh_last_activity
from relais.core import french
from relais.core.validators import error_text
from relais.reporting.rollup import StatsChange

from .importing import build_beneficiary
from .models import Beneficiary, BeneficiaryImport

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
    """Change a beneficiary; their activities' anonymous counts (and, for those without a
    place, commune) follow the new profile, in the statistics too."""
    with transaction.atomic(), StatsChange(beneficiaries=[beneficiary.pk]):
        _set(beneficiary, data)
        beneficiary.full_clean()
        beneficiary.save()
        activities_resync_person(beneficiary=beneficiary)
    return beneficiary


def beneficiary_merge(*, keep: Beneficiary, remove: Beneficiary) -> Beneficiary:
    """Merge a duplicate into ``keep``: everything that refers to it moves over (activities,
    mandates, rights requests, and any model added later), its blanks fill ``keep``'s.

    ``keep``'s own values win; ``remove`` is then deleted. Every reverse relation is moved, read
    from the model's metadata rather than listed here: a mandate's ``CASCADE`` once made a merge
    silently destroy the duplicate's signed mandates.
    """
    if keep.pk == remove.pk:
        raise ValueError("Cannot merge a beneficiary into itself.")
    with transaction.atomic(), StatsChange(beneficiaries=[keep.pk, remove.pk]):
        for name in MERGED_FIELDS:
            if getattr(keep, name) in (None, "") and getattr(remove, name) not in (None, ""):
                setattr(keep, name, getattr(remove, name))
        for name in ("gender", "social_status"):
            if getattr(keep, name) == "unknown":
                setattr(keep, name, getattr(remove, name))
        _move_references(remove, keep)
        remove.delete()
        keep.full_clean()
        keep.save()
        activities_resync_person(beneficiary=keep)
        refresh_last_activity(keep)
    return keep


def _move_references(source: Beneficiary, target: Beneficiary) -> None:
    for relation in Beneficiary._meta.related_objects:
        if relation.many_to_many:
            raise NotImplementedError(f"Merging does not move {relation.name} (many-to-many).")
        name = relation.field.name
        relation.related_model._base_manager.filter(**{name: source}).update(**{name: target})


def beneficiary_delete(*, beneficiary: Beneficiary) -> int:
    """Delete a beneficiary (right to erasure, end of retention); their activities stay.

    Their current gender, age bracket and status are copied onto the activities' anonymous
    counts first, then the link is cut: the statistics keep counting the activities (no longer
    as a followed person's). Returns the number of activities anonymised.
    """
    with transaction.atomic(), StatsChange(beneficiaries=[beneficiary.pk]):
        count = activities_resync_person(beneficiary=beneficiary)
        Activity.objects.filter(beneficiary=beneficiary).update(beneficiary=None)
        beneficiary.delete()
    return count


ALREADY_IMPORTED = "already_imported"


def beneficiaries_import(*, rows: list[dict], created_by, key: str) -> list[Beneficiary]:
    """Create every checked row of an import (``importing.read_workbook``) or none of them.

    One invalid line (e.g. the data changed since the preview) rolls the whole import back and
    raises ``ValidationError`` naming the line. Single use: ``key`` (the preview's) is stored in
    a ``BeneficiaryImport`` first, unique, in the same transaction; a preview confirmed already,
    or being confirmed at this instant by another request, raises ``ValidationError`` with code
    ``ALREADY_IMPORTED`` and creates no one.
    """
    created = []
    with transaction.atomic():
        batch = BeneficiaryImport(key=key, imported_by=created_by, row_count=len(rows))
        try:
            batch.full_clean()  # the key already stored: refused here, in French
            with transaction.atomic():  # a savepoint: the loser of a race fails alone
                batch.save()
        except ValidationError as error:
            if "key" not in error.message_dict:
                raise
            raise _already_imported(key) from error
        except IntegrityError as error:
            # Confirmed by a concurrent request, committed while this one waited on the key.
            raise _already_imported(key) from error
        for row in rows:
            beneficiary = build_beneficiary(row, created_by=created_by)
            try:
                beneficiary.full_clean()
            except ValidationError as error:
                messages = error_text(error)
                raise ValidationError(f"Ligne {row['line']} : {messages}") from error
            beneficiary.save()
            created.append(beneficiary)
    return created


def _already_imported(key: str) -> ValidationError:
    batch = BeneficiaryImport.objects.filter(key=key).first()
    when = f" le {french.short_datetime(batch.created_at)}" if batch else ""
    count = f" : ses {batch.row_count} personne(s) sont déjà enregistrées" if batch else ""
    return ValidationError(
        f"Cet import a déjà été confirmé{when}{count}. Rien n'a été importé une seconde fois.",
        code=ALREADY_IMPORTED,
    )
