"""The monthly reports arrive from the ``committee`` app. Their tables keep their names
(``db_table``): the state changes, the database does not. Their content types follow, so that
permissions and admin history stay attached."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("monthlyreport", "monthlyreportreminder"):
        if not content_type.objects.filter(app_label="monthly", model=model).exists():
            content_type.objects.filter(app_label="committee", model=model).update(
                app_label="monthly"
            )


def content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("monthlyreport", "monthlyreportreminder"):
        content_type.objects.filter(app_label="monthly", model=model).update(
            app_label="committee"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables exist already, created by the committee app.
        ('committee', '0003_plausible_dates'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_commune_insee_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MonthlyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='Premier jour du mois.', verbose_name='mois')),
                        ('version', models.PositiveSmallIntegerField(default=1, verbose_name='version')),
                        ('status', models.CharField(choices=[('draft', 'Brouillon'), ('submitted', 'Transmis à la structure'), ('validated', 'Validé'), ('returned', 'Renvoyé pour correction')], default='draft', max_length=12, verbose_name='état')),
                        ('figures', models.JSONField(blank=True, default=dict, verbose_name='chiffres')),
                        ('adviser_comment', models.TextField(blank=True, help_text='Faits marquants du mois, sans nommer de personne accompagnée.', verbose_name='commentaire du conseiller')),
                        ('return_comment', models.TextField(blank=True, verbose_name='motif du renvoi')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='transmis le')),
                        ('validated_at', models.DateTimeField(blank=True, null=True, verbose_name='validé le')),
                        ('returned_at', models.DateTimeField(blank=True, null=True, verbose_name='renvoyé le')),
                        ('corrects', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='correction', to='monthly.monthlyreport', verbose_name='corrige la version')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='monthly_reports', to='core.organisation', verbose_name='structure')),
                        ('returned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='renvoyé par')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='transmis par')),
                        ('validated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='validé par')),
                    ],
                    options={
                        'verbose_name': 'compte rendu mensuel',
                        'verbose_name_plural': 'comptes rendus mensuels',
                        'db_table': 'committee_monthlyreport',
                        'ordering': ['-month', 'partner__name', '-version'],
                        'indexes': [models.Index(fields=['month', 'status'], name='monthly_report_month')],
                        'constraints': [models.UniqueConstraint(fields=('partner', 'month', 'version'), name='monthly_report_one_per_version'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='monthly_report_version'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'validated', 'returned'])), name='monthly_report_status_valid'), models.CheckConstraint(condition=models.Q(('status', 'draft'), ('submitted_at__isnull', False), _connector='OR'), name='monthly_report_submitted_has_date'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'validated'), _negated=True), ('validated_at__isnull', False), _connector='OR'), name='monthly_report_validated_has_date'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'returned'), _negated=True), models.Q(('return_comment', ''), _negated=True), _connector='OR'), name='monthly_report_returned_has_comment')],
                    },
                ),
                migrations.CreateModel(
                    name='MonthlyReportReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='mois')),
                        ('kind', models.CharField(choices=[('not_submitted', 'Compte rendu non transmis'), ('not_validated', 'Compte rendu non validé')], max_length=20, verbose_name='relance')),
                        ('version', models.PositiveSmallIntegerField(default=0, verbose_name='version')),
                        ('recipient', models.EmailField(max_length=254, verbose_name='destinataire')),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyée le')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation', verbose_name='structure')),
                    ],
                    options={
                        'verbose_name': 'relance de compte rendu',
                        'verbose_name_plural': 'relances de comptes rendus',
                        'db_table': 'committee_monthlyreportreminder',
                        'ordering': ['-sent_at'],
                        'constraints': [models.UniqueConstraint(fields=('partner', 'month', 'kind', 'version', 'recipient'), name='monthly_reminder_sent_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
