"""Planning reads: slot lists, closures, an adviser's week, what changed, and the planner's
week read from the database (:func:`problem_from_database`).

:func:`problem_from_database` reads the commitments in force on the week's Monday (on-site
ones: a remote half-day needs no place window and no drive), the places' opening hours, the
advisers under contract (working days, weekly hours, leave that week, home commune) and the
travel times (:func:`relais.planning.travel.travel_minutes`). Exceptional closures are
ignored: the plan is a weekly template, closures are exceptions to it. The current slots
give the "previous" (adviser, place) pairs for continuity.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from relais.agreements.enums import CommitmentUnit, Modality
from relais.agreements.half_days import half_day_hours_by_place, half_day_minutes
from relais.agreements.models import Agreement, Commitment
from relais.core.dates import monday_of
from relais.team.busy import busy_intervals
from relais.team.enums import BusyKind
from relais.team.models import Advisor, Leave

from . import planner
from .models import Closure, OccurrenceException, Slot
from .occurrences import Occurrence, occurrences_between
from .travel import travel_doubt, travel_minutes

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


# --- The planner's week ----------------------------------------------------------------------


def _commitments_by_place(monday: date) -> dict:
    found = defaultdict(list)
    agreements = Agreement.objects.filter(commitments__isnull=False).distinct()
    for agreement in agreements.prefetch_related("signatories"):
        if not agreement.timeline(monday).is_in_force:
            continue
        lines = (
            Commitment.objects.filter(agreement=agreement, modality=Modality.ON_SITE)
            .valid_on(monday)
            .select_related("place__commune", "agreement")
        )
        for commitment in lines:
            found[commitment.place].append(commitment)
    return found


def _unavailable(advisor, leaves, monday: date) -> frozenset:
    away = set()
    for offset in range(7):
        day = monday + timedelta(days=offset)
        if not advisor.works_on(day):
            continue
        for half, (start, end) in planner.WINDOWS.items():
            if any(leave.covers(day, start, end) for leave in leaves):
                away.add((offset, half))
    return frozenset(away)


def problem_from_database(
    week_start: date, *, pins=(), outside_hours: bool = False, split_days: bool | None = None
) -> planner.PlanningProblem:
    """The planning problem of the week starting ``week_start`` (rules in the docstring)."""
    if split_days is None:
        split_days = settings.RELAIS_PLANNER_SPLIT_DAYS
    monday = monday_of(week_start)
    places = []
    communes = {}
    by_place = _commitments_by_place(monday)
    # A half-day's working time is the one of the place's agreement (Art. 1.2).
    lengths = half_day_hours_by_place([place.pk for place in by_place], monday)
    for place, commitments in sorted(by_place.items(), key=lambda i: i[0].name):
        windows = planner.windows_from_opening_hours(place.opening_hours, monday)
        weekly = sum(c.weekly_half_days for c in commitments)
        # Commitments counted in days are held as whole days (rounded up like the demand).
        whole_days = sum(
            c.weekly_half_days / 2 for c in commitments if c.unit == CommitmentUnit.DAY
        )
        places.append(
            planner.PlannerPlace(
                id=place.pk,
                name=place.name,
                demand=math.ceil(weekly),
                windows=windows if windows is not None else planner.default_windows(),
                commitments=tuple(c.label for c in commitments),
                hours_known=windows is not None,
                full_days=min(math.ceil(whole_days), math.ceil(weekly) // 2),
                half_day_minutes=half_day_minutes(lengths[place.pk]),
            )
        )
        communes[place.pk] = place.commune
    advisors = []
    team = Advisor.objects.active().under_contract_on(monday).with_user()
    leaves = defaultdict(list)
    for leave in Leave.objects.overlapping(monday, monday + timedelta(days=6)):
        leaves[leave.advisor_id].append(leave)
    for advisor in team:
        days = frozenset(d for d in range(7) if advisor.works_on(monday + timedelta(days=d)))
        advisors.append(
            planner.PlannerAdvisor(
                id=advisor.pk,
                name=str(advisor),
                home=advisor.home_commune.name,
                days=days,
                capacity=planner.capacity_for(advisor.weekly_hours, len(days)),
                unavailable=_unavailable(advisor, leaves[advisor.pk], monday),
                weekly_minutes=round(float(advisor.weekly_hours) * 60),
            )
        )
        communes[("advisor", advisor.pk)] = advisor.home_commune
    travel = {
        (a.id, p.id): travel_minutes(communes[("advisor", a.id)], communes[p.id])
        for a in advisors
        for p in places
    }
    place_travel = {
        (p.id, q.id): travel_minutes(communes[p.id], communes[q.id])
        for p in places
        for q in places
        if p.id < q.id
    }
    notes = {}
    for a in advisors:
        for p in places:
            doubt = travel_doubt(communes[("advisor", a.id)], communes[p.id])
            if doubt:
                notes[(a.id, p.id)] = doubt
    for p, q in place_travel:
        doubt = travel_doubt(communes[p], communes[q])
        if doubt:
            notes[("places", p, q)] = doubt
    # The planning in force that week: continuity pairs, and a warm start for the solver.
    slots = Slot.objects.valid_between(monday, monday + timedelta(days=6)).values_list(
        "place_id", "advisors", "weekday", "start_time"
    )
    known_places = {p.id for p in places}
    known_advisors = {a.id for a in advisors}
    previous = frozenset((a, p) for p, a, _d, _s in slots if a is not None)
    current = [
        planner.Assignment(
            a, p, d, planner.MORNING if start < planner.WINDOWS[planner.AFTERNOON][0] else "pm"
        )
        for p, a, d, start in slots
        if a in known_advisors and p in known_places
    ]
    return planner.PlanningProblem(
        places=places,
        advisors=advisors,
        travel=travel,
        pins=[planner.Pin(**pin) for pin in pins],
        previous=previous,
        week_start=monday,
        outside_hours=outside_hours,
        place_travel=place_travel,
        current=current,
        travel_notes=notes,
        min_break_minutes=settings.RELAIS_PLANNER_MIN_BREAK_MINUTES,
        split_days=split_days,
        half_day_minutes=half_day_minutes(),
    )
