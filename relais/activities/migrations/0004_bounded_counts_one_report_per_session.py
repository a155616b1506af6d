"""Bound every count of an activity, and give a workshop session one report at most (issue 14).

Before the unique constraint, a session reported twice keeps its first report linked; the later
ones stay (their figures are real) but lose the link, and their ids are printed so that the
advisers can delete the duplicate. The count columns need no repair: they add up to the
participants, already bounded by 0003.
"""

import django.core.validators
from django.db import migrations, models


def unlink_duplicate_reports(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    seen, unlinked = set(), []
    reports = Activity.objects.filter(workshop_session__isnull=False).order_by("created_at", "pk")
    for pk, session_id in reports.values_list("pk", "workshop_session_id"):
        if session_id in seen:
            unlinked.append(pk)
        seen.add(session_id)
    if unlinked:
        Activity.objects.filter(pk__in=unlinked).update(workshop_session=None)
        print(
            "\n  Comptes rendus en double d'une même séance, détachés de la séance (à vérifier "
            f"par leurs conseillers) : {', '.join(map(str, unlinked))}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0003_bounded_date_and_participants'),
        ('beneficiaries', '0003_phone_e164'),
        ('places', '0003_normalise_phone_and_postal_code'),
        ('team', '0003_plausible_dates'),
        ('workshops', '0002_session_waiting_list_cap'),
    ]

    operations = [
        migrations.AlterField(
            model_name='activity',
            name='age_12_17',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 12 - 17 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_18_24',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 18 - 24 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_25_39',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 25 - 39 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_40_59',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 40 - 59 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_60_69',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 60 - 69 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_70_plus',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : 70 ans et plus'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_under_12',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : Moins de 12 ans'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='age_unknown',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='age : Non communiqué'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='duration_minutes',
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1, message='Indiquez une durée entre 1 et 720 minutes.'), django.core.validators.MaxValueValidator(720, message='Indiquez une durée entre 1 et 720 minutes.')], verbose_name='durée (minutes)'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='gender_female',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='gender : Femme'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='gender_male',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='gender : Homme'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='gender_unknown',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='gender : Non communiqué'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='participants_count',
            field=models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1, message='Indiquez un nombre de participants entre 1 et 500 : vérifiez le nombre saisi.'), django.core.validators.MaxValueValidator(500, message='Indiquez un nombre de participants entre 1 et 500 : vérifiez le nombre saisi.')], verbose_name='participants'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='status_employed',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='status : En emploi'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='status_in_school',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='status : Scolarisé(e)'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='status_retired',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='status : Retraité(e)'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='status_unemployed',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='status : Sans emploi'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='status_unknown',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(500, message='Indiquez un nombre entre 0 et 500.')], verbose_name='status : Non communiqué'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('age_12_17__lte', 500), ('age_18_24__lte', 500), ('age_25_39__lte', 500), ('age_40_59__lte', 500), ('age_60_69__lte', 500), ('age_70_plus__lte', 500), ('age_under_12__lte', 500), ('age_unknown__lte', 500), ('gender_female__lte', 500), ('gender_male__lte', 500), ('gender_unknown__lte', 500), ('status_employed__lte', 500), ('status_in_school__lte', 500), ('status_retired__lte', 500), ('status_unemployed__lte', 500), ('status_unknown__lte', 500)), name='activity_counts_bounded'),
        ),
        migrations.RunPython(unlink_duplicate_reports, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.UniqueConstraint(condition=models.Q(('workshop_session__isnull', False)), fields=('workshop_session',), name='activity_one_report_per_session', violation_error_message="Cette séance d'atelier a déjà son compte rendu."),
        ),
    ]
