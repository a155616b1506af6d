"""The appointments as a source of an adviser's busy time (``relais.team.busy``), registered
by ``AppointmentsConfig.ready()``; the other sources are in ``relais/bookings/busy_sources.py``."""

from relais.core.french import at_place
from relais.team.busy import Busy, register_source
from relais.team.enums import BusyKind

from .models import Appointment


def appointments(advisor_ids, start, end, place_ids):
    """Appointments that hold the adviser's time (booked, done, no-show). Never the
    resident's name: the messages that list them reach staff of other structures."""
    rows = (
        Appointment.objects.holding()
        .filter(advisor_id__in=advisor_ids)
        .overlapping(start, end)
        .select_related("appointment_type", "place__commune")
    )
    return [
        Busy(
            kind=BusyKind.APPOINTMENT,
            start=row.starts_at,
            end=row.ends_at,
            label=f"Rendez-vous « {row.appointment_type.name} » {at_place(row.place.name)}",
            advisor_id=row.advisor_id,
            place_id=row.place_id,
            commune=row.place.commune,
            ref=("appointment", row.pk),
            obj=row,
        )
        for row in rows
    ]


def register() -> None:
    register_source(BusyKind.APPOINTMENT, appointments)
