"""An appointment after booking: cancelled (by the person's link, by staff, by a schedule
change), then done or no-show."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.bookings.enums import MessageChannel, MessageKind

from .. import availability
from ..enums import AppointmentCancelledBy, AppointmentStatus
from ..models import Appointment
from .messages import appointment_notify, opening_url

NEXT_OPTIONS_OFFERED = 3


def lock_appointment(appointment: Appointment) -> Appointment:
    """The appointment read again under a row lock (inside ``transaction.atomic``): a cancel,
    a mark and a hand-over of the same appointment wait for each other."""
    return Appointment.objects.select_for_update().with_related().get(pk=appointment.pk)


def _cancelled(appointment: Appointment, *, by: str, reason: str) -> None:
    """Mark the locked ``appointment`` cancelled by ``by`` (its reason cut to the field)."""
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


def _apologise(appointment: Appointment) -> None:
    """Not the person's choice: say sorry, why, and where to book again, by every contact they
    gave (e-mail and SMS, as a cancelled workshop session does)."""
    appointment_notify(
        appointment,
        MessageKind.APPOINTMENT_CANCELLED,
        channels=(MessageChannel.EMAIL, MessageChannel.SMS),  # those without a contact skipped
        reason=appointment.cancellation_reason,
        next_options=next_options(appointment),
    )


def appointment_cancel(
    *, appointment: Appointment, by: str = AppointmentCancelledBy.RESIDENT, reason: str = ""
) -> Appointment:
    """Cancel an appointment (the person's link, or staff); the time is free again. Cancelling
    twice does nothing the second time; a past appointment cannot be cancelled."""
    with transaction.atomic():
        appointment = lock_appointment(appointment)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if (
            appointment.status != AppointmentStatus.BOOKED
            or appointment.starts_at <= timezone.now()
        ):
            raise ValidationError("Ce rendez-vous est passé : il ne peut plus être annulé.")
        _cancelled(appointment, by=by, reason=reason)
        if by == AppointmentCancelledBy.STAFF:
            _apologise(appointment)
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
        appointment = lock_appointment(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            return appointment
        _cancelled(appointment, by=AppointmentCancelledBy.SCHEDULE, reason=reason)
        if appointment.starts_at > timezone.now():
            _apologise(appointment)
    return appointment


MARKABLE = {AppointmentStatus.DONE, AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED}


def appointment_mark(*, appointment: Appointment, status: str) -> Appointment:
    """Record whether the person came (done / no-show; ``booked`` undoes), once it started."""
    if status not in MARKABLE:
        raise ValidationError("Statut de rendez-vous inconnu.")
    with transaction.atomic():
        appointment = lock_appointment(appointment)
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
