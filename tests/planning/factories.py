"""Factories of the planning: permanences (slots) covered by a signed agreement, closures,
one-off exceptions, the adviser's last visit of « Ma semaine », planner runs."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from relais.planning.enums import ExceptionKind, Weekday
from relais.planning.models import Closure, OccurrenceException, PlanRun, Slot, WeekVisit

from ..agreements.factories import SIGNED_ON, CommitmentFactory, SignedAgreementFactory
from ..factories import AdvisorFactory, PlaceFactory


class SlotFactory(factory.django.DjangoModelFactory):
    """Mondays 9 h – 12 h for twelve weeks from ``SIGNED_ON`` (a Monday), at the place of a
    commitment of an agreement in force (a slot lies inside an agreement period, Art. 6).
    ``SlotFactory(advisors=[...])`` staffs it."""

    class Meta:
        model = Slot
        skip_postgeneration_save = True

    commitment = factory.SubFactory(
        CommitmentFactory, agreement=factory.SubFactory(SignedAgreementFactory)
    )
    place = factory.SelfAttribute("commitment.place")
    weekday = Weekday.MONDAY
    start_time = time(9)
    end_time = time(12)
    valid_from = SIGNED_ON
    valid_until = SIGNED_ON + timedelta(weeks=12)

    @factory.post_generation
    def advisors(self, create, extracted, **kwargs):
        if create and extracted:
            self.advisors.set(extracted)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    place = factory.SubFactory(PlaceFactory)
    start_date = SIGNED_ON + timedelta(days=42)
    end_date = SIGNED_ON + timedelta(days=46)
    reason = "Inventaire"


class OccurrenceExceptionFactory(factory.django.DjangoModelFactory):
    """The cancellation of one Monday of the slot (a different Monday for each row)."""

    class Meta:
        model = OccurrenceException

    slot = factory.SubFactory(SlotFactory)
    date = factory.Sequence(lambda n: SIGNED_ON + timedelta(weeks=n % 12))
    kind = ExceptionKind.CANCELLATION
    reason = "Conseiller en formation"


class WeekVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeekVisit

    advisor = factory.SubFactory(AdvisorFactory)
    visited_at = factory.LazyFunction(timezone.now)


class PlanRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRun

    week_start = SIGNED_ON + timedelta(weeks=2)
