"""Retention: names and contacts erased 3 months after the session; the counts survive."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.bookings.enums import Attendance, MessageChannel, MessageKind
from relais.bookings.models import Message, Registration
from relais.bookings.queries import session_attendance_counts
from relais.privacy.registry import registry
from relais.privacy.services import purge_run

from ..workshops.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def _session_ended(session, ago):
    session.ends_at = timezone.now() - ago
    session.starts_at = session.ends_at - timedelta(hours=2)
    session.save()
    return session


def test_registrations_and_messages_are_in_the_retention_table():
    rule = registry.get("workshop_registrations")
    assert rule.model == "bookings.Registration" and rule.term == relativedelta(months=3)
    assert registry.get("workshop_messages").model == "bookings.Message"


def test_the_purge_erases_people_three_months_after_the_session_and_keeps_counts(session):
    _session_ended(session, relativedelta(months=3) + timedelta(days=1))
    old = RegistrationFactory(session=session, phone="+33639980030", attendance=Attendance.PRESENT)
    Message.objects.create(
        registration=old,
        kind=MessageKind.REMINDER,
        channel=MessageChannel.EMAIL,
        recipient=old.email,
    )
    before = session_attendance_counts(session)
    purge_run()
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.phone, old.email) == ("", "", "", "")
    assert old.anonymised_at is not None
    assert Message.objects.get().recipient == ""
    assert session_attendance_counts(session) == before
    # Its secret link no longer shows anything.
    from django.test import Client

    assert Client().get(old.get_manage_url()).status_code == 404


def test_recent_registrations_are_kept(session):
    _session_ended(session, relativedelta(months=2))
    recent = RegistrationFactory(session=session)
    purge_run()
    assert Registration.objects.get(pk=recent.pk).email == recent.email
