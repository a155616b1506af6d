"""When plans change: the upcoming appointments the planning no longer holds go to a colleague
present, else are cancelled and the person told."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Closure
from relais.planning.occurrences import occurrences_between
from relais.team.busy import conflicts
from relais.team.models import Advisor

from ..enums import AppointmentCancelledBy, AppointmentStatus
from ..models import Appointment
from .status import appointment_cancel_for_change, lock_appointment


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
        appointment = lock_appointment(appointment)
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
