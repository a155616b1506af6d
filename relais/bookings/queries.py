"""Reads of registrations for the staff pages and for the other apps."""

from django.db.models import Count, Q

from .enums import Attendance, RegistrationStatus
from .models import Registration


def session_attendance_counts(session) -> dict[str, int]:
    """Head counts of a session, for the collective activity report (CRA) of the activities app.

    ``registered``: confirmed seats; ``present``, ``absent``, ``excused`` and ``unmarked`` split
    them by attendance; ``waiting`` and ``cancelled`` are the other registrations. Counts survive
    the erasure of personal data (rows are anonymised, not deleted).
    """
    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    counts = Registration.objects.filter(session=session).aggregate(
        registered=Count("pk", filter=confirmed),
        present=Count("pk", filter=confirmed & Q(attendance=Attendance.PRESENT)),
        absent=Count("pk", filter=confirmed & Q(attendance=Attendance.ABSENT)),
        excused=Count("pk", filter=confirmed & Q(attendance=Attendance.EXCUSED)),
        unmarked=Count("pk", filter=confirmed & Q(attendance="")),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    return counts


def session_roster(session) -> dict:
    """Confirmed, waiting (in order) and cancelled registrations of a session."""
    registrations = list(
        Registration.objects.filter(session=session)
        .select_related("registered_by")
        .order_by("created_at", "pk")
    )
    return {
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
    }
