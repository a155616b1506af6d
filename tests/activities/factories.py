"""Factories of the activities, and builders that record them through the service as the
app does (with the roll-ups and the journal)."""

import uuid
from datetime import date

import factory

from relais.activities.enums import ActivityKind, Autonomy, LocationKind, Theme
from relais.activities.models import Activity, ActivityTheme
from relais.activities.services import activity_record

from ..factories import AdvisorFactory, PlaceFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """A 30-minute individual help at a place, of a person of unknown profile, written straight
    to the database (the roll-ups do not see it: ``record_individual`` goes through the
    service)."""

    class Meta:
        model = Activity

    advisor = factory.SubFactory(AdvisorFactory)
    kind = ActivityKind.INDIVIDUAL
    date = date(2025, 3, 10)
    duration_minutes = 30
    location_kind = LocationKind.PLACE
    place = factory.SubFactory(PlaceFactory)
    autonomy = Autonomy.GUIDED
    gender_unknown = 1
    age_unknown = 1
    status_unknown = 1
    equipment_phone = True
    idempotency_key = factory.LazyFunction(uuid.uuid4)


class ActivityThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityTheme

    activity = factory.SubFactory(ActivityFactory)
    theme = Theme.EMAIL


def record_individual(advisor, *, place, beneficiary=None, themes=("email",), **extra):
    data = {
        "date": extra.pop("date", date(2025, 3, 10)),
        "duration_minutes": 30,
        "location_kind": "place",
        "place": place,
        "themes": list(themes),
        "equipment": ["phone"],
        "beneficiary": beneficiary,
        "autonomy": "guided",
        "private_notes": "",
        **extra,
    }
    activity, _ = activity_record(
        advisor=advisor, kind="individual", data=data, idempotency_key=uuid.uuid4()
    )
    return activity


def record_collective(advisor, *, place, participants=6, **extra):
    data = {
        "date": date(2025, 3, 11),
        "duration_minutes": 120,
        "location_kind": "place",
        "place": place,
        "themes": ["security", "digital_culture"],
        "equipment": ["computer"],
        "title": "Se protéger des arnaques",
        "level": "beginner",
        "participants_count": participants,
        **extra,
    }
    activity, _ = activity_record(
        advisor=advisor, kind="collective", data=data, idempotency_key=uuid.uuid4()
    )
    return activity
