"""Repair what was stored before phone numbers and postal codes were validated (issue 12).

Organisations' phone numbers become E.164 (what ``Organisation.clean()`` now stores); postal
codes of communes and organisations typed in other digits (« ٦٦٥٠٠ ») become ASCII ones. A value
that cannot be read is kept as it is, for a person to correct. No row is deleted.
"""

from django.core.exceptions import ValidationError
from django.db import migrations

from relais.core.validators import normalise_phone, to_ascii_digits


def repair(apps, schema_editor):
    Commune = apps.get_model("core", "Commune")
    Organisation = apps.get_model("core", "Organisation")
    for commune in Commune.objects.only("postal_code"):
        postal_code = to_ascii_digits(commune.postal_code)
        if postal_code != commune.postal_code:
            Commune.objects.filter(pk=commune.pk).update(postal_code=postal_code)
    for organisation in Organisation.objects.only("phone", "postal_code"):
        changes = {}
        postal_code = to_ascii_digits(organisation.postal_code)
        if postal_code != organisation.postal_code:
            changes["postal_code"] = postal_code
        try:
            phone = normalise_phone(organisation.phone)
        except ValidationError:
            phone = organisation.phone
        if phone != organisation.phone:
            changes["phone"] = phone
        if changes:
            Organisation.objects.filter(pk=organisation.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_cache_table")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
