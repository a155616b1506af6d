"""Planning writes: slots, closures, one-off exceptions, the adviser's last visit."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from relais.agreements.models import Commitment
from relais.core.pagecache import public_pages_changed
from relais.core.writes import insert_or_get

from .enums import ExceptionKind
from .models import Closure, OccurrenceException, Slot, WeekVisit


def commitment_for(place, day: date):
    """The commitment at ``place`` valid on ``day`` in an agreement in force, if any."""
    for commitment in (
        Commitment.objects.filter(place=place).valid_on(day).select_related("agreement")
    ):
        timeline = commitment.agreement.timeline(day)
        if timeline.is_in_force:
            return commitment
    return None


def _require_advisors(advisors) -> list:
    advisors = list(advisors)
    if not advisors:
        raise ValidationError({"advisors": "Choisissez au moins un conseiller."})
    return advisors


@transaction.atomic
def slot_create(*, place, advisors, created_by=None, commitment=None, **fields) -> Slot:
    """Create a recurring permanence; linked to the commitment it fulfils when one is found."""
    advisors = _require_advisors(advisors)
    slot = Slot(place=place, created_by=created_by, **fields)
    slot.commitment = commitment or commitment_for(place, slot.valid_from)
    slot.full_clean()
    slot.save()
    slot.advisors.set(advisors)
    public_pages_changed(place)
    return slot


@transaction.atomic
def slot_update(*, slot: Slot, advisors=None, **fields) -> Slot:
    """Change a permanence; always saved, so advisers see it among their changes."""
    for name, value in fields.items():
        setattr(slot, name, value)
    if slot.commitment_id is None:
        slot.commitment = commitment_for(slot.place, slot.valid_from)
    slot.full_clean()
    slot.save()
    if advisors is not None:
        slot.advisors.set(_require_advisors(advisors))
    public_pages_changed(slot.place)
    return slot


def slot_delete(*, slot: Slot) -> None:
    slot.delete()
    public_pages_changed(slot.place)


# A closure stops every permanence of its place. Longer than a year, it is most often a typing
# mistake (2072 for 2027), so it is recorded only when the person confirms it.
LONG_CLOSURE_DAYS = 366
LONG_CLOSURE_MESSAGE = (
    "Cette fermeture dure plus d'un an : vérifiez les dates, ou cochez la case pour la confirmer."
)


def _check_closure_length(closure: Closure, confirmed: bool) -> None:
    if closure.start_date is None or closure.end_date is None or confirmed:
        return
    if (closure.end_date - closure.start_date).days >= LONG_CLOSURE_DAYS:
        raise ValidationError({"long_closure_confirmed": LONG_CLOSURE_MESSAGE})


def closure_create(
    *, place, start_date, end_date, reason, created_by=None, long_closure_confirmed=False
) -> Closure:
    closure = Closure(
        place=place, start_date=start_date, end_date=end_date, reason=reason, created_by=created_by
    )
    closure.full_clean()
    _check_closure_length(closure, long_closure_confirmed)
    closure.save()
    public_pages_changed(place)
    return closure


def closure_update(*, closure: Closure, long_closure_confirmed=False, **fields) -> Closure:
    for name, value in fields.items():
        setattr(closure, name, value)
    closure.full_clean()
    _check_closure_length(closure, long_closure_confirmed)
    closure.save()
    public_pages_changed(closure.place)
    return closure


def closure_delete(*, closure: Closure) -> None:
    closure.delete()
    public_pages_changed(closure.place)


def _exception_put(*, slot: Slot, day: date, kind: str, reason: str, created_by):
    """The date's exception, instead of any earlier one: (exception, inserted).

    A double submit (or a colleague at the same instant) already changed that date: theirs.
    """
    OccurrenceException.objects.filter(slot=slot, date=day).delete()
    exception = OccurrenceException(
        slot=slot, date=day, kind=kind, reason=reason, created_by=created_by
    )
    exception.full_clean()
    return insert_or_get(exception, slot=slot, date=day)


@transaction.atomic
def occurrence_cancel(*, slot: Slot, day: date, reason: str, created_by=None):
    """Cancel one dated occurrence (replaces any earlier exception for that date)."""
    public_pages_changed(slot.place)
    return _exception_put(
        slot=slot,
        day=day,
        kind=ExceptionKind.CANCELLATION,
        reason=reason,
        created_by=created_by,
    )[0]


@transaction.atomic
def occurrence_replace(*, slot: Slot, day: date, advisors, reason: str = "", created_by=None):
    """Have other advisers hold one dated occurrence."""
    advisors = _require_advisors(advisors)
    exception, inserted = _exception_put(
        slot=slot,
        day=day,
        kind=ExceptionKind.REPLACEMENT,
        reason=reason,
        created_by=created_by,
    )
    if inserted:
        exception.replacement_advisors.set(advisors)
    public_pages_changed(slot.place)
    return exception


def occurrence_restore(*, slot: Slot, day: date) -> None:
    """Back to the slot's usual advisers for that date."""
    OccurrenceException.objects.filter(slot=slot, date=day).delete()
    public_pages_changed(slot.place)


def week_visit_record(*, advisor, at: datetime) -> datetime | None:
    """Store this visit of « Ma semaine »; returns the previous one (None the first time)."""
    visit = WeekVisit.objects.filter(advisor=advisor).first()
    previous = visit.visited_at if visit else None
    WeekVisit.objects.update_or_create(advisor=advisor, defaults={"visited_at": at})
    return previous
