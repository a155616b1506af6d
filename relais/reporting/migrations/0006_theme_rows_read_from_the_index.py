"""A theme's rows read from the index alone (``ActivityThemeMonthlyStat.Meta``): the (grain,
theme, month) index covers the place, the commune and the two measures the dashboard sums, and
the (grain, month, theme) index goes (the keys' unique index serves those reads)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_daily_rollups")]  # the place's and commune's apps: 0001

    operations = [
        *(
            migrations.RemoveIndex(model_name="activitythememonthlystat", name=name)
            for name in ("stat_theme_month", "stat_theme_by_theme")
        ),
        migrations.AddIndex(
            model_name="activitythememonthlystat",
            index=models.Index(
                fields=["grain", "theme", "month"],
                include=("place", "commune", "activities", "accompaniments"),
                name="stat_theme_by_theme",
            ),
        ),
    ]
