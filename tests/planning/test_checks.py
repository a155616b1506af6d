"""Each planning check triggers with its French message."""

from datetime import date, time

import pytest

from relais.core.french import plain
from relais.planning.checks import is_within_opening_hours, planning_findings, slot_findings
from relais.planning.models import Slot
from relais.planning.occurrences import PARIS
from relais.team import services as team_services
from relais.team.enums import LeaveKind

pytestmark = pytest.mark.django_db
WEEK = (date(2026, 4, 13), date(2026, 4, 19))


def codes(findings):
    return {f.code for f in findings}


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [f.message for f in findings]
    return found[0]


def test_a_clean_week_has_no_finding(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Prades")
    make_slot(seed_places["Prades"], [advisor], weekday=2, start="09:30", end="12:30")
    make_slot(seed_places["Catllar"], [advisor], weekday=2, start="14:00", end="17:00")
    assert planning_findings(*WEEK) == []


def test_adviser_in_two_places_at_once(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Prades", user__first_name="Léa", user__last_name="Pixel")
    make_slot(seed_places["Prades"], [advisor], weekday=2, start="09:30", end="12:30")
    second = make_slot(seed_places["Catllar"], [advisor], weekday=2, start="11:00", end="14:00")
    finding = only(planning_findings(*WEEK), "double_booking")
    assert finding.is_error
    assert plain(finding.message) == (
        "Léa Pixel devrait être à deux endroits en même temps le mercredi 15/04/2026 : "
        "Lieu de Prades (9 h 30 – 12 h 30) et Lieu de Catllar (11 h – 14 h)."
    )
    assert "double_booking" in codes(slot_findings(second, [advisor], today=date(2026, 4, 13)))


def test_consecutive_places_too_far_apart(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Prades", user__first_name="Léa", user__last_name="Pixel")
    make_slot(seed_places["Vinça"], [advisor], weekday=2, start="09:00", end="12:00")
    make_slot(seed_places["Sahorre"], [advisor], weekday=2, start="12:10", end="15:10")
    finding = only(planning_findings(*WEEK), "travel")
    assert plain(finding.message).startswith(
        "Léa Pixel n'a que 10 min le mercredi 15/04/2026 pour aller de Lieu de Vinça (Vinça, "
        "fin à 12 h) à Lieu de Sahorre (Sahorre, début à 12 h 10) : trajet estimé à "
    )
    assert finding.message.endswith(" min.")


def test_weekly_working_time_exceeded(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at(
        "Prades", user__first_name="Sarah", user__last_name="Tablette", weekly_hours=6
    )
    make_slot(seed_places["Prades"], [advisor], weekday=1, start="14:00", end="17:30")
    make_slot(seed_places["Prades"], [advisor], weekday=3, start="14:00", end="17:30")
    finding = only(planning_findings(*WEEK), "working_time")
    assert not finding.is_error
    assert finding.message == (
        "Sarah Tablette : 7 h prévues la semaine du 13/04/2026 (permanences et trajets) pour "
        "6 h de temps de travail hebdomadaire."
    )


def test_travel_counts_in_the_weekly_working_time(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Vinça", weekly_hours=7)
    make_slot(seed_places["Prades"], [advisor], weekday=1, start="14:00", end="17:30")
    make_slot(seed_places["Prades"], [advisor], weekday=3, start="14:00", end="17:30")
    finding = only(planning_findings(*WEEK), "working_time")
    assert "8 h" in finding.message  # 7 h + 4 drives of 16 min


def test_permanence_on_a_day_off(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at(
        "Vinça", user__first_name="Sarah", user__last_name="Tablette", working_days=[0, 2, 3, 4]
    )
    make_slot(seed_places["Vinça"], [advisor], weekday=1, start="14:00", end="17:30")
    finding = only(planning_findings(*WEEK), "day_off")
    assert finding.message == (
        "Sarah Tablette ne travaille pas le mardi : permanence à Lieu de Vinça le mardi 14/04/2026."
    )


def test_outside_opening_hours(agreement, seed_places, advisor_at, make_slot):
    place = seed_places["Catllar"]
    place.opening_hours = "Tu,Th 16:30-18:30; We 14:00-17:00; PH off"
    place.save()
    make_slot(place, [advisor_at("Catllar")], weekday=2, start="14:00", end="17:00")
    assert planning_findings(*WEEK) == []
    make_slot(place, [advisor_at("Catllar")], weekday=1, start="15:30", end="18:30")
    finding = only(planning_findings(*WEEK), "opening_hours")
    assert plain(finding.message) == (
        "La permanence du chaque mardi, 15 h 30 – 18 h 30 à Lieu de Catllar est en dehors des "
        "horaires d'ouverture du lieu (Tu,Th 16:30-18:30; We 14:00-17:00; PH off)."
    )


def test_opening_hours_helper():
    def at(hour, minute=0):
        from datetime import datetime

        return datetime(2026, 4, 15, hour, minute, tzinfo=PARIS)

    hours = "We 09:30-12:30,14:00-18:00"
    assert is_within_opening_hours(hours, at(9, 30), at(12, 30)) is True
    assert is_within_opening_hours(hours, at(11), at(15)) is False
    assert is_within_opening_hours("", at(9), at(10)) is None


def test_outside_the_agreement_period(agreement, seed_places, advisor_at, make_slot):
    slot = make_slot(seed_places["Prades"], [advisor_at("Prades")])
    # Moved past the agreement's end without validation (e.g. the agreement was terminated).
    Slot.objects.filter(pk=slot.pk).update(valid_until=date(2026, 12, 31))
    finding = only(planning_findings(*WEEK), "agreement_period")
    assert finding.is_error
    assert "22/06/2026" in finding.message and finding.message.startswith("Permanence chaque lundi")


def test_unstaffed_occurrence_is_flagged(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Vinça", user__first_name="Sarah", user__last_name="Tablette")
    make_slot(seed_places["Vinça"], [advisor], weekday=2, start="14:00", end="17:30")
    team_services.leave_create(
        advisor=advisor,
        kind=LeaveKind.PAID,
        start_date=date(2026, 4, 13),
        end_date=date(2026, 4, 17),
    )
    finding = only(planning_findings(*WEEK), "unstaffed")
    assert plain(finding.message) == (
        "Permanence sans conseiller le mercredi 15/04/2026 à Lieu de Vinça (14 h – 17 h 30) — "
        "Absence : Sarah Tablette. Choisissez un remplaçant."
    )
    assert "/seance/2026-04-15/" in finding.url


def test_checks_of_a_slot_not_saved_yet(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Prades")
    make_slot(seed_places["Prades"], [advisor], weekday=2, start="09:30", end="12:30")
    candidate = Slot(
        place=seed_places["Catllar"],
        weekday=2,
        start_time=time(12, 0),
        end_time=time(15, 0),
        valid_from=date(2026, 4, 1),
        valid_until=date(2026, 6, 22),
    )
    findings = slot_findings(candidate, [advisor], today=date(2026, 4, 1))
    assert codes(findings) == {"double_booking"}
    assert not Slot.objects.filter(place=seed_places["Catllar"]).exists()
