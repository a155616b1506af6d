"""Half-days held at a place, from the activities: the ``held_half_days`` hook of
``relais.planning.coverage`` (rule documented there)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from relais.activities.models import Activity
from relais.agreements.half_days import half_day_hours_by_place, half_day_minutes
from relais.core.dates import monday_of


def half_days_for_minutes(minutes: int, half_day: int | None = None) -> int:
    """A day's activities at a place: 1 half-day up to ``half_day`` minutes (the place's
    agreement's half-day; default: the agreements' default), 2 beyond."""
    if minutes <= 0:
        return 0
    return 1 if minutes <= (half_day or half_day_minutes()) else 2


def held_half_days(place, week: date) -> Decimal | None:
    """Half-days with activities at ``place`` in the ISO week starting ``week`` (a Monday).

    ``None`` (unknown, not 0) while no activity was ever recorded at the place: it does not
    report its activities in Relais yet, so its permanences cannot be confirmed either way.
    """
    if not Activity.objects.filter(place=place).exists():
        return None
    monday = monday_of(week)
    per_day = (
        Activity.objects.filter(place=place, date__gte=monday, date__lt=monday + timedelta(7))
        .values("date")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    half_day = half_day_minutes(half_day_hours_by_place([place.pk], monday)[place.pk])
    return Decimal(sum(half_days_for_minutes(row["minutes"] or 0, half_day) for row in per_day))


def held_half_days_table(places, mondays: list[date]) -> dict[tuple[int, date], Decimal | None]:
    """``held_half_days`` for many places and weeks in two queries: {(place id, monday): …}."""
    place_ids = [p.pk for p in places]
    if not place_ids or not mondays:
        return {}
    reporting = set(
        Activity.objects.filter(place_id__in=place_ids)
        .values_list("place_id", flat=True)
        .distinct()
        .order_by()
    )
    start, end = min(mondays), max(mondays) + timedelta(days=7)
    per_day = (
        Activity.objects.filter(place_id__in=reporting, date__gte=start, date__lt=end)
        .values("place_id", "date")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    held = {(pk, monday): Decimal(0) for pk in reporting for monday in mondays}
    lengths = {
        pk: half_day_minutes(h) for pk, h in half_day_hours_by_place(reporting, start).items()
    }
    for row in per_day:
        monday = monday_of(row["date"])
        key = (row["place_id"], monday)
        if key in held:
            held[key] += half_days_for_minutes(row["minutes"] or 0, lengths[row["place_id"]])
    return {(pk, monday): held.get((pk, monday)) for pk in place_ids for monday in mondays}
