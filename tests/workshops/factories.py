"""Factories of the workshop and booking models (used by tests/workshops and tests/bookings)."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.models import Registration
from relais.workshops.enums import TopicStatus
from relais.workshops.models import WorkshopSession, WorkshopTopic

from ..factories import PlaceFactory


class WorkshopTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopTopic

    title = factory.Sequence(lambda n: f"Atelier de test {n}")
    slug = factory.Sequence(lambda n: f"atelier-de-test-{n}")
    description = "Un atelier pour apprendre pas à pas."
    status = TopicStatus.PUBLISHED
    duration_minutes = 120
    capacity = 8


class WorkshopSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopSession

    topic = factory.SubFactory(WorkshopTopicFactory)
    place = factory.SubFactory(PlaceFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    capacity = 8


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A row written directly, without messages (use the services to test behaviour)."""

    class Meta:
        model = Registration

    session = factory.SubFactory(WorkshopSessionFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Exemple{n}")
    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    consent_version = CURRENT_CONSENT_VERSION
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
