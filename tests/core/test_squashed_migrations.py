"""The squashed migrations (docs/decisions/0011-squashed-migrations.md): a database that went
through the migrations they replace is up to date; one that stopped half-way is refused by
`relais migrate` with what to do, instead of Django's silent « No migrations to apply »."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from relais.core.checks import squashed_migrations_check

pytestmark = pytest.mark.django_db


def _squashed():
    return MigrationLoader(None, ignore_no_migrations=True).replacements


def test_every_app_with_history_has_one_squashed_migration_naming_what_it_replaces():
    squashed = _squashed()
    assert len(squashed) == 18
    for (app, name), migration in squashed.items():
        assert name.startswith("0001_squashed_")
        assert all(replaced_app == app for replaced_app, _ in migration.replaces)
        assert int(name.rsplit("_", 1)[1]) == len(migration.replaces)


def test_a_database_migrated_through_the_replaced_migrations_has_nothing_to_apply():
    """What an install upgraded from before the squash looks like: every replaced migration
    recorded (Django records them too when it applies a squashed one)."""
    applied = set(MigrationRecorder(connection).applied_migrations())
    for migration in _squashed().values():
        assert set(migration.replaces) <= applied
    assert squashed_migrations_check(None, databases=["default"]) == []
    call_command("migrate", check_unapplied=True, verbosity=0)  # exits when one is pending


def test_a_database_stopped_half_way_is_refused_with_what_to_do():
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("reporting", "0007_rollup_pages_keep_room")
    recorder.record_unapplied("reporting", "0006_theme_rows_read_from_the_index")
    errors = squashed_migrations_check(None, databases=["default"])
    assert [error.id for error in errors] == ["core.E003"]
    assert "« reporting »" in errors[0].msg
    assert "0006_theme_rows_read_from_the_index, 0007_rollup_pages_keep_room" in errors[0].msg
    assert "c56a297" in errors[0].hint
    with pytest.raises(SystemCheckError, match=r"core\.E003"):
        call_command("migrate", skip_checks=False, verbosity=0)


def test_checks_without_a_database_read_none(django_assert_num_queries):
    """`relais check` without --database (and every other command) does not touch it."""
    with django_assert_num_queries(0):
        assert squashed_migrations_check(None, databases=None) == []
