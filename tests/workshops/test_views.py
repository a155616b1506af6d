"""Public pages (catalogue, topic, iCal feed), staff pages and who may open them, exports."""

from datetime import date, time, timedelta
from io import BytesIO

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from relais.bookings.services import session_cancel
from relais.core.french import french_time
from relais.workshops.enums import TopicStatus
from relais.workshops.models import WorkshopSession, WorkshopTopic

from ..helpers import page_text
from .factories import RegistrationFactory, WorkshopSessionFactory, WorkshopTopicFactory

pytestmark = pytest.mark.django_db


# --- Public ---------------------------------------------------------------------------------------


def test_the_public_catalogue_lists_published_topics_only_without_login(client, session):
    WorkshopTopicFactory(title="Atelier en préparation", status=TopicStatus.DRAFT)
    WorkshopTopicFactory(title="Atelier retiré", status=TopicStatus.RETIRED)
    response = client.get(reverse("workshops:catalogue"))
    assert response.status_code == 200
    text = page_text(response)
    assert session.topic.title in text
    assert "1 séance à venir" in text
    assert "en préparation" not in text and "retiré" not in text


def test_the_catalogue_filters_by_place(client, session, other_place):
    elsewhere = WorkshopSessionFactory(place=other_place)
    text = page_text(client.get(reverse("workshops:catalogue") + f"?lieu={other_place.slug}"))
    assert elsewhere.topic.title in text
    assert "Pas de séance programmée dans ce lieu" in text  # the other topic


def test_a_topic_page_shows_sessions_seats_and_the_waiting_list(client, session):
    full = WorkshopSessionFactory(topic=session.topic, place=session.place, capacity=2)
    RegistrationFactory.create_batch(2, session=full)
    text = page_text(client.get(session.topic.get_absolute_url()))
    assert "8 places disponibles" in text
    assert "Complet" in text and "Rejoindre la liste d'attente" in text
    draft = WorkshopTopicFactory(status=TopicStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_ical_feed_of_a_place_parses_and_carries_the_paris_timezone(client, session):
    cancelled = WorkshopSessionFactory(
        topic=session.topic, place=session.place, starts_at=session.starts_at + timedelta(days=1)
    )
    session_cancel(session=cancelled)
    response = client.get(reverse("workshops:place_ics", kwargs={"slug": session.place.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert events[0]["dtstart"].params["TZID"] == "Europe/Paris"
    assert events[0].decoded("dtstart") == session.starts_at
    assert session.topic.title in str(events[0]["summary"])
    assert str(events[1]["status"]) == "CANCELLED"
    assert client.get("/ateliers/lieux/inconnu.ics").status_code == 404


def test_upcoming_sessions_of_a_place_can_be_embedded_in_its_page(session, other_place):
    WorkshopSessionFactory(place=other_place)
    html = Template("{% load workshops %}{% upcoming_sessions place %}").render(
        Context({"place": session.place})
    )
    assert session.topic.title in html
    assert reverse("bookings:register", kwargs={"pk": session.pk}) in html
    assert html.count("card session-item") == 1


# --- Staff ----------------------------------------------------------------------------------------


def test_coordinators_create_and_publish_topics(coordinator_client, client):
    response = coordinator_client.post(
        reverse("workshops:topic_new"),
        {
            "title": "Protéger ses données personnelles",
            "slug": "",
            "description": "Mots de passe, hameçonnage.",
            "themes": ["security"],
            "level": "beginner",
            "duration_minutes": 90,
            "capacity": 8,
            "status": "published",
        },
    )
    assert response.status_code == 302
    topic = WorkshopTopic.objects.get()
    assert topic.slug == "proteger-ses-donnees-personnelles" and topic.themes == ["security"]
    assert client.get(topic.get_absolute_url()).status_code == 200
    response = coordinator_client.post(
        reverse("workshops:topic_edit", kwargs={"pk": topic.pk}),
        {
            **{f: getattr(topic, f) for f in ["title", "slug", "description", "level"]},
            "themes": ["security"],
            "duration_minutes": 90,
            "capacity": 8,
            "status": "retired",
        },
    )
    assert response.status_code == 302
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_an_advisor_programmes_a_weekly_series_and_is_told_the_skipped_holidays(
    advisor_client, topic, place
):
    response = advisor_client.post(
        reverse("workshops:session_new"),
        {
            "topic": topic.pk,
            "place": place.pk,
            "day": _next_weekday_before_holiday().isoformat(),
            "start_time": "14:00",
            "occurrences": 3,
        },
        follow=True,
    )
    text = page_text(response)
    assert "séance(s) programmée(s)" in text
    assert "Jours fériés sautés" in text
    skipped = text.count("/20")  # one dd/mm/yyyy per skipped holiday in the message
    assert WorkshopSession.objects.count() == 3 - skipped


def _next_weekday_before_holiday() -> date:
    import holidays

    today = timezone.localdate()
    days = holidays.France(years=[today.year, today.year + 1])
    holiday = min(d for d in days if d > today + timedelta(days=14))
    return holiday - timedelta(weeks=1)


def test_the_session_form_refuses_more_seats_than_the_room_in_french(coordinator_client, topic):
    from ..factories import PlaceFactory

    small = PlaceFactory(room_capacity=6)
    response = coordinator_client.post(
        reverse("workshops:session_new"),
        {
            "topic": topic.pk,
            "place": small.pk,
            "day": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "start_time": "10:00",
            "capacity": 8,
            "occurrences": 1,
        },
    )
    assert response.status_code == 200
    assert "accueille 6 personnes au plus" in page_text(response)
    assert not WorkshopSession.objects.exists()


@pytest.mark.parametrize(
    ("persona", "topics", "new_topic", "sessions", "new_session", "roster"),
    [
        ("coordinator_client", 200, 200, 200, 200, 200),
        ("administrator_client", 200, 200, 200, 200, 200),
        ("advisor_client", 200, 403, 200, 200, 200),
        ("partner_client", 403, 403, 200, 403, 403),
        ("committee_client", 403, 403, 403, 403, 403),
    ],
)
def test_staff_pages_by_role(
    request, session, persona, topics, new_topic, sessions, new_session, roster
):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("workshops:topic_list")).status_code == topics
    assert client.get(reverse("workshops:topic_new")).status_code == new_topic
    assert client.get(reverse("workshops:session_list")).status_code == sessions
    assert client.get(reverse("workshops:session_new")).status_code == new_session
    assert client.get(reverse("bookings:roster", kwargs={"pk": session.pk})).status_code == roster
    assert (
        client.get(reverse("bookings:staff_register", kwargs={"pk": session.pk})).status_code
        == roster
    )


def test_partner_staff_read_their_places_programme_without_names(
    partner_client, outsider_client, session
):
    RegistrationFactory(session=session, last_name="Confidentiel")
    text = page_text(partner_client.get(reverse("workshops:session_list")))
    assert session.topic.title in text and "1 / 8" in text
    assert "Confidentiel" not in text
    assert session.topic.title not in page_text(
        outsider_client.get(reverse("workshops:session_list"))
    )


def test_anonymous_visitors_are_sent_to_login_for_staff_pages(client, session):
    for url in [
        reverse("workshops:session_list"),
        reverse("bookings:roster", kwargs={"pk": session.pk}),
        reverse("workshops:programme"),
    ]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


# --- Programme export (annexe 2) -----------------------------------------------------------------


def _programme_url(place, fmt, first=None, last=None):
    first = first or timezone.localdate()
    last = last or first + timedelta(days=30)
    place_id = place.pk if place else ""
    return (
        reverse("workshops:programme")
        + f"?place={place_id}&first={first.isoformat()}&last={last.isoformat()}&format={fmt}"
    )


def test_the_programme_exports_as_pdf(coordinator_client, session):
    response = coordinator_client.get(_programme_url(session.place, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Programmation des ateliers" in text
    assert session.place.name in text
    assert session.topic.title.split()[0] in text


def test_the_programme_exports_as_xlsx(coordinator_client, session):
    response = coordinator_client.get(_programme_url(None, "xlsx"))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][0] == "Lieu"
    assert rows[4][0] == session.place.name and rows[4][5] == session.topic.title
    assert rows[4][3] == french_time(session.starts_at)


def test_partner_staff_export_their_places_only(partner_client, session, other_place):
    WorkshopSessionFactory(place=other_place, topic__title="Atelier ailleurs")
    response = partner_client.get(_programme_url(None, "xlsx"))
    titles = [
        row[5]
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(
            min_row=5, values_only=True
        )
    ]
    assert titles == [session.topic.title]
    assert partner_client.get(_programme_url(other_place, "pdf")).status_code == 200
    # The other place is not in the partner's choices: the form refuses it.
    assert "Sélectionnez un choix valide" in page_text(
        partner_client.get(_programme_url(other_place, "pdf"))
    )


def test_the_programme_form_checks_the_period(coordinator_client):
    today = timezone.localdate()
    response = coordinator_client.get(
        _programme_url(None, "pdf", first=today, last=today - timedelta(days=1))
    )
    assert "La fin de la période précède son début" in page_text(response)


def test_the_session_start_time_is_shown_in_paris_time(client, topic, place):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = timezone.localdate() + timedelta(days=20)
    WorkshopSessionFactory(
        topic=topic,
        place=place,
        starts_at=datetime.combine(day, time(14, 30), tzinfo=ZoneInfo("Europe/Paris")),
    )
    assert "14 h 30" in page_text(client.get(topic.get_absolute_url())).replace("\u00a0", " ")
