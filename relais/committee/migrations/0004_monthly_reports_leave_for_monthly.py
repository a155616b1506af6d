"""The monthly reports moved to the ``monthly`` app, their tables unchanged: state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0003_plausible_dates"),
        # The models exist in the new app's state before they leave this one's.
        ("monthly", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="monthlyreportreminder", name="partner"),
                migrations.DeleteModel(name="MonthlyReport"),
                migrations.DeleteModel(name="MonthlyReportReminder"),
            ],
            database_operations=[],
        )
    ]
