"""Reads of appointments for the staff pages (the availability has its own module)."""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from relais.places.models import Place

from .enums import AppointmentStatus
from .models import Appointment

# How far back the staff list of a place goes: the appointments still to mark.
STAFF_PAST_DAYS = 14


def places_with_upcoming(now: datetime) -> list[Place]:
    """Every active place, by name, with ``upcoming``: its booked appointments from ``now``."""
    return list(
        Place.objects.active()
        .select_related("commune", "appointment_settings")
        .annotate(
            upcoming=Count(
                "appointments",
                filter=Q(
                    appointments__status=AppointmentStatus.BOOKED,
                    appointments__starts_at__gte=now,
                ),
            )
        )
        .order_by("name")
    )


def place_appointments(place, now: datetime) -> tuple[list, list]:
    """A place's appointments from ``now`` on, and those of the last two weeks (to mark)."""
    appointments = (
        Appointment.objects.with_related()
        .filter(place=place, starts_at__gte=now - timedelta(days=STAFF_PAST_DAYS))
        .order_by("starts_at", "pk")
    )
    upcoming = [a for a in appointments if a.starts_at >= now]
    past = [a for a in appointments if a.starts_at < now]
    return upcoming, past
