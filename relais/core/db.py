"""Prepared statements for the few statements a frequent write sends on every call.

Django's PostgreSQL cursors bind parameters on the client (``server_side_binding`` off, the
default that suits the ORM's queries) and prepare nothing (``prepare_threshold`` None): every
statement is parsed and planned again. For most queries that is a fraction of their cost; for
the statistics' roll-ups kept by each recorded activity (``reporting.rollup``: one read of the
person's activities with forty aggregates, one upsert of four tables) planning cost more than
running them — 1.2 of the upsert's 2 ms, measured at 1 M activities (docs/performance.md).

:func:`prepared_cursor` gives a psycopg cursor with server-side binding that asks psycopg to
prepare every statement it runs (``execute(…, prepare=True)``). psycopg keeps the prepared
statements of each connection (named, at most ``prepared_max`` of them, the least used
deallocated) and prepares in the same round trip as the first execution. The connection is
opened with ``plan_cache_mode=force_generic_plan`` (config/settings/base.py), so PostgreSQL
plans each of them once, not for the values of its first five executions; only prepared
statements read that setting.
The cursor is wrapped as Django wraps its own, so that execute wrappers, ``connection.queries``
and the tests' ``CaptureQueriesContext`` see its statements.

Connections are kept between requests (``CONN_MAX_AGE``), which is what makes the preparation
pay. Protocol-level prepared statements work through PgBouncer ≥ 1.21 in transaction mode
(``max_prepared_statements``); an older pooler in that mode would need
``DATABASE_PREPARED_STATEMENTS=false`` (the statements are then sent as Django sends its own).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from itertools import count

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import BooleanField, F, Func, Subquery


class _PreparingCursor(psycopg.RawCursor):
    """psycopg's server-side binding cursor, every ``execute`` prepared.

    A raw cursor (PostgreSQL's own ``$1`` placeholders), given the ``%s`` statement converted
    once (:func:`_native`): psycopg's other cursors convert a statement's placeholders at every
    call and cache the conversion of statements up to 4 KB and 50 values only — the roll-ups'
    record (28 KB, 45 values) was parsed again at every activity recorded: 2.19 → 1.53 ms for
    that statement in the client, median of 200 records at 10 M activities (ADR 0007)."""

    def execute(self, query, params=None, **kwargs):
        kwargs.setdefault("prepare", True)
        return super().execute(_native(query), params, **kwargs)


_PLACEHOLDER = re.compile(r"%([%s])")


@lru_cache(maxsize=256)
def _native(query: str) -> str:
    """``query`` with its ``%s`` as ``$1``, ``$2``… and its ``%%`` as ``%`` (a few statements,
    each converted once: the cache is keyed by the statement's text)."""
    numbers = count(1)
    return _PLACEHOLDER.sub(
        lambda match: "%" if match.group(1) == "%" else f"${next(numbers)}", query
    )


class _DebugWrapper(CursorDebugWrapper):
    """Logs the statement with its values, as Django logs those of its server-side binding
    cursors (psycopg does not keep the text of a statement it ran prepared)."""

    def execute(self, sql, params=None):
        with self.debug_sql(connection.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def prepared_cursor():
    """A cursor on the default connection whose statements are prepared (PostgreSQL), else
    Django's own cursor. Placeholders are ``%s``, bound by the server: a value's type is
    its Python type's (Django's ``Int4``-style wrappers, ``str`` left for the server to infer)."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = _PreparingCursor(connection.connection)
    # As ``connection.cursor()`` wraps its cursors (debug logging when queries are logged).
    if connection.queries_logged:
        cursor = _DebugWrapper(raw, connection)
    else:
        cursor = connection.make_cursor(raw)
    with cursor:
        yield cursor


class InSubquery(Func):
    """``column IN (subquery)``, written ``column = ANY(ARRAY(subquery))`` on PostgreSQL.

    For ``IN (subquery)`` PostgreSQL plans a semi-join, which an ``OR`` with another condition
    turns into reading every row of the rest of the filter and testing each; ``ANY(ARRAY(…))``
    runs the subquery first, once, and gives its values to the column's index like a list of
    ids. Measured on the statistics' roll-ups filtered by commune (the places of the commune,
    or no place and the person's commune): 12.4 → 1.0 ms at 1 M activities.
    """

    arg_joiner = " IN "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, column: str, queryset):
        super().__init__(F(column), Subquery(queryset))

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)",
            **extra_context,
        )  # fmt: skip


class InList(Func):
    """``column IN (v1, v2, …)``, written ``column = ANY(%s)`` on PostgreSQL: the list is one
    array value instead of one placeholder per item.

    Django's ``__in`` sends a value per item, and psycopg parses a statement of more than 50
    values at every call, uncached: the statistics' labels of 300 places and 300 communes
    took 4.1 ms at 10 M activities, 2.2 ms as two arrays (docs/performance.md). An empty list
    matches nothing."""

    output_field = BooleanField()

    def __init__(self, column: str, values):
        super().__init__(F(column))
        self.values = sorted(set(values))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.values:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(self.values))
        return f"{column} IN ({marks})", [*params, *self.values]

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", [*params, self.values]
