"""Repair what was stored before phone numbers and postal codes were validated (issue 12).

Phone numbers become E.164 (what ``Place.clean()`` now stores); postal codes typed in other
digits (« ٦٦٥٠٠ ») become ASCII ones, as the open data publishes them. A value that cannot be
read is kept as it is, for a person to correct: the edit form shows it in error. Nothing else
changes and no row is deleted. The room capacity gets an upper bound (a validator: no column
changes).
"""

import django.core.validators
from django.core.exceptions import ValidationError
from django.db import migrations, models

from relais.core.validators import normalise_phone, to_ascii_digits


def _repaired(place) -> dict:
    changes = {}
    postal_code = to_ascii_digits(place.postal_code)
    if postal_code != place.postal_code:
        changes["postal_code"] = postal_code
    try:
        phone = normalise_phone(place.phone)
    except ValidationError:
        phone = place.phone
    if phone != place.phone:
        changes["phone"] = phone
    return changes


def repair(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    for place in Place.objects.exclude(phone="", postal_code="").only("phone", "postal_code"):
        if changes := _repaired(place):
            Place.objects.filter(pk=place.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("places", "0002_place_contact_hours_history")]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='place',
            name='room_capacity',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Nombre de personnes accueillies en atelier (la convention demande 6 à 8).', null=True, validators=[django.core.validators.MaxValueValidator(500)], verbose_name="capacité de la salle d'atelier"),
        ),
    ]
