"""How long a half-day lasts (Art. 1.2): the agreement's ``half_day_hours``, the one source.

Every count of half-days (coverage, the monthly report, the annual review's headline figures)
reads the length here: the half-day of the agreement whose commitment covers the place that
day, else the field's default. Nothing else may state 3 h 30 or 210 minutes.
"""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import Agreement, Commitment

DEFAULT_HALF_DAY_HOURS: Decimal = Agreement._meta.get_field("half_day_hours").default


def half_day_minutes(hours: Decimal | float | None = None) -> int:
    """A half-day of ``hours`` (default: the field's default), in minutes."""
    return math.floor(Decimal(str(hours or DEFAULT_HALF_DAY_HOURS)) * 60)


def half_day_hours_by_place(place_ids, day: date) -> dict[int, Decimal]:
    """{place id: the length of a half-day there on ``day``}: the ``half_day_hours`` of the
    agreement with a commitment in effect at the place that day (the most recent agreement
    if several), else the default."""
    result = dict.fromkeys(place_ids, DEFAULT_HALF_DAY_HOURS)
    rows = (
        Commitment.objects.valid_on(day)
        .filter(place_id__in=list(result))
        .order_by("agreement_id")
        .values_list("place_id", "agreement__half_day_hours")
    )
    for place_id, hours in rows:
        if hours:
            result[place_id] = hours
    return result


def whole_half_days(value) -> int:
    """A number of half-days rounded to whole half-days (half up): prorated commitments make
    fractions, but a half-day is held or not."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
