"""The roll-up tables; on PostgreSQL, a unique index over each one's keys and pages that keep
room; a new database marked ready.

Squashed from 0001–0007 (docs/decisions/0011-squashed-migrations.md).

* Unique keys: NULLS NOT DISTINCT (the keys a grain does not have are NULL), the arbiter of
  the writes' ``INSERT … ON CONFLICT DO UPDATE`` (``relais.reporting.rollup._upsert``).
  SQLite has one writer and updates rows one by one (no NULLS NOT DISTINCT there).
* ``fillfactor = 80``: every recorded, corrected or deleted activity updates a dozen roll-up
  rows in the same transaction. A rebuild (``relais refresh-stats``, a bulk load) writes full
  pages, so each row's first update after it found no room beside the row: a new version on
  another page, and every index of the table updated — about 1.3 ms more for the record's
  statement at 10 M activities (docs/performance.md). With room on the page the update stays
  on it (a HOT update when no index covers a measure).
* A new database has nothing to roll up and the writes keep the rows from then on: it is
  marked built with layout 4 (``relais.reporting.models.LAYOUT`` when this was written), so
  the statistics read the roll-ups at once.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


LAYOUT = 4
# (table, its key columns): the conflict target of ``relais.reporting.rollup._upsert``.
UNIQUE_KEYS = [
    ("reporting_activitymonthlystat", "grain, month, place_id, advisor_id, kind, commune_id"),
    ("reporting_activitythememonthlystat",
     "grain, month, place_id, advisor_id, kind, commune_id, theme"),
    ("reporting_activitydailystat", "grain, day, place_id, advisor_id, kind, commune_id"),
    ("reporting_activitythemedailystat",
     "grain, day, place_id, advisor_id, kind, commune_id, theme"),
]  # fmt: skip
FILLFACTOR = 80  # the setting measured (docs/performance.md); the reads span a quarter more pages


def unique_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in UNIQUE_KEYS:
        schema_editor.execute(
            f"CREATE UNIQUE INDEX {table}_keys ON {table} ({columns}) NULLS NOT DISTINCT"
        )


def drop_unique_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _ in UNIQUE_KEYS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_keys")


def keep_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _ in UNIQUE_KEYS:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _ in UNIQUE_KEYS:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


def mark_ready(apps, schema_editor):
    apps.get_model("reporting", "StatsRefresh").objects.update_or_create(
        pk=1, defaults={"layout": LAYOUT, "refreshed_at": timezone.now()}
    )


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('reporting', '0001_initial'),
        ('reporting', '0002_rollup_place_grain'),
        ('reporting', '0003_rollup_indexes_by_grain'),
        ('reporting', '0004_rollups_kept_by_the_writes'),
        ('reporting', '0005_daily_rollups'),
        ('reporting', '0006_theme_rows_read_from_the_index'),
        ('reporting', '0007_rollup_pages_keep_room'),
    ]

    dependencies = [
        ('core', '0001_squashed_0004'),
        ('places', '0001_squashed_0004'),
        ('team', '0001_squashed_0003'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatsRefresh',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('watermark', models.DateTimeField(blank=True, null=True, verbose_name="activités modifiées jusqu'au")),
                ('layout', models.PositiveSmallIntegerField(default=0, verbose_name='version des agrégats')),
                ('refreshed_at', models.DateTimeField(blank=True, null=True, verbose_name='dernière mise à jour')),
            ],
            options={
                'verbose_name': 'mise à jour des statistiques',
            },
        ),
        migrations.CreateModel(
            name='ActivityDailyStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.PositiveSmallIntegerField(choices=[(0, 'par lieu, conseiller, commune et type'), (1, 'par type (tous lieux)'), (2, 'par lieu, commune et type (tous conseillers)')], default=0, verbose_name='grain')),
                ('kind', models.CharField(choices=[('individual', 'Accompagnement individuel'), ('collective', 'Atelier collectif')], max_length=10, verbose_name='type')),
                ('activities', models.IntegerField(default=0)),
                ('individual', models.IntegerField(default=0)),
                ('collective', models.IntegerField(default=0)),
                ('accompaniments', models.IntegerField(default=0)),
                ('workshop_participants', models.IntegerField(default=0)),
                ('minutes', models.BigIntegerField(default=0)),
                ('linked', models.IntegerField(default=0)),
                ('new_beneficiaries', models.IntegerField(default=0)),
                ('gender_female', models.IntegerField(default=0)),
                ('gender_male', models.IntegerField(default=0)),
                ('gender_unknown', models.IntegerField(default=0)),
                ('age_under_12', models.IntegerField(default=0)),
                ('age_12_17', models.IntegerField(default=0)),
                ('age_18_24', models.IntegerField(default=0)),
                ('age_25_39', models.IntegerField(default=0)),
                ('age_40_59', models.IntegerField(default=0)),
                ('age_60_69', models.IntegerField(default=0)),
                ('age_70_plus', models.IntegerField(default=0)),
                ('age_unknown', models.IntegerField(default=0)),
                ('status_in_school', models.IntegerField(default=0)),
                ('status_unemployed', models.IntegerField(default=0)),
                ('status_employed', models.IntegerField(default=0)),
                ('status_retired', models.IntegerField(default=0)),
                ('status_unknown', models.IntegerField(default=0)),
                ('duration_15', models.IntegerField(default=0)),
                ('duration_30', models.IntegerField(default=0)),
                ('duration_45', models.IntegerField(default=0)),
                ('duration_60', models.IntegerField(default=0)),
                ('duration_90', models.IntegerField(default=0)),
                ('duration_120', models.IntegerField(default=0)),
                ('duration_more', models.IntegerField(default=0)),
                ('day', models.DateField(verbose_name='jour')),
                ('advisor', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='team.advisor', verbose_name='conseiller')),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.commune', verbose_name='commune')),
                ('place', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.place', verbose_name='lieu')),
            ],
            options={
                'verbose_name': 'statistique quotidienne',
                'verbose_name_plural': 'statistiques quotidiennes',
                'indexes': [models.Index(fields=['grain', 'day'], name='stat_day'), models.Index(fields=['place', 'grain', 'day'], name='stat_day_place'), models.Index(fields=['commune', 'grain', 'day'], name='stat_day_commune')],
            },
        ),
        migrations.CreateModel(
            name='ActivityMonthlyStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.PositiveSmallIntegerField(choices=[(0, 'par lieu, conseiller, commune et type'), (1, 'par type (tous lieux)'), (2, 'par lieu, commune et type (tous conseillers)')], default=0, verbose_name='grain')),
                ('kind', models.CharField(choices=[('individual', 'Accompagnement individuel'), ('collective', 'Atelier collectif')], max_length=10, verbose_name='type')),
                ('activities', models.IntegerField(default=0)),
                ('individual', models.IntegerField(default=0)),
                ('collective', models.IntegerField(default=0)),
                ('accompaniments', models.IntegerField(default=0)),
                ('workshop_participants', models.IntegerField(default=0)),
                ('minutes', models.BigIntegerField(default=0)),
                ('linked', models.IntegerField(default=0)),
                ('new_beneficiaries', models.IntegerField(default=0)),
                ('gender_female', models.IntegerField(default=0)),
                ('gender_male', models.IntegerField(default=0)),
                ('gender_unknown', models.IntegerField(default=0)),
                ('age_under_12', models.IntegerField(default=0)),
                ('age_12_17', models.IntegerField(default=0)),
                ('age_18_24', models.IntegerField(default=0)),
                ('age_25_39', models.IntegerField(default=0)),
                ('age_40_59', models.IntegerField(default=0)),
                ('age_60_69', models.IntegerField(default=0)),
                ('age_70_plus', models.IntegerField(default=0)),
                ('age_unknown', models.IntegerField(default=0)),
                ('status_in_school', models.IntegerField(default=0)),
                ('status_unemployed', models.IntegerField(default=0)),
                ('status_employed', models.IntegerField(default=0)),
                ('status_retired', models.IntegerField(default=0)),
                ('status_unknown', models.IntegerField(default=0)),
                ('duration_15', models.IntegerField(default=0)),
                ('duration_30', models.IntegerField(default=0)),
                ('duration_45', models.IntegerField(default=0)),
                ('duration_60', models.IntegerField(default=0)),
                ('duration_90', models.IntegerField(default=0)),
                ('duration_120', models.IntegerField(default=0)),
                ('duration_more', models.IntegerField(default=0)),
                ('month', models.DateField(verbose_name='mois')),
                ('advisor', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='team.advisor', verbose_name='conseiller')),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.commune', verbose_name='commune')),
                ('place', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.place', verbose_name='lieu')),
            ],
            options={
                'verbose_name': 'statistique mensuelle',
                'verbose_name_plural': 'statistiques mensuelles',
                'indexes': [models.Index(fields=['grain', 'month'], name='stat_month'), models.Index(fields=['place', 'grain', 'month'], name='stat_place_month'), models.Index(fields=['advisor', 'month'], name='stat_advisor_month'), models.Index(fields=['commune', 'grain', 'month'], name='stat_commune_month')],
            },
        ),
        migrations.CreateModel(
            name='ActivityThemeDailyStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.PositiveSmallIntegerField(choices=[(0, 'par lieu, conseiller, commune et type'), (1, 'par type (tous lieux)'), (2, 'par lieu, commune et type (tous conseillers)')], default=0, verbose_name='grain')),
                ('kind', models.CharField(choices=[('individual', 'Accompagnement individuel'), ('collective', 'Atelier collectif')], max_length=10, verbose_name='type')),
                ('activities', models.IntegerField(default=0)),
                ('individual', models.IntegerField(default=0)),
                ('collective', models.IntegerField(default=0)),
                ('accompaniments', models.IntegerField(default=0)),
                ('workshop_participants', models.IntegerField(default=0)),
                ('minutes', models.BigIntegerField(default=0)),
                ('linked', models.IntegerField(default=0)),
                ('new_beneficiaries', models.IntegerField(default=0)),
                ('gender_female', models.IntegerField(default=0)),
                ('gender_male', models.IntegerField(default=0)),
                ('gender_unknown', models.IntegerField(default=0)),
                ('age_under_12', models.IntegerField(default=0)),
                ('age_12_17', models.IntegerField(default=0)),
                ('age_18_24', models.IntegerField(default=0)),
                ('age_25_39', models.IntegerField(default=0)),
                ('age_40_59', models.IntegerField(default=0)),
                ('age_60_69', models.IntegerField(default=0)),
                ('age_70_plus', models.IntegerField(default=0)),
                ('age_unknown', models.IntegerField(default=0)),
                ('status_in_school', models.IntegerField(default=0)),
                ('status_unemployed', models.IntegerField(default=0)),
                ('status_employed', models.IntegerField(default=0)),
                ('status_retired', models.IntegerField(default=0)),
                ('status_unknown', models.IntegerField(default=0)),
                ('duration_15', models.IntegerField(default=0)),
                ('duration_30', models.IntegerField(default=0)),
                ('duration_45', models.IntegerField(default=0)),
                ('duration_60', models.IntegerField(default=0)),
                ('duration_90', models.IntegerField(default=0)),
                ('duration_120', models.IntegerField(default=0)),
                ('duration_more', models.IntegerField(default=0)),
                ('day', models.DateField(verbose_name='jour')),
                ('theme', models.CharField(choices=[('digital_diagnosis', 'Diagnostic numérique'), ('hardware_basics', 'Prendre en main du matériel'), ('hardware_maintenance', 'Maintenance de matériel'), ('digital_content', 'Gérer ses contenus numériques'), ('web_browsing', 'Navigation sur internet'), ('email', 'E-mail'), ('office_software', 'Bureautique'), ('social_networks', 'Réseaux sociaux communication'), ('health', 'Santé'), ('banking_shopping', 'Banque et achats en ligne'), ('entrepreneurship', 'Entrepreneuriat'), ('employment', 'Insertion professionnelle'), ('security', 'Prévention en sécurité numérique'), ('parenting', 'Parentalité'), ('schooling', 'Scolarité et numérique'), ('creating', 'Créer avec le numérique'), ('digital_culture', 'Culture numérique'), ('artificial_intelligence', 'Intelligence artificielle (IA)'), ('procedure_help', 'Aide aux démarches administratives'), ('papers_citizenship', 'Papiers - Élections - Citoyenneté'), ('family_school', 'Famille - Scolarité'), ('social_health', 'Social - Santé'), ('work_training', 'Travail - Formation'), ('housing', 'Logement'), ('transport', 'Transports - Mobilité'), ('money_taxes', 'Argent - Impôts'), ('justice', 'Justice'), ('foreigners_europe', 'Étrangers - Europe'), ('leisure', 'Loisirs - Sports - Culture'), ('associations', 'Associations')], max_length=30, verbose_name='thématique')),
                ('advisor', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='team.advisor', verbose_name='conseiller')),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.commune', verbose_name='commune')),
                ('place', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.place', verbose_name='lieu')),
            ],
            options={
                'verbose_name': 'statistique quotidienne par thématique',
                'verbose_name_plural': 'statistiques quotidiennes par thématique',
                'indexes': [models.Index(fields=['grain', 'day', 'theme'], name='stat_day_theme'), models.Index(fields=['grain', 'theme', 'day'], name='stat_day_by_theme'), models.Index(fields=['place', 'grain', 'day'], name='stat_day_theme_place'), models.Index(fields=['commune', 'grain', 'day'], name='stat_day_theme_commune')],
            },
        ),
        migrations.CreateModel(
            name='ActivityThemeMonthlyStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.PositiveSmallIntegerField(choices=[(0, 'par lieu, conseiller, commune et type'), (1, 'par type (tous lieux)'), (2, 'par lieu, commune et type (tous conseillers)')], default=0, verbose_name='grain')),
                ('kind', models.CharField(choices=[('individual', 'Accompagnement individuel'), ('collective', 'Atelier collectif')], max_length=10, verbose_name='type')),
                ('activities', models.IntegerField(default=0)),
                ('individual', models.IntegerField(default=0)),
                ('collective', models.IntegerField(default=0)),
                ('accompaniments', models.IntegerField(default=0)),
                ('workshop_participants', models.IntegerField(default=0)),
                ('minutes', models.BigIntegerField(default=0)),
                ('linked', models.IntegerField(default=0)),
                ('new_beneficiaries', models.IntegerField(default=0)),
                ('gender_female', models.IntegerField(default=0)),
                ('gender_male', models.IntegerField(default=0)),
                ('gender_unknown', models.IntegerField(default=0)),
                ('age_under_12', models.IntegerField(default=0)),
                ('age_12_17', models.IntegerField(default=0)),
                ('age_18_24', models.IntegerField(default=0)),
                ('age_25_39', models.IntegerField(default=0)),
                ('age_40_59', models.IntegerField(default=0)),
                ('age_60_69', models.IntegerField(default=0)),
                ('age_70_plus', models.IntegerField(default=0)),
                ('age_unknown', models.IntegerField(default=0)),
                ('status_in_school', models.IntegerField(default=0)),
                ('status_unemployed', models.IntegerField(default=0)),
                ('status_employed', models.IntegerField(default=0)),
                ('status_retired', models.IntegerField(default=0)),
                ('status_unknown', models.IntegerField(default=0)),
                ('duration_15', models.IntegerField(default=0)),
                ('duration_30', models.IntegerField(default=0)),
                ('duration_45', models.IntegerField(default=0)),
                ('duration_60', models.IntegerField(default=0)),
                ('duration_90', models.IntegerField(default=0)),
                ('duration_120', models.IntegerField(default=0)),
                ('duration_more', models.IntegerField(default=0)),
                ('month', models.DateField(verbose_name='mois')),
                ('theme', models.CharField(choices=[('digital_diagnosis', 'Diagnostic numérique'), ('hardware_basics', 'Prendre en main du matériel'), ('hardware_maintenance', 'Maintenance de matériel'), ('digital_content', 'Gérer ses contenus numériques'), ('web_browsing', 'Navigation sur internet'), ('email', 'E-mail'), ('office_software', 'Bureautique'), ('social_networks', 'Réseaux sociaux communication'), ('health', 'Santé'), ('banking_shopping', 'Banque et achats en ligne'), ('entrepreneurship', 'Entrepreneuriat'), ('employment', 'Insertion professionnelle'), ('security', 'Prévention en sécurité numérique'), ('parenting', 'Parentalité'), ('schooling', 'Scolarité et numérique'), ('creating', 'Créer avec le numérique'), ('digital_culture', 'Culture numérique'), ('artificial_intelligence', 'Intelligence artificielle (IA)'), ('procedure_help', 'Aide aux démarches administratives'), ('papers_citizenship', 'Papiers - Élections - Citoyenneté'), ('family_school', 'Famille - Scolarité'), ('social_health', 'Social - Santé'), ('work_training', 'Travail - Formation'), ('housing', 'Logement'), ('transport', 'Transports - Mobilité'), ('money_taxes', 'Argent - Impôts'), ('justice', 'Justice'), ('foreigners_europe', 'Étrangers - Europe'), ('leisure', 'Loisirs - Sports - Culture'), ('associations', 'Associations')], max_length=30, verbose_name='thématique')),
                ('advisor', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='team.advisor', verbose_name='conseiller')),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.commune', verbose_name='commune')),
                ('place', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.place', verbose_name='lieu')),
            ],
            options={
                'verbose_name': 'statistique mensuelle par thématique',
                'verbose_name_plural': 'statistiques mensuelles par thématique',
                'indexes': [models.Index(fields=['grain', 'theme', 'month'], include=('place', 'commune', 'activities', 'accompaniments'), name='stat_theme_by_theme'), models.Index(fields=['commune', 'grain', 'month'], name='stat_theme_commune_month'), models.Index(fields=['place', 'grain', 'month'], name='stat_theme_place_month'), models.Index(fields=['advisor', 'month'], name='stat_theme_advisor_month')],
            },
        ),
        migrations.RunPython(unique_keys, drop_unique_keys, elidable=False),
        migrations.RunPython(keep_room, fill_pages, elidable=False),
        migrations.RunPython(mark_ready, migrations.RunPython.noop),
    ]
