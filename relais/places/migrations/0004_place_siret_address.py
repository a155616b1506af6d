from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0003_normalise_phone_and_postal_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="place",
            name="address",
            field=models.CharField(
                blank=True,
                help_text="Numéro et voie, ex. : 12 rue de la République (obligatoire pour un "
                "lieu actif : c'est l'adresse publiée dans les données ouvertes).",
                max_length=200,
                verbose_name="adresse",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="siret",
            field=models.CharField(
                blank=True,
                help_text="Ex. : celui de la commune pour une mairie. Vide : le lieu est géré "
                "par la structure partenaire (son SIRET est publié).",
                max_length=20,
                verbose_name="SIRET de la structure qui gère le lieu",
            ),
        ),
    ]
