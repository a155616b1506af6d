"""The monthly roll-ups, kept exact by the writes themselves; rebuilt whole on demand.

**Kept by the writes** (docs/decisions/0006-live-statistics.md). Every service that changes
what the statistics count (an activity recorded, corrected or deleted; a beneficiary changed,
merged or deleted — the purge goes through that) wraps its write in :class:`StatsChange`, in
its own transaction:

1. before the write, the FINE rows the touched activities contribute, computed from the
   activity rows by the very query the rebuild uses (``stats.stored_queryset``);
2. after it, the same for the same activities (and those added meanwhile);
3. the difference is added to the roll-up rows (FINE, and the PLACE and COARSE rows it sums
   to), rows emptied by it removed.

The touched activities are the written ones plus every activity of the beneficiaries involved:
whether an activity is a person's first (« nouveau bénéficiaire ») depends on their others, and
a person's commune is the commune of their activities without a place. That is a person's few
activities, never a month: a write costs a few indexed queries whatever the size of the table.
The roll-up rows do not depend on anything else (a place's commune is read from the place).

No signal: a write that bypasses the services (a raw SQL update, a restore, a bulk load) must
be followed by ``relais refresh-stats``, which rebuilds every month (:func:`rebuild`).

**Concurrency.** On PostgreSQL, the deltas of a month are applied under a transaction-level
advisory lock of that month (months in order, no deadlock), so two writes never both insert the
same new row; updates add to the values (``x = x + d``), so concurrent writes add up. A rebuild
takes an EXCLUSIVE lock on both tables: writes wait for it (or it for them), so none is lost.
SQLite serialises writers anyway.

**Safety net.** Should a delta ever make a count negative (rows changed behind the services'
back), the layout is marked stale: every figure is then computed from the activities, exact,
until the next rebuild, and the error is logged.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from relais.activities.models import Activity

from .enums import Grain
from .models import (
    LAYOUT,
    MEASURE_FIELDS,
    ActivityMonthlyStat,
    ActivityThemeMonthlyStat,
    StatsRefresh,
)
from .stats import month_start, stored_queryset

logger = logging.getLogger(__name__)

MODELS = {False: ActivityMonthlyStat, True: ActivityThemeMonthlyStat}  # by_theme → model
# Grain → the keys of its rows (besides month, and theme in the theme table); FINE first.
GRAIN_KEYS = {
    Grain.FINE: ("place", "advisor", "kind", "commune"),
    Grain.PLACE: ("place", "kind", "commune"),
    Grain.COARSE: ("kind",),
}
ALL_KEYS = ("place", "advisor", "kind", "commune")
# Advisory lock namespace (``pg_advisory_xact_lock(int, int)``): "RS" for roll-up stats.
LOCK_NAMESPACE = 0x5253


# --- Rebuild ---------------------------------------------------------------------------------


def _insert_fine(model, month: date, by_theme: bool) -> int:
    """INSERT … SELECT of one month's FINE rows, from the activities."""
    sql, params = stored_queryset(by_theme=by_theme, month=month).query.sql_with_params()
    keys = [*GRAIN_KEYS[Grain.FINE], *(["theme"] if by_theme else [])]
    return _insert_select(model, month, Grain.FINE, keys, sql, params)


def _insert_summed(model, month: date, grain: Grain, by_theme: bool) -> int:
    """INSERT … SELECT of one month's rows at a coarser grain, summing its FINE rows."""
    keys = [*GRAIN_KEYS[grain], *(["theme"] if by_theme else [])]
    qs = (
        model.objects.filter(month=month, grain=Grain.FINE)
        .values(**{f"k_{key}": F(_column(key)) for key in keys})
        .annotate(**{f"m_{name}": Sum(name) for name in MEASURE_FIELDS})
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    return _insert_select(model, month, grain, keys, sql, params)


def _column(key: str) -> str:
    return f"{key}_id" if key in {"place", "advisor", "commune"} else key


def _insert_select(model, month, grain, keys, sql, params) -> int:
    columns = ["month", "grain", *(_column(key) for key in keys), *MEASURE_FIELDS]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - model names only
            f"SELECT %s, %s, sub.* FROM ({sql}) sub",
            [month, grain, *params],
        )
        return cursor.rowcount


def _lock_tables() -> None:
    """Writes wait while the rows are rebuilt (and the rebuild for writes under way)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def rebuild_month(month: date) -> int:
    """Recompute one month of both roll-ups, every grain; returns the rows written."""
    month = month_start(month)
    with transaction.atomic():
        _lock_tables()
        ActivityMonthlyStat.objects.filter(month=month).delete()
        ActivityThemeMonthlyStat.objects.filter(month=month).delete()
        written = 0
        for by_theme, model in MODELS.items():
            written += _insert_fine(model, month, by_theme)
            for grain in (Grain.PLACE, Grain.COARSE):  # summed from the FINE rows just written
                written += _insert_summed(model, month, grain, by_theme)
    return written


def rebuild() -> dict:
    """Rebuild every month of the roll-ups from the activities, in one transaction, and mark
    them built with this release's ``LAYOUT``. ``{"months": […], "rows": n}``.

    Needed only after rows changed behind the services' back (restore, bulk load) or a release
    that changes ``LAYOUT``: the writes keep the rows exact otherwise."""
    with transaction.atomic():
        _lock_tables()
        months = {month_start(d) for d in Activity.objects.dates("date", "month")}
        ActivityMonthlyStat.objects.all().delete()
        ActivityThemeMonthlyStat.objects.all().delete()
        written = sum(rebuild_month(month) for month in sorted(months))
        StatsRefresh.objects.update_or_create(
            pk=1, defaults={"layout": LAYOUT, "refreshed_at": timezone.now()}
        )
    return {"months": sorted(months), "rows": written}


def mismatched_months() -> list[date]:
    """Months whose roll-up rows differ from the activities (a check, for ``--check``)."""
    from .stats import StatsFilters, rows

    months = {month_start(d) for d in Activity.objects.dates("date", "month")}
    months |= set(ActivityMonthlyStat.objects.values_list("month", flat=True))
    wrong = []
    for month in sorted(months):
        filters = StatsFilters(month, month)
        for group_by in (["place", "advisor", "kind", "commune"], ["theme", "place", "advisor"]):
            live = _as_set(rows(filters, group_by, source="live"))
            if live != _as_set(rows(filters, group_by, source="rollup-checked")):
                wrong.append(month)
                break
    return wrong


def _as_set(grouped: list[dict]) -> set:
    return {tuple(sorted(row.items())) for row in grouped if row["activities"]}


# --- Deltas applied by the writes ------------------------------------------------------------


def _contributions(activity_ids) -> dict:
    """``{(by_theme, grain, key): [measures]}``: what these activities add to the roll-ups.
    ``key``: (month, place, advisor, kind, commune[, theme]), None where the grain has none."""
    result: dict = defaultdict(lambda: [0] * len(MEASURE_FIELDS))
    if not activity_ids:
        return result
    for by_theme in (False, True):
        for row in stored_queryset(by_theme=by_theme, activities=activity_ids):
            values = [row[f"m_{name}"] or 0 for name in MEASURE_FIELDS]
            theme = (row["k_theme"],) if by_theme else ()
            for grain, keys in GRAIN_KEYS.items():
                key = (
                    month_start(row["k_month"]),
                    *(row[f"k_{k}"] if k in keys else None for k in ALL_KEYS),
                    *theme,
                )
                total = result[(by_theme, grain, key)]
                for i, value in enumerate(values):
                    total[i] += value
    return result


def _lock_months(months) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time
    with connection.cursor() as cursor:
        for month in sorted(months):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, month.year * 12 + month.month],
            )


def _apply(delta: dict) -> None:
    """Add ``delta`` to the roll-up rows (creating, or removing when emptied)."""
    delta = {k: v for k, v in delta.items() if any(v)}
    if not delta:
        return
    _lock_months({key[0] for _, _, key in delta})
    for (by_theme, grain, key), values in sorted(delta.items(), key=_order):
        model = MODELS[by_theme]
        where = {"month": key[0], "grain": grain}
        where |= {_column(name): value for name, value in zip(ALL_KEYS, key[1:5], strict=True)}
        if by_theme:
            where["theme"] = key[5]
        changes = {name: value for name, value in zip(MEASURE_FIELDS, values, strict=True)}
        rows = model.objects.filter(**where)
        if not rows.update(**{n: F(n) + v for n, v in changes.items() if v}):
            model.objects.create(**where, **changes)
        elif changes["activities"] < 0:
            rows.filter(activities=0).delete()


def _order(item):
    (by_theme, grain, key), _ = item
    return (by_theme, grain, tuple((value is None, str(value)) for value in key))


class StatsChange:
    """Keeps the roll-ups exact across a write. Use inside the write's transaction::

        with transaction.atomic(), StatsChange(activities=[a.pk], beneficiaries=[b.pk]) as c:
            ...  # the write
            c.add(new_activity.pk)  # activities created by the write

    ``activities``: the activities the write changes or deletes; ``beneficiaries``: people whose
    activities it may change (link, profile, merge, deletion) — all their activities count as
    touched, before and after.
    """

    def __init__(self, *, activities=(), beneficiaries=()):
        self.activities = {pk for pk in activities if pk is not None}
        self.beneficiaries = {pk for pk in beneficiaries if pk is not None}
        self.before: dict = {}

    def add(self, *activity_ids) -> None:
        self.activities.update(pk for pk in activity_ids if pk is not None)

    def _touched(self) -> set:
        touched = set(self.activities)
        if self.beneficiaries:
            touched |= set(
                Activity.objects.filter(beneficiary_id__in=self.beneficiaries).values_list(
                    "pk", flat=True
                )
            )
        return touched

    def __enter__(self) -> StatsChange:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("StatsChange runs inside the write's transaction.")
        self.activities = self._touched()
        self.before = _contributions(self.activities)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            return  # the transaction rolls back: nothing to keep
        after = _contributions(self._touched())
        delta = {}
        for key in self.before.keys() | after.keys():
            old = self.before.get(key) or [0] * len(MEASURE_FIELDS)
            new = after.get(key) or [0] * len(MEASURE_FIELDS)
            delta[key] = [n - o for n, o in zip(new, old, strict=True)]
        try:
            with transaction.atomic():  # a savepoint: a failure here never loses the write
                _lock_rows()
                if not StatsRefresh.objects.filter(pk=1, layout=LAYOUT).exists():
                    return  # not built yet (or stale): figures are live until the rebuild
                _apply(delta)
        except DatabaseError:
            logger.exception("Statistics roll-ups out of step; figures are live until rebuilt.")
            StatsRefresh.objects.filter(pk=1).update(layout=0)


def _lock_rows() -> None:
    """Take the roll-up tables' ROW EXCLUSIVE lock before reading whether they are built, so
    that a rebuild (EXCLUSIVE) either includes this write or comes after its delta."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN ROW EXCLUSIVE MODE")
