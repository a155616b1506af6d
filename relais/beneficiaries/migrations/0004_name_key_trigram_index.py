"""A trigram index on ``name_key`` for the person picker's ``LIKE '%word%'`` (issue 19 §1).

PostgreSQL only: ``pg_trgm`` is a trusted extension (PostgreSQL ≥ 13), so the database's owner
creates it without a superuser. SQLite (the demo) scans its few hundred rows. Measured at
1 M people in docs/performance.md (« Scale »): without it every search reads the whole table.
"""

from django.db import migrations

TABLE = "beneficiaries_beneficiary"
INDEX = "beneficiary_name_key_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (name_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0003_phone_e164")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
