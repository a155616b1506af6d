"""Writes to appointments: book, cancel (by the link, by staff, after a schedule change), mark
done or no-show, remind, and follow the schedule when it changes.

Never two appointments of one adviser at the same time, nor one during their workshop, leave,
committee meeting or permanence elsewhere (``relais.team.busy``, the one read model of an
adviser's time), under concurrency too: the booking locks the rows of the advisers who could
take the time (``select_for_update``, in primary-key order so that two bookings never wait for
each other crosswise), then computes the free times again — now seeing every booking, and
every workshop session scheduled (``relais.workshops.services`` takes the same locks),
committed before the lock was granted — and inserts. On SQLite, IMMEDIATE transactions
serialise writers instead (config/settings/base.py). A unique
constraint on (adviser, start) of live appointments backs this up.

A place's own rules (« Réglages des rendez-vous »: notice, horizon, walk-in share, online
booking stopped) apply to every booking: :func:`appointment_book` re-checks the chosen time
against them (:func:`check_bookable`), so a forged request cannot get round them. They are
changed by :func:`place_appointment_settings_update`.

Schedule changes (leave, closure, cancelled or re-staffed occurrence) are not signalled: the
planning computes occurrences on the fly. :func:`schedule_changes_apply` compares every upcoming
appointment with the occurrences of today's planning and cancels (or hands to a colleague
present) those whose adviser is no longer there. ``relais notify-schedule-changes`` and
``relais send-reminders`` (every 15 minutes, before the reminders) run it; it is idempotent.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from relais.bookings import reminders
from relais.bookings.enums import MessageChannel, MessageKind
from relais.bookings.messaging import message_queue
from relais.bookings.models import Message
from relais.bookings.services import clean_contact
from relais.core.pagecache import public_pages_changed
from relais.core.site import calendar_attachment, calendar_uid, site_url
from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Closure
from relais.planning.occurrences import occurrences_between
from relais.team.busy import conflicts
from relais.team.enums import BusyKind
from relais.team.models import Advisor

from . import availability, perms
from .consent import APPOINTMENT_CONSENT_TEXTS, CURRENT_APPOINTMENT_CONSENT_VERSION
from .enums import AppointmentCancelledBy, AppointmentStatus
from .models import Appointment, AppointmentType, PlaceAppointmentSettings
from .rules import days_text

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
NEXT_OPTIONS_OFFERED = 3
SUBJECTS = {
    MessageKind.CONFIRMATION: "Votre rendez-vous « {name} » est confirmé",
    MessageKind.CANCELLATION: "Annulation de votre rendez-vous « {name} »",
    MessageKind.APPOINTMENT_CANCELLED: "Rendez-vous annulé : « {name} »",
    MessageKind.REMINDER: "Rappel : rendez-vous « {name} »",
}
WITH_CALENDAR = frozenset({MessageKind.CONFIRMATION, MessageKind.REMINDER})


# --- Links ----------------------------------------------------------------------------------------


def booking_url(place) -> str:
    return site_url(reverse("appointments:book", kwargs={"place_slug": place.slug}))


def opening_url(place, appointment_type, opening) -> str:
    path = reverse("appointments:form", kwargs={"place_slug": place.slug})
    return site_url(path + "?" + urlencode({"type": appointment_type.pk, "debut": opening.key}))


# --- Messages -------------------------------------------------------------------------------------


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    place = appointment.place
    event = Event()
    event.add("uid", calendar_uid(f"rendez-vous-{appointment.public_id}"))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(appointment.starts_at))
    event.add("dtend", timezone.localtime(appointment.ends_at))
    event.add("summary", f"Rendez-vous numérique : {appointment.appointment_type.name}")
    event.add(
        "location", ", ".join(p for p in [place.name, place.address, place.commune.name] if p)
    )
    event.add("url", site_url(appointment.get_manage_url()))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    return calendar_attachment(event, prodid="-//Relais//Rendez-vous numériques//FR")


def appointment_notify(
    appointment: Appointment, kind: str, *, channels: tuple[str, ...] | None = None, **extra
) -> list[Message]:
    """Queue the ``kind`` message of an appointment (sent after the commit, at most once).

    Default channels: e-mail when the person gave one, else SMS; ``channels`` forces a list
    (a channel without a matching contact is left out).
    """
    if channels is None:
        channels = (MessageChannel.EMAIL,) if appointment.email else (MessageChannel.SMS,)
    context = {
        "appointment": appointment,
        "appointment_type": appointment.appointment_type,
        "place": appointment.place,
        "starts_at": timezone.localtime(appointment.starts_at),
        "ends_at": timezone.localtime(appointment.ends_at),
        "manage_url": site_url(appointment.get_manage_url()),
        "booking_url": booking_url(appointment.place),
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        **extra,
    }
    subject = SUBJECTS[kind].format(name=appointment.appointment_type.name)
    queued = []
    for channel in channels:
        recipient = appointment.email if channel == MessageChannel.EMAIL else appointment.phone
        if not recipient:
            continue
        folder = "email" if channel == MessageChannel.EMAIL else "sms"
        name = kind if kind.startswith("appointment_") else f"appointment_{kind}"
        body = render_to_string(f"appointments/{folder}/{name}.txt", context).strip()
        attachments = ()
        if channel == MessageChannel.EMAIL and kind in WITH_CALENDAR:
            attachments = (
                ("rendez-vous.ics", appointment_ics(appointment), "text/calendar; charset=utf-8"),
            )
        message = message_queue(
            kind=kind,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            attachments=attachments,
            appointment=appointment,
        )
        if message is not None:
            queued.append(message)
    return queued


# --- Booking --------------------------------------------------------------------------------------


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
            appointment = Appointment(
                appointment_type=appointment_type,
                place=place,
                advisor=opening.advisor,
                slot=opening.occurrence.slot,
                occurrence_date=opening.occurrence.date,
                starts_at=opening.start,
                ends_at=opening.end,
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


# --- A place's rules ------------------------------------------------------------------------------

PLACE_SETTINGS_FIELDS = frozenset(
    {"appointments_enabled", "min_notice_hours", "horizon_days", "walk_in_percent"}
)


def place_appointment_settings_update(*, place, user, **values) -> PlaceAppointmentSettings:
    """Set ``place``'s own appointment rules (« Réglages des rendez-vous »).

    ``values``: any of ``appointments_enabled``, ``min_notice_hours``, ``horizon_days``,
    ``walk_in_percent`` (``None``: the département-wide value); the others are kept. The row is
    created on first use. Raises ``PermissionDenied`` unless ``user`` may change the place's
    settings (``perms.can_edit_place_appointment_settings``), ``ValidationError`` (French
    messages, nothing saved) on invalid values and ``TypeError`` on an unknown name.
    Appointments already booked are kept whatever the new rules.
    """
    unknown = sorted(set(values) - PLACE_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown appointment setting(s): {', '.join(unknown)}")
    if not perms.can_edit_place_appointment_settings(user, place):
        raise PermissionDenied
    with transaction.atomic():
        instance = PlaceAppointmentSettings.objects.select_for_update().filter(
            place=place
        ).first() or PlaceAppointmentSettings(place=place)
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        public_pages_changed(place)  # its page shows the booking button, or not
    place.appointment_settings = instance  # what availability reads on this instance from now
    return instance


# --- Cancelling, marking --------------------------------------------------------------------------


def _lock(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().with_related().get(pk=appointment.pk)


def appointment_cancel(
    *, appointment: Appointment, by: str = AppointmentCancelledBy.RESIDENT, reason: str = ""
) -> Appointment:
    """Cancel an appointment (the person's link, or staff); the time is free again. Cancelling
    twice does nothing the second time; a past appointment cannot be cancelled."""
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if (
            appointment.status != AppointmentStatus.BOOKED
            or appointment.starts_at <= timezone.now()
        ):
            raise ValidationError("Ce rendez-vous est passé : il ne peut plus être annulé.")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = timezone.now()
        appointment.cancelled_by = by
        appointment.cancellation_reason = reason.strip()[:200]
        appointment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancellation_reason",
                "updated_at",
            ]
        )
        if by == AppointmentCancelledBy.STAFF:
            # Not the person's choice: say sorry, why, and where to book again, by every
            # contact they gave (as a cancelled workshop session does).
            appointment_notify(
                appointment,
                MessageKind.APPOINTMENT_CANCELLED,
                channels=(MessageChannel.EMAIL, MessageChannel.SMS),
                reason=appointment.cancellation_reason,
                next_options=next_options(appointment),
            )
        elif appointment.email:
            appointment_notify(
                appointment, MessageKind.CANCELLATION, channels=(MessageChannel.EMAIL,)
            )
    return appointment


def next_options(appointment: Appointment, limit: int = NEXT_OPTIONS_OFFERED) -> list[dict]:
    """The next free times of the same type at the same place, with their booking links."""
    found = availability.distinct_times(
        availability.openings(
            appointment.place, appointment.appointment_type, exclude_pk=appointment.pk
        )
    )
    return [
        {
            "opening": o,
            "starts_at": timezone.localtime(o.start),
            "url": opening_url(appointment.place, appointment.appointment_type, o),
        }
        for o in found
        if o.start != appointment.starts_at
    ][:limit]


def appointment_cancel_for_change(*, appointment: Appointment, reason: str) -> Appointment:
    """Cancel an appointment the planning no longer holds (leave, closure, cancelled
    permanence) and tell the person — e-mail and SMS when known — with the next free times
    at the same place and the booking page. Idempotent."""
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            return appointment
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = timezone.now()
        appointment.cancelled_by = AppointmentCancelledBy.SCHEDULE
        appointment.cancellation_reason = reason.strip()[:200]
        appointment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancellation_reason",
                "updated_at",
            ]
        )
        if appointment.starts_at > timezone.now():
            channels = tuple(
                channel
                for channel, contact in (
                    (MessageChannel.EMAIL, appointment.email),
                    (MessageChannel.SMS, appointment.phone),
                )
                if contact
            )
            appointment_notify(
                appointment,
                MessageKind.APPOINTMENT_CANCELLED,
                channels=channels,
                reason=appointment.cancellation_reason,
                next_options=next_options(appointment),
            )
    return appointment


MARKABLE = {AppointmentStatus.DONE, AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED}


def appointment_mark(*, appointment: Appointment, status: str) -> Appointment:
    """Record whether the person came (done / no-show; ``booked`` undoes), once it started."""
    if status not in MARKABLE:
        raise ValidationError("Statut de rendez-vous inconnu.")
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError("Ce rendez-vous est annulé.")
        if appointment.starts_at > timezone.now():
            raise ValidationError("La venue se note une fois le rendez-vous commencé.")
        appointment.status = status
        appointment.status_marked_at = (
            None if status == AppointmentStatus.BOOKED else timezone.now()
        )
        appointment.save(update_fields=["status", "status_marked_at", "updated_at"])
    return appointment


# --- When plans change ----------------------------------------------------------------------------


@dataclass
class Affected:
    appointment: Appointment
    reason: str
    # Colleagues present at the same occurrence, who could take it over.
    present: list = field(default_factory=list)


def _missing_reason(appointment: Appointment, closures: list) -> str:
    for closure in closures:
        if (
            closure.place_id == appointment.place_id
            and closure.start_date <= appointment.occurrence_date <= closure.end_date
        ):
            return f"Fermeture exceptionnelle du lieu ({closure.reason})"
    return "La permanence n'a plus lieu à cette date"


def appointments_affected_by(
    *, start: date, end: date, places=None, advisors=None, now: datetime | None = None
) -> list[Affected]:
    """Upcoming booked appointments from ``start`` to ``end`` that the planning no longer
    holds: occurrence gone (closure, holiday, slot ended), cancelled, or their adviser away
    or replaced. Narrow with ``places``/``advisors`` after a change that concerns them."""
    now = now or timezone.now()
    appointments = (
        Appointment.objects.booked()
        .filter(starts_at__gt=now, occurrence_date__range=(start, end))
        .with_related()
    )
    if places is not None:
        appointments = appointments.filter(place__in=places)
    if advisors is not None:
        appointments = appointments.filter(advisor__in=advisors)
    appointments = list(appointments)
    if not appointments:
        return []
    place_ids = {a.place_id for a in appointments}
    occurrences = {
        o.key: o
        for o in occurrences_between(start, end, places=list({a.place for a in appointments}))
    }
    closures = list(
        Closure.objects.filter(place_id__in=place_ids, start_date__lte=end, end_date__gte=start)
    )
    affected = []
    for appointment in appointments:
        occurrence = occurrences.get((appointment.slot_id, appointment.occurrence_date))
        if occurrence is None:
            affected.append(Affected(appointment, _missing_reason(appointment, closures)))
        elif occurrence.status == OccurrenceStatus.CANCELLED:
            affected.append(Affected(appointment, f"Permanence annulée ({occurrence.reason})"))
        elif not (
            occurrence.start <= appointment.starts_at and appointment.ends_at <= occurrence.end
        ):
            affected.append(
                Affected(appointment, "Les horaires de la permanence ont changé", present=[])
            )
        elif appointment.advisor_id not in {a.pk for a in occurrence.advisors_present}:
            affected.append(
                Affected(
                    appointment,
                    "Le conseiller ou la conseillère est absent(e) ce jour-là",
                    present=list(occurrence.advisors_present),
                )
            )
    return affected


def appointments_affected(now: datetime | None = None) -> list[Affected]:
    """Every upcoming appointment the planning no longer holds (up to the booking horizon, and
    beyond for appointments booked before a horizon was shortened)."""
    now = now or timezone.now()
    last = (
        Appointment.objects.booked()
        .filter(starts_at__gt=now)
        .order_by("-occurrence_date")
        .values_list("occurrence_date", flat=True)
        .first()
    )
    if last is None:
        return []
    return appointments_affected_by(start=timezone.localtime(now).date(), end=last, now=now)


def _hand_over(affected: Affected) -> Appointment | None:
    """Give the appointment to a colleague present at the same occurrence and free then."""
    appointment = affected.appointment
    colleagues = sorted(affected.present, key=lambda a: a.pk)
    if not colleagues:
        return None
    with transaction.atomic():
        ids = list(
            Advisor.objects.select_for_update()
            .filter(pk__in=[a.pk for a in colleagues])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        appointment = _lock(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            return None
        for advisor_id in ids:
            # Free then by the one read model: no appointment, workshop, leave, meeting or
            # permanence elsewhere in the way (the appointment itself is ignored).
            clash = conflicts(
                advisor=advisor_id,
                start=appointment.starts_at,
                end=appointment.ends_at,
                place=appointment.place,
                ignore=[("appointment", appointment.pk)],
            )
            if not clash:
                appointment.advisor_id = advisor_id
                appointment.save(update_fields=["advisor", "updated_at"])
                return appointment
    return None


@dataclass
class ScheduleReport:
    handed_over: int = 0
    cancelled: int = 0


def schedule_changes_apply(*, now: datetime | None = None) -> ScheduleReport:
    """Follow the planning: each upcoming appointment whose adviser is no longer there goes
    to a colleague present and free at that time, else is cancelled and the person told, with
    the next options. Idempotent (an appointment is handled once, its messages sent once)."""
    report = ScheduleReport()
    for affected in appointments_affected(now):
        if _hand_over(affected) is not None:
            report.handed_over += 1
            continue
        appointment = appointment_cancel_for_change(
            appointment=affected.appointment, reason=affected.reason
        )
        if appointment.cancelled_by == AppointmentCancelledBy.SCHEDULE:
            report.cancelled += 1
    return report


# --- Reminders ------------------------------------------------------------------------------------


def appointment_reminder_hours() -> int:
    return settings.RELAIS_APPOINTMENT_REMINDER_HOURS


def appointment_reminders_due(now: datetime | None = None):
    """Booked appointments starting within the reminder window, booked before it opened (the
    confirmation of a last-minute booking already says it all)."""
    now = now or timezone.now()
    window = timedelta(hours=appointment_reminder_hours())
    return (
        Appointment.objects.booked()
        .filter(
            anonymised_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + window,
            created_at__lte=F("starts_at") - window,
        )
        .with_related()
    )


def _follow_the_planning(now: datetime | None) -> str:
    changes = schedule_changes_apply(now=now)
    return (
        f"Rendez-vous annulés après un changement de planning : {changes.cancelled}, confiés "
        f"à un collègue présent : {changes.handed_over}."
    )


APPOINTMENT_REMINDERS = reminders.Reminded(
    name="appointments",
    label="rendez-vous",
    summary="Rappels de rendez-vous envoyés ou tentés : {queued}, déjà envoyés : {already}.",
    due=appointment_reminders_due,
    notify=lambda appointment, channels: appointment_notify(
        appointment, MessageKind.REMINDER, channels=channels
    ),
    # Follow the planning first, so nobody is reminded of an appointment it no longer holds.
    prepare=_follow_the_planning,
)


def register_reminders() -> None:
    reminders.register(APPOINTMENT_REMINDERS)


def appointment_reminders_send(*, now: datetime | None = None) -> reminders.ReminderReport:
    """Remind every due appointment: e-mail when known, and SMS when a phone is known. At most
    once per appointment, kind and channel (unique constraint): safe to re-run."""
    return reminders.reminders_send(APPOINTMENT_REMINDERS, now=now)
