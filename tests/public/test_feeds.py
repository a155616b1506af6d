"""iCalendar feeds: the public feed of a place, the private feed of an adviser by secret link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from relais.planning import services as planning_services
from relais.planning.models import Slot
from relais.public.models import FeedToken
from relais.public.services import feed_token_issue
from relais.team.enums import LeaveKind
from relais.team.models import Leave

from ..workshops.factories import WorkshopSessionFactory, WorkshopTopicFactory
from .conftest import working_day_ahead

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def friday():
    return working_day_ahead(4)


@pytest.fixture
def friday_slot(prades, advisor, make_slot):
    slot = make_slot(prades, [advisor], weekday=4, valid_from=timezone.localdate())
    # As if the slot had been saved yesterday: a later change gets a later SEQUENCE.
    Slot.objects.filter(pk=slot.pk).update(updated_at=timezone.now() - timedelta(days=1))
    slot.refresh_from_db()
    return slot


def place_feed(client, place):
    return client.get(reverse("public:place_feed", kwargs={"slug": place.slug}))


def test_the_place_feed_is_public_in_paris_time_and_short_lived_in_caches(
    client, prades, friday_slot, friday
):
    response = place_feed(client, prades)
    calendar = parse(response)
    assert "private" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    uid = f"permanence-{friday_slot.pk}-{friday:%Y%m%d}@127.0.0.1:8000"
    event = events(calendar)[uid]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.hour == 9 and event["DTEND"].dt.hour == 12
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Permanence numérique — Médiathèque de Prades"
    assert "Château Pams" in str(event["LOCATION"])
    assert event["LAST-MODIFIED"].dt == friday_slot.updated_at.replace(microsecond=0)


def test_uids_are_stable_across_requests(client, prades, friday_slot):
    first = list(events(parse(place_feed(client, prades))))
    second = list(events(parse(place_feed(client, prades))))
    assert first == second and len(first) >= 4
    assert len(set(first)) == len(first)


def test_a_cancellation_shows_up_as_cancelled_with_a_higher_sequence(
    client, prades, friday_slot, friday
):
    uid = f"permanence-{friday_slot.pk}-{friday:%Y%m%d}@127.0.0.1:8000"
    before = events(parse(place_feed(client, prades)))[uid]
    planning_services.occurrence_cancel(slot=friday_slot, day=friday, reason="Travaux")
    after = events(parse(place_feed(client, prades)))[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["SUMMARY"]).startswith("Annulée")
    assert "Travaux" in str(after["DESCRIPTION"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt


def test_an_unstaffed_permanence_is_cancelled_publicly_without_naming_the_adviser(
    client, prades, advisor, friday_slot, friday
):
    Leave.objects.create(advisor=advisor, kind=LeaveKind.SICK, start_date=friday, end_date=friday)
    content = place_feed(client, prades).content.decode()
    event = events(Calendar.from_ical(content))[
        f"permanence-{friday_slot.pk}-{friday:%Y%m%d}@127.0.0.1:8000"
    ]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Pixel" not in content and "Absence" not in content


def test_the_place_feed_carries_the_workshop_sessions(client, prades):
    topic = WorkshopTopicFactory(title="Vérifier une information sur internet")
    session = WorkshopSessionFactory(topic=topic, place=prades)
    calendar = parse(place_feed(client, prades))
    event = events(calendar)[f"atelier-{session.pk}@127.0.0.1:8000"]
    assert str(event["SUMMARY"]) == "Atelier numérique : Vérifier une information sur internet"


def test_an_unknown_place_has_no_feed(client, db):
    assert client.get(reverse("public:place_feed", kwargs={"slug": "inconnu"})).status_code == 404


# --- The adviser's private feed -----------------------------------------------------------


def advisor_feed(client, token):
    return client.get(reverse("public:advisor_feed", kwargs={"token": token}))


def test_the_adviser_feed_needs_a_valid_token(client, advisor, friday_slot, friday):
    token = feed_token_issue(advisor=advisor).token
    calendar = parse(advisor_feed(client, token))
    uid = f"permanence-{friday_slot.pk}-{friday:%Y%m%d}-conseiller-{advisor.pk}@127.0.0.1:8000"
    assert str(events(calendar)[uid]["SUMMARY"]) == "Permanence — Médiathèque de Prades"
    key, secret = token.split(".")
    assert advisor_feed(client, f"{key}.{secret[:-1]}x").status_code == 404
    assert advisor_feed(client, f"{key}.").status_code == 404
    assert advisor_feed(client, "nimportequoi").status_code == 404
    response = advisor_feed(client, token)
    assert "private" in response["Cache-Control"]


def test_only_a_hash_of_the_secret_is_stored(advisor):
    issued = feed_token_issue(advisor=advisor)
    secret = issued.token.split(".", 1)[1]
    row = FeedToken.objects.get()
    assert secret not in (row.key, row.token_hash) and len(row.token_hash) == 64


def test_revoking_and_regenerating_the_link(client, advisor, friday_slot):
    old = feed_token_issue(advisor=advisor).token
    new = feed_token_issue(advisor=advisor).token
    assert advisor_feed(client, old).status_code == 404
    assert advisor_feed(client, new).status_code == 200
    assert FeedToken.objects.active().count() == 1
    advisor.user.is_active = False
    advisor.user.save()
    assert advisor_feed(client, new).status_code == 404


def test_the_adviser_feed_shows_their_leave_as_cancelled_for_them(
    client, advisor, friday_slot, friday
):
    Leave.objects.create(advisor=advisor, kind=LeaveKind.PAID, start_date=friday, end_date=friday)
    calendar = parse(advisor_feed(client, feed_token_issue(advisor=advisor).token))
    uid = f"permanence-{friday_slot.pk}-{friday:%Y%m%d}-conseiller-{advisor.pk}@127.0.0.1:8000"
    assert str(events(calendar)[uid]["STATUS"]) == "CANCELLED"


def test_my_agenda_shows_the_link_once_then_revokes_it(client_for, advisor, friday_slot):
    from ..factories import TOTPDeviceFactory

    TOTPDeviceFactory(user=advisor.user)
    client = client_for(advisor.user)
    page = client.get(reverse("public:my_agenda"))
    assert page.status_code == 200 and "Aucun lien actif" in page.content.decode()

    created = client.post(reverse("public:feed_token_create"))
    html = created.content.decode()
    assert created.status_code == 200 and "il ne sera plus affiché" in html
    token = re.search(r'value="http://127\.0\.0\.1:8000/agenda/([^"/]+)\.ics"', html).group(1)
    assert advisor_feed(client, token).status_code == 200
    assert token not in client.get(reverse("public:my_agenda")).content.decode()

    revoked = client.post(reverse("public:feed_token_revoke"))
    assert "Le lien est révoqué" in revoked.content.decode()
    assert advisor_feed(client, token).status_code == 404


def test_my_agenda_is_for_advisers(coordinator_client, client):
    assert coordinator_client.get(reverse("public:my_agenda")).status_code == 403
    response = client.get(reverse("public:my_agenda"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_double_click_on_create_link_gives_the_second_request_the_link_in_use(
    client_for, advisor, monkeypatch
):
    """Issue 12: both requests revoked the old link, then both inserted an active one; the
    second broke « one active link per adviser » (IntegrityError, 500). Replayed in one
    connection: the first request's link appears after the second one's revocation."""
    from relais.public import services

    from ..factories import TOTPDeviceFactory

    first = feed_token_issue(advisor=advisor)
    monkeypatch.setattr(services, "feed_token_revoke", lambda *, advisor: 0)
    TOTPDeviceFactory(user=advisor.user)
    response = client_for(advisor.user).post(reverse("public:feed_token_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un lien vient d'être créé par une autre demande au même moment" in html
    assert "il ne sera plus affiché" not in html  # the other request showed the secret
    assert list(FeedToken.objects.active()) == [first.feed_token]
