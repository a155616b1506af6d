"""Reads of appointments for the other apps' pages (« Ma semaine »)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .appointments import Appointment

WEEK_DAYS = 14  # « Ma semaine » shows two weeks


def appointments_for_week(advisor, week_start: date | None = None, days: int = WEEK_DAYS):
    """The adviser's booked appointments from ``week_start`` (default: now) over ``days``."""
    if week_start is None:
        start = timezone.now()
        end_day = timezone.localdate() + timedelta(days=days)
    else:
        start = timezone.make_aware(datetime.combine(week_start, time(0)))
        end_day = week_start + timedelta(days=days)
    end = timezone.make_aware(datetime.combine(end_day, time(0)))
    return list(
        Appointment.objects.booked()
        .filter(advisor=advisor, starts_at__gte=start, starts_at__lt=end)
        .with_related()
        .order_by("starts_at")
    )
