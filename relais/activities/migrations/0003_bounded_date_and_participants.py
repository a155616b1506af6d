"""Bound an activity's date (not before the programme) and its participants (issue 12).

SQLite accepted 99,999,999,999 participants, which then showed in every statistic and in the
committee's annual review. Before the database refuses more than MAX_PARTICIPANTS, the rows
already above it are repaired rather than deleted: the activity is kept (date, place, adviser,
themes, duration, title), its count is brought down to the maximum and its breakdowns, which
added up to the impossible count, move to « Non communiqué ». Their ids are printed so that the
advisers concerned can correct them. ``updated_at`` moves, so the statistics' roll-ups recount
those months at their next refresh.
"""

import datetime
import django.core.validators
import relais.core.validators
from django.db import migrations, models
from django.utils import timezone

MAX_PARTICIPANTS = 500  # relais.activities.enums.MAX_PARTICIPANTS when this was written
BREAKDOWNS = {
    "gender": ["female", "male", "unknown"],
    "age": ["under_12", "12_17", "18_24", "25_39", "40_59", "60_69", "70_plus", "unknown"],
    "status": ["in_school", "unemployed", "employed", "retired", "unknown"],
}


def bring_down_impossible_counts(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    repaired = []
    for activity in Activity.objects.filter(participants_count__gt=MAX_PARTICIPANTS):
        counts = {
            f"{prefix}_{value}": MAX_PARTICIPANTS if value == "unknown" else 0
            for prefix, values in BREAKDOWNS.items()
            for value in values
        }
        Activity.objects.filter(pk=activity.pk).update(
            participants_count=MAX_PARTICIPANTS, updated_at=timezone.now(), **counts
        )
        repaired.append(activity.pk)
    if repaired:
        print(
            f"\n  Activités ramenées à {MAX_PARTICIPANTS} participants (nombre saisi impossible), "
            f"à faire corriger par leurs conseillers : {', '.join(map(str, repaired))}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0002_activity_workshop_session'),
    ]

    operations = [
        migrations.AlterField(
            model_name='activity',
            name='date',
            field=models.DateField(validators=[relais.core.validators.DateRangeValidator(datetime.date(2021, 1, 1), datetime.date(2100, 12, 31), 'Indiquez une date entre le %(earliest)s (début du programme) et le %(latest)s.')], verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='participants_count',
            field=models.PositiveIntegerField(default=1, validators=[django.core.validators.MaxValueValidator(500)], verbose_name='participants'),
        ),
        migrations.RunPython(bring_down_impossible_counts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('participants_count__lte', 500)), name='activity_participants_bounded'),
        ),
    ]
