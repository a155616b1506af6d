"""Refresh of the monthly roll-ups (``relais refresh-stats``): incremental and idempotent.

A month's rows are always recomputed whole (delete + insert in one transaction): the FINE rows
from the activity rows, with the same aggregates as ``stats.rows(source="live")``, then the
PLACE and COARSE rows by summing the FINE rows (every measure is a sum; ``new_beneficiaries``
too, a first visit being one activity in one FINE row), so a refresh can be repeated at will
and the roll-up equals the live figures. Which months:

* ``full=True`` (``--full``, nightly): every month that has activities or roll-up rows;
* otherwise (every 5 minutes): the months of activities modified since the watermark (the
  latest ``updated_at`` seen, minus ``OVERLAP`` so a transaction committed late is not missed),
  the months of the other activities of their beneficiaries (a new first visit moves the
  « nouveau bénéficiaire » of another month), and the months whose activity count no longer
  matches the roll-up (deleted or re-dated activities — one indexed ``GROUP BY`` month).

Not seen by the incremental pass, caught by the nightly ``--full``: a beneficiary deleted or
re-located (their activities keep their counts but lose the link / change commune), a place
moved to another commune.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from relais.activities.models import Activity

from .enums import Grain
from .models import (
    MEASURE_FIELDS,
    ActivityMonthlyStat,
    ActivityThemeMonthlyStat,
    StatsRefresh,
)
from .stats import StatsFilters, grouped_queryset, month_start

OVERLAP = timedelta(minutes=10)
# 1: FINE and COARSE grains; 2: PLACE grain added.
LAYOUT = 2
# Grain → its keys, and the source of its rows: FINE from the activities, the others summed
# from the FINE rows of the same month (a few thousand rows instead of a month of activities).
GRAINS = {
    Grain.FINE: (["place", "advisor", "kind", "commune"], "live"),
    Grain.PLACE: (["place", "kind", "commune"], "rollup"),
    Grain.COARSE: (["kind"], "rollup"),
}


def _insert(model, month: date, grain: Grain, group_by: list[str], source: str) -> int:
    """INSERT … SELECT of one month at one grain, from the live aggregate query or from the
    month's FINE roll-up rows."""
    qs, _ = grouped_queryset(StatsFilters(month, month), group_by, source=source, grain=Grain.FINE)
    sql, params = qs.query.sql_with_params()
    columns = ["month", "grain"]
    columns += [f"{key}_id" if key in {"place", "advisor", "commune"} else key for key in group_by]
    columns += MEASURE_FIELDS
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - model names only
            f"SELECT %s, %s, sub.* FROM ({sql}) sub",
            [month, grain, *params],
        )
        return cursor.rowcount


def refresh_month(month: date) -> int:
    """Recompute one month of both roll-ups, every grain; returns the rows written."""
    month = month_start(month)
    with transaction.atomic():
        ActivityMonthlyStat.objects.filter(month=month).delete()
        ActivityThemeMonthlyStat.objects.filter(month=month).delete()
        written = 0
        for grain, (keys, source) in GRAINS.items():  # FINE first: the others read it
            written += _insert(ActivityMonthlyStat, month, grain, keys, source)
            written += _insert(ActivityThemeMonthlyStat, month, grain, [*keys, "theme"], source)
    return written


def _mismatched_months() -> set[date]:
    live = {
        month_start(row["month"]): row["n"]
        for row in Activity.objects.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rolled = {
        row["month"]: row["n"]
        for row in ActivityMonthlyStat.objects.filter(grain=Grain.FINE)
        .values("month")
        .annotate(n=Sum("activities"))
        .order_by()
    }
    return {m for m in live.keys() | rolled.keys() if live.get(m, 0) != rolled.get(m, 0)}


def months_to_refresh(watermark, *, full: bool = False) -> set[date]:
    """The months whose roll-up rows may be stale (see the module's docstring)."""
    if full or watermark is None:
        months = {month_start(d) for d in Activity.objects.dates("date", "month")}
        return months | set(ActivityMonthlyStat.objects.values_list("month", flat=True))
    changed = Activity.objects.filter(updated_at__gt=watermark - OVERLAP)
    months = {month_start(d) for d in changed.dates("date", "month")}
    beneficiaries = changed.filter(beneficiary__isnull=False).values("beneficiary_id")
    months |= {
        month_start(d)
        for d in Activity.objects.filter(beneficiary_id__in=beneficiaries).dates("date", "month")
    }
    return months | _mismatched_months()


def refresh(*, full: bool = False) -> dict:
    """Bring the roll-ups up to date; returns ``{"months": […], "rows": n}``.

    Every month when ``full`` or when the rows were written with another ``LAYOUT``."""
    state, _ = StatsRefresh.objects.get_or_create(pk=1)
    started = timezone.now()
    latest = Activity.objects.aggregate(latest=Max("updated_at"))["latest"]
    full = full or state.layout != LAYOUT
    months = sorted(months_to_refresh(state.watermark, full=full))
    written = sum(refresh_month(month) for month in months)
    state.watermark = latest or state.watermark
    state.refreshed_at = started
    state.layout = LAYOUT
    state.save()
    return {"months": months, "rows": written}
