"""Reminders of appointments, after following the planning's changes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from relais.bookings import reminders
from relais.bookings.enums import MessageKind

from ..models import Appointment
from .messages import appointment_notify
from .schedule_changes import schedule_changes_apply


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
