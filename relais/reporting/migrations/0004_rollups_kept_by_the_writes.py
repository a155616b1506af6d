"""Roll-ups kept by the writes (layout 3). A new, empty database is ready at once (nothing to
roll up, and the writes keep the rows from then on); a database with activities keeps its
layout 2 rows unused — figures are computed from the activities — until
``relais refresh-stats`` rebuilds them."""

from django.db import migrations

LAYOUT = 3  # relais.reporting.models.LAYOUT when this migration was written


def mark_an_empty_database_ready(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    StatsRefresh = apps.get_model("reporting", "StatsRefresh")
    if not Activity.objects.exists():
        StatsRefresh.objects.update_or_create(pk=1, defaults={"layout": LAYOUT})


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_rollup_indexes_by_grain"),
        ("activities", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_an_empty_database_ready, migrations.RunPython.noop)]
