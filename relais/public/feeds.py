"""iCalendar (RFC 5545) feeds: the public feed of a place and the private feed of an adviser.

Both are computed on each request from the planning (:func:`occurrences_between`), so they
follow every change of slots, closures, exceptions and leave. Times are in Europe/Paris with
its VTIMEZONE. Each occurrence keeps the same UID from one request to the next
(``permanence-<slot>-<yyyymmdd>@<host>``), so calendar apps update an event instead of adding
a copy; a cancelled occurrence stays in the feed with ``STATUS:CANCELLED``.

LAST-MODIFIED (and DTSTAMP, as the feed has no METHOD) is the latest change of the slot or of
the occurrence's exception; SEQUENCE is that instant in seconds since 2024, so it grows with
each change. Limitation: removing an exception (restoring an occurrence) or a leave does not
leave a trace to date, so SEQUENCE may then go back; subscribed calendars replace the whole
feed on refresh and are not affected.

Workshop sessions come from :mod:`relais.workshops.ics` (same helpers as its own feed).
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from relais.core.site import calendar_uid
from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Slot
from relais.planning.occurrences import Occurrence, occurrences_between
from relais.team.busy import Busy, busy_intervals
from relais.team.enums import BusyKind
from relais.workshops.ics import session_event
from relais.workshops.models import WorkshopSession
from relais.workshops.queries import place_feed_sessions

from .queries import public_place_url, to_public

PRODID = "-//Relais//Permanences numériques//FR"
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
PAST_DAYS = 30
PLACE_FUTURE_DAYS = 120
ADVISOR_FUTURE_DAYS = 180


def occurrence_uid(occurrence: Occurrence, *, advisor=None) -> str:
    """Stable per slot and date; the adviser's feed adds the adviser (their own copy)."""
    uid = f"permanence-{occurrence.slot.pk}-{occurrence.date:%Y%m%d}"
    if advisor is not None:
        uid += f"-conseiller-{advisor.pk}"
    return calendar_uid(uid)


def last_modified(occurrence: Occurrence) -> datetime:
    """The latest recorded change behind an occurrence: its slot or its exception."""
    moments = [occurrence.slot.updated_at]
    if occurrence.exception is not None:
        moments.append(occurrence.exception.updated_at)
    return max(m for m in moments if m is not None)


def sequence(moment: datetime) -> int:
    return max(int((moment - SEQUENCE_EPOCH).total_seconds()), 0)


def _location(place) -> str:
    commune = f"{place.postal_code or place.commune.postal_code} {place.commune.name}"
    return ", ".join(part for part in [place.name, place.address, commune] if part)


def _base_event(occurrence: Occurrence, *, uid: str, summary: str, cancelled: bool) -> Event:
    modified = last_modified(occurrence)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", sequence(modified))
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end)
    event.add("summary", f"Annulée — {summary}" if cancelled else summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    place = occurrence.place
    event.add("location", _location(place))
    latitude, longitude = place.coordinates
    event.add("geo", (float(latitude), float(longitude)))
    return event


def public_occurrence_event(occurrence: Occurrence) -> Event:
    """A permanence for residents: held or cancelled, never the advisers' names or leave."""
    public = to_public(occurrence)
    url = public_place_url(occurrence.place)
    event = _base_event(
        occurrence,
        uid=occurrence_uid(occurrence),
        summary=f"Permanence numérique — {occurrence.place.name}",
        cancelled=public.cancelled,
    )
    if public.cancelled:
        reason = f" : {public.reason}" if public.reason else "."
        description = f"Permanence annulée{reason}"
    else:
        description = (
            "Permanence gratuite d'aide au numérique et aux démarches en ligne, sans rendez-vous."
        )
    event.add("description", f"{description}\n{url}")
    event.add("url", url)
    return event


def advisor_occurrence_event(occurrence: Occurrence, advisor) -> Event:
    """A permanence in the adviser's own calendar: cancelled, or away (leave) for them."""
    present = any(a.pk == advisor.pk for a in occurrence.advisors_present)
    cancelled = occurrence.status == OccurrenceStatus.CANCELLED or not present
    event = _base_event(
        occurrence,
        uid=occurrence_uid(occurrence, advisor=advisor),
        summary=f"Permanence — {occurrence.place.name}",
        cancelled=cancelled,
    )
    lines = []
    if occurrence.status == OccurrenceStatus.CANCELLED:
        lines.append(f"Annulée : {occurrence.reason}")
    elif not present:
        lines.append("Absence enregistrée ce jour-là.")
    others = [str(a) for a in occurrence.advisors_present if a.pk != advisor.pk]
    if others and occurrence.status != OccurrenceStatus.CANCELLED:
        lines.append("Avec : " + ", ".join(others))
    if occurrence.slot.note:
        lines.append(occurrence.slot.note)
    if lines:
        event.add("description", "\n".join(lines))
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def place_calendar(place, *, start: date | None = None) -> bytes:
    """The public feed of a place: its permanences and its workshop sessions."""
    start = start or timezone.localdate() - timedelta(days=PAST_DAYS)
    end = start + timedelta(days=PAST_DAYS + PLACE_FUTURE_DAYS)
    calendar = _calendar(f"Permanences numériques — {place.name}")
    for occurrence in occurrences_between(start, end, places=[place]):
        calendar.add_component(public_occurrence_event(occurrence))
    for session in place_feed_sessions(place):
        calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def advisor_slots(advisor, start: date, end: date):
    """Slots where the adviser is expected, or replaces someone, between two dates."""
    return list(
        Slot.objects.valid_between(start, end)
        .filter(
            Q(advisors=advisor)
            | Q(exceptions__replacement_advisors=advisor, exceptions__date__range=(start, end))
        )
        .distinct()
        .with_related()
    )


def advisor_calendar(advisor, *, start: date | None = None) -> bytes:
    """The private feed of an adviser, one timeline: their permanences, the workshops they
    lead, their appointments, leave and committee meetings (``relais.team.busy``)."""
    start = start or timezone.localdate() - timedelta(days=PAST_DAYS)
    end = start + timedelta(days=PAST_DAYS + ADVISOR_FUTURE_DAYS)
    calendar = _calendar(f"Mon agenda Relais — {advisor}")
    slots = advisor_slots(advisor, start, end)
    for occurrence in occurrences_between(start, end, advisors=[advisor], slots=slots):
        calendar.add_component(advisor_occurrence_event(occurrence, advisor))
    sessions = (
        WorkshopSession.objects.filter(
            advisors=advisor,
            starts_at__gte=timezone.now() - timedelta(days=PAST_DAYS),
        )
        .select_related("topic", "place__commune")
        .order_by("starts_at")
    )
    for session in sessions:
        calendar.add_component(session_event(session))
    kinds = (BusyKind.APPOINTMENT, BusyKind.LEAVE, BusyKind.MEETING)
    for busy in busy_intervals([advisor], start, end, kinds=kinds, with_travel=False):
        calendar.add_component(busy_event(busy, advisor))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def busy_event(busy: Busy, advisor) -> Event:
    """An appointment, a leave or a committee meeting in the adviser's own calendar, from
    ``relais.team.busy``. No resident's name nor kind of leave: a feed's link can leak."""
    key = "-".join(str(part) for part in busy.ref)
    modified = getattr(busy.obj, "updated_at", None) or timezone.now()
    event = Event()
    event.add("uid", calendar_uid(f"{key}-conseiller-{advisor.pk}"))
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", sequence(modified))
    event.add("dtstart", timezone.localtime(busy.start))
    event.add("dtend", timezone.localtime(busy.end))
    summary = busy.label
    if busy.kind == BusyKind.LEAVE:
        summary = "Absence"
    event.add("summary", summary)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT" if busy.kind == BusyKind.LEAVE else "OPAQUE")
    if busy.kind == BusyKind.APPOINTMENT:
        event.add("location", _location(busy.obj.place))
    return event
