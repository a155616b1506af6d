"""The appointments left ``bookings`` for their own app without moving a row: a database at
the previous state keeps its appointments, their messages and their permissions."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from relais.appointments.models import Appointment
from relais.bookings.models import Message

from .appointment_helpers import advisor, appointment_type, covered_place

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("bookings", "0003_place_appointment_settings"), ("appointments", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_an_appointment_booked_before_the_move_is_still_there_after_it():
    place, lea, kind = covered_place(), advisor(), appointment_type()
    permission = Permission.objects.get(codename="view_appointment")
    type_id = ContentType.objects.get_for_model(Appointment).pk
    latest = [(key[0], key[1]) for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]
    public_id = uuid.uuid4()
    try:
        old = _migrate(BEFORE)
        # At the previous state the model is bookings.Appointment, on the same table.
        assert old.get_model("bookings", "Appointment")._meta.db_table == "bookings_appointment"
        with pytest.raises(LookupError):
            old.get_model("appointments", "Appointment")
        assert ContentType.objects.get(pk=type_id).app_label == "bookings"
        starts = timezone.now() + timedelta(days=3)
        row = old.get_model("bookings", "Appointment").objects.create(
            public_id=public_id,
            appointment_type_id=kind.pk,
            place_id=place.pk,
            advisor_id=lea.pk,
            occurrence_date=starts.date(),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=45),
            first_name="Camille",
            last_name="Avant",
            email="camille.avant@exemple.test",
            consent_version=1,
            consent_at=timezone.now(),
        )
        old.get_model("bookings", "Message").objects.create(
            channel="email", recipient="camille.avant@exemple.test", kind="confirmation",
            appointment_id=row.pk,
        )  # fmt: skip
    finally:
        _migrate(latest)

    appointment = Appointment.objects.get(public_id=public_id)
    assert (appointment.last_name, appointment.place_id, appointment.advisor_id) == (
        "Avant",
        place.pk,
        lea.pk,
    )
    assert appointment.appointment_type == kind
    assert Message.objects.get(appointment=appointment).kind == "confirmation"
    # The content type came back to the new app with its id: permissions stay attached.
    content_type = ContentType.objects.get(pk=type_id)
    assert (content_type.app_label, content_type.model) == ("appointments", "appointment")
    assert Permission.objects.get(pk=permission.pk).content_type_id == type_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bookings_appointment WHERE last_name = 'Avant'")
        assert cursor.fetchone() == (1,)
