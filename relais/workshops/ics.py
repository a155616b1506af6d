"""iCalendar (RFC 5545) for sessions: the public feed of a place and the e-mail attachment.

Times are written in Europe/Paris with its VTIMEZONE, so calendar apps show the local hour
whatever their own zone, and stay right across daylight-saving changes.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from relais.core.site import calendar_uid, site_url

from .enums import SessionStatus

PRODID = "-//Relais//Ateliers numériques//FR"


def session_uid(session) -> str:
    return calendar_uid(f"atelier-{session.pk}")


def session_event(session) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at or timezone.now())
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", f"Atelier numérique : {session.topic.title}")
    place = session.place
    event.add(
        "location", ", ".join(p for p in [place.name, place.address, place.commune.name] if p)
    )
    event.add("description", session.topic.description)
    event.add("url", site_url(session.topic.get_absolute_url()))
    if session.status == SessionStatus.CANCELLED:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    else:
        event.add("status", "CONFIRMED")
        event.add("sequence", 0)
    return event


def calendar_bytes(sessions, *, name: str, method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        calendar.add("method", method)
    for session in sessions:
        calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()
