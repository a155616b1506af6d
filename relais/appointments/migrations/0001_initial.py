"""The appointments arrive from the ``bookings`` app. Their tables keep their names
(``db_table``): the state changes, the database does not. Their content types follow, so that
permissions and admin history stay attached (as ``monthly.0001`` did for the monthly reports)."""

import django.core.validators
import django.db.models.deletion
import relais.core.validators
import uuid
from django.conf import settings
from django.db import migrations, models

MODELS = ("appointment", "appointmenttype", "placeappointmentsettings")


def content_types_follow(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="appointments", model=model).exists():
            content_type.objects.filter(app_label="bookings", model=model).update(
                app_label="appointments"
            )


def content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        content_type.objects.filter(app_label="appointments", model=model).update(
            app_label="bookings"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables exist already, created by the bookings app.
        ('bookings', '0003_place_appointment_settings'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('places', '0004_place_siret_address'),
        ('planning', '0003_plausible_dates'),
        ('team', '0003_plausible_dates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AppointmentType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                        ('name', models.CharField(max_length=120, unique=True, verbose_name='intitulé')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('duration_minutes', models.PositiveSmallIntegerField(choices=[(30, '30 minutes'), (45, '45 minutes'), (60, '1 heure')], default=45, verbose_name='durée')),
                        ('is_active', models.BooleanField(default=True, help_text='Décochez pour ne plus le proposer ; les rendez-vous déjà pris restent.', verbose_name='proposé à la réservation')),
                    ],
                    options={
                        'verbose_name': 'type de rendez-vous',
                        'verbose_name_plural': 'types de rendez-vous',
                        'db_table': 'bookings_appointmenttype',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='PlaceAppointmentSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                        ('appointments_enabled', models.BooleanField(default=True, help_text='Décochez pour ne plus proposer de rendez-vous en ligne dans ce lieu ; les rendez-vous déjà pris restent.', verbose_name='prise de rendez-vous en ligne ouverte')),
                        ('min_notice_hours', models.PositiveSmallIntegerField(blank=True, help_text='Vide : valeur départementale.', null=True, validators=[django.core.validators.MinValueValidator(0, message='Le délai minimal doit être compris entre 0 et 720 heures (30 jours).'), django.core.validators.MaxValueValidator(720, message='Le délai minimal doit être compris entre 0 et 720 heures (30 jours).')], verbose_name='délai minimal de réservation (en heures)')),
                        ('horizon_days', models.PositiveSmallIntegerField(blank=True, help_text='Vide : valeur départementale.', null=True, validators=[django.core.validators.MinValueValidator(1, message="La réservation doit être ouverte entre 1 et 365 jours à l'avance."), django.core.validators.MaxValueValidator(365, message="La réservation doit être ouverte entre 1 et 365 jours à l'avance.")], verbose_name="réservation possible jusqu'à (en jours)")),
                        ('walk_in_percent', models.PositiveSmallIntegerField(blank=True, help_text='Vide : valeur départementale.', null=True, validators=[django.core.validators.MinValueValidator(0, message='La part réservée aux visites sans rendez-vous est un pourcentage compris entre 0 et 100.'), django.core.validators.MaxValueValidator(100, message='La part réservée aux visites sans rendez-vous est un pourcentage compris entre 0 et 100.')], verbose_name='part réservée aux visites sans rendez-vous (en %)')),
                        ('place', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='appointment_settings', to='places.place', verbose_name='lieu')),
                    ],
                    options={
                        'verbose_name': "réglages des rendez-vous d'un lieu",
                        'verbose_name_plural': 'réglages des rendez-vous des lieux',
                        'db_table': 'bookings_placeappointmentsettings',
                    },
                ),
                migrations.CreateModel(
                    name='Appointment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, unique=True, verbose_name='identifiant public')),
                        ('occurrence_date', models.DateField(verbose_name='date de la permanence')),
                        ('starts_at', models.DateTimeField(verbose_name='début')),
                        ('ends_at', models.DateTimeField(verbose_name='fin')),
                        ('first_name', models.CharField(blank=True, max_length=100, verbose_name='prénom')),
                        ('last_name', models.CharField(blank=True, max_length=100, verbose_name='nom')),
                        ('phone', models.CharField(blank=True, max_length=20, validators=[relais.core.validators.validate_phone], verbose_name='téléphone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('status', models.CharField(choices=[('booked', 'Réservé'), ('cancelled', 'Annulé'), ('done', 'Honoré'), ('no_show', 'Personne non venue')], default='booked', max_length=20, verbose_name='statut')),
                        ('consent_version', models.PositiveSmallIntegerField(verbose_name='version du consentement accepté')),
                        ('consent_at', models.DateTimeField(verbose_name='consentement donné le')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='annulé le')),
                        ('cancelled_by', models.CharField(blank=True, choices=[('resident', 'La personne (lien reçu)'), ('staff', "Un membre de l'équipe"), ('schedule', 'Changement de planning (absence, fermeture, annulation)')], max_length=20, verbose_name='annulé par')),
                        ('cancellation_reason', models.CharField(blank=True, max_length=200, verbose_name="motif de l'annulation")),
                        ('status_marked_at', models.DateTimeField(blank=True, null=True, verbose_name='statut noté le')),
                        ('anonymised_at', models.DateTimeField(blank=True, null=True, verbose_name='données effacées le')),
                        ('advisor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='team.advisor', verbose_name='conseiller')),
                        ('booked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='réservé par')),
                        ('place', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='places.place', verbose_name='lieu')),
                        ('slot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointments', to='planning.slot', verbose_name='permanence')),
                        ('appointment_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='appointments.appointmenttype', verbose_name='type de rendez-vous')),
                    ],
                    options={
                        'verbose_name': 'rendez-vous',
                        'verbose_name_plural': 'rendez-vous',
                        'db_table': 'bookings_appointment',
                        'ordering': ['starts_at', 'pk'],
                        'indexes': [models.Index(fields=['advisor', 'starts_at'], name='appointment_advisor_start')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('anonymised_at__isnull', False), models.Q(('email', ''), ('phone', ''), _negated=True), _connector='OR'), name='appointment_has_a_contact'), models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='appointment_ends_after_start'), models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('advisor', 'starts_at'), name='appointment_one_per_advisor_start')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
