"""The core tables, and the cache table.

Squashed from 0001–0004 (docs/decisions/0011-squashed-migrations.md). The cache table is
created by `relais migrate`, so that an install needs no extra step before the public forms'
rate limits can count (config/settings/base.py, CACHES): Django's `createcachetable` creates
the table of each database cache of the settings (none when CACHE_URL points to memcached or
Redis) and leaves an existing one alone, so running it again, or by hand after changing
CACHE_URL, is harmless.
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import relais.core.validators
from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('core', '0001_initial'),
        ('core', '0002_cache_table'),
        ('core', '0003_normalise_phone_and_postal_code'),
        ('core', '0004_commune_insee_code'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Commune',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='nom')),
                ('postal_code', models.CharField(max_length=5, validators=[relais.core.validators.validate_postal_code], verbose_name='code postal')),
                ('insee_code', models.CharField(blank=True, help_text='Code officiel géographique, ex. : 66149 (Prades).', max_length=5, validators=[relais.core.validators.validate_insee_code], verbose_name='code INSEE')),
                ('department_code', models.CharField(max_length=3, verbose_name='département')),
                ('latitude', models.DecimalField(decimal_places=5, max_digits=8, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude')),
                ('longitude', models.DecimalField(decimal_places=5, max_digits=8, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude')),
            ],
            options={
                'verbose_name': 'commune',
                'verbose_name_plural': 'communes',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(models.F('department_code'), django.db.models.functions.text.Lower('name'), name='commune_unique_name_per_department')],
            },
        ),
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('kind', models.CharField(choices=[('department', 'Département'), ('epci', 'Intercommunalité (EPCI)'), ('municipality', 'Commune'), ('association', 'Association'), ('other', 'Autre structure')], max_length=20, verbose_name='type')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='nom')),
                ('short_name', models.CharField(blank=True, max_length=80, verbose_name='nom court')),
                ('siret', models.CharField(blank=True, help_text="Facultatif ; vérifié s'il est renseigné.", max_length=20, verbose_name='SIRET')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='adresse')),
                ('postal_code', models.CharField(blank=True, max_length=5, validators=[relais.core.validators.validate_postal_code], verbose_name='code postal')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='ville')),
                ('representative_name', models.CharField(blank=True, max_length=150, verbose_name='représentant légal')),
                ('representative_title', models.CharField(blank=True, help_text='Ex. : Président', max_length=150, verbose_name='qualité du représentant')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='téléphone')),
                ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='core.commune', verbose_name='commune du siège')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('siret', ''), _negated=True), fields=('siret',), name='organisation_unique_siret')],
            },
        ),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
