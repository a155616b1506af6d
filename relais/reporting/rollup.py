"""The monthly and daily roll-ups, kept exact by the writes themselves; rebuilt whole on demand.

**Kept by the writes** (docs/decisions/0007-live-statistics.md). Every service that changes
what the statistics count (an activity recorded, corrected or deleted; a beneficiary changed,
merged or deleted — the purge goes through that) wraps its write in :class:`StatsChange`, in
its own transaction:

1. before the write, the FINE rows the touched activities contribute, computed from the
   activity rows by the very query the rebuild uses (``stats.stored_queryset``);
2. after it, the same for the same activities (and those added meanwhile);
3. the difference is added to the roll-up rows (monthly FINE, and the PLACE and COARSE rows
   it sums to; daily PLACE and COARSE), rows emptied by it removed.

The touched activities are the written ones plus every activity of the beneficiaries involved:
whether an activity is a person's first (« nouveau bénéficiaire ») depends on their others, and
a person's commune is the commune of their activities without a place. That is a person's few
activities, never a month: a write costs a few indexed queries whatever the size of the table.
The roll-up rows do not depend on anything else (a place's commune is read from the place).

No signal: a write that bypasses the services (a raw SQL update, a restore, a bulk load) must
be followed by ``relais refresh-stats``, which rebuilds every month (:func:`rebuild`).

**Concurrency.** On PostgreSQL, a write adds its delta with one ``INSERT … ON CONFLICT DO
UPDATE SET x = x + EXCLUDED.x`` per table, rows in key order (a unique index over the keys,
NULLS NOT DISTINCT, is the arbiter): two writes never both insert the same row, the second
waits for the first's commit and adds to it, so concurrent writes add up. A rebuild takes an
EXCLUSIVE lock on the tables: writes wait for it (or it for them), so none is lost. SQLite
serialises writers anyway (there: one ``UPDATE`` per row, an ``INSERT`` when none matched).

**Safety net.** Should a delta ever make a count negative (rows changed behind the services'
back), the layout is marked stale: every figure is then computed from the activities, exact,
until the next rebuild, and the error is logged.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, Subquery, Sum
from django.utils import timezone

from relais.activities.models import Activity, ActivityTheme
from relais.beneficiaries.models import Beneficiary
from relais.core.db import prepared_cursor

from .enums import Grain
from .models import (
    LAYOUT,
    MEASURE_FIELDS,
    ActivityDailyStat,
    ActivityMonthlyStat,
    ActivityThemeDailyStat,
    ActivityThemeMonthlyStat,
    StatsRefresh,
)
from .stats import month_start, stored_queryset

logger = logging.getLogger(__name__)

# (period, by_theme) → model; the period column is ``month`` or ``day``.
MODELS = {
    ("month", False): ActivityMonthlyStat,
    ("month", True): ActivityThemeMonthlyStat,
    ("day", False): ActivityDailyStat,
    ("day", True): ActivityThemeDailyStat,
}
# Grain → the keys of its rows (besides the period, and theme in the theme tables); FINE first.
GRAIN_KEYS = {
    Grain.FINE: ("place", "advisor", "kind", "commune"),
    Grain.PLACE: ("place", "kind", "commune"),
    Grain.COARSE: ("kind",),
}
# The grains each period keeps: the daily rows have no adviser (see ``models``).
PERIOD_GRAINS = {
    "month": (Grain.FINE, Grain.PLACE, Grain.COARSE),
    "day": (Grain.PLACE, Grain.COARSE),
}
ALL_KEYS = ("place", "advisor", "kind", "commune")


# --- Rebuild ---------------------------------------------------------------------------------


def _insert_fine(model, month: date, by_theme: bool) -> int:
    """INSERT … SELECT of one month's FINE rows, from the activities."""
    sql, params = stored_queryset(by_theme=by_theme, month=month).query.sql_with_params()
    keys = [*GRAIN_KEYS[Grain.FINE], *(["theme"] if by_theme else [])]
    return _insert_select(model, {"month": month, "grain": Grain.FINE}, keys, sql, params)


def _insert_daily(model, month: date, by_theme: bool) -> int:
    """INSERT … SELECT of one month's daily PLACE rows, from the activities."""
    qs = stored_queryset(by_theme=by_theme, month=month, daily=True)
    sql, params = qs.query.sql_with_params()
    keys = ["day", *GRAIN_KEYS[Grain.PLACE], *(["theme"] if by_theme else [])]
    return _insert_select(model, {"grain": Grain.PLACE}, keys, sql, params)


def _insert_summed(model, month: date, grain: Grain, by_theme: bool, period: str) -> int:
    """INSERT … SELECT of one month's rows at a coarser grain, summing its finer rows (FINE for
    the monthly rows, PLACE for the daily ones)."""
    keys = [*GRAIN_KEYS[grain], *(["theme"] if by_theme else [])]
    source = PERIOD_GRAINS[period][0]
    if period == "day":
        where = {"day__gte": month, "day__lt": month + relativedelta(months=1)}
        keys = ["day", *keys]
        constants = {"grain": grain}
    else:
        where = {"month": month}
        constants = {"month": month, "grain": grain}
    qs = (
        model.objects.filter(**where, grain=source)
        .values(**{f"k_{key}": F(_column(key)) for key in keys})
        .annotate(**{f"m_{name}": Sum(name) for name in MEASURE_FIELDS})
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    return _insert_select(model, constants, keys, sql, params)


def _column(key: str) -> str:
    return f"{key}_id" if key in {"place", "advisor", "commune"} else key


def _insert_select(model, constants: dict, keys, sql, params) -> int:
    columns = [*constants, *(_column(key) for key in keys), *MEASURE_FIELDS]
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(constants))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - model names only
            f"SELECT {marks}, sub.* FROM ({sql}) sub",
            [*constants.values(), *params],
        )
        return cursor.rowcount


def _lock_tables() -> None:
    """Writes wait while the rows are rebuilt (and the rebuild for writes under way)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def rebuild_month(month: date) -> int:
    """Recompute one month of the roll-ups, monthly and daily, every grain; returns the rows
    written. Idempotent: the month's rows are deleted first."""
    month = month_start(month)
    after = month + relativedelta(months=1)
    with transaction.atomic():
        _lock_tables()
        written = 0
        for (period, by_theme), model in MODELS.items():
            if period == "day":
                model.objects.filter(day__gte=month, day__lt=after).delete()
                written += _insert_daily(model, month, by_theme)
            else:
                model.objects.filter(month=month).delete()
                written += _insert_fine(model, month, by_theme)
            for grain in PERIOD_GRAINS[period][1:]:  # summed from the rows just written
                written += _insert_summed(model, month, grain, by_theme, period)
    return written


def rebuild() -> dict:
    """Rebuild every month of the roll-ups from the activities, in one transaction, and mark
    them built with this release's ``LAYOUT``. ``{"months": […], "rows": n}``. Idempotent.

    Needed only after rows changed behind the services' back (restore, bulk load) or a release
    that changes ``LAYOUT``: the writes keep the rows exact otherwise."""
    with transaction.atomic():
        _lock_tables()
        months = {month_start(d) for d in Activity.objects.dates("date", "month")}
        for model in MODELS.values():
            model.objects.all().delete()
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
    months |= {month_start(d) for d in ActivityDailyStat.objects.dates("day", "month")}
    wrong = []
    for month in sorted(months):
        filters = StatsFilters(month, month)
        for group_by in (["place", "advisor", "kind", "commune"], ["theme", "place", "advisor"]):
            live = _as_set(rows(filters, group_by, source="live"))
            if live != _as_set(rows(filters, group_by, source="rollup-checked")):
                wrong.append(month)
                break
        else:
            if not _days_match(month):
                wrong.append(month)
    return wrong


def _days_match(month: date) -> bool:
    """Whether a month's daily rows, every grain, are what the activities give."""
    after = month + relativedelta(months=1)
    for by_theme in (False, True):
        model = MODELS[("day", by_theme)]
        keys = ["day", *GRAIN_KEYS[Grain.PLACE], *(["theme"] if by_theme else [])]
        expected: dict = defaultdict(lambda: [0] * len(MEASURE_FIELDS))
        for row in stored_queryset(by_theme=by_theme, month=month, daily=True):
            values = [row[f"m_{name}"] or 0 for name in MEASURE_FIELDS]
            key = tuple(row[f"k_{k}"] for k in keys)
            coarse = (key[0], None, key[2], None, *key[4:])
            for grain, full in ((Grain.PLACE, key), (Grain.COARSE, coarse)):
                total = expected[(grain, *full)]
                for i, value in enumerate(values):
                    total[i] += value
        stored = {
            (row[0], *row[1 : 1 + len(keys)]): list(row[1 + len(keys) :])
            for row in model.objects.filter(day__gte=month, day__lt=after).values_list(
                "grain", *(_column(k) for k in keys), *MEASURE_FIELDS
            )
        }
        if {k: v for k, v in expected.items() if v[0]} != stored:
            return False
    return True


def _as_set(grouped: list[dict]) -> set:
    return {tuple(sorted(row.items())) for row in grouped if row["activities"]}


# --- Deltas applied by the writes ------------------------------------------------------------


# The per-activity query's SQL, compiled once per number of ids (compiling its forty
# aggregates costs more than running it): {(activities, people): (sql, params, positions)}.
_SQL: dict = {}
_SENTINEL = -(2**40)


def _padded(ids: set) -> list:
    ordered = sorted(ids)
    if not ordered:
        return ordered
    size = 1 << (len(ordered) - 1).bit_length()
    return ordered + [ordered[-1]] * (size - len(ordered))


def _read_sql(activities: set, beneficiaries: set, *, first: bool = False) -> tuple[str, list]:
    """The SQL and parameters of ``stats.stored_queryset(per_activity=True)`` of these
    activities and people's, each row with its activity's themes and the roll-ups' layout.
    ``first``: of the people's other activities, only the earliest (date, then id) — all a
    record needs (``_record_sql``), whatever the length of the person's history."""
    # Lists padded to a power of two (repeating an id changes nothing in an IN): a handful of
    # shapes, each compiled once, whatever the number of a person's activities.
    activities, beneficiaries = _padded(activities), _padded(beneficiaries)
    values = activities + beneficiaries
    shape = (connection.vendor, len(activities), len(beneficiaries), first)
    if shape not in _SQL:
        marks = [_SENTINEL - i for i in range(len(values))]
        added, people = marks[: len(activities)], marks[len(activities) :]
        where = Q()
        if activities:
            where |= Q(pk__in=added)
        if beneficiaries and first:
            earliest = (
                Activity.objects.filter(beneficiary_id__in=people).exclude(pk__in=added)
                .order_by("date", "pk").values("pk")[:1]
            )  # fmt: skip
            where |= Q(pk=Subquery(earliest))  # ``=`` a scalar: an index probe, not a scan
        elif beneficiaries:
            where |= Q(beneficiary_id__in=people)
        qs = stored_queryset(by_theme=False, activities=where, per_activity=True)
        sql, params = qs.query.sql_with_params()
        # Each activity's themes in the same round trip (a theme row counts its activity).
        themes = connection.ops.quote_name(ActivityTheme._meta.db_table)
        concat = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        # And the layout the roll-ups were built with: a record by an anonymous person locks
        # nobody, so its readiness check rides on this read (one round trip fewer).
        refresh = connection.ops.quote_name(StatsRefresh._meta.db_table)
        sql = (
            f"SELECT sub.*, (SELECT {concat}(theme, ',') FROM {themes} "  # noqa: S608
            f"WHERE activity_id = sub.k_pk) AS k_themes, "
            f"(SELECT layout FROM {refresh} WHERE id = 1) AS k_layout FROM ({sql}) sub"
        )
        positions = [i for i, param in enumerate(params) if param in marks]
        _SQL[shape] = (sql, list(params), positions, [marks.index(params[i]) for i in positions])
    sql, params, positions, sources = _SQL[shape]
    params = list(params)
    for position, source in zip(positions, sources, strict=True):
        params[position] = values[source]
    return sql, params


def _per_activity_rows(activities: set, beneficiaries: set) -> list[dict]:
    """``stats.stored_queryset(per_activity=True)`` of these activities and people's."""
    if not activities and not beneficiaries:
        return []
    sql, params = _read_sql(activities, beneficiaries)
    with prepared_cursor() as cursor:  # planned once per connection: half the read's cost
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for name in ("k_month", "k_day"):
            value = row[name]
            if isinstance(value, str):
                value = date.fromisoformat(value[:10])
            elif isinstance(value, datetime):
                value = value.date()
            row[name] = value
    return rows


def _contributions(activities: set, beneficiaries: set) -> tuple[set, dict]:
    """The activities (ids, and every activity of these people) and what they add to the
    roll-ups: ``(ids, {(period, by_theme, grain, key): [measures]})``, ``key`` being (month or
    day, place, advisor, kind, commune[, theme]) with None where the grain has none. One
    query: the activities' measures and themes, one row per activity (a theme row counts its
    activity's measures)."""
    rows = _per_activity_rows(activities, beneficiaries)
    return {row["k_pk"] for row in rows}, _fold(rows)


def _fold(rows: list[dict]) -> dict:
    """What per-activity rows (``_per_activity_rows``) add to the roll-ups."""
    result: dict = defaultdict(lambda: [0] * len(MEASURE_FIELDS))
    themes = {row["k_pk"]: (row["k_themes"] or "").split(",") if row["k_themes"] else []
              for row in rows}  # fmt: skip
    for row in rows:
        values = [row[f"m_{name}"] or 0 for name in MEASURE_FIELDS]
        periods = {"month": month_start(row["k_month"]), "day": row["k_day"]}
        for period, grains in PERIOD_GRAINS.items():
            for grain in grains:
                keys = GRAIN_KEYS[grain]
                key = (periods[period], *(row[f"k_{k}"] if k in keys else None for k in ALL_KEYS))
                for by_theme, full_key in [(False, key)] + [
                    (True, (*key, theme)) for theme in themes[row["k_pk"]]
                ]:
                    total = result[(period, by_theme, grain, full_key)]
                    for i, value in enumerate(values):
                        total[i] += value
    return result


def _before_adding(rows: list[dict], added: set) -> list[dict]:
    """One person's per-activity rows as they were before ``added`` were recorded, derived
    from the rows read after: the others, unchanged but for « nouveau bénéficiaire », which
    the earliest of them (date, then id — as ``stats._live_measures``'s ``earlier``) had.
    Recording adds rows and changes no other: that flag is the only thing it can move."""
    others = sorted(
        (r for r in rows if r["k_pk"] not in added), key=lambda r: (r["k_day"], r["k_pk"])
    )
    return [{**row, "m_new_beneficiaries": int(n == 0)} for n, row in enumerate(others)]


def _key_columns(period: str, by_theme: bool) -> list[str]:
    """The columns of a row's key, in the order of the keys of ``_contributions`` (also the
    unique index of its first migration, whatever its order)."""
    return [period, "grain", *(_column(key) for key in ALL_KEYS), *(["theme"] if by_theme else [])]


def _sort_key(item):
    """The order in which a write adds to roll-up rows (``_record_sql``'s ``ORDER BY`` too):
    grain, then each key, nulls last — two writes lock the rows they share in the same order."""
    grain, key, _ = item
    return (grain, tuple((value is None, 0 if value is None else value) for value in key))


def _apply(delta: dict) -> None:
    """Add ``delta`` to the roll-up rows (creating, or removing when emptied)."""
    tables = []
    for (period, by_theme), model in MODELS.items():
        items = sorted(
            (
                (grain, key, values)
                for (p, t, grain, key), values in delta.items()
                if (p, t) == (period, by_theme)
            ),
            key=_sort_key,
        )
        if items:
            tables.append((model, period, by_theme, items))
    if connection.vendor == "postgresql":
        _upsert(tables)
    else:
        for table in tables:
            _update_rows(*table)


class OutOfStep(DatabaseError):
    """A delta left a roll-up value below zero: rows were changed behind the services' back."""


# The upserts' SQL, built once: {("json", tables written) or ("record", read shape): sql}.
_UPSERT_SQL: dict = {}


def _table_upsert(n: int, model, period: str, by_theme: bool, select: str) -> str:
    """``t<n> AS (INSERT INTO <table> <select> ON CONFLICT … DO UPDATE … RETURNING …)``: the
    rows of ``select`` (its columns: the keys then the measures) added to the table's."""
    table = connection.ops.quote_name(model._meta.db_table)
    keys = _key_columns(period, by_theme)
    updates = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in MEASURE_FIELDS)
    return (
        f"t{n} AS (INSERT INTO {table} ({', '.join([*keys, *MEASURE_FIELDS])}) {select} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates} "
        f"RETURNING {n} AS t, id, activities, LEAST({', '.join(MEASURE_FIELDS)}) AS low)"
    )


def _emptied_or_below(count: int) -> str:
    """The final ``SELECT`` of the upserts ``t0…t<count-1>``: the rows they emptied (to delete)
    or left below zero (``OutOfStep``)."""
    return " UNION ALL ".join(
        f"SELECT t, id, low FROM t{n} WHERE activities = 0 OR low < 0"  # noqa: S608 - no input
        for n in range(count)
    )


def _upsert_sql(tables) -> str:
    """The ``WITH`` of one upsert per table; each reads its rows from one JSON parameter (a
    fixed text with four parameters: psycopg does not split and quote ~600 placeholders, the
    cost of a write's upsert when its rows were ``VALUES``)."""
    shape = ("json", *((period, by_theme) for _, period, by_theme, _ in tables))
    if shape in _UPSERT_SQL:
        return _UPSERT_SQL[shape]
    parts = []
    for n, (model, period, by_theme, _) in enumerate(tables):
        keys = _key_columns(period, by_theme)
        fields = {field.column: field for field in model._meta.concrete_fields}
        types = ", ".join(
            f"{column} {fields[column].db_type(connection)}" for column in [*keys, *MEASURE_FIELDS]
        )
        # A row's JSON leaves out its null keys and zero measures (most of an activity's).
        values = [*keys, *(f"COALESCE({name}, 0)" for name in MEASURE_FIELDS)]
        select = (
            f"SELECT {', '.join(values)} FROM jsonb_to_recordset(%s::jsonb) AS r({types}) "  # noqa: S608 - names only
            f"WHERE true"  # the grammar's own cure for INSERT … SELECT … FROM f() ON CONFLICT
        )
        parts.append(_table_upsert(n, model, period, by_theme, select))
    _UPSERT_SQL[shape] = f"WITH {', '.join(parts)} {_emptied_or_below(len(tables))}"
    return _UPSERT_SQL[shape]


def _upsert(tables) -> None:
    """PostgreSQL: one statement for every table, an ``INSERT … ON CONFLICT DO UPDATE SET
    x = x + EXCLUDED.x`` per table in a ``WITH`` (the unique index of its first migration is the
    arbiter, NULLS NOT DISTINCT), rows in key order so that two writes lock shared rows in the
    same order; then the rows it emptied removed. Concurrent writes add up: a conflicting
    insert waits for the other's commit and updates the row it committed. No
    read-modify-write, no advisory lock, one round trip."""
    params = []
    for _, period, by_theme, items in tables:
        keys = _key_columns(period, by_theme)
        rows = []
        for grain, key, values in items:  # in key order: the jsonb array keeps it
            row = {name: value for name, value in zip(keys[2:], key[1:], strict=True)
                   if value is not None}  # fmt: skip
            row |= {name: value for name, value in zip(MEASURE_FIELDS, values, strict=True)
                    if value}  # fmt: skip
            rows.append({keys[0]: key[0].isoformat(), "grain": int(grain), **row})
        params.append(json.dumps(rows, separators=(",", ":")))
    with prepared_cursor() as cursor:  # planned once per connection: half the upsert's cost
        cursor.execute(_upsert_sql(tables), params)
        _remove_emptied(cursor, [model for model, *_ in tables], cursor.fetchall())


def _remove_emptied(cursor, models, rows) -> None:
    """After an upsert, its rows (``_emptied_or_below``): delete the roll-up rows it emptied;
    raise ``OutOfStep`` when it left one below zero."""
    emptied = defaultdict(list)
    for n, pk, low in rows:
        if low < 0:
            raise OutOfStep(f"{models[n]._meta.db_table} row {pk} below zero")
        emptied[n].append(pk)
    for n, ids in emptied.items():
        table = connection.ops.quote_name(models[n]._meta.db_table)
        cursor.execute(
            f"DELETE FROM {table} WHERE id = ANY(%s) AND activities = 0",  # noqa: S608
            [ids],
        )


def _record_sql(activities: set, beneficiaries: set) -> tuple[str, list]:
    """PostgreSQL, a record (``StatsChange(records=True)``): one statement reads the new
    activities and the person's earliest other (``_read_sql(first=True)``: the only one whose
    figures a record can change), derives what they change — as ``_before_adding`` and
    ``_fold`` do in Python: the new activities' rows, plus the « nouveau bénéficiaire » moved
    from the person's former first activity when a new one comes before it — sums it per
    roll-up row and adds it (``_table_upsert``, every table, rows in ``_sort_key``'s order), if
    the roll-ups are built with this ``LAYOUT``. Returns ``_emptied_or_below``'s rows, and
    ``(-1, None, None)`` when they are not built (nothing written).

    What the Python path does in two round trips and a fold, in one: a record is the write
    made all day long (docs/performance.md, « Statistics »)."""
    read, params = _read_sql(activities, beneficiaries, first=True)
    shape = ("record", len(_padded(activities)), len(_padded(beneficiaries)))
    if shape not in _UPSERT_SQL:
        measures = [f"m_{name}" for name in MEASURE_FIELDS]
        zero_but_flag = [
            "(m_new_beneficiaries - was)::int" if name == "m_new_beneficiaries" else "0"
            for name in measures
        ]
        # One row per (period, grain) the roll-ups keep, with the keys that grain has.
        grains = ", ".join(
            f"({str(period == 'day').lower()}, {int(grain)}, "
            + ", ".join(str(key in GRAIN_KEYS[grain]).lower() for key in ALL_KEYS)
            + ")"
            for period, period_grains in PERIOD_GRAINS.items()
            for grain in period_grains
        )
        keyed = ", ".join(
            f"CASE WHEN g.{key} THEN d.k_{key} END AS {_column(key)}" for key in ALL_KEYS
        )
        refresh = connection.ops.quote_name(StatsRefresh._meta.db_table)
        parts = [
            f"rows AS MATERIALIZED ({read})",
            "added AS (SELECT unnest(%s::bigint[]) AS pk)",
            "first AS (SELECT k_pk FROM rows WHERE k_pk NOT IN (SELECT pk FROM added) "
            "ORDER BY k_day, k_pk LIMIT 1)",
            # The new activities whole; the others only where their flag moved.
            f"delta AS (SELECT k_month, k_day, {', '.join(f'k_{k}' for k in ALL_KEYS)}, "  # noqa: S608 - names only
            # int, not the aggregates' bigint: summed in bigint below, not in numeric.
            f"k_themes, {', '.join(f'COALESCE({m}, 0)::int AS {m}' for m in measures)} "
            f"FROM rows WHERE k_pk IN (SELECT pk FROM added) "
            f"UNION ALL SELECT k_month, k_day, {', '.join(f'k_{k}' for k in ALL_KEYS)}, "
            f"k_themes, {', '.join(zero_but_flag)} FROM (SELECT rows.*, "
            f"(k_pk IN (SELECT k_pk FROM first))::int AS was FROM rows "
            f"WHERE k_pk NOT IN (SELECT pk FROM added)) o WHERE m_new_beneficiaries <> was)",
            f"expanded AS (SELECT g.daily, g.grain, "  # noqa: S608 - names only
            f"CASE WHEN g.daily THEN d.k_day ELSE d.k_month::date END AS period, {keyed}, "
            f"th.theme, {', '.join(f'd.{m}' for m in measures)} FROM delta d "
            f"CROSS JOIN (VALUES {grains}) AS g(daily, grain, {', '.join(ALL_KEYS)}) "
            f"CROSS JOIN LATERAL (SELECT NULL::text AS theme UNION ALL "
            f"SELECT unnest(string_to_array(d.k_themes, ','))) th)",
            f"summed AS (SELECT daily, grain, period, "  # noqa: S608 - names only
            f"{', '.join(_column(k) for k in ALL_KEYS)}, theme, "
            f"{', '.join(f'SUM({m}) AS {m}' for m in measures)} FROM expanded "
            f"GROUP BY daily, grain, period, {', '.join(_column(k) for k in ALL_KEYS)}, theme "
            f"HAVING ({', '.join(f'SUM({m})' for m in measures)}) "
            f"<> ({', '.join('0' for _ in measures)}))",
            f"ready AS (SELECT COALESCE((SELECT layout = {int(LAYOUT)} FROM {refresh} "  # noqa: S608 - names only
            f"WHERE id = 1), false) AS ok)",
        ]
        for n, ((period, by_theme), model) in enumerate(MODELS.items()):
            # ``_sort_key``'s order: grain, then the key, nulls last.
            collate = {"kind": ' COLLATE "C"'}  # Python's order of str: code points
            order = ", ".join(
                ["grain", "period"]
                + [f"{_column(k)}{collate.get(k, '')} NULLS LAST" for k in ALL_KEYS]
                + (['theme COLLATE "C" NULLS LAST'] if by_theme else [])
            )
            columns = ["period", "grain", *(_column(k) for k in ALL_KEYS)]
            select = (
                f"SELECT {', '.join([*columns, *(['theme'] if by_theme else []), *measures])} "  # noqa: S608 - names only
                f"FROM summed WHERE daily = {str(period == 'day').lower()} AND theme IS "
                f"{'NOT ' if by_theme else ''}NULL AND (SELECT ok FROM ready) ORDER BY {order}"
            )
            parts.append(_table_upsert(n, model, period, by_theme, select))
        _UPSERT_SQL[shape] = (
            f"WITH {', '.join(parts)} {_emptied_or_below(len(MODELS))} "  # noqa: S608 - names only
            f"UNION ALL SELECT -1, NULL, NULL FROM ready WHERE NOT ok"
        )
    return _UPSERT_SQL[shape], [*params, sorted(activities)]


def _record_in_database(activities: set, beneficiaries: set) -> bool:
    """Apply a record's delta in the database (``_record_sql``); False when the roll-ups were
    not built with this ``LAYOUT`` (nothing written)."""
    if not activities:
        return True  # nothing recorded, nothing to add (and no read of every activity)
    sql, params = _record_sql(activities, beneficiaries)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if (-1, None, None) in rows:
            return False
        _remove_emptied(cursor, list(MODELS.values()), rows)
    return True


def _update_rows(model, period: str, by_theme: bool, items) -> None:
    """SQLite (one writer at a time, no NULLS NOT DISTINCT index): one ``UPDATE … SET x = x + d``
    per row, an INSERT when none matched."""
    for grain, key, values in items:
        where = {period: key[0], "grain": grain}
        where |= {_column(name): value for name, value in zip(ALL_KEYS, key[1:5], strict=True)}
        if by_theme:
            where["theme"] = key[5]
        changes = dict(zip(MEASURE_FIELDS, values, strict=True))
        rows = model.objects.filter(**where)
        if not rows.update(**{n: F(n) + v for n, v in changes.items() if v}):
            model.objects.create(**where, **changes)
        if min(values) < 0:
            below = Q()
            for name in MEASURE_FIELDS:
                below |= Q(**{f"{name}__lt": 0})
            if rows.filter(below).exists():
                raise OutOfStep(f"{model._meta.db_table} {where} below zero")
            rows.filter(activities=0).delete()


class StatsChange:
    """Keeps the roll-ups exact across a write. Use inside the write's transaction::

        with transaction.atomic(), StatsChange(activities=[a.pk], beneficiaries=[b.pk]) as c:
            ...  # the write
            c.add(new_activity.pk)  # activities created by the write

    ``activities``: the activities the write changes or deletes; ``beneficiaries``: people whose
    activities it may change (link, profile, merge, deletion) — all their activities count as
    touched, before and after.

    ``records=True``: the write only adds activities (``add``) of at most one person and
    changes nothing else the statistics read — ``activity_record``. The rows before are then
    derived from the rows read after (``_before_adding``): no read before the write. And the
    write itself locks the person's row before it ends (``activity_record`` updates their last
    activity): ``StatsChange`` takes no lock of its own, and learns whether the roll-ups are
    built from its one read: two statements (the read, the upsert) instead of five — on
    PostgreSQL one, the database deriving and adding the delta itself (``_record_sql``)."""

    def __init__(self, *, activities=(), beneficiaries=(), records: bool = False):
        self.activities = {pk for pk in activities if pk is not None}
        self.beneficiaries = {pk for pk in beneficiaries if pk is not None}
        if records and (self.activities or len(self.beneficiaries) > 1):
            raise ValueError("records=True: new activities of one person only")
        self.records = records
        self.ready: bool | None = False
        self.before: dict = {}

    def add(self, *activity_ids) -> None:
        self.activities.update(pk for pk in activity_ids if pk is not None)

    def _lock(self) -> bool | None:
        """Lock the people and activities this write touches (pk order, people first, as the
        services do) before reading them: a concurrent write to the same person or activity
        waits for this one's commit, then reads what it wrote — so its "before" is this
        write's "after", and no contribution is counted twice. SQLite: one writer anyway.

        Whether the roll-ups are built (``_ready``'s first question) is read by the same
        statement, a round trip fewer; None when there was nothing to lock."""
        layout = Subquery(StatsRefresh.objects.filter(pk=1).values("layout")[:1])
        ready = None
        for model, ids in ((Beneficiary, self.beneficiaries), (Activity, self.activities)):
            if ids:
                rows = list(
                    model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                    .annotate(layout=layout).values_list("layout", flat=True)
                )  # fmt: skip
                if rows and ready is None:
                    ready = rows[0] == LAYOUT
        return ready

    def __enter__(self) -> StatsChange:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("StatsChange runs inside the write's transaction.")
        self.ready = None if self.records else self._lock()  # records: the write locks
        if self.ready is False or (self.ready is None and not self.records):
            self.ready = _ready()  # not built, or not asked yet: the full question
        if self.ready and not self.records:
            touched, self.before = _contributions(self.activities, self.beneficiaries)
            self.activities |= touched  # still counted after, even if no longer linked
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or self.ready is False:
            return  # rolled back, or not built yet: figures are live until the rebuild
        if self.ready is None and connection.vendor == "postgresql":
            # A record: read, derived and added by the database in one statement.
            if self._guarded(_record_in_database, self.activities, self.beneficiaries):
                return
            if not _ready():
                return
            self.ready = True  # built meanwhile: the path below, in Python
        rows = _per_activity_rows(self.activities, self.beneficiaries)
        if self.ready is None:  # a record: the layout came with the rows
            self.ready = bool(rows) and rows[0]["k_layout"] == LAYOUT
            if not self.ready and not _ready():
                return
        if self.records:
            # Only the new rows and the row whose « nouveau bénéficiaire » moved differ.
            flags = {row["k_pk"]: row["m_new_beneficiaries"] for row in rows}
            moved = [row for row in _before_adding(rows, self.activities)
                     if row["m_new_beneficiaries"] != flags[row["k_pk"]]]  # fmt: skip
            changed = self.activities | {row["k_pk"] for row in moved}
            after = _fold([row for row in rows if row["k_pk"] in changed])
            self.before = _fold(moved)
        else:
            after = _fold(rows)
        delta = {}
        for key in self.before.keys() | after.keys():
            old = self.before.get(key) or [0] * len(MEASURE_FIELDS)
            new = after.get(key) or [0] * len(MEASURE_FIELDS)
            if old != new:
                delta[key] = [n - o for n, o in zip(new, old, strict=True)]
        if not delta:
            return
        self._guarded(_apply, delta)

    @staticmethod
    def _guarded(apply, *args):
        """``apply(*args)``; a delta found below zero marks the roll-ups stale (logged).

        PostgreSQL: no savepoint (two round trips of a write's seven): the upsert has no
        constraint left to break, and a delta found below zero (``OutOfStep``, read from what
        it returned) marks the rows stale — read by nothing and rewritten whole by the next
        rebuild — so what it wrote needs no undoing. Any other database error fails the
        write, whole. SQLite: a savepoint (local, cheap) around its row-by-row updates."""
        try:
            if connection.vendor == "postgresql":
                return apply(*args)  # no atomic(): its exit would doom the write's transaction
            with transaction.atomic():
                return apply(*args)
        except OutOfStep:
            logger.exception("Statistics roll-ups out of step; figures are live until rebuilt.")
            StatsRefresh.objects.filter(pk=1).update(layout=0)
            return True  # stale now: nothing more to write


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
