"""Export jobs name their kind in the registry (relais.jobs.exports) instead of a function's
dotted path: the one path stored so far, the activities export, becomes « activities »."""

from django.db import migrations, models

KINDS = {"relais.reporting.exports.activity_export_job": "activities"}


def builder_to_kind(apps, schema_editor):
    ExportJob = apps.get_model("jobs", "ExportJob")
    for builder, kind in KINDS.items():
        ExportJob.objects.filter(kind=builder).update(kind=kind)


def kind_to_builder(apps, schema_editor):
    ExportJob = apps.get_model("jobs", "ExportJob")
    for builder, kind in KINDS.items():
        ExportJob.objects.filter(kind=kind).update(kind=builder)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0003_importjob"),
    ]

    operations = [
        # Renamed first, shortened after the paths became names (a path is up to 200 long).
        migrations.RenameField(model_name="exportjob", old_name="builder", new_name="kind"),
        migrations.RunPython(builder_to_kind, kind_to_builder),
        migrations.AlterField(
            model_name="exportjob",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="type d'export"),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="tentatives échouées"),
        ),
    ]
