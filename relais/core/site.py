"""What leaves the site names it by ``RELAIS_SITE_URL``: absolute links in e-mails, posters and
feeds, the domain part of calendar UIDs, and the calendar files attached to e-mails.

Read at each call, so a test's ``override_settings`` applies.
"""

from django.conf import settings
from icalendar import Calendar


def site_url(path: str) -> str:
    """The absolute URL of ``path`` on this instance."""
    return settings.RELAIS_SITE_URL.rstrip("/") + path


def calendar_uid(local_part: str) -> str:
    """A globally unique iCalendar UID (RFC 5545): ``local_part`` at this instance's host."""
    host = settings.RELAIS_SITE_URL.split("://")[-1].split("/")[0] or "relais"
    return f"{local_part}@{host}"


def calendar_attachment(event, *, prodid: str) -> bytes:
    """One event as a calendar file to attach to an e-mail (METHOD:PUBLISH, with the VTIMEZONE
    of its times so calendar apps show the local hour)."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
