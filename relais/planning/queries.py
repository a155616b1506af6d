"""Planning reads for the pages: slot lists, closures, an adviser's week and what changed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from relais.team.busy import busy_intervals
from relais.team.enums import BusyKind

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


# --- « Ma semaine »: one timeline -----------------------------------------------------------


@dataclass
class AgendaItem:
    """One line of the adviser's timeline: a permanence (``entry``) or anything else the read
    model of their time returns (``busy``: workshop, appointment, leave, meeting, closure)."""

    start: datetime
    end: datetime
    kind: str
    kind_label: str
    entry: WeekEntry | None = None
    busy: object = None


@dataclass
class AgendaDay:
    date: date
    items: list


def advisor_agenda(advisor, start: date, days: int = 14) -> list[AgendaDay]:
    """The adviser's days from ``start`` over ``days`` days, in one timeline: permanences
    (with the drive from home, and those they are away from or that are cancelled), and what
    ``relais.team.busy`` returns besides — workshops they run, appointments, leave, committee
    meetings, closures of their places. Days with nothing are left out."""
    end = start + timedelta(days=days - 1)
    items = [
        AgendaItem(e.occurrence.start, e.occurrence.end, BusyKind.PERMANENCE, "Permanence", entry=e)
        for e in advisor_week(advisor, start, days)
    ]
    others = [k for k in BusyKind.values if k not in (BusyKind.PERMANENCE, BusyKind.TRAVEL)]
    for busy in busy_intervals([advisor], start, end, kinds=others, with_travel=False):
        items.append(AgendaItem(busy.start, busy.end, busy.kind, busy.kind_label, busy=busy))
    by_day: dict[date, AgendaDay] = {}
    # A permanence first among things starting together: it frames what happens in it.
    for item in sorted(items, key=lambda i: (i.start, i.kind != BusyKind.PERMANENCE, i.end)):
        first = max(timezone.localtime(item.start).date(), start)
        by_day.setdefault(first, AgendaDay(first, [])).items.append(item)
    return [by_day[d] for d in sorted(by_day)]
