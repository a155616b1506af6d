"""The appointments moved to the ``appointments`` app, their tables unchanged: state only. The
messages stay here; their foreign key now names the model in its new app (same column)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        # The models exist in the new app's state before they leave this one's.
        ('appointments', '0001_initial'),
        ('bookings', '0003_place_appointment_settings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='appointment',
                    name='advisor',
                ),
                migrations.RemoveField(
                    model_name='appointment',
                    name='appointment_type',
                ),
                migrations.RemoveField(
                    model_name='appointment',
                    name='booked_by',
                ),
                migrations.RemoveField(
                    model_name='appointment',
                    name='place',
                ),
                migrations.RemoveField(
                    model_name='appointment',
                    name='slot',
                ),
                migrations.AlterField(
                    model_name='message',
                    name='appointment',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='appointments.appointment', verbose_name='rendez-vous'),
                ),
                migrations.RemoveField(
                    model_name='placeappointmentsettings',
                    name='place',
                ),
                migrations.DeleteModel(
                    name='AppointmentType',
                ),
                migrations.DeleteModel(
                    name='Appointment',
                ),
                migrations.DeleteModel(
                    name='PlaceAppointmentSettings',
                ),
            ],
            database_operations=[],
        ),
    ]
