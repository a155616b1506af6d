"""Every API token gets an expiry date (issue 20): existing tokens expire a year after creation."""

from datetime import timedelta

from django.db import migrations, models


def backfill(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.filter(expires_on__isnull=True).only("pk", "created_at"):
        token.expires_on = (token.created_at + timedelta(days=365)).date()
        token.save(update_fields=["expires_on"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_on",
            field=models.DateField(null=True, verbose_name="expire le"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_on",
            field=models.DateField(
                help_text="Dernier jour de validité du jeton.", verbose_name="expire le"
            ),
        ),
    ]
