"""A theme's rows read from the index alone (``ActivityThemeMonthlyStat.Meta``): the (grain,
theme, month) index covers the place, the commune and the two measures the dashboard sums, and
the (grain, month, theme) index goes (the keys' unique index serves those reads)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_commune_insee_code"),
        ("places", "0004_place_siret_address"),
        ("reporting", "0005_daily_rollups"),
        ("team", "0003_plausible_dates"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="activitythememonthlystat",
            name="stat_theme_month",
        ),
        migrations.RemoveIndex(
            model_name="activitythememonthlystat",
            name="stat_theme_by_theme",
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
