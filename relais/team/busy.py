"""When an adviser is busy: the one read model of an adviser's time (issue 14).

An adviser's time is taken by permanences, workshops they run, appointments, leave,
committee meetings, the drive between two places, and a place's closure stops anything
there. Every caller asks this module, never the sources one by one: appointment availability
(``relais.appointments.availability``), workshop scheduling (``relais.workshops.services``), the
planning checks (``relais.planning.checks``), « Ma semaine » and the adviser's iCal feed.

Why here, and why sources are *registered*: the callers are themselves sources (the planning
owns permanences, the workshops their sessions, the appointments app the appointments), so a module
importing every source would either sit above its own callers (an import cycle) or be
imported lazily (the cycle hidden). ``team`` is the lowest app every caller already imports
and it imports none of them; this module holds the type, the interval rules and the one
entry point. The queries of the sources are written in
``relais/bookings/busy_sources.py`` (``bookings`` already depends on the planning, the
workshops and the team), registered by ``BookingsConfig.ready()``, except appointments and
committee meetings, registered by their apps above them (``relais/appointments/busy_sources.py``,
``relais/committee/busy_sources.py``).
:func:`busy_intervals` refuses to answer when no source is registered, so a missing
registration cannot pass for a free adviser.

Rules (pure functions below, tested without a database):

* a **permanence** is a frame, not a conflict, for an appointment or a workshop *at the same
  place*: appointments are booked inside it and a workshop may be held during it (the walk-in
  visitors then wait); anywhere else it is a conflict;
* a **closure** concerns its place only: nothing is booked there meanwhile;
* **travel**: two commitments at places in different communes need the estimated drive
  between them free (``relais.planning.travel``: matrix, else haversine × 1.4 at 50 km/h);
  the drive from and to home is not counted here (the planning checks count it in the week's
  working time);
* **leave** and **committee meetings** conflict with anything at the same time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from relais.core import french

from .enums import BusyKind

# Kinds bound to a place, between which the drive counts.
LOCATED = frozenset({BusyKind.PERMANENCE, BusyKind.WORKSHOP, BusyKind.APPOINTMENT})


@dataclass(frozen=True)
class Busy:
    """One interval of an adviser's time (or of a place's, for a closure: ``advisor_id`` None).

    ``ref`` identifies what it comes from (``("appointment", 12)``, ``("permanence", (slot,
    date))``…) so a caller can ignore the thing being edited; ``obj`` is that thing (an
    occurrence, a session, an appointment, a leave, a meeting, a closure).
    """

    kind: str
    start: datetime  # aware
    end: datetime
    label: str  # French, for messages and timelines
    advisor_id: int | None = None
    place_id: int | None = None
    commune: object = None  # where it happens, for the drive between two places
    ref: tuple = ()
    obj: object = None

    @property
    def kind_label(self) -> str:
        return BusyKind(self.kind).label

    @property
    def span(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if start.date() == end.date():
            return f"le {start:%d/%m/%Y} de {french.french_time(start)} à {french.french_time(end)}"
        last = end - timedelta(microseconds=1)  # an end at midnight belongs to the day before
        if start.date() == last.date():
            return f"le {start:%d/%m/%Y} à partir de {french.french_time(start)}"
        return f"du {french.short_datetime(start)} au {french.short_datetime(end)}"

    def describe(self) -> str:
        """« Atelier « Mon smartphone » à Prades le 24/11/2026 de 14:00 à 16:00 »."""
        if self.kind in (BusyKind.LEAVE, BusyKind.CLOSURE):
            return self.label  # the label already gives the days
        return f"{self.label} {self.span}"

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


# --- Sources ----------------------------------------------------------------------------------

Source = Callable[[list[int], datetime, datetime, list[int]], Iterable[Busy]]
_sources: dict[str, Source] = {}
_travel: list[Callable] = []


def register_source(kind: str, source: Source) -> None:
    """Add (or replace) the query of one kind: ``source(advisor_ids, start, end, place_ids)``
    returns the intervals of those advisers (and of those places, for closures) meeting the
    period ``start``–``end``."""
    _sources[str(kind)] = source


def register_travel(minutes: Callable) -> None:
    """The drive estimate: ``minutes(commune_a, commune_b) -> int``."""
    _travel[:] = [minutes]


def travel_minutes(commune_a, commune_b) -> int:
    if commune_a is None or commune_b is None or not _travel:
        return 0
    return _travel[0](commune_a, commune_b)


def _bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    """Dates are whole local days (``end`` included); datetimes are taken as they are."""
    if not isinstance(start, datetime):
        start = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    if not isinstance(end, datetime):
        end = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    return start, end


def busy_intervals(
    advisors,
    start: date | datetime,
    end: date | datetime,
    *,
    places=(),
    kinds: Iterable[str] | None = None,
    with_travel: bool = True,
) -> list[Busy]:
    """Every busy interval of ``advisors`` (advisers or their ids) meeting ``start``–``end``
    (dates: whole days, ``end`` included), soonest first: permanences where they are present,
    workshops they run, appointments they hold, leave, committee meetings, and the drives
    between two of these the same day (``kind="travel"``). Closures of ``places`` and of the
    places of their permanences are included (``advisor_id`` None). ``kinds`` narrows."""
    if not _sources:
        raise ImproperlyConfigured("No busy source registered (relais.bookings not ready?).")
    advisor_ids = sorted({getattr(a, "pk", a) for a in advisors})
    place_ids = sorted({getattr(p, "pk", p) for p in places})
    start, end = _bounds(start, end)
    wanted = set(map(str, kinds)) if kinds is not None else None
    found: list[Busy] = []
    for kind, source in _sources.items():
        if wanted is None or kind in wanted:
            found.extend(source(advisor_ids, start, end, place_ids))
    if with_travel and (wanted is None or BusyKind.TRAVEL in wanted):
        found.extend(travel_between(found))
    found.sort(key=lambda b: (b.start, b.end, b.kind))
    return found


def travel_between(busy: list[Busy]) -> list[Busy]:
    """The drives between consecutive located commitments of an adviser, the same day, in two
    communes: one interval from the end of the first, as long as the estimate."""
    by_day: dict[tuple, list[Busy]] = {}
    for item in busy:
        if item.kind in LOCATED and item.advisor_id is not None and item.commune is not None:
            key = (item.advisor_id, timezone.localtime(item.start).date())
            by_day.setdefault(key, []).append(item)
    drives = []
    for (advisor_id, _day), items in by_day.items():
        items.sort(key=lambda b: (b.start, b.end))
        for before, after in itertools.pairwise(items):
            if before.end > after.start or before.commune == after.commune:
                continue
            minutes = travel_minutes(before.commune, after.commune)
            if not minutes:
                continue
            drives.append(
                Busy(
                    kind=BusyKind.TRAVEL,
                    start=before.end,
                    end=before.end + timedelta(minutes=minutes),
                    label=f"Trajet {before.commune.name} → {after.commune.name} "
                    f"(environ {minutes} min)",
                    advisor_id=advisor_id,
                    ref=("travel", before.ref, after.ref),
                )
            )
    return drives


# --- Conflicts ----------------------------------------------------------------------------------


def blocking_window(item: Busy, *, advisor_id: int, place=None) -> tuple[datetime, datetime] | None:
    """The times ``item`` stops ``advisor_id`` from starting or ending something at ``place``
    (pure): the item itself, widened by the drive to and from it when it is in another
    commune; ``None`` when it does not concern them there (a permanence at the same place is
    a frame, a closure of another place, another adviser's time, a drive already counted)."""
    place_id = getattr(place, "pk", place)
    if item.kind == BusyKind.TRAVEL:
        return None
    if item.kind == BusyKind.CLOSURE:
        return (item.start, item.end) if item.place_id == place_id else None
    if item.advisor_id != advisor_id:
        return None
    if item.kind == BusyKind.PERMANENCE and place_id is not None and item.place_id == place_id:
        return None
    commune = getattr(place, "commune", None)
    if item.kind in LOCATED and commune is not None and item.commune is not None:
        before = timedelta(minutes=travel_minutes(commune, item.commune))
        after = timedelta(minutes=travel_minutes(item.commune, commune))
        return (item.start - before, item.end + after)
    return (item.start, item.end)


def blocked_windows(
    busy: Iterable[Busy], *, advisor_id: int, place=None, ignore: Iterable[tuple] = ()
) -> list[tuple[datetime, datetime]]:
    """:func:`blocking_window` of every item, as (start, end) pairs (pure)."""
    ignored = set(ignore)
    windows = []
    for item in busy:
        if item.ref in ignored:
            continue
        window = blocking_window(item, advisor_id=advisor_id, place=place)
        if window is not None:
            windows.append(window)
    return windows


def clashes(
    busy: Iterable[Busy],
    *,
    advisor_id: int,
    start: datetime,
    end: datetime,
    place=None,
    ignore: Iterable[tuple] = (),
) -> list[Busy]:
    """What in ``busy`` stops ``advisor_id`` from taking ``start``–``end`` at ``place`` (pure).

    A permanence at the same place is a frame, not a conflict; a closure matters at its place
    only; a commitment in another commune needs the drive in between free (computed here from
    the candidate's place, so ``busy`` needs no travel intervals).
    """
    ignored = set(ignore)
    found = []
    for item in busy:
        if item.ref in ignored:
            continue
        window = blocking_window(item, advisor_id=advisor_id, place=place)
        if window is not None and window[0] < end and start < window[1]:
            found.append(item)
    return found


def conflicts(
    *, advisor, start: datetime, end: datetime, place=None, ignore: Iterable[tuple] = ()
) -> list[Busy]:
    """What stops ``advisor`` from taking ``start``–``end`` at ``place`` (a database read;
    the hours around are read so that drives from and to other places count). Without an
    adviser: what stops anything at ``place`` (a closure)."""
    advisor_id = getattr(advisor, "pk", advisor)
    around = timedelta(hours=6)
    busy = busy_intervals(
        [advisor_id] if advisor_id is not None else [],
        start - around,
        end + around,
        places=[place] if place is not None else (),
        with_travel=False,
    )
    return clashes(busy, advisor_id=advisor_id, start=start, end=end, place=place, ignore=ignore)


def conflict_message(advisor, found: list[Busy]) -> str:
    """French: « Marie Dupont n'est pas disponible : Atelier … le … de … à … ; … »."""
    items = " ; ".join(item.describe() for item in found[:5])
    more = f" (et {french.plural(len(found) - 5, 'autre', 'autres')})" if len(found) > 5 else ""
    return f"{advisor} n'est pas disponible : {items}{more}."
