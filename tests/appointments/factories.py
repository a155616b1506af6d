"""Factories of the appointment models (rows written directly: no availability check, no
message; the services are tested on their own)."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.appointments.consent import CURRENT_APPOINTMENT_CONSENT_VERSION
from relais.appointments.models import Appointment, AppointmentType, PlaceAppointmentSettings

from ..factories import AdvisorFactory, PlaceFactory


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType

    name = factory.Sequence(lambda n: f"Aide aux démarches en ligne {n}")
    duration_minutes = 45


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booked appointment, three days ahead, each one an hour after the previous."""

    class Meta:
        model = Appointment

    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    place = factory.SubFactory(PlaceFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    # Relative to the suite's frozen clock (tests/conftest.py): always in the future, whatever
    # TEST_NOW (tests/test_factories.py validates it at each instant of `make test-dates`).
    starts_at = factory.Sequence(
        lambda n: (timezone.now() + timedelta(days=3, hours=n)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.appointment_type.duration_minutes)
    )
    occurrence_date = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).date())
    first_name = "Camille"
    last_name = "Exemple"
    email = "camille.exemple@exemple.test"
    consent_version = CURRENT_APPOINTMENT_CONSENT_VERSION
    consent_at = factory.LazyFunction(timezone.now)


class PlaceAppointmentSettingsFactory(factory.django.DjangoModelFactory):
    """A place that keeps the département's rules but for a 48-hour notice."""

    class Meta:
        model = PlaceAppointmentSettings

    place = factory.SubFactory(PlaceFactory)
    min_notice_hours = 48
