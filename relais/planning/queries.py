"""Planning reads for the pages: slot lists, closures, an adviser's week and what changed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .models import Closure, OccurrenceException, Slot
from .occurrences import Occurrence, occurrences_between
from .travel import travel_minutes

__all__ = ["occurrences_between"]  # the planning's main read, re-exported for other apps


def slots_for_list(places=None):
    """Slots with what the list shows, by place then weekday."""
    slots = Slot.objects.with_related().order_by("place__name", "weekday", "start_time")
    if places is not None:
        slots = slots.filter(place__in=places)
    return slots


def closures_visible_to(user, since: date):
    """Closures not over before ``since``; partner staff see their structure's places only."""
    closures = Closure.objects.filter(end_date__gte=since).select_related("place__commune")
    if user.is_partner_staff:
        closures = closures.filter(place__partner_id=user.organisation_id)
    return closures.order_by("start_date", "place__name")


@dataclass
class WeekEntry:
    occurrence: Occurrence
    travel_minutes: int
    is_away: bool
    others: list  # colleagues present at the same permanence


def advisor_week(advisor, start: date, days: int = 14) -> list[WeekEntry]:
    """The adviser's occurrences from ``start`` over ``days`` days, with the drive from home."""
    end = start + timedelta(days=days - 1)
    entries = []
    for occurrence in occurrences_between(start, end, advisors=[advisor]):
        entries.append(
            WeekEntry(
                occurrence=occurrence,
                travel_minutes=travel_minutes(advisor.home_commune, occurrence.place.commune),
                is_away=any(a.pk == advisor.pk for a in occurrence.advisors_absent),
                others=[a for a in occurrence.advisors_present if a.pk != advisor.pk],
            )
        )
    return entries


@dataclass
class Change:
    at: datetime
    text: str


def changes_since(advisor, since: datetime | None) -> list[Change]:
    """Slots, one-off exceptions and leave of the adviser changed after ``since``.

    A slot the adviser was removed from is not listed (it is no longer theirs).
    """
    if since is None:
        return []
    from relais.team.models import Leave

    changes = []
    for slot in Slot.objects.filter(advisors=advisor, updated_at__gt=since).select_related("place"):
        verb = "Nouvelle permanence" if slot.created_at > since else "Permanence modifiée"
        changes.append(Change(slot.updated_at, f"{verb} : {slot.place}, {slot.schedule_display}"))
    exceptions = (
        OccurrenceException.objects.filter(updated_at__gt=since)
        .filter(models_q_for(advisor))
        .select_related("slot__place")
        .distinct()
    )
    for exception in exceptions:
        text = f"{exception.slot.place} le {exception.date:%d/%m/%Y} : "
        text += exception.get_kind_display().lower()
        if exception.reason:
            text += f" ({exception.reason})"
        changes.append(Change(exception.updated_at, text))
    for leave in Leave.objects.filter(advisor=advisor, updated_at__gt=since):
        changes.append(
            Change(
                leave.updated_at,
                f"Absence enregistrée : {leave.get_kind_display()} {leave.period_display}",
            )
        )
    return sorted(changes, key=lambda c: c.at, reverse=True)


def models_q_for(advisor):
    from django.db.models import Q

    return Q(slot__advisors=advisor) | Q(replacement_advisors=advisor)
