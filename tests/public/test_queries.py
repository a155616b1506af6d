"""Reads of the public pages: French wording, weekly hours, next permanences, search."""

from datetime import date, time

import pytest
from django.urls import NoReverseMatch

from relais.core.french import french_date, french_day, french_time_range, plain
from relais.planning import services as planning_services
from relais.planning.enums import MonthWeek, Recurrence
from relais.public import queries
from relais.team.enums import LeaveKind
from relais.team.models import Leave

from ..factories import CommuneFactory, PlaceFactory

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 1)  # a Tuesday; Friday 25 December is Christmas


def test_dates_and_times_read_in_french():
    assert french_day(date(2026, 12, 1)) == "mardi 1er décembre"
    assert french_day(date(2026, 12, 25), year=True) == "vendredi 25 décembre 2026"
    assert french_date(date(2027, 9, 1)) == "1er septembre 2027"
    assert french_time_range(time(9), time(12, 30)) == "9\u00a0h\u00a0– 12\u00a0h\u00a030"
    assert plain(french_time_range(time(9), time(12, 30))) == "9 h – 12 h 30"


def test_weekly_hours_merge_a_day_and_word_the_recurrences(prades, advisor, make_slot):
    make_slot(prades, [advisor], weekday=1, start="14:00", end="17:00")
    make_slot(prades, [advisor], weekday=1, start="09:00", end="12:00")
    make_slot(
        prades,
        [advisor],
        weekday=2,
        start="14:00",
        end="17:30",
        recurrence=Recurrence.FORTNIGHTLY,
        anchor_date=date(2026, 11, 4),
    )
    make_slot(
        prades, [advisor], weekday=3, recurrence=Recurrence.MONTHLY, month_week=MonthWeek.FIRST
    )
    make_slot(
        prades,
        [advisor],
        weekday=4,
        recurrence=Recurrence.MONTHLY,
        month_week=MonthWeek.LAST,
        respect_school_holidays=True,
    )
    lines = [plain(line.text) for line in queries.weekly_schedule(prades, on=DECEMBER)]
    assert lines == [
        "Mardi 9 h – 12 h, 14 h – 17 h",
        "Un mercredi sur deux 14 h – 17 h 30",
        "Le 1er jeudi du mois 9 h – 12 h",
        "Le dernier vendredi du mois 9 h – 12 h (hors vacances scolaires)",
    ]


def test_weekly_hours_leave_out_ended_slots_and_announce_future_ones(prades, advisor, make_slot):
    make_slot(prades, [advisor], weekday=0, valid_until=date(2026, 11, 30))
    make_slot(prades, [advisor], weekday=4, valid_from=date(2027, 1, 4), valid_until=None)
    lines = [plain(line.text) for line in queries.weekly_schedule(prades, on=DECEMBER)]
    assert lines == ["Vendredi 9 h – 12 h (à partir du 4 janvier 2027)"]


def test_next_permanences_cover_four_weeks_without_public_holidays(
    prades, advisor, make_slot, frozen_day
):
    frozen_day(DECEMBER)
    make_slot(prades, [advisor], weekday=4)  # Fridays
    found = queries.next_permanences(prades)
    assert [p.date for p in found] == [date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18)]
    assert plain(found[0].when) == "vendredi 4 décembre, 9 h – 12 h"
    assert not any(p.cancelled for p in found)


def test_a_cancellation_keeps_its_reason_and_an_unstaffed_one_hides_the_leave(
    prades, advisor, make_slot, frozen_day
):
    frozen_day(DECEMBER)
    slot = make_slot(prades, [advisor], weekday=4)
    planning_services.occurrence_cancel(
        slot=slot, day=date(2026, 12, 11), reason="Fermeture pour inventaire"
    )
    Leave.objects.create(
        advisor=advisor,
        kind=LeaveKind.SICK,
        start_date=date(2026, 12, 18),
        end_date=date(2026, 12, 18),
    )
    by_date = {p.date: p for p in queries.next_permanences(prades)}
    assert by_date[date(2026, 12, 4)].cancelled is False
    assert by_date[date(2026, 12, 11)].cancelled is True
    assert by_date[date(2026, 12, 11)].reason == "Fermeture pour inventaire"
    assert by_date[date(2026, 12, 18)].cancelled is True
    assert by_date[date(2026, 12, 18)].reason == ""  # never « Absence : Léa Pixel »


def test_the_morning_already_over_is_not_announced(prades, advisor, make_slot, monkeypatch):
    make_slot(prades, [advisor], weekday=4)
    monkeypatch.setattr(queries, "today", lambda: date(2026, 12, 4))
    monkeypatch.setattr(
        queries, "now", lambda: queries.timezone.make_aware(queries.datetime(2026, 12, 4, 12, 30))
    )
    assert queries.next_permanences(prades)[0].date == date(2026, 12, 11)


def test_search_by_commune_ignores_accents_and_case_and_accepts_a_postal_code(partner):
    vinca = PlaceFactory(partner=partner, commune=CommuneFactory(name="Vinça", postal_code="66320"))
    prades = PlaceFactory(partner=partner, commune=CommuneFactory(name="Prades"))
    PlaceFactory(partner=partner, commune=CommuneFactory(name="Vinça"), is_active=False)
    assert queries.public_places("VINCA") == [vinca]
    assert queries.public_places("6632") == [vinca]
    assert queries.public_places("") == [prades, vinca]


def test_osm_link_uses_the_place_or_its_commune(prades):
    assert queries.osm_url(prades) == (
        "https://www.openstreetmap.org/?mlat=42.61750&mlon=2.42170#map=18/42.61750/2.42170"
    )
    prades.latitude = prades.longitude = None
    assert "#map=14/" in queries.osm_url(prades)


def test_the_appointment_link_is_hidden_while_appointments_do_not_exist(prades, monkeypatch):
    def missing(*args, **kwargs):
        raise NoReverseMatch("appointments:book")

    monkeypatch.setattr(queries, "reverse", missing)
    assert queries.appointment_url(prades) is None
    monkeypatch.setattr(queries, "reverse", lambda name, kwargs: f"/rdv/{kwargs['place_slug']}/")
    assert queries.appointment_url(prades) == "/rdv/mediatheque-prades/"


def test_the_appointment_link_is_hidden_where_the_place_takes_no_online_appointment(prades):
    from relais.appointments.models import PlaceAppointmentSettings

    assert queries.appointment_url(prades) == f"/rendez-vous/{prades.slug}/"
    PlaceAppointmentSettings.objects.create(place=prades, appointments_enabled=False)
    prades.refresh_from_db()  # drop the cached « no settings »
    assert queries.appointment_url(prades) is None
