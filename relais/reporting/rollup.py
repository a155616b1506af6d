"""The monthly roll-ups, kept exact by the writes themselves; rebuilt whole on demand.

**Kept by the writes** (docs/decisions/0007-live-statistics.md). Every service that changes
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
from django.db.models import F, Q, Sum
from django.utils import timezone

from relais.activities.models import Activity, ActivityTheme
from relais.beneficiaries.models import Beneficiary

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


# The per-activity query's SQL, compiled once per number of ids (compiling its forty
# aggregates costs more than running it): {(activities, people): (sql, params, positions)}.
_SQL: dict = {}
_SENTINEL = -(2**40)


def _per_activity_rows(activities: set, beneficiaries: set) -> list[dict]:
    """``stats.stored_queryset(per_activity=True)`` of these activities and people's."""
    if not activities and not beneficiaries:
        return []
    values = sorted(activities) + sorted(beneficiaries)
    shape = (connection.vendor, len(activities), len(beneficiaries))
    if shape not in _SQL:
        marks = [_SENTINEL - i for i in range(len(values))]
        where = Q()
        if activities:
            where |= Q(pk__in=marks[: len(activities)])
        if beneficiaries:
            where |= Q(beneficiary_id__in=marks[len(activities) :])
        qs = stored_queryset(by_theme=False, activities=where, per_activity=True)
        sql, params = qs.query.sql_with_params()
        _SQL[shape] = (sql, list(params), [list(params).index(mark) for mark in marks])
    sql, params, positions = _SQL[shape]
    params = list(params)
    for position, value in zip(positions, values, strict=True):
        params[position] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        month = row["k_month"]
        if isinstance(month, str):
            month = date.fromisoformat(month[:10])
        elif hasattr(month, "date"):
            month = month.date()
        row["k_month"] = month
    return rows


def _contributions(activities: set, beneficiaries: set) -> tuple[set, dict]:
    """The activities (ids, and every activity of these people) and what they add to the
    roll-ups: ``(ids, {(by_theme, grain, key): [measures]})``, ``key`` being (month, place,
    advisor, kind, commune[, theme]) with None where the grain has none. Two queries: the
    activities' measures one by one, then their themes (a theme row counts its activity's
    measures)."""
    result: dict = defaultdict(lambda: [0] * len(MEASURE_FIELDS))
    rows = _per_activity_rows(activities, beneficiaries)
    themes = defaultdict(list)
    if rows:
        ids = [row["k_pk"] for row in rows]
        for activity_id, theme in ActivityTheme.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "theme"
        ):
            themes[activity_id].append(theme)
    for row in rows:
        values = [row[f"m_{name}"] or 0 for name in MEASURE_FIELDS]
        for grain, keys in GRAIN_KEYS.items():
            key = (
                month_start(row["k_month"]),
                *(row[f"k_{k}"] if k in keys else None for k in ALL_KEYS),
            )
            for by_theme, full_key in [(False, key)] + [
                (True, (*key, theme)) for theme in themes[row["k_pk"]]
            ]:
                total = result[(by_theme, grain, full_key)]
                for i, value in enumerate(values):
                    total[i] += value
    return {row["k_pk"] for row in rows}, result


def _lock_months(months) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["pg_advisory_xact_lock(%s, %s)"] * len(months)),
            [
                v
                for month in sorted(months)
                for v in (LOCK_NAMESPACE, month.year * 12 + month.month)
            ],
        )


def _where(key: tuple, grain, by_theme: bool) -> dict:
    where = {"month": key[0], "grain": grain}
    where |= {_column(name): value for name, value in zip(ALL_KEYS, key[1:5], strict=True)}
    if by_theme:
        where["theme"] = key[5]
    return where


def _apply(delta: dict) -> None:
    """Add ``delta`` to the roll-up rows (creating, or removing when emptied)."""
    _lock_months({key[0] for _, _, key in delta})
    for by_theme, model in MODELS.items():
        items = sorted(
            ((grain, key, values) for (t, grain, key), values in delta.items() if t == by_theme),
            key=lambda item: (item[0], tuple((v is None, str(v)) for v in item[1])),
        )
        # One UPDATE per row, matched by plain equalities and IS NULL, so that the indexes
        # leading with place, adviser or grain serve it (a batched UPDATE … FROM VALUES needs
        # IS NOT DISTINCT FROM, which no index serves: it scanned the month's rows).
        for grain, key, values in items:
            where = _where(key, grain, by_theme)
            changes = dict(zip(MEASURE_FIELDS, values, strict=True))
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
        self.ready = False
        self.before: dict = {}

    def add(self, *activity_ids) -> None:
        self.activities.update(pk for pk in activity_ids if pk is not None)

    def _lock(self) -> None:
        """Lock the people and activities this write touches (pk order, people first, as the
        services do) before reading them: a concurrent write to the same person or activity
        waits for this one's commit, then reads what it wrote — so its "before" is this
        write's "after", and no contribution is counted twice. SQLite: one writer anyway."""
        for model, ids in ((Beneficiary, self.beneficiaries), (Activity, self.activities)):
            if ids:
                list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                     .values_list("pk"))  # fmt: skip

    def __enter__(self) -> StatsChange:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("StatsChange runs inside the write's transaction.")
        self.ready = _ready()
        if self.ready:
            self._lock()
            touched, self.before = _contributions(self.activities, self.beneficiaries)
            self.activities |= touched  # still counted after, even if no longer linked
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or not self.ready:
            return  # rolled back, or not built yet: figures are live until the rebuild
        _, after = _contributions(self.activities, self.beneficiaries)
        delta = {}
        for key in self.before.keys() | after.keys():
            old = self.before.get(key) or [0] * len(MEASURE_FIELDS)
            new = after.get(key) or [0] * len(MEASURE_FIELDS)
            if old != new:
                delta[key] = [n - o for n, o in zip(new, old, strict=True)]
        if not delta:
            return
        try:
            with transaction.atomic():  # a savepoint: a failure here never loses the write
                _apply(delta)
        except DatabaseError:
            logger.exception("Statistics roll-ups out of step; figures are live until rebuilt.")
            StatsRefresh.objects.filter(pk=1).update(layout=0)


def _ready() -> bool:
    """Whether the writes keep the rows (built with this ``LAYOUT``). When they are not, take
    the tables' ROW EXCLUSIVE lock and ask again: a rebuild under way (EXCLUSIVE) then either
    finishes first — and this write keeps the rows — or comes after this write's commit and
    counts it."""
    if StatsRefresh.objects.filter(pk=1, layout=LAYOUT).exists():
        return True
    _lock_rows()
    return StatsRefresh.objects.filter(pk=1, layout=LAYOUT).exists()


def _lock_rows() -> None:
    """Take the roll-up tables' ROW EXCLUSIVE lock before reading whether they are built, so
    that a rebuild (EXCLUSIVE) either includes this write or comes after its delta."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN ROW EXCLUSIVE MODE")
