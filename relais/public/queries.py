"""Reads of the public pages: places by commune, the next permanences, the weekly hours.

Unstaffed occurrences (every adviser away) are shown to residents as « Permanence annulée »,
like cancelled ones, but *without* their reason: the planning's reason names the advisers on
leave, which is personal data. The reason of a cancellation (typed by staff for the public,
e.g. « Fermeture pour inventaire ») is shown.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from relais.appointments.availability import appointments_enabled
from relais.appointments.models import AppointmentType
from relais.core.dates import monday_of
from relais.core.french import RANKS, WEEKDAYS, capfirst, french_date, french_day, french_time_range
from relais.core.site import site_url
from relais.places.models import Place
from relais.planning.enums import OccurrenceStatus, Recurrence
from relais.planning.models import Slot
from relais.planning.occurrences import Occurrence, occurrences_between

HORIZON_WEEKS = 4


def today() -> date:
    """The local date (one place to change in tests)."""
    return timezone.localdate()


def now() -> datetime:
    """The current instant (one place to change in tests)."""
    return timezone.now()


def fold(text: str) -> str:
    """Lower case without accents, for searches: « Vinça » and « vinca » match."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def public_places(search: str = "") -> list[Place]:
    """Active places ordered by commune then name, narrowed by a commune name or postal code.

    The search ignores case and accents; it runs in Python (a few dozen places at most).
    """
    places = list(
        Place.objects.active().select_related("commune").order_by("commune__name", "name")
    )
    wanted = fold(search)
    if not wanted:
        return places
    return [
        p
        for p in places
        if wanted in fold(p.commune.name) or p.commune.postal_code.startswith(wanted)
    ]


def public_place_url(place) -> str:
    """The absolute address of a place's public page: what the poster's QR code encodes."""
    return site_url(reverse("public:place", kwargs={"slug": place.slug}))


def appointment_url(place) -> str | None:
    """The appointment booking page of a place, or ``None`` when the place takes no online
    appointment (its « Réglages des rendez-vous ») or appointments do not exist."""
    try:
        url = reverse("appointments:book", kwargs={"place_slug": place.slug})
    except NoReverseMatch:
        return None
    return url if appointments_enabled(place) else None


def online_booking_url(place) -> str | None:
    """The absolute address of a place's booking page when residents can book there online
    (appointments on at the place and at least one active type), else ``None``: what the
    poster announces."""
    url = appointment_url(place)
    if url is None or not AppointmentType.objects.filter(is_active=True).exists():
        return None
    return site_url(url)


def osm_url(place) -> str:
    """An OpenStreetMap link centred on the place (its commune's centre without coordinates)."""
    latitude, longitude = place.coordinates
    zoom = 18 if place.latitude is not None else 14
    return (
        f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
        f"#map={zoom}/{latitude}/{longitude}"
    )


# --- Dated permanences ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOccurrence:
    """A dated permanence as residents see it: held, or cancelled (with a public reason)."""

    occurrence: Occurrence
    cancelled: bool
    reason: str

    @property
    def date(self) -> date:
        return self.occurrence.date

    @property
    def start(self) -> datetime:
        return self.occurrence.start

    @property
    def end(self) -> datetime:
        return self.occurrence.end

    @property
    def place(self):
        return self.occurrence.place

    @property
    def day_text(self) -> str:
        """« mardi 1er décembre »."""
        return french_day(self.occurrence.date)

    @property
    def hours_text(self) -> str:
        """« 9 h – 12 h »."""
        slot = self.occurrence.slot
        return french_time_range(slot.start_time, slot.end_time)

    @property
    def when(self) -> str:
        """« mardi 1er décembre, 9 h – 12 h »."""
        return f"{self.day_text}, {self.hours_text}"


def to_public(occurrence: Occurrence) -> PublicOccurrence:
    """Hide the planning's internals: unstaffed becomes cancelled, without its reason."""
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return PublicOccurrence(occurrence, cancelled=True, reason=occurrence.reason)
    if occurrence.status == OccurrenceStatus.UNSTAFFED:
        return PublicOccurrence(occurrence, cancelled=True, reason="")
    return PublicOccurrence(occurrence, cancelled=False, reason="")


def next_permanences(
    place, *, start: date | None = None, weeks: int = HORIZON_WEEKS
) -> list[PublicOccurrence]:
    """The permanences of a place over the next ``weeks`` weeks, from ``start`` (today).

    Public holidays, closures and (for slots that ask) school holidays give no occurrence at
    all; cancelled and unstaffed ones are kept, flagged ``cancelled``. Those already over
    (earlier today) are left out.
    """
    start = start or today()
    end = start + timedelta(days=7 * weeks - 1)
    moment = now()
    found = occurrences_between(start, end, places=[place])
    return [to_public(o) for o in found if o.end > moment]


def next_permanence_by_place(places, *, start: date | None = None) -> dict[int, PublicOccurrence]:
    """For the index: each place's next *held* permanence within the horizon, by place id."""
    start = start or today()
    end = start + timedelta(days=7 * HORIZON_WEEKS - 1)
    moment = now()
    result: dict[int, PublicOccurrence] = {}
    for occurrence in occurrences_between(start, end, places=list(places)):
        public = to_public(occurrence)
        if public.cancelled or occurrence.end <= moment or occurrence.place.pk in result:
            continue
        result[occurrence.place.pk] = public
    return result


# --- Weekly hours (page and poster) ---------------------------------------------------------


@dataclass(frozen=True)
class ScheduleLine:
    """One line of the weekly hours: « Mardi » + « 9 h – 12 h, 14 h – 17 h » + notes."""

    day: str
    hours: str
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """« Mardi 9 h – 12 h », « Un mardi sur deux 14 h – 17 h (hors vacances scolaires) »."""
        notes = f" ({', '.join(self.notes)})" if self.notes else ""
        return f"{self.day} {self.hours}{notes}"


def recurrence_label(slot: Slot) -> str:
    """« Mardi », « Un mardi sur deux », « Le 1er mardi du mois », « Le dernier mardi du mois »."""
    day = WEEKDAYS[slot.weekday]
    if slot.recurrence == Recurrence.FORTNIGHTLY:
        return f"Un {day} sur deux"
    if slot.recurrence == Recurrence.MONTHLY and slot.month_week in RANKS:
        return f"Le {RANKS[slot.month_week]} {day} du mois"
    return capfirst(day)


def active_slots(place, on: date | None = None) -> list[Slot]:
    """The slots of a place still valid on ``on`` (today) or later, by weekday and time."""
    on = on or today()
    return list(
        Slot.objects.filter(place=place)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("weekday", "start_time")
    )


_RECURRENCE_ORDER = {Recurrence.WEEKLY: 0, Recurrence.FORTNIGHTLY: 1, Recurrence.MONTHLY: 2}


def _line_key(slot: Slot, on: date) -> tuple:
    parity = None
    if slot.recurrence == Recurrence.FORTNIGHTLY:
        parity = (monday_of(slot.anchor_date or slot.valid_from).toordinal() // 7) % 2
    return (
        slot.weekday,
        _RECURRENCE_ORDER.get(slot.recurrence, 9),
        slot.month_week or 0,
        parity,
        slot.respect_school_holidays,
        slot.valid_from if slot.valid_from > on else None,
        slot.valid_until,
    )


def _notes(slot: Slot, on: date) -> tuple[str, ...]:
    notes = []
    if slot.respect_school_holidays:
        notes.append("hors vacances scolaires")
    if slot.valid_from > on:
        notes.append(f"à partir du {french_date(slot.valid_from)}")
    if slot.valid_until:
        notes.append(f"jusqu'au {french_date(slot.valid_until)}")
    return tuple(notes)


def weekly_schedule(place, on: date | None = None) -> list[ScheduleLine]:
    """The weekly hours of the place's permanences, for the public page and the poster.

    Slots of the same day and rule are merged: « Mardi 9 h – 12 h, 14 h – 17 h ».
    """
    on = on or today()
    groups: dict[tuple, list[Slot]] = {}
    for slot in active_slots(place, on):
        groups.setdefault(_line_key(slot, on), []).append(slot)
    lines = []
    for key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
        slots = sorted(groups[key], key=lambda s: s.start_time)
        hours = ", ".join(french_time_range(s.start_time, s.end_time) for s in slots)
        lines.append(ScheduleLine(recurrence_label(slots[0]), hours, _notes(slots[0], on)))
    return lines
