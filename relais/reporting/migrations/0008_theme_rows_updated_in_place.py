"""No roll-up index holds a measure any more (``ActivityThemeMonthlyStat.Meta``): the theme
table's (grain, theme, month) index stops INCLUDE-ing the place, the commune and two measures,
so that a write's updates of its rows are HOT ones, like the other three tables' (migration
0007 leaves the room on the page). The theme filter reads those rows from the table again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0007_rollup_pages_keep_room")]

    operations = [
        migrations.RemoveIndex(model_name="activitythememonthlystat", name="stat_theme_by_theme"),
        migrations.AddIndex(
            model_name="activitythememonthlystat",
            index=models.Index(fields=["grain", "theme", "month"], name="stat_theme_by_theme"),
        ),
    ]
