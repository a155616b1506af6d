"""Dated occurrences of the slots, computed on the fly (see the ``models`` docstring for why).

:func:`occurrences_between` applies, in order: the slot's recurrence and validity; French
public holidays (no occurrence); zone C school holidays for slots that ask for it (no
occurrence); the place's exceptional closures (no occurrence); then one-off exceptions
(cancelled, or other advisers) and leave (advisers absent; no adviser left = unstaffed).
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from relais.core.dates import monday_of
from relais.team.busy import busy_intervals, clashes
from relais.team.enums import BusyKind
from relais.team.models import Advisor, Leave

from .calendars import public_holidays, school_holiday_on
from .enums import ExceptionKind, OccurrenceStatus
from .models import Closure, OccurrenceException, Slot
from .travel import travel_minutes

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Occurrence:
    """One dated permanence: when, where, who is there, who is away."""

    date: date
    start: datetime  # aware, Europe/Paris
    end: datetime
    slot: Slot
    place: object
    advisors_present: list = field(default_factory=list)
    advisors_absent: list = field(default_factory=list)
    status: str = OccurrenceStatus.PLANNED
    reason: str = ""
    exception: OccurrenceException | None = None

    @property
    def key(self) -> tuple[int, date]:
        return (self.slot.pk, self.date)

    @property
    def advisors(self) -> list:
        """Everybody expected that day, present or away."""
        return self.advisors_present + self.advisors_absent

    @property
    def duration_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def is_held(self) -> bool:
        return self.status == OccurrenceStatus.PLANNED

    @property
    def status_label(self) -> str:
        return OccurrenceStatus(self.status).label

    def overlaps(self, other: "Occurrence") -> bool:
        return self.start < other.end and other.start < self.end


def _aware(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def _dates(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def occurrences_between(
    start: date,
    end: date,
    places=None,
    advisors=None,
    *,
    slots=None,
    extra_slots=(),
) -> list[Occurrence]:
    """Occurrences from ``start`` to ``end`` (inclusive), sorted by start then place.

    ``places``/``advisors`` narrow the result (an adviser's occurrences include those where
    they are away or replaced). ``slots`` replaces the database query (already loaded slots);
    ``extra_slots`` adds ``(slot, advisors)`` pairs not saved yet, to check a slot being edited.
    """
    if slots is None:
        query = Slot.objects.valid_between(start, end).with_related()
        if places is not None:
            query = query.filter(place__in=places)
        if (end - start).days < 6:
            # A slot falls only on its weekday (Slot.falls_on): a day or a few (the entry
            # form's « permanence under way », issue 19 §1) need not load the whole week's.
            weekdays = {day.weekday() for day in _dates(start, end)}
            query = query.filter(weekday__in=weekdays)
        slots = list(query)
    pairs = [(slot, list(slot.advisors.all())) for slot in slots]
    replaced_ids = {slot.pk for slot, _ in extra_slots if slot.pk}
    pairs = [(s, a) for s, a in pairs if s.pk not in replaced_ids] + list(extra_slots)
    if not pairs:
        return []

    holidays = public_holidays(start, end)
    place_ids = {slot.place_id for slot, _ in pairs}
    closures = defaultdict(list)
    for closure in Closure.objects.filter(
        place_id__in=place_ids, start_date__lte=end, end_date__gte=start
    ):
        closures[closure.place_id].append(closure)
    exceptions = {
        (e.slot_id, e.date): e
        for e in OccurrenceException.objects.filter(
            slot_id__in=[s.pk for s, _ in pairs if s.pk], date__range=(start, end)
        ).prefetch_related("replacement_advisors__user", "replacement_advisors__home_commune")
    }
    leaves = _leaves_by_advisor(start, end)

    wanted_advisors = {a.pk for a in advisors} if advisors is not None else None
    result = []
    for slot, slot_advisors in pairs:
        first = max(start, slot.valid_from)
        last = min(end, slot.valid_until) if slot.valid_until else end
        for day in _dates(first, last):
            if not slot.falls_on(day) or day in holidays:
                continue
            if slot.respect_school_holidays and school_holiday_on(day):
                continue
            if any(c.start_date <= day <= c.end_date for c in closures[slot.place_id]):
                continue
            occurrence = _build(slot, slot_advisors, day, exceptions.get((slot.pk, day)), leaves)
            if wanted_advisors is not None and not (
                {a.pk for a in occurrence.advisors} & wanted_advisors
            ):
                continue
            result.append(occurrence)
    result.sort(key=lambda o: (o.start, o.place.name))
    return result


def _leaves_by_advisor(start: date, end: date) -> dict[int, list]:
    leaves = defaultdict(list)
    for leave in Leave.objects.overlapping(start, end):
        leaves[leave.advisor_id].append(leave)
    return leaves


def _build(slot, slot_advisors, day, exception, leaves) -> Occurrence:
    occurrence = Occurrence(
        date=day,
        start=_aware(day, slot.start_time),
        end=_aware(day, slot.end_time),
        slot=slot,
        place=slot.place,
        exception=exception,
    )
    expected = slot_advisors
    if exception is not None and exception.kind == ExceptionKind.CANCELLATION:
        occurrence.status = OccurrenceStatus.CANCELLED
        occurrence.reason = exception.reason or "Annulée"
        occurrence.advisors_present = list(slot_advisors)
        return occurrence
    if exception is not None and exception.kind == ExceptionKind.REPLACEMENT:
        expected = list(exception.replacement_advisors.all())
        occurrence.reason = exception.reason
    for advisor in expected:
        away = any(
            leave.covers(day, slot.start_time, slot.end_time) for leave in leaves[advisor.pk]
        )
        (occurrence.advisors_absent if away else occurrence.advisors_present).append(advisor)
    if not occurrence.advisors_present:
        occurrence.status = OccurrenceStatus.UNSTAFFED
        if occurrence.advisors_absent:
            names = ", ".join(str(a) for a in occurrence.advisors_absent)
            occurrence.reason = f"Absence : {names}"
        else:
            occurrence.reason = "Aucun conseiller affecté"
    return occurrence


def find_occurrence(slot: Slot, day: date) -> Occurrence | None:
    """The occurrence of ``slot`` on ``day``, or None (not a date of the slot, holiday…)."""
    found = occurrences_between(day, day, slots=[slot])
    return found[0] if found else None


# --- Working time and availability --------------------------------------------------------


def day_travel_minutes(advisor, day_occurrences: list[Occurrence]) -> int:
    """Driving of one working day: home → each place in turn → home.

    Travel from the administrative residence counts as working time (missions away from it).
    """
    held = sorted(day_occurrences, key=lambda o: o.start)
    if not held:
        return 0
    communes = [advisor.home_commune] + [o.place.commune for o in held] + [advisor.home_commune]
    return sum(travel_minutes(a, b) for a, b in itertools.pairwise(communes))


def week_workload_hours(advisor, week_occurrences: list[Occurrence]) -> float:
    """Hours of permanences plus travel of an adviser over a set of occurrences (one week)."""
    mine = [o for o in week_occurrences if _is_working(advisor, o)]
    by_day = defaultdict(list)
    for occurrence in mine:
        by_day[occurrence.date].append(occurrence)
    hours = sum(o.duration_hours for o in mine)
    travel = sum(day_travel_minutes(advisor, day) for day in by_day.values())
    return hours + travel / 60


def _is_working(advisor, occurrence: Occurrence) -> bool:
    return occurrence.status != OccurrenceStatus.CANCELLED and any(
        a.pk == advisor.pk for a in occurrence.advisors_present
    )


@dataclass(frozen=True)
class Candidate:
    advisor: object
    travel_minutes: int
    week_hours: float


def replacement_candidates(occurrence: Occurrence, *, limit: int = 10) -> list[Candidate]:
    """Advisers who could hold ``occurrence`` instead, the closest to the place first.

    Kept: active advisers under contract that day, working that weekday, not on leave then,
    not already expected there, free at that time (including the drive from and to their
    other permanences of the day, and their workshops, appointments and committee meetings
    from ``relais.team.busy``), and whose week stays within their weekly working time.
    """
    day = occurrence.date
    monday = monday_of(day)
    week = occurrences_between(monday, monday + timedelta(days=6))
    expected = {a.pk for a in occurrence.advisors}
    away = {
        leave.advisor_id
        for leave in Leave.objects.overlapping(day, day)
        if leave.covers(day, occurrence.slot.start_time, occurrence.slot.end_time)
    }
    candidates = []
    advisors = Advisor.objects.active().under_contract_on(day).with_user()
    for advisor in advisors:
        if (
            advisor.pk in expected
            or advisor.pk in away
            or day.weekday() not in advisor.working_days
        ):
            continue
        mine = [o for o in week if _is_working(advisor, o)]
        if not _free_for(advisor, occurrence, [o for o in mine if o.date == day]):
            continue
        hours = _hours_with(advisor, mine, occurrence)
        if hours > float(advisor.weekly_hours):
            continue
        if _other_commitments(advisor, occurrence):
            continue
        minutes = travel_minutes(advisor.home_commune, occurrence.place.commune)
        candidates.append(Candidate(advisor, minutes, round(hours, 1)))
    candidates.sort(key=lambda c: (c.travel_minutes, str(c.advisor)))
    return candidates[:limit]


# Permanences and leave are checked above; the read model adds the rest of the adviser's time.
OTHER_COMMITMENTS = (BusyKind.WORKSHOP, BusyKind.APPOINTMENT, BusyKind.MEETING)


def _other_commitments(advisor, occurrence: Occurrence) -> list:
    """What else takes the adviser then (``relais.team.busy``): a workshop, an appointment or
    a committee meeting, with the drive when it is in another commune."""
    busy = busy_intervals(
        [advisor],
        occurrence.start - timedelta(hours=6),
        occurrence.end + timedelta(hours=6),
        kinds=OTHER_COMMITMENTS,
        with_travel=False,
    )
    return clashes(
        busy,
        advisor_id=advisor.pk,
        start=occurrence.start,
        end=occurrence.end,
        place=occurrence.place,
    )


def _hours_with(advisor, mine: list[Occurrence], extra: Occurrence) -> float:
    """Weekly hours if ``advisor`` also held ``extra``."""
    present = Occurrence(
        date=extra.date,
        start=extra.start,
        end=extra.end,
        slot=extra.slot,
        place=extra.place,
        advisors_present=[advisor],
    )
    return week_workload_hours(advisor, [*mine, present])


def _free_for(advisor, occurrence: Occurrence, same_day: list[Occurrence]) -> bool:
    here = occurrence.place.commune
    for other in same_day:
        there = other.place.commune
        if other.start < occurrence.end and occurrence.start < other.end:
            return False
        if other.end <= occurrence.start:
            gap = (occurrence.start - other.end).total_seconds() / 60
            if gap < travel_minutes(there, here):
                return False
        elif occurrence.end <= other.start:
            gap = (other.start - occurrence.end).total_seconds() / 60
            if gap < travel_minutes(here, there):
                return False
    return True
