"""When a resident can book an appointment: a pure function, and the query that feeds it.

For a place and a type of appointment, each *planned* occurrence of a permanence there
(``relais.planning.occurrences.occurrences_between``: holidays, closures, cancellations and
leave already applied) is cut, per adviser present, into start times on a grid (every
``RELAIS_APPOINTMENT_GRID_MINUTES``), keeping those that:

* fit inside the occurrence with the type's duration;
* do not overlap another appointment of that adviser (at any place);
* leave the walk-in share free: at most ``(1 - RELAIS_APPOINTMENT_WALK_IN_SHARE)`` of the
  occurrence's minutes are booked per adviser (3 h with a share of 0.5: 90 min of appointments);
* lie between now + ``RELAIS_APPOINTMENT_MIN_NOTICE_HOURS`` and now +
  ``RELAIS_APPOINTMENT_HORIZON_DAYS``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from relais.planning.enums import OccurrenceStatus
from relais.planning.occurrences import Occurrence, occurrences_between

from .appointments import Appointment


def min_notice() -> timedelta:
    return timedelta(hours=getattr(settings, "RELAIS_APPOINTMENT_MIN_NOTICE_HOURS", 24))


def horizon() -> timedelta:
    return timedelta(days=getattr(settings, "RELAIS_APPOINTMENT_HORIZON_DAYS", 30))


def walk_in_share() -> float:
    share = float(getattr(settings, "RELAIS_APPOINTMENT_WALK_IN_SHARE", 0.5))
    return min(max(share, 0.0), 1.0)


def grid() -> timedelta:
    return timedelta(minutes=getattr(settings, "RELAIS_APPOINTMENT_GRID_MINUTES", 15))


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

    ``busy``: the adviser's appointments (any place) as (start, end); ``booked_minutes``: the
    minutes already booked with them in this occurrence.
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
    return timezone.make_aware(naive)


def window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now + min_notice(), now + horizon()


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
    ``advisor_ids`` narrows to some advisers; ``exclude_pk`` ignores one appointment.
    """
    earliest, latest = window(now)
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
    taken = Appointment.objects.holding().filter(
        advisor_id__in=advisors,
        starts_at__lt=max(o.end for o in occurrences),
        ends_at__gt=min(o.start for o in occurrences),
    )
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    busy = defaultdict(list)
    booked = defaultdict(int)
    for appointment in taken.only(
        "advisor_id", "slot_id", "occurrence_date", "starts_at", "ends_at"
    ):
        busy[appointment.advisor_id].append((appointment.starts_at, appointment.ends_at))
        occurrence_key = (appointment.advisor_id, appointment.slot_id, appointment.occurrence_date)
        booked[occurrence_key] += appointment.duration_minutes
    duration = timedelta(minutes=appointment_type.duration_minutes)
    share, step = walk_in_share(), grid()
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
