"""PostgreSQL roles: the application's role cannot change the journal, whatever SQL it sends.

The test database belongs to the role of DATABASE_URL (it created it): the tables' owner. Each
test creates a throw-away runtime role inside its own transaction (CREATE ROLE is transactional:
the rollback at the end of the test removes it, with every grant), gives it the privileges
`relais migrate` grants, and acts as it with SET ROLE. That needs CREATEROLE for the test role,
which CI's owner role has (.ci/run); elsewhere the tests are skipped, in CI they fail.
"""

import os
import secrets
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, ProgrammingError, connection, transaction

from relais.privacy.db_roles import RoleError, journal_protection_problems, runtime_role_grant
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append, journal_verification_record, journal_verify

from ..factories import UserFactory
from .journal_helpers import journal_unprotect, raw

pytestmark = pytest.mark.django_db

INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def runtime_role(db):
    if connection.vendor != "postgresql":
        pytest.skip("Roles are PostgreSQL's; SQLite has no accounts (docs/operations.md).")
    role = f"relais_runtime_test_{secrets.token_hex(4)}"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"GRANT {role} TO CURRENT_USER")
    except DatabaseError as error:
        reason = f"The test database's role needs CREATEROLE to try a runtime role: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    runtime_role_grant(role=role)
    return role


@contextmanager
def acting_as(role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _fill(count=2):
    for n in range(count):
        journal_append(actor=None, action=JournalAction.PURGE, details={"count": n})


REFUSED = {
    "update": "UPDATE privacy_journalentry SET subject_id = 'x'",
    "delete": "DELETE FROM privacy_journalentry",
    "truncate": "TRUNCATE privacy_journalentry",
    "disable-trigger": "ALTER TABLE privacy_journalentry DISABLE TRIGGER USER",
    "drop-trigger": "DROP TRIGGER privacy_journalentry_append_only ON privacy_journalentry",
    "create-trigger": (
        "CREATE TRIGGER t BEFORE INSERT ON privacy_journalentry "
        "FOR EACH ROW EXECUTE FUNCTION privacy_journal_append_only()"
    ),
    "alter-column": "ALTER TABLE privacy_journalentry ALTER COLUMN hash TYPE text",
    "drop-table": "DROP TABLE privacy_journalentry",
    "update-verifications": "UPDATE privacy_journalverification SET ok = true",
    "delete-verifications": "DELETE FROM privacy_journalverification",
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_the_runtime_role_may_not_change_the_journal(runtime_role, sql):
    _fill()
    journal_verification_record(check=journal_verify())
    with acting_as(runtime_role), pytest.raises(ProgrammingError) as error, transaction.atomic():
        raw(sql)
    assert error.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, error.value
    assert journal_verify().ok


@pytest.mark.parametrize("sql", ["UPDATE", "DELETE", "TRUNCATE"])
def test_privileges_refuse_even_without_the_triggers(runtime_role, sql):
    """Two locks, not one: with the triggers gone (as an owner could), the role is still refused."""
    _fill()
    journal_unprotect()
    statement = {
        "UPDATE": "UPDATE privacy_journalentry SET subject_id = 'x'",
        "DELETE": "DELETE FROM privacy_journalentry",
        "TRUNCATE": "TRUNCATE privacy_journalentry",
    }[sql]
    with acting_as(runtime_role), pytest.raises(ProgrammingError) as error, transaction.atomic():
        raw(statement)
    assert error.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE
    assert journal_verify().ok


def test_the_runtime_role_appends_verifies_and_writes_the_other_tables(runtime_role):
    with acting_as(runtime_role):
        _fill(3)
        check = journal_verify()
        journal_verification_record(check=check)
        user = UserFactory()
        user.first_name = "Renommée"
        user.save()
        user.delete()
        assert journal_protection_problems() == []
    assert check.ok and check.entry_count == 3


def test_an_entry_the_runtime_role_inserts_itself_is_detected(runtime_role):
    """INSERT is all it has; without the key it cannot sign what it inserts."""
    _fill(2)
    last = journal_verify()
    with acting_as(runtime_role):
        raw(
            "INSERT INTO privacy_journalentry (sequence, timestamp, actor_role, action, "
            "subject_type, subject_id, details, previous_hash, hash, key_id) "
            "VALUES (3, now(), 'administrator', 'purge', '', '', '{}', %s, %s, %s)",
            [last.last_hash, "e" * 64, last.last_key_id],
        )
        check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 3)


def test_verify_journal_warns_when_the_application_owns_the_journal(runtime_role):
    err = StringIO()
    call_command("verify-journal", "--no-checkpoint", stdout=StringIO(), stderr=err)
    assert "propriétaire de la table du journal" in err.getvalue()
    err = StringIO()
    with acting_as(runtime_role):
        call_command("verify-journal", "--no-checkpoint", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_a_privilege_granted_by_hand_is_reported_and_revoked_by_the_grant(runtime_role):
    raw(f"GRANT UPDATE, TRUNCATE ON privacy_journalentry TO {runtime_role}")
    with acting_as(runtime_role):
        assert "UPDATE, DELETE, TRUNCATE, TRIGGER" in journal_protection_problems()[0]
    call_command("grant-runtime-role", runtime_role, stdout=StringIO())
    with acting_as(runtime_role):
        assert journal_protection_problems() == []


def test_the_grant_refuses_the_owner_and_unknown_roles(runtime_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(RoleError, match="propriétaire des tables"):
        runtime_role_grant(role=owner)
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("grant-runtime-role", "nobody_at_all_x", stdout=StringIO())
    with acting_as(runtime_role), pytest.raises(RoleError, match="en tant que propriétaire"):
        runtime_role_grant(role=runtime_role)
