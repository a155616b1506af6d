"""Daily roll-ups (layout 4); measures without CHECK constraints (the writes' upsert carries
negative deltas, see ``models.StatBase``); and, on PostgreSQL, a unique index over each
roll-up table's keys (NULLS NOT DISTINCT: the keys a grain does not have are NULL), the arbiter
of the writes' ``INSERT … ON CONFLICT DO UPDATE``.

Roll-ups that were built (layout 3) are rebuilt here, daily rows included, so a migrated
database keeps reading roll-ups; others stay computed from the activities until
``relais refresh-stats``, as before."""

import django.db.models.deletion
from django.db import migrations, models

PREVIOUS_LAYOUT = 3
# (table, its key columns): the conflict target of ``relais.reporting.rollup._upsert``.
UNIQUE_KEYS = [
    ("reporting_activitymonthlystat", "grain, month, place_id, advisor_id, kind, commune_id"),
    ("reporting_activitythememonthlystat",
     "grain, month, place_id, advisor_id, kind, commune_id, theme"),
    ("reporting_activitydailystat", "grain, day, place_id, advisor_id, kind, commune_id"),
    ("reporting_activitythemedailystat",
     "grain, day, place_id, advisor_id, kind, commune_id, theme"),
]  # fmt: skip


def unique_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: one writer, rows updated one by one (no NULLS NOT DISTINCT there)
    for table, columns in UNIQUE_KEYS:
        schema_editor.execute(
            f"CREATE UNIQUE INDEX {table}_keys ON {table} ({columns}) NULLS NOT DISTINCT"
        )


def drop_unique_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _ in UNIQUE_KEYS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_keys")


def rebuild_built_rollups(apps, schema_editor):
    """Built roll-ups get their daily rows now. The rebuild is this release's code (the only
    one that knows the rows): should a later migration change the tables it reads, this step
    must become « mark the layout stale » (figures live until ``relais refresh-stats``)."""
    StatsRefresh = apps.get_model("reporting", "StatsRefresh")
    if not StatsRefresh.objects.filter(pk=1, layout=PREVIOUS_LAYOUT).exists():
        # Rows of an older layout are read by nothing; dropped so that the unique index holds.
        for name in ("ActivityMonthlyStat", "ActivityThemeMonthlyStat"):
            apps.get_model("reporting", name).objects.all().delete()
        return
    from relais.reporting.rollup import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_commune_insee_code"),
        ("places", "0004_place_siret_address"),
        ("reporting", "0004_rollups_kept_by_the_writes"),
        ("team", "0003_plausible_dates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="accompaniments",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="activities",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_12_17",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_18_24",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_25_39",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_40_59",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_60_69",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_70_plus",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_under_12",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="age_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="collective",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_120",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_15",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_30",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_45",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_60",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_90",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="duration_more",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="gender_female",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="gender_male",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="gender_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="individual",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="linked",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="new_beneficiaries",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="status_employed",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="status_in_school",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="status_retired",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="status_unemployed",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="status_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitymonthlystat",
            name="workshop_participants",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="accompaniments",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="activities",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_12_17",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_18_24",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_25_39",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_40_59",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_60_69",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_70_plus",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_under_12",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="age_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="collective",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_120",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_15",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_30",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_45",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_60",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_90",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="duration_more",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="gender_female",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="gender_male",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="gender_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="individual",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="linked",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="new_beneficiaries",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="status_employed",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="status_in_school",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="status_retired",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="status_unemployed",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="status_unknown",
            field=models.IntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="activitythememonthlystat",
            name="workshop_participants",
            field=models.IntegerField(default=0),
        ),
        migrations.CreateModel(
            name="ActivityDailyStat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "grain",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "par lieu, conseiller, commune et type"),
                            (1, "par type (tous lieux)"),
                            (2, "par lieu, commune et type (tous conseillers)"),
                        ],
                        default=0,
                        verbose_name="grain",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("individual", "Accompagnement individuel"),
                            ("collective", "Atelier collectif"),
                        ],
                        max_length=10,
                        verbose_name="type",
                    ),
                ),
                ("activities", models.IntegerField(default=0)),
                ("individual", models.IntegerField(default=0)),
                ("collective", models.IntegerField(default=0)),
                ("accompaniments", models.IntegerField(default=0)),
                ("workshop_participants", models.IntegerField(default=0)),
                ("minutes", models.BigIntegerField(default=0)),
                ("linked", models.IntegerField(default=0)),
                ("new_beneficiaries", models.IntegerField(default=0)),
                ("gender_female", models.IntegerField(default=0)),
                ("gender_male", models.IntegerField(default=0)),
                ("gender_unknown", models.IntegerField(default=0)),
                ("age_under_12", models.IntegerField(default=0)),
                ("age_12_17", models.IntegerField(default=0)),
                ("age_18_24", models.IntegerField(default=0)),
                ("age_25_39", models.IntegerField(default=0)),
                ("age_40_59", models.IntegerField(default=0)),
                ("age_60_69", models.IntegerField(default=0)),
                ("age_70_plus", models.IntegerField(default=0)),
                ("age_unknown", models.IntegerField(default=0)),
                ("status_in_school", models.IntegerField(default=0)),
                ("status_unemployed", models.IntegerField(default=0)),
                ("status_employed", models.IntegerField(default=0)),
                ("status_retired", models.IntegerField(default=0)),
                ("status_unknown", models.IntegerField(default=0)),
                ("duration_15", models.IntegerField(default=0)),
                ("duration_30", models.IntegerField(default=0)),
                ("duration_45", models.IntegerField(default=0)),
                ("duration_60", models.IntegerField(default=0)),
                ("duration_90", models.IntegerField(default=0)),
                ("duration_120", models.IntegerField(default=0)),
                ("duration_more", models.IntegerField(default=0)),
                ("day", models.DateField(verbose_name="jour")),
                (
                    "advisor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="team.advisor",
                        verbose_name="conseiller",
                    ),
                ),
                (
                    "commune",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.commune",
                        verbose_name="commune",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places.place",
                        verbose_name="lieu",
                    ),
                ),
            ],
            options={
                "verbose_name": "statistique quotidienne",
                "verbose_name_plural": "statistiques quotidiennes",
                "indexes": [
                    models.Index(fields=["grain", "day"], name="stat_day"),
                    models.Index(fields=["place", "grain", "day"], name="stat_day_place"),
                    models.Index(fields=["commune", "grain", "day"], name="stat_day_commune"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ActivityThemeDailyStat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "grain",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "par lieu, conseiller, commune et type"),
                            (1, "par type (tous lieux)"),
                            (2, "par lieu, commune et type (tous conseillers)"),
                        ],
                        default=0,
                        verbose_name="grain",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("individual", "Accompagnement individuel"),
                            ("collective", "Atelier collectif"),
                        ],
                        max_length=10,
                        verbose_name="type",
                    ),
                ),
                ("activities", models.IntegerField(default=0)),
                ("individual", models.IntegerField(default=0)),
                ("collective", models.IntegerField(default=0)),
                ("accompaniments", models.IntegerField(default=0)),
                ("workshop_participants", models.IntegerField(default=0)),
                ("minutes", models.BigIntegerField(default=0)),
                ("linked", models.IntegerField(default=0)),
                ("new_beneficiaries", models.IntegerField(default=0)),
                ("gender_female", models.IntegerField(default=0)),
                ("gender_male", models.IntegerField(default=0)),
                ("gender_unknown", models.IntegerField(default=0)),
                ("age_under_12", models.IntegerField(default=0)),
                ("age_12_17", models.IntegerField(default=0)),
                ("age_18_24", models.IntegerField(default=0)),
                ("age_25_39", models.IntegerField(default=0)),
                ("age_40_59", models.IntegerField(default=0)),
                ("age_60_69", models.IntegerField(default=0)),
                ("age_70_plus", models.IntegerField(default=0)),
                ("age_unknown", models.IntegerField(default=0)),
                ("status_in_school", models.IntegerField(default=0)),
                ("status_unemployed", models.IntegerField(default=0)),
                ("status_employed", models.IntegerField(default=0)),
                ("status_retired", models.IntegerField(default=0)),
                ("status_unknown", models.IntegerField(default=0)),
                ("duration_15", models.IntegerField(default=0)),
                ("duration_30", models.IntegerField(default=0)),
                ("duration_45", models.IntegerField(default=0)),
                ("duration_60", models.IntegerField(default=0)),
                ("duration_90", models.IntegerField(default=0)),
                ("duration_120", models.IntegerField(default=0)),
                ("duration_more", models.IntegerField(default=0)),
                ("day", models.DateField(verbose_name="jour")),
                (
                    "theme",
                    models.CharField(
                        choices=[
                            ("digital_diagnosis", "Diagnostic numérique"),
                            ("hardware_basics", "Prendre en main du matériel"),
                            ("hardware_maintenance", "Maintenance de matériel"),
                            ("digital_content", "Gérer ses contenus numériques"),
                            ("web_browsing", "Navigation sur internet"),
                            ("email", "E-mail"),
                            ("office_software", "Bureautique"),
                            ("social_networks", "Réseaux sociaux communication"),
                            ("health", "Santé"),
                            ("banking_shopping", "Banque et achats en ligne"),
                            ("entrepreneurship", "Entrepreneuriat"),
                            ("employment", "Insertion professionnelle"),
                            ("security", "Prévention en sécurité numérique"),
                            ("parenting", "Parentalité"),
                            ("schooling", "Scolarité et numérique"),
                            ("creating", "Créer avec le numérique"),
                            ("digital_culture", "Culture numérique"),
                            ("artificial_intelligence", "Intelligence artificielle (IA)"),
                            ("procedure_help", "Aide aux démarches administratives"),
                            ("papers_citizenship", "Papiers - Élections - Citoyenneté"),
                            ("family_school", "Famille - Scolarité"),
                            ("social_health", "Social - Santé"),
                            ("work_training", "Travail - Formation"),
                            ("housing", "Logement"),
                            ("transport", "Transports - Mobilité"),
                            ("money_taxes", "Argent - Impôts"),
                            ("justice", "Justice"),
                            ("foreigners_europe", "Étrangers - Europe"),
                            ("leisure", "Loisirs - Sports - Culture"),
                            ("associations", "Associations"),
                        ],
                        max_length=30,
                        verbose_name="thématique",
                    ),
                ),
                (
                    "advisor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="team.advisor",
                        verbose_name="conseiller",
                    ),
                ),
                (
                    "commune",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.commune",
                        verbose_name="commune",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places.place",
                        verbose_name="lieu",
                    ),
                ),
            ],
            options={
                "verbose_name": "statistique quotidienne par thématique",
                "verbose_name_plural": "statistiques quotidiennes par thématique",
                "indexes": [
                    models.Index(fields=["grain", "day", "theme"], name="stat_day_theme"),
                    models.Index(fields=["grain", "theme", "day"], name="stat_day_by_theme"),
                    models.Index(fields=["place", "grain", "day"], name="stat_day_theme_place"),
                    models.Index(fields=["commune", "grain", "day"], name="stat_day_theme_commune"),
                ],
            },
        ),
        migrations.RunPython(rebuild_built_rollups, migrations.RunPython.noop),
        migrations.RunPython(unique_keys, drop_unique_keys),
    ]
