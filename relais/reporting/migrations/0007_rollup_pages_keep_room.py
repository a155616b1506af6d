"""On PostgreSQL, the roll-up tables' pages keep a fifth free (``fillfactor = 80``).

Every recorded, corrected or deleted activity updates a dozen roll-up rows in the same
transaction (``relais.reporting.rollup``). A rebuild (``relais refresh-stats``, a bulk load)
writes full pages, so each row's first update after it found no room beside the row: a new
version on another page, and every index of the table updated — about 1.3 ms more for the
record's statement at 10 M activities (docs/performance.md). With room on the page the update
stays on it, and the indexes that do not cover a measure are left alone (a HOT update).

The setting applies to the pages written from now on: the next rebuild lays the rows out with
the room; until then the pages fill as they are. SQLite has no such setting."""

from django.db import migrations

TABLES = (
    "reporting_activitymonthlystat",
    "reporting_activitythememonthlystat",
    "reporting_activitydailystat",
    "reporting_activitythemedailystat",
)
FILLFACTOR = 80  # the setting measured (docs/performance.md); the reads span a quarter more pages


def keep_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_theme_rows_read_from_the_index")]

    operations = [migrations.RunPython(keep_room, fill_pages, elidable=False)]
