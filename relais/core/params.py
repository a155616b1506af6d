"""Raw request parameters (query strings, POST values read outside a form), read safely.

A view that reads ``request.GET`` or ``request.POST`` itself goes through these helpers. A value
that is not what is expected ("abc" or "1.5" for an id, an id larger than the database's
integers, year 9999, Unicode digits) counts as absent: the filter is not applied, the form is
not pre-filled, and nothing reaches the database that would make it answer 500.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from .validators import PLAUSIBLE_EARLIEST, PLAUSIBLE_LATEST, is_ascii_digits

# The largest primary key (BigAutoField, 64-bit signed): above it SQLite raises OverflowError
# and PostgreSQL "out of range" as soon as the value is used in a query.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A primary key written in ASCII digits, or ``None``."""
    text = str(value if value is not None else "").strip()
    if not is_ascii_digits(text) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> tuple[int, ...] | None:
    """Ids from repeated parameters and comma-separated lists; ``None`` if any is not an id."""
    items = [item.strip() for value in values for item in str(value).split(",") if item.strip()]
    ids = tuple(parse_id(item) for item in items)
    return None if None in ids else ids


def parse_date(value, *, earliest: date = PLAUSIBLE_EARLIEST, latest: date = PLAUSIBLE_LATEST):
    """An ISO date (AAAA-MM-JJ) within the plausible range, or ``None``."""
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if earliest <= day <= latest else None


def parse_month(value, *, earliest: date = PLAUSIBLE_EARLIEST, latest: date = PLAUSIBLE_LATEST):
    """The first day of a month written AAAA-MM (or any day AAAA-MM-JJ of it), or ``None``."""
    text = str(value or "").strip()
    day = parse_date(f"{text}-01" if len(text) == 7 else text, earliest=date.min, latest=date.max)
    if day is None:
        return None
    month = day.replace(day=1)
    return month if earliest.replace(day=1) <= month <= latest else None


class PeriodError(ValueError):
    """A period that cannot be read; the message is French and names the parameter."""


@dataclass(frozen=True)
class Period:
    """Inclusive bounds in days; either may be open (``None``)."""

    start: date | None
    end: date | None


def _period_bound(value, name: str, *, last: bool) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    day = parse_date(f"{text}-01" if len(text) == 7 else text)
    if day is None or len(text) not in (7, 10):
        raise PeriodError(
            f"Paramètre « {name} » : date AAAA-MM ou AAAA-MM-JJ attendue, entre "
            f"{PLAUSIBLE_EARLIEST:%Y} et {PLAUSIBLE_LATEST:%Y}."
        )
    if last and len(text) == 7:
        # A month given as an end means its last day: « end=2026-12 » includes 31 December.
        day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def parse_period(start, end, *, start_name: str = "start", end_name: str = "end") -> Period:
    """The one reading of a period for every endpoint and filter: a day or a month at each end,
    both ends inclusive (a month as ``start`` is its first day, as ``end`` its last).

    Raises :class:`PeriodError` (French) on an unreadable bound or a start after the end.
    """
    period = Period(
        _period_bound(start, start_name, last=False), _period_bound(end, end_name, last=True)
    )
    if period.start and period.end and period.start > period.end:
        raise PeriodError(
            f"La période commence après sa fin ({start_name} {period.start:%d/%m/%Y}, "
            f"{end_name} {period.end:%d/%m/%Y})."
        )
    return period
