"""When a resident can book an appointment: a pure function, and the query that feeds it.

For a place and a type of appointment, each *planned* occurrence of a permanence there
(``relais.planning.occurrences.occurrences_between``: holidays, closures, cancellations and
leave already applied) is cut, per adviser present, into start times on a grid (every
``RELAIS_APPOINTMENT_GRID_MINUTES``), keeping those that:

* fit inside the occurrence with the type's duration;
* leave the adviser free: nothing in ``relais.team.busy`` in the way (an appointment at any
  place, a workshop they run, leave, a committee meeting, a permanence elsewhere or the drive
  to and from it, a closure of the place);
* leave the walk-in share free: at most ``(1 - RELAIS_APPOINTMENT_WALK_IN_SHARE)`` of the
  occurrence's minutes are booked per adviser (3 h with a share of 0.5: 90 min of appointments);
* lie between now + ``RELAIS_APPOINTMENT_MIN_NOTICE_HOURS`` and now +
  ``RELAIS_APPOINTMENT_HORIZON_DAYS``.

These three settings are the département-wide defaults: a place may override each of them,
or stop online appointments altogether (:class:`~.models.PlaceAppointmentSettings`,
« Réglages des rendez-vous »). :func:`place_rules` gives the rules in force at a place; the
functions below take an optional ``place`` and fall back to the settings without one.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from relais.core.params import parse_date
from relais.planning.enums import OccurrenceStatus
from relais.planning.occurrences import Occurrence, occurrences_between
from relais.team.busy import blocked_windows, busy_intervals
from relais.team.enums import BusyKind

from .models import PlaceAppointmentSettings
from .rules import Rules, department_rules, merge_rules


def place_settings(place) -> PlaceAppointmentSettings | None:
    """The place's overrides, or ``None`` (cached on the place by Django, absent ones too)."""
    if place is None:
        return None
    try:
        return place.appointment_settings
    except PlaceAppointmentSettings.DoesNotExist:
        return None


def place_rules(place=None) -> Rules:
    """The rules in force at ``place`` (the département's without a place or an override)."""
    return merge_rules(department_rules(), place_settings(place))


def min_notice(place=None) -> timedelta:
    return place_rules(place).min_notice


def horizon(place=None) -> timedelta:
    return place_rules(place).horizon


def walk_in_share(place=None) -> float:
    return place_rules(place).walk_in_share


def appointments_enabled(place) -> bool:
    return place_rules(place).enabled


def grid() -> timedelta:
    return timedelta(minutes=settings.RELAIS_APPOINTMENT_GRID_MINUTES)


def bookable_minutes(occurrence_minutes: int, share: float) -> int:
    """Minutes of one adviser's occurrence that appointments may take (the rest: walk-ins)."""
    return int(occurrence_minutes * (1 - share))


def free_starts(
    *,
    start: datetime,
    end: datetime,
    duration: timedelta,
    busy: list[tuple[datetime, datetime]],
    booked_minutes: int,
    share: float,
    earliest: datetime,
    latest: datetime,
    step: timedelta,
) -> list[datetime]:
    """Start times for one adviser in one occurrence ``start``–``end`` (pure function).

    ``busy``: the times the adviser cannot take, as (start, end) pairs
    (``relais.team.busy.blocked_windows``); ``booked_minutes``: the minutes already booked
    with them in this occurrence.
    """
    budget = bookable_minutes(int((end - start).total_seconds() // 60), share)
    if booked_minutes + duration.total_seconds() / 60 > budget:
        return []
    starts = []
    moment = start
    while moment + duration <= end:
        finish = moment + duration
        if earliest <= moment <= latest and not any(
            b_start < finish and moment < b_end for b_start, b_end in busy
        ):
            starts.append(moment)
        moment += step
    return starts


@dataclass(frozen=True)
class Opening:
    """A time a resident can book, with the adviser and occurrence it would be with."""

    start: datetime
    end: datetime
    advisor: object
    occurrence: Occurrence

    @property
    def key(self) -> str:
        """The value posted by the booking page (local time, minute precision)."""
        return timezone.localtime(self.start).strftime("%Y-%m-%dT%H:%M")


def parse_key(value: str) -> datetime | None:
    try:
        naive = datetime.strptime(value or "", "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    if parse_date(naive.date().isoformat()) is None:
        return None  # year 1 or 9999: the end of the appointment would overflow
    return timezone.make_aware(naive)


def window(now: datetime | None = None, place=None) -> tuple[datetime, datetime]:
    """The earliest and latest start a resident may book now (at ``place``: its rules)."""
    now = now or timezone.now()
    rules = place_rules(place)
    return now + rules.min_notice, now + rules.horizon


def openings(
    place,
    appointment_type,
    *,
    now: datetime | None = None,
    start: date | None = None,
    end: date | None = None,
    advisor_ids=None,
    exclude_pk: int | None = None,
) -> list[Opening]:
    """Every bookable (time, adviser) at ``place`` for ``appointment_type``, soonest first.

    One entry per adviser free at a time: two advisers present give two entries for 10:00.
    ``advisor_ids`` narrows to some advisers; ``exclude_pk`` ignores one appointment. The
    place's rules apply (notice, horizon, walk-in share); none when it takes no appointment.
    """
    rules = place_rules(place)
    if not rules.enabled:
        return []
    now = now or timezone.now()
    earliest, latest = now + rules.min_notice, now + rules.horizon
    first = start or timezone.localtime(earliest).date()
    last = end or timezone.localtime(latest).date()
    if last < first:
        return []
    occurrences = [
        o
        for o in occurrences_between(first, last, places=[place])
        if o.status == OccurrenceStatus.PLANNED and o.advisors_present
    ]
    if not occurrences:
        return []
    advisors = {a.pk: a for o in occurrences for a in o.advisors_present}
    if advisor_ids is not None:
        advisors = {pk: a for pk, a in advisors.items() if pk in set(advisor_ids)}
    # The one read model of the advisers' time: appointments anywhere, workshops they run,
    # leave, committee meetings, permanences elsewhere (with the drive), closures.
    busy_items = busy_intervals(list(advisors), first, last, places=[place], with_travel=False)
    ignore = [("appointment", exclude_pk)] if exclude_pk else []
    busy = {
        pk: blocked_windows(busy_items, advisor_id=pk, place=place, ignore=ignore)
        for pk in advisors
    }
    booked = defaultdict(int)
    for item in busy_items:
        if item.kind == BusyKind.APPOINTMENT and item.ref not in ignore:
            appointment = item.obj
            occurrence_key = (
                appointment.advisor_id,
                appointment.slot_id,
                appointment.occurrence_date,
            )
            booked[occurrence_key] += appointment.duration_minutes
    duration = timedelta(minutes=appointment_type.duration_minutes)
    share, step = rules.walk_in_share, grid()
    result = []
    for occurrence in occurrences:
        for advisor in occurrence.advisors_present:
            if advisor.pk not in advisors:
                continue
            for moment in free_starts(
                start=occurrence.start,
                end=occurrence.end,
                duration=duration,
                busy=busy[advisor.pk],
                booked_minutes=booked[(advisor.pk, occurrence.slot.pk, occurrence.date)],
                share=share,
                earliest=earliest,
                latest=latest,
                step=step,
            ):
                result.append(Opening(moment, moment + duration, advisor, occurrence))
    result.sort(key=lambda o: (o.start, str(o.advisor)))
    return result


@dataclass
class Day:
    date: date
    openings: list


def distinct_times(found: list[Opening]) -> list[Opening]:
    """One opening per start time (the first adviser free then): what the resident chooses."""
    seen, result = set(), []
    for opening in found:
        if opening.start not in seen:
            seen.add(opening.start)
            result.append(opening)
    return result


def by_day(found: list[Opening]) -> list[Day]:
    days: dict[date, Day] = {}
    for opening in distinct_times(found):
        day = timezone.localtime(opening.start).date()
        days.setdefault(day, Day(day, [])).openings.append(opening)
    return list(days.values())
