"""A collective report prefilled from a workshop session: attendance feeds the counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from relais.activities.models import Activity
from relais.bookings.enums import Attendance
from relais.workshops.enums import SessionStatus

from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory
from ..helpers import page_text
from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory, WorkshopTopicFactory
from .factories import record_collective
from .formdata import form_defaults

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


# --- Issue 14 §2: a session has one report, which keeps its link ----------------------------------


def _past_session(advisor=None, **extra):
    # Two days before the suite's clock (tests/conftest.py): over and due for a report on any
    # date the clock is set to; nothing here depends on the weekday or the month.
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
    extra.setdefault("topic", WorkshopTopicFactory(themes=["email"]))
    session = WorkshopSessionFactory(starts_at=start, ends_at=start + timedelta(hours=2), **extra)
    if advisor is not None:
        session.advisors.add(advisor)
    return session


def _report_form(client, session) -> dict:
    """What a browser posts for the prefilled form, untouched but for the required title."""
    url = reverse("activities:create") + f"?kind=collective&session={session.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return form_defaults(response.content.decode())


def test_the_prefilled_form_carries_the_session_as_a_browser_would_post_it(advisor_client):
    session = _past_session()
    for _ in range(3):
        RegistrationFactory(session=session, attendance=Attendance.PRESENT)
    data = _report_form(advisor_client, session)
    assert data["workshop_session"] == [str(session.pk)]
    assert data["participants_count"] == ["3"]
    response = advisor_client.post(reverse("activities:create") + "?kind=collective", data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert activity.workshop_session == session
    assert activity.participants_count == 3
    assert activity.gender_unknown == 3


def test_a_second_report_of_the_same_session_shows_the_first(advisor_client, client_for):
    session = _past_session()
    first_tab = _report_form(advisor_client, session)
    second_tab = _report_form(advisor_client, session)
    assert first_tab["idempotency_key"] != second_tab["idempotency_key"]
    first_tab["participants_count"] = second_tab["participants_count"] = ["4"]
    create = reverse("activities:create") + "?kind=collective"
    first = advisor_client.post(create, first_tab)
    assert first.status_code == 302, first.context["form"].errors
    report = Activity.objects.get()
    second = advisor_client.post(create, second_tab)
    assert first["Location"] == second["Location"] == report.get_absolute_url()
    assert Activity.objects.count() == 1
    # A co-leader opening the form later is sent to the report, not to a blank form.
    colleague = AdvisorFactory().user
    TOTPDeviceFactory(user=colleague)
    colleague = client_for(colleague)
    response = colleague.get(create + f"&session={session.pk}", follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "déjà son compte rendu" in page_text(response)


def test_the_database_refuses_two_reports_of_one_session(advisor):
    place = PlaceFactory()
    session = _past_session()
    record_collective(advisor, place=place, workshop_session=session)
    duplicate = Activity(
        advisor=advisor, kind="collective", date=session.starts_at.date(), duration_minutes=60,
        place=place, title="Doublon", participants_count=1, gender_unknown=1, age_unknown=1,
        status_unknown=1, workshop_session=session,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["Cette séance d'atelier a déjà son compte rendu."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_correcting_a_report_keeps_its_session(advisor_client, advisor):
    session = _past_session()
    report = record_collective(
        advisor,
        place=session.place,
        workshop_session=session,
        date=timezone.localdate(session.starts_at),
    )
    edit = reverse("activities:edit", args=[report.pk])
    data = form_defaults(advisor_client.get(edit).content.decode())
    assert data["workshop_session"] == [str(session.pk)]
    data["participants_count"] = ["7"]  # the three « Non communiqué » follow
    response = advisor_client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    report.refresh_from_db()
    assert report.workshop_session == session
    assert (report.participants_count, report.gender_unknown, report.age_unknown) == (7, 7, 7)


def test_roster_offers_the_report_from_the_start_until_it_is_recorded(advisor_client, advisor):
    report_button = "Saisir le compte rendu de l'atelier"
    future = WorkshopSessionFactory()
    assert report_button not in page_text(advisor_client.get(future.get_absolute_url()))
    cancelled = _past_session(status=SessionStatus.CANCELLED)
    assert report_button not in page_text(advisor_client.get(cancelled.get_absolute_url()))
    started = _past_session()
    assert report_button in page_text(advisor_client.get(started.get_absolute_url()))
    record_collective(advisor, place=started.place, workshop_session=started)
    text = page_text(advisor_client.get(started.get_absolute_url()))
    assert report_button not in text
    assert "Compte rendu saisi" in text


def test_home_page_lists_the_reports_to_write(advisor_client, advisor):
    due = _past_session(advisor)
    reported = _past_session(advisor)
    record_collective(advisor, place=reported.place, workshop_session=reported)
    _past_session()  # run by someone else
    WorkshopSessionFactory().advisors.add(advisor)  # not started yet
    response = advisor_client.get("/")
    assert [s.pk for s in response.context["reports_due"]] == [due.pk]
    text = page_text(response)
    assert "Comptes rendus à saisir (1)" in text
    assert f"session={due.pk}" in response.content.decode()


def test_two_reports_posted_at_the_same_time_record_one(advisor_client, monkeypatch):
    """Both posts pass validation before either is saved: the database's constraint settles it
    and the second post is shown the first report (no 500)."""
    session = _past_session()
    first_tab, second_tab = (
        _report_form(advisor_client, session),
        _report_form(advisor_client, session),
    )
    first_tab["participants_count"] = second_tab["participants_count"] = ["4"]
    create = reverse("activities:create") + "?kind=collective"
    assert advisor_client.post(create, first_tab).status_code == 302
    report = Activity.objects.get()
    # The second post validated before the first was saved: the unique check saw nothing.
    monkeypatch.setattr(Activity, "validate_constraints", lambda self, exclude=None: None)
    response = advisor_client.post(create, second_tab, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "déjà son compte rendu" in page_text(response)
    assert Activity.objects.count() == 1
