"""The beneficiaries' tables, and a trigram index on ``name_key`` for the person picker's
``LIKE '%word%'`` (issue 19 §1).

Squashed from 0001–0004 (docs/decisions/0011-squashed-migrations.md). The index is for
PostgreSQL only: ``pg_trgm`` is a trusted extension (PostgreSQL ≥ 13), so the database's owner
creates it without a superuser. SQLite (the demo) scans its few hundred rows. Measured at 1 M
people in docs/performance.md (« Scale »): without it every search reads the whole table.
"""

import datetime
import django.db.models.deletion
import relais.core.validators
from django.conf import settings
from django.db import migrations, models


TABLE = "beneficiaries_beneficiary"
INDEX = "beneficiary_name_key_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (name_key gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('beneficiaries', '0001_initial'),
        ('beneficiaries', '0002_import_single_use'),
        ('beneficiaries', '0003_phone_e164'),
        ('beneficiaries', '0004_name_key_trigram_index'),
    ]

    dependencies = [
        ('core', '0001_squashed_0004'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BeneficiaryImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(error_messages={'unique': 'Cet import a déjà été confirmé.'}, max_length=64, unique=True, verbose_name="clé de l'aperçu")),
                ('row_count', models.PositiveIntegerField(verbose_name='personnes importées')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='confirmé le')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='importé par')),
            ],
            options={
                'verbose_name': 'import de personnes accompagnées',
                'verbose_name_plural': 'imports de personnes accompagnées',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Beneficiary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('first_name', models.CharField(blank=True, max_length=100, verbose_name='prénom')),
                ('last_name', models.CharField(blank=True, max_length=100, verbose_name='nom')),
                ('name_key', models.CharField(blank=True, db_index=True, editable=False, max_length=210)),
                ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='année de naissance')),
                ('gender', models.CharField(choices=[('female', 'Femme'), ('male', 'Homme'), ('unknown', 'Non communiqué')], default='unknown', max_length=10, verbose_name='genre')),
                ('social_status', models.CharField(choices=[('in_school', 'Scolarisé(e)'), ('unemployed', 'Sans emploi'), ('employed', 'En emploi'), ('retired', 'Retraité(e)'), ('unknown', 'Non communiqué')], default='unknown', max_length=12, verbose_name='statut')),
                ('phone', models.CharField(blank=True, db_index=True, max_length=20, verbose_name='téléphone')),
                ('email', models.EmailField(blank=True, db_index=True, max_length=254, verbose_name='e-mail')),
                ('consent_given_on', models.DateField(blank=True, help_text="Date à laquelle la personne a accepté l'enregistrement de ses données.", null=True, validators=[relais.core.validators.DateRangeValidator(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31), 'Indiquez une date entre le %(earliest)s et le %(latest)s.')], verbose_name='consentement recueilli le')),
                ('consent_text_version', models.CharField(blank=True, max_length=40, verbose_name="version de la mention d'information")),
                ('last_activity_on', models.DateField(blank=True, null=True, verbose_name='dernier accompagnement')),
                ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.commune', verbose_name='commune de résidence')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par')),
            ],
            options={
                'verbose_name': 'personne accompagnée',
                'verbose_name_plural': 'personnes accompagnées',
                'ordering': ['last_name', 'first_name', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('birth_year__isnull', True), ('birth_year__gte', 1900), _connector='OR'), name='beneficiary_birth_year_plausible'), models.CheckConstraint(condition=models.Q(('consent_given_on__isnull', True), models.Q(('consent_text_version', ''), _negated=True), _connector='OR'), name='beneficiary_consent_has_version')],
            },
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
