"""Attendance after the session, and the counts the activity reports read."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from relais.bookings.enums import Attendance, RegistrationStatus
from relais.bookings.queries import session_attendance_counts
from relais.bookings.services import attendance_mark
from relais.workshops.enums import SessionStatus

from ..workshops.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(session):
    session.starts_at = timezone.now() - timedelta(hours=3)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    return session


def test_attendance_is_marked_after_the_session_and_counted(past_session):
    a, b, c, _d = RegistrationFactory.create_batch(4, session=past_session)
    RegistrationFactory(session=past_session, status=RegistrationStatus.WAITING)
    RegistrationFactory(session=past_session, status=RegistrationStatus.CANCELLED)
    attendance_mark(
        session=past_session,
        marks={a.pk: Attendance.PRESENT, b.pk: Attendance.PRESENT, c.pk: Attendance.EXCUSED},
    )
    past_session.refresh_from_db()
    assert past_session.status == SessionStatus.HELD
    assert session_attendance_counts(past_session) == {
        "registered": 4,
        "present": 2,
        "absent": 0,
        "excused": 1,
        "unmarked": 1,
        "waiting": 1,
        "cancelled": 1,
    }


def test_attendance_cannot_be_marked_before_the_session(session):
    registration = RegistrationFactory(session=session)
    with pytest.raises(ValidationError, match="une fois la séance commencée"):
        attendance_mark(session=session, marks={registration.pk: Attendance.PRESENT})


def test_only_confirmed_registrations_get_an_attendance(past_session):
    waiting = RegistrationFactory(session=past_session, status=RegistrationStatus.WAITING)
    with pytest.raises(ValidationError):
        attendance_mark(session=past_session, marks={waiting.pk: Attendance.PRESENT})


def test_an_advisor_marks_attendance_from_the_session_page(advisor_client, past_session):
    registration = RegistrationFactory(session=past_session)
    page = advisor_client.get(reverse("bookings:roster", kwargs={"pk": past_session.pk}))
    assert "Enregistrer les présences" in page.content.decode()
    response = advisor_client.post(
        reverse("bookings:attendance", kwargs={"pk": past_session.pk}),
        {f"r{registration.pk}": "absent"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ABSENT
