"""A collective report prefilled from a workshop session: attendance feeds the counts."""

import pytest
from django.urls import reverse

from relais.activities.models import Activity
from relais.bookings.enums import Attendance

from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory, WorkshopTopicFactory

pytestmark = pytest.mark.django_db


def test_collective_report_is_prefilled_from_the_session(advisor_client):
    topic = WorkshopTopicFactory(
        title="Protéger ses données personnelles", level="beginner", themes=["digital_security"]
    )
    session = WorkshopSessionFactory(topic=topic)
    for attendance in (Attendance.PRESENT, Attendance.PRESENT, Attendance.ABSENT):
        RegistrationFactory(session=session, attendance=attendance)
    url = reverse("activities:create") + f"?kind=collective&session={session.pk}"
    form = advisor_client.get(url).context["form"]
    assert form.initial["title"] == "Protéger ses données personnelles"
    assert form.initial["participants_count"] == 2  # those marked present, not the absent one
    assert form.initial["place"] == session.place
    assert form.initial["duration"] == "120"
    assert form.initial["workshop_session"] == session


def test_the_report_keeps_the_link_to_its_session(advisor_client, advisor_user):
    session = WorkshopSessionFactory()
    data = {
        "idempotency_key": "6f1c1c1e-1111-4222-8333-444455556666",
        "workshop_session": session.pk,
        "date": "2026-11-20",
        "duration": "120",
        "location_kind": "place",
        "place": session.place.pk,
        "themes": ["email"],
        "title": "Créer son adresse e-mail",
        "participants_count": 5,
        "equipment": ["computer"],
    }
    response = advisor_client.post(reverse("activities:create") + "?kind=collective", data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert activity.workshop_session == session
    assert activity.participants_count == 5
