"""The database itself refuses UPDATE, DELETE (and TRUNCATE) on the journal.

The application never changes an entry (JournalEntry.save/delete refuse too), but a trigger also
stops raw SQL, a bulk ``update()``, a bug or the admin. Removing the protection takes a
migration or a DBA's DROP TRIGGER, and ``relais verify-journal`` still detects what was changed.
The SQL lives here only; tests and repair scripts import it from this module.
"""

from django.db import migrations

TABLE = "privacy_journalentry"
MESSAGE = "Le journal est en ajout seul : modification et suppression refusées."

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION privacy_journal_append_only() RETURNS trigger AS $$
    BEGIN
        -- TRUNCATE of an empty journal is allowed: the test runner empties every table.
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION privacy_journal_append_only();
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_journal_append_only();
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS privacy_journalentry_append_only ON {TABLE};",
    f"DROP TRIGGER IF EXISTS privacy_journalentry_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS privacy_journal_append_only();",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER privacy_journalentry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS privacy_journalentry_no_update;",
    "DROP TRIGGER IF EXISTS privacy_journalentry_no_delete;",
]

CREATE = {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}
DROP = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}


def _run(statements_by_vendor, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise NotImplementedError(f"No append-only triggers for the {vendor} database.")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(CREATE, schema_editor)


def drop_triggers(apps, schema_editor):
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
