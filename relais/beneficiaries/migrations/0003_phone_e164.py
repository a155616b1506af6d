"""Beneficiaries' phone numbers in E.164, as ``Beneficiary.clean()`` now stores them (issue 12).

They were kept as national digits (« 0612345678 »). A value that cannot be read as a number is
kept as it is, for an adviser to correct: the edit form shows it in error. No row is deleted.
The consent date gets its plausible range (a validator: no column changes).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import migrations, models

import relais.core.validators

from relais.core.validators import normalise_phone


def to_e164(apps, schema_editor):
    Beneficiary = apps.get_model("beneficiaries", "Beneficiary")
    for person in Beneficiary.objects.exclude(phone="").only("phone"):
        try:
            phone = normalise_phone(person.phone)
        except ValidationError:
            continue
        if phone != person.phone:
            Beneficiary.objects.filter(pk=person.pk).update(phone=phone)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_import_single_use")]

    operations = [
        migrations.RunPython(to_e164, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="beneficiary",
            name="consent_given_on",
            field=models.DateField(
                blank=True,
                help_text="Date à laquelle la personne a accepté l'enregistrement de ses données.",
                null=True,
                validators=[
                    relais.core.validators.DateRangeValidator(
                        datetime.date(1990, 1, 1),
                        datetime.date(2100, 12, 31),
                        "Indiquez une date entre le %(earliest)s et le %(latest)s.",
                    )
                ],
                verbose_name="consentement recueilli le",
            ),
        ),
    ]
