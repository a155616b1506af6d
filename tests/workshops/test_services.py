"""Catalogue and programme rules: room capacity, series and public holidays, capacity changes."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from relais.bookings.enums import RegistrationStatus
from relais.bookings.services import session_update
from relais.workshops.enums import SessionStatus, TopicStatus
from relais.workshops.services import (
    session_create,
    session_series_create,
    topic_create,
)

from ..factories import PlaceFactory
from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_a_session_can_never_offer_more_seats_than_the_room(topic):
    place = PlaceFactory(room_capacity=6)
    start = date(2031, 3, 4)
    with pytest.raises(ValidationError) as error:
        session_create(topic=topic, place=place, starts_at=_at(start, 14), capacity=8)
    assert "accueille 6 personnes au plus" in str(error.value)
    # Without an explicit capacity: the topic's 8, capped by the room's 6.
    assert session_create(topic=topic, place=place, starts_at=_at(start, 14)).capacity == 6


def test_a_place_without_a_known_room_cannot_host_a_workshop(topic):
    place = PlaceFactory(room_capacity=None)
    with pytest.raises(ValidationError, match="capacité de la salle"):
        session_create(topic=topic, place=place, starts_at=_at(date(2031, 3, 4), 14), capacity=6)


def _at(day, hour):
    from datetime import datetime

    return datetime.combine(day, time(hour), tzinfo=PARIS)


def test_a_weekly_series_skips_french_public_holidays_and_says_which(topic, place):
    # Mondays from 30 June 2031: 14 July (Fête nationale) is skipped.
    result = session_series_create(
        topic=topic, place=place, first_day=date(2031, 6, 30), start_time=time(14), occurrences=4
    )
    days = [s.starts_at.astimezone(PARIS).date() for s in result.sessions]
    assert days == [date(2031, 6, 30), date(2031, 7, 7), date(2031, 7, 21)]
    assert result.skipped == [(date(2031, 7, 14), "Fête nationale")]
    assert "14/07/2031 (Fête nationale)" in result.skipped_text
    assert len({s.series_key for s in result.sessions}) == 1


def test_a_series_keeps_the_local_hour_across_a_daylight_saving_change(topic, place):
    result = session_series_create(
        topic=topic, place=place, first_day=date(2031, 10, 21), start_time=time(14), occurrences=2
    )
    local = [s.starts_at.astimezone(PARIS) for s in result.sessions]
    assert [t.hour for t in local] == [14, 14]
    assert local[0].utcoffset() != local[1].utcoffset()


def test_a_series_with_one_invalid_session_creates_none(topic):
    place = PlaceFactory(room_capacity=6)
    with pytest.raises(ValidationError, match="Séance du 04/03/2031"):
        session_series_create(
            topic=topic,
            place=place,
            first_day=date(2031, 3, 4),
            start_time=time(14),
            occurrences=3,
            capacity=7,
        )
    assert not place.workshop_sessions.exists()


def test_capacity_cannot_drop_below_the_confirmed_seats(session):
    RegistrationFactory.create_batch(5, session=session)
    with pytest.raises(ValidationError, match="5 personnes sont déjà inscrites"):
        session_update(session=session, capacity=4)


def test_raising_the_capacity_gives_seats_to_the_waiting_list_in_order(
    session, django_capture_on_commit_callbacks
):
    session.capacity = 1
    session.save()
    RegistrationFactory(session=session)
    first = RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    second = RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, capacity=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITING


def test_cancelling_goes_through_the_bookings_service(session):
    with pytest.raises(ValueError, match="session_cancel"):
        session_update(session=session, status=SessionStatus.CANCELLED)


def test_topics_get_a_unique_slug_and_reserved_slugs_are_refused():
    a = topic_create(title="Vérifier une information", description="…")
    b = topic_create(title="Vérifier une information", description="…")
    assert (a.slug, b.slug) == ("verifier-une-information", "verifier-une-information-2")
    assert a.status == TopicStatus.DRAFT
    with pytest.raises(ValidationError, match="réservé"):
        topic_create(title="Gestion", slug="gestion", description="…")


def test_topic_themes_use_the_coop_vocabulary_of_the_activities_app():
    topic = topic_create(title="Courriel", description="…", themes=["email", "security"])
    assert topic.theme_labels == ["E-mail", "Prévention en sécurité numérique"]
    with pytest.raises(ValidationError, match="inconnue"):
        topic_create(title="Autre", description="…", themes=["pas-un-theme"])
