"""Booking an appointment: the place's rules, a free adviser under lock, the confirmation."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.bookings.enums import MessageKind
from relais.bookings.services import clean_contact
from relais.planning.enums import OccurrenceStatus
from relais.planning.occurrences import occurrences_between
from relais.team.busy import conflicts
from relais.team.enums import BusyKind
from relais.team.models import Advisor

from .. import availability
from ..consent import APPOINTMENT_CONSENT_TEXTS, CURRENT_APPOINTMENT_CONSENT_VERSION
from ..models import Appointment, AppointmentType
from ..rules import days_text
from .messages import appointment_notify

SLOT_TAKEN = "Ce créneau vient d'être pris, choisissez-en un autre."
# Why a time is not free, for the resident, when it is not another appointment (no name).
UNAVAILABLE = {
    BusyKind.WORKSHOP: "le conseiller numérique anime un atelier à ce moment-là",
    BusyKind.LEAVE: "le conseiller numérique est absent ce jour-là",
    BusyKind.MEETING: "le conseiller numérique est en réunion à ce moment-là",
    BusyKind.CLOSURE: "le lieu est exceptionnellement fermé",
    BusyKind.PERMANENCE: "le conseiller numérique est attendu dans un autre lieu",
}
BOOKING_DISABLED = (
    "Ce lieu ne propose pas de rendez-vous en ligne pour le moment. Vous pouvez venir pendant "
    "une permanence, sans rendez-vous."
)
# Codes of the refusals after which the person chooses another time (not a contact error).
REFUSED_TIME_CODES = frozenset({"taken", "window", "disabled"})


def _openings_at(place, appointment_type, starts_at: datetime, now, advisor_ids=None):
    day = timezone.localtime(starts_at).date()
    return [
        o
        for o in availability.openings(
            place, appointment_type, now=now, start=day, end=day, advisor_ids=advisor_ids
        )
        if o.start == starts_at
    ]


def unavailable_error(place, appointment_type, starts_at: datetime) -> ValidationError:
    """Why nobody can take ``starts_at`` at ``place`` (French, code ``taken``): another
    appointment (« vient d'être pris »), else what the read model of the advisers' time
    finds in the way (a workshop, leave, a meeting, a closure, a permanence elsewhere)."""
    ends_at = starts_at + timedelta(minutes=appointment_type.duration_minutes)
    day = timezone.localtime(starts_at).date()
    present = {
        advisor.pk: advisor
        for occurrence in occurrences_between(day, day, places=[place])
        if occurrence.status == OccurrenceStatus.PLANNED
        and occurrence.start <= starts_at
        and ends_at <= occurrence.end
        for advisor in occurrence.advisors_present
    }
    kinds = []
    for advisor in present.values():
        kinds.extend(
            c.kind for c in conflicts(advisor=advisor, start=starts_at, end=ends_at, place=place)
        )
    for kind in kinds:
        if kind in UNAVAILABLE:
            return ValidationError(
                f"Ce créneau n'est pas disponible : {UNAVAILABLE[kind]}. Choisissez-en un autre.",
                code="taken",
            )
    return ValidationError(SLOT_TAKEN, code="taken")


def check_bookable(*, place, starts_at: datetime, now: datetime | None = None) -> None:
    """Refuse a time that ``place``'s rules do not allow online: booking stopped there, or a
    start before now + its notice or after now + its horizon (``ValidationError`` in French,
    code ``disabled`` or ``window``). Whether an adviser is free is not checked here."""
    rules = availability.place_rules(place)
    if not rules.enabled:
        raise ValidationError(BOOKING_DISABLED, code="disabled")
    now = now or timezone.now()
    earliest, latest = now + rules.min_notice, now + rules.horizon
    if starts_at <= now:
        raise ValidationError("Ce créneau est passé : choisissez-en un autre.", code="window")
    if starts_at < earliest:
        raise ValidationError(
            f"Ce créneau est trop proche : à {place.name}, les rendez-vous se prennent au plus "
            f"tard {rules.min_notice_hours:g} h à l'avance. Choisissez un créneau plus tardif.",
            code="window",
        )
    if starts_at > latest:
        raise ValidationError(
            f"Ce créneau est trop lointain : à {place.name}, les rendez-vous se prennent "
            f"jusqu'à {days_text(rules.horizon_days)} à l'avance. "
            "Choisissez un créneau plus proche.",
            code="window",
        )


def appointment_book(
    *,
    place,
    appointment_type: AppointmentType,
    starts_at: datetime,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    consent: bool,
    consent_version: int = CURRENT_APPOINTMENT_CONSENT_VERSION,
    booked_by=None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``starts_at`` at ``place`` with an adviser free then, and tell the person (e-mail
    with the .ics and the cancel link, or SMS when they gave only a phone). Nothing is saved
    on invalid data, when the place's rules do not allow the time (:func:`check_bookable`) or
    when it was just taken (``ValidationError`` in French)."""
    contact = clean_contact(first_name=first_name, last_name=last_name, phone=phone, email=email)
    if not consent:
        raise ValidationError(
            {"consent": "Votre accord est nécessaire pour enregistrer votre rendez-vous."}
        )
    if consent_version not in APPOINTMENT_CONSENT_TEXTS:
        raise ValueError(f"Unknown consent version {consent_version}")
    if not appointment_type.is_active:
        raise ValidationError("Ce type de rendez-vous n'est plus proposé.")
    now = now or timezone.now()
    check_bookable(place=place, starts_at=starts_at, now=now)
    candidates = _openings_at(place, appointment_type, starts_at, now)
    if not candidates:
        raise unavailable_error(place, appointment_type, starts_at)
    try:
        with transaction.atomic():
            # Serialise with every other booking of these advisers (any place, any time).
            locked = list(
                Advisor.objects.select_for_update()
                .filter(pk__in={o.advisor.pk for o in candidates})
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            # Under the lock: what others booked meanwhile is visible now.
            fresh = _openings_at(place, appointment_type, starts_at, now, advisor_ids=locked)
            if not fresh:
                raise unavailable_error(place, appointment_type, starts_at)
            opening = fresh[0]
            appointment = Appointment.at_opening(
                opening,
                appointment_type=appointment_type,
                place=place,
                **contact,
                booked_by=booked_by,
                consent_version=consent_version,
                consent_at=now,
            )
            appointment.full_clean(validate_constraints=False)
            appointment.save()
            appointment_notify(appointment, MessageKind.CONFIRMATION)
    except IntegrityError as error:  # the unique (adviser, start) constraint: taken meanwhile
        raise ValidationError(SLOT_TAKEN, code="taken") from error
    return appointment
