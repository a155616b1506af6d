"""The privacy tables; the database itself refuses UPDATE, DELETE (and TRUNCATE) on the
journal.

Squashed from 0001–0005 (docs/decisions/0011-squashed-migrations.md). The application never
changes an entry (JournalEntry.save/delete refuse too), but a trigger also stops raw SQL, a
bulk ``update()``, a bug or the admin. Removing the protection takes a migration or a DBA's
DROP TRIGGER, and ``relais verify-journal`` still detects what was changed. The SQL lives here
only; tests and the repair procedure (docs/operations.md) import it from this module. A later
migration that makes SQLite rebuild the journal's table must call ``reinstall_triggers`` after
it: the triggers go with the old table.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


TABLE = "privacy_journalentry"
MESSAGE = "Le journal est en ajout seul : modification et suppression refusées."

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION privacy_journal_append_only() RETURNS trigger AS $$
    BEGIN
        -- TRUNCATE of an empty journal is allowed: the test runner empties every table.
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION privacy_journal_append_only();
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_journal_append_only();
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS privacy_journalentry_append_only ON {TABLE};",
    f"DROP TRIGGER IF EXISTS privacy_journalentry_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS privacy_journal_append_only();",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER privacy_journalentry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER privacy_journalentry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS privacy_journalentry_no_update;",
    "DROP TRIGGER IF EXISTS privacy_journalentry_no_delete;",
]

CREATE = {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}
DROP = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}


def _run(statements_by_vendor, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise NotImplementedError(f"No append-only triggers for the {vendor} database.")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(CREATE, schema_editor)


def drop_triggers(apps, schema_editor):
    _run(DROP, schema_editor)

def reinstall_triggers(apps, schema_editor):
    """After SQLite rebuilt the journal's table (a later AddField or AlterField), and for the
    repair procedure of docs/operations.md: the triggers go with the old table there."""
    drop_triggers(apps, schema_editor)
    create_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('privacy', '0001_initial'),
        ('privacy', '0002_journal_append_only'),
        ('privacy', '0003_rightsrequest'),
        ('privacy', '0004_journal_key_id'),
        ('privacy', '0005_rights_request_extension'),
    ]

    dependencies = [
        ('beneficiaries', '0001_squashed_0004'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='JournalEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveBigIntegerField(unique=True, verbose_name='n°')),
                ('timestamp', models.DateTimeField(default=django.utils.timezone.now, verbose_name='horodatage')),
                ('actor_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name="compte de l'auteur")),
                ('actor_role', models.CharField(max_length=30, verbose_name="rôle de l'auteur")),
                ('action', models.CharField(choices=[('mandate_action', 'Action sous mandat'), ('personal_data_view', 'Consultation de données personnelles'), ('personal_data_export', 'Export de données personnelles'), ('purge', 'Purge (fin de durée de conservation)'), ('rights_request', "Demande d'exercice des droits")], max_length=30, verbose_name='action')),
                ('subject_type', models.CharField(blank=True, max_length=100, verbose_name="type de l'objet")),
                ('subject_id', models.CharField(blank=True, max_length=64, verbose_name="identifiant de l'objet")),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='détails')),
                ('previous_hash', models.CharField(max_length=64, verbose_name='empreinte précédente')),
                ('hash', models.CharField(max_length=64, unique=True, verbose_name='empreinte')),
                ('key_id', models.CharField(blank=True, max_length=16, verbose_name='clé')),
            ],
            options={
                'verbose_name': 'entrée du journal',
                'verbose_name_plural': 'entrées du journal',
                'ordering': ['sequence'],
            },
        ),
        migrations.CreateModel(
            name='JournalVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verified_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='vérifié le')),
                ('ok', models.BooleanField(verbose_name='intègre')),
                ('entry_count', models.PositiveBigIntegerField(verbose_name='entrées')),
                ('last_sequence', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='dernier n°')),
                ('last_hash', models.CharField(blank=True, max_length=64, verbose_name='dernière empreinte')),
                ('message', models.TextField(verbose_name='résultat')),
            ],
            options={
                'verbose_name': 'vérification du journal',
                'verbose_name_plural': 'vérifications du journal',
                'ordering': ['-verified_at', '-pk'],
                'get_latest_by': 'verified_at',
            },
        ),
        migrations.CreateModel(
            name='PurgeRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='commencée le')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminée le')),
                ('run_for', models.DateField(verbose_name='date de référence')),
                ('counts', models.JSONField(blank=True, default=dict, verbose_name='nombre par catégorie')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='erreurs')),
            ],
            options={
                'verbose_name': 'purge',
                'verbose_name_plural': 'purges',
                'ordering': ['-started_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RightsRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requester_label', models.CharField(blank=True, help_text="Seulement si la personne n'a pas de fiche ou n'est pas encore identifiée.", max_length=150, verbose_name='demandeur (sans fiche)')),
                ('kind', models.CharField(choices=[('access', 'Accès (copie des données)'), ('rectification', 'Rectification'), ('erasure', 'Effacement'), ('opposition', 'Opposition au traitement'), ('portability', 'Portabilité (export lisible par machine)')], max_length=20, verbose_name='droit exercé')),
                ('channel', models.CharField(choices=[('in_person', "Sur place, auprès d'un conseiller"), ('mail', 'Courrier'), ('email', 'Courriel'), ('phone', 'Téléphone')], max_length=20, verbose_name='reçue par')),
                ('received_on', models.DateField(verbose_name='reçue le')),
                ('due_on', models.DateField(editable=False, verbose_name='réponse due le')),
                ('status', models.CharField(choices=[('open', 'En cours'), ('done', 'Traitée'), ('refused', 'Refusée (motivée)')], default='open', max_length=10, verbose_name='état')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='close le')),
                ('outcome', models.TextField(blank=True, verbose_name='réponse apportée')),
                ('reminders_sent', models.JSONField(blank=True, default=list, verbose_name='relances envoyées')),
                ('extended_on', models.DateField(blank=True, editable=False, null=True, verbose_name='délai prolongé le')),
                ('extension_reason', models.TextField(blank=True, editable=False, verbose_name='motif de la prolongation')),
                ('person_informed_on', models.DateField(blank=True, editable=False, null=True, verbose_name='personne informée de la prolongation le')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='enregistrée le')),
                ('beneficiary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rights_requests', to='beneficiaries.beneficiary', verbose_name='personne concernée')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrée par')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='traitée par')),
            ],
            options={
                'verbose_name': "demande d'exercice des droits",
                'verbose_name_plural': "demandes d'exercice des droits",
                'ordering': ['status', 'due_on', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('due_on__gte', models.F('received_on'))), name='rights_request_due_after_receipt'), models.CheckConstraint(condition=models.Q(models.Q(('closed_on__isnull', True), ('status', 'open')), models.Q(models.Q(('status', 'open'), _negated=True), ('closed_on__isnull', False)), _connector='OR'), name='rights_request_closed_has_date')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
