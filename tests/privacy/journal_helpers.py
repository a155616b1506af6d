"""Test helpers around the journal's append-only triggers.

Transactional tests (``django_db(transaction=True)``, live servers) end with a flush of every
table, which the triggers refuse while the journal holds entries: such tests clean up with
``journal_wipe()``. Tampering tests drop the triggers with ``journal_unprotect()`` and put them
back with ``journal_protect()`` so that every other test stays protected.
"""

import importlib

from django.db import connection

_migration = importlib.import_module("relais.privacy.migrations.0001_squashed_0005")
TABLE = _migration.TABLE


def _execute(statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def journal_triggers() -> set[str]:
    """Names of the triggers currently protecting the journal."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        return {row[0] for row in cursor.fetchall()}


def journal_unprotect() -> None:
    _execute(_migration.DROP[connection.vendor])


def journal_protect() -> None:
    journal_unprotect()  # idempotent: never two copies of a trigger
    _execute(_migration.CREATE[connection.vendor])


def journal_wipe() -> None:
    """Empty the journal (tests only) and leave it protected."""
    journal_unprotect()
    _execute(["DELETE FROM privacy_journalentry"])
    journal_protect()


def raw(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
