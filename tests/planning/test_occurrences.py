"""Occurrences: recurrences, public and school holidays, closures, leave, exceptions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from relais.planning import services
from relais.planning.calendars import public_holidays, school_holiday_on, school_holidays
from relais.planning.enums import MonthWeek, OccurrenceStatus, Recurrence
from relais.planning.occurrences import (
    find_occurrence,
    occurrences_between,
    replacement_candidates,
)
from relais.team import services as team_services
from relais.team.enums import LeaveKind

pytestmark = pytest.mark.django_db


def dates(occurrences):
    return [o.date for o in occurrences]


def test_public_holidays_have_french_names():
    names = public_holidays(date(2026, 1, 1), date(2026, 12, 31))
    assert names[date(2026, 4, 6)] == "Lundi de Pâques"
    assert names[date(2026, 5, 14)] == "Ascension"
    assert names[date(2026, 5, 25)] == "Lundi de Pentecôte"


def test_no_occurrence_on_easter_monday_ascension_and_whit_monday(
    agreement, seed_places, advisor_at, make_slot
):
    advisor = advisor_at("Prades")
    monday = make_slot(seed_places["Prades"], [advisor], weekday=0)
    thursday = make_slot(seed_places["Prades"], [advisor], weekday=3, start="14:00", end="17:30")
    found = occurrences_between(date(2026, 3, 30), date(2026, 6, 5))
    mondays = dates(o for o in found if o.slot == monday)
    thursdays = dates(o for o in found if o.slot == thursday)
    assert date(2026, 3, 30) in mondays and date(2026, 4, 13) in mondays
    assert date(2026, 4, 6) not in mondays  # Lundi de Pâques
    assert date(2026, 5, 25) not in mondays  # Lundi de Pentecôte
    assert date(2026, 5, 14) not in thursdays  # Ascension
    assert date(2026, 5, 7) in thursdays and date(2026, 5, 21) in thursdays
    assert len(mondays) == 10 - 2 and len(thursdays) == 10 - 1


def test_times_are_aware_in_paris_across_daylight_saving(
    agreement, seed_places, advisor_at, make_slot
):
    slot = make_slot(seed_places["Prades"], [advisor_at("Prades")], weekday=0, start="09:00")
    first = occurrences_between(date(2026, 3, 23), date(2026, 3, 30), slots=[slot])[0]
    assert first.date == date(2026, 3, 30)
    assert first.start.hour == 9 and first.start.utcoffset() == timedelta(hours=2)
    assert first.duration_hours == 3


def test_every_other_week_follows_the_anchor_parity(agreement, seed_places, advisor_at, make_slot):
    slot = make_slot(
        seed_places["Vinça"],
        [advisor_at("Vinça")],
        weekday=2,
        recurrence=Recurrence.FORTNIGHTLY,
        anchor_date=date(2026, 4, 15),
    )
    found = dates(occurrences_between(date(2026, 4, 1), date(2026, 5, 31), slots=[slot]))
    assert found == [
        date(2026, 4, 1),
        date(2026, 4, 15),
        date(2026, 4, 29),
        date(2026, 5, 13),
        date(2026, 5, 27),
    ]


@pytest.mark.parametrize(
    ("month_week", "expected"),
    [
        (MonthWeek.SECOND, [date(2026, 4, 14), date(2026, 5, 12), date(2026, 6, 9)]),
        (MonthWeek.LAST, [date(2026, 4, 28), date(2026, 5, 26), date(2026, 6, 16)]),
    ],
)
def test_nth_weekday_of_the_month(
    agreement, seed_places, advisor_at, make_slot, month_week, expected
):
    slot = make_slot(
        seed_places["Sahorre"],
        [advisor_at("Sahorre")],
        weekday=1,
        recurrence=Recurrence.MONTHLY,
        month_week=month_week,
        valid_until=date(2026, 6, 22),
    )
    found = dates(occurrences_between(date(2026, 4, 1), date(2026, 6, 22), slots=[slot]))
    # Last Tuesday of June 2026 is the 30th, after the agreement's end: the 16th is only the
    # third; the slot stops on 22 June, so June has no "last Tuesday" inside the validity.
    if month_week == MonthWeek.LAST:
        expected = expected[:2]
    assert found == expected


def test_monthly_needs_a_rank(agreement, seed_places, advisor_at, make_slot):
    with pytest.raises(ValidationError, match="rang"):
        make_slot(seed_places["Sahorre"], [advisor_at("Sahorre")], recurrence=Recurrence.MONTHLY)


def test_school_holidays_file_covers_four_school_years():
    periods = school_holidays()
    assert len(periods) == 20
    assert {p.school_year for p in periods} == {"2023-2024", "2024-2025", "2025-2026", "2026-2027"}
    assert {p.name for p in periods} == {"Toussaint", "Noël", "Hiver", "Printemps", "Été"}
    assert school_holiday_on(date(2026, 4, 20)).name == "Printemps"
    assert school_holiday_on(date(2026, 5, 4)) is None


def test_school_holidays_skipped_only_when_the_slot_asks(
    agreement, seed_places, advisor_at, make_slot
):
    advisor = advisor_at("Catllar")
    respectful = make_slot(
        seed_places["Catllar"],
        [advisor],
        weekday=2,
        start="14:00",
        end="17:00",
        respect_school_holidays=True,
    )
    regular = make_slot(seed_places["Catllar"], [advisor], weekday=3, start="14:00", end="17:00")
    found = occurrences_between(date(2026, 4, 13), date(2026, 5, 10))
    assert dates(o for o in found if o.slot == respectful) == [date(2026, 4, 15), date(2026, 5, 6)]
    assert dates(o for o in found if o.slot == regular) == [
        date(2026, 4, 16),
        date(2026, 4, 23),
        date(2026, 4, 30),
        date(2026, 5, 7),
    ]


def test_no_occurrence_during_a_closure(agreement, seed_places, advisor_at, make_slot):
    place = seed_places["Marquixanes"]
    slot = make_slot(place, [advisor_at("Marquixanes")], weekday=2, start="14:00", end="17:30")
    services.closure_create(
        place=place, start_date=date(2026, 4, 14), end_date=date(2026, 4, 16), reason="Inventaire"
    )
    found = dates(occurrences_between(date(2026, 4, 1), date(2026, 4, 30), slots=[slot]))
    assert found == [date(2026, 4, 1), date(2026, 4, 8), date(2026, 4, 22), date(2026, 4, 29)]


def test_leave_makes_the_occurrence_unstaffed_and_closest_candidates_come_first(
    agreement, seed_places, advisor_at, make_slot
):
    away = advisor_at("Vinça")
    slot = make_slot(seed_places["Vinça"], [away], weekday=2, start="14:00", end="17:30")
    team_services.leave_create(
        advisor=away, kind=LeaveKind.PAID, start_date=date(2026, 4, 13), end_date=date(2026, 4, 17)
    )
    near = advisor_at("Marquixanes")
    middle = advisor_at("Prades")
    far = advisor_at("Perpignan")
    off_on_wednesdays = advisor_at("Vinça", working_days=[0, 1, 3, 4])
    also_away = advisor_at("Vinça")
    team_services.leave_create(
        advisor=also_away,
        kind=LeaveKind.SICK,
        start_date=date(2026, 4, 15),
        end_date=date(2026, 4, 15),
        start_half="pm",
    )
    busy = advisor_at("Vinça")
    make_slot(seed_places["Los Masos"], [busy], weekday=2, start="13:30", end="16:00")

    occurrence = find_occurrence(slot, date(2026, 4, 15))
    assert occurrence.status == OccurrenceStatus.UNSTAFFED
    assert occurrence.advisors_absent == [away] and occurrence.advisors_present == []
    assert str(away) in occurrence.reason
    candidates = replacement_candidates(occurrence)
    assert [c.advisor for c in candidates] == [near, middle, far]
    assert (
        candidates[0].travel_minutes < candidates[1].travel_minutes < candidates[2].travel_minutes
    )
    assert off_on_wednesdays not in [c.advisor for c in candidates]
    # The week before, the adviser is there.
    assert find_occurrence(slot, date(2026, 4, 8)).status == OccurrenceStatus.PLANNED


def test_a_morning_leave_does_not_touch_an_afternoon_permanence(
    agreement, seed_places, advisor_at, make_slot
):
    advisor = advisor_at("Prades")
    slot = make_slot(seed_places["Prades"], [advisor], weekday=2, start="14:00", end="17:30")
    team_services.leave_create(
        advisor=advisor,
        kind=LeaveKind.OTHER,
        start_date=date(2026, 4, 15),
        end_date=date(2026, 4, 15),
        start_half="am",
        end_half="am",
    )
    assert find_occurrence(slot, date(2026, 4, 15)).status == OccurrenceStatus.PLANNED


def test_candidates_respect_the_weekly_working_time(agreement, seed_places, advisor_at, make_slot):
    away = advisor_at("Vinça")
    slot = make_slot(seed_places["Vinça"], [away], weekday=2, start="14:00", end="17:30")
    team_services.leave_create(
        advisor=away, kind=LeaveKind.PAID, start_date=date(2026, 4, 15), end_date=date(2026, 4, 15)
    )
    short_week = advisor_at("Marquixanes", weekly_hours=3)
    full_week = advisor_at("Marquixanes", weekly_hours=35)
    candidates = [
        c.advisor for c in replacement_candidates(find_occurrence(slot, date(2026, 4, 15)))
    ]
    assert full_week in candidates and short_week not in candidates


def test_cancellation_and_replacement_of_one_date(agreement, seed_places, advisor_at, make_slot):
    usual = advisor_at("Prades")
    stand_in = advisor_at("Catllar")
    slot = make_slot(seed_places["Prades"], [usual], weekday=2, start="09:30", end="12:30")
    services.occurrence_cancel(slot=slot, day=date(2026, 4, 15), reason="Réunion d'équipe")
    services.occurrence_replace(slot=slot, day=date(2026, 4, 22), advisors=[stand_in])
    found = {
        o.date: o for o in occurrences_between(date(2026, 4, 15), date(2026, 4, 29), slots=[slot])
    }
    assert found[date(2026, 4, 15)].status == OccurrenceStatus.CANCELLED
    assert found[date(2026, 4, 15)].reason == "Réunion d'équipe"
    assert found[date(2026, 4, 22)].advisors_present == [stand_in]
    assert found[date(2026, 4, 29)].advisors_present == [usual]
    # The stand-in sees that date in their own list, the usual adviser does not.
    assert dates(occurrences_between(date(2026, 4, 1), date(2026, 4, 30), advisors=[stand_in])) == [
        date(2026, 4, 22)
    ]
    services.occurrence_restore(slot=slot, day=date(2026, 4, 22))
    assert find_occurrence(slot, date(2026, 4, 22)).advisors_present == [usual]
    with pytest.raises(ValidationError, match="n'a pas lieu"):
        services.occurrence_cancel(slot=slot, day=date(2026, 4, 16), reason="x")


def test_slot_dates_must_lie_within_the_agreement(agreement, seed_places, advisor_at, make_slot):
    advisor = advisor_at("Prades")
    with pytest.raises(ValidationError, match="22/06/2026"):
        make_slot(seed_places["Prades"], [advisor], valid_until=date(2026, 9, 30))
    with pytest.raises(ValidationError, match="Indiquez une date de fin"):
        make_slot(seed_places["Prades"], [advisor], valid_until=None)
    with pytest.raises(ValidationError, match="20/03/2024"):
        make_slot(seed_places["Prades"], [advisor], valid_from=date(2024, 1, 8))


def test_slot_without_any_signed_agreement_is_refused(seed_places, advisor_at, make_slot):
    with pytest.raises(ValidationError, match="Aucune convention signée"):
        make_slot(seed_places["Prades"], [advisor_at("Prades")])


def test_slot_is_linked_to_the_commitment_it_fulfils(agreement, seed_places, advisor_at, make_slot):
    slot = make_slot(seed_places["Catllar"], [advisor_at("Catllar")])
    assert slot.commitment.place == seed_places["Catllar"]
    assert slot.commitment.agreement == agreement


def test_a_slot_needs_an_adviser(agreement, seed_places, make_slot):
    with pytest.raises(ValidationError, match="au moins un conseiller"):
        make_slot(seed_places["Prades"], [])


def test_a_double_submit_on_one_date_keeps_the_first_change(
    agreement, seed_places, advisor_at, make_slot, monkeypatch
):
    """Issue 12: two cancellations (or a cancellation and a replacement) of one date at the same
    instant broke « one exception per date » (IntegrityError, 500). Replayed in one connection:
    the other request's change appears between this one's validation and its insert."""
    from relais.planning.models import OccurrenceException

    usual, stand_in = advisor_at("Prades"), advisor_at("Catllar")
    slot = make_slot(seed_places["Prades"], [usual], weekday=2, start="09:30", end="12:30")
    day = date(2026, 4, 15)
    real_full_clean = OccurrenceException.full_clean
    racing = []

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        if self.pk is None and not racing:
            racing.append("first request running")
            racing[0] = services.occurrence_cancel(slot=slot, day=day, reason="Réunion")

    monkeypatch.setattr(OccurrenceException, "full_clean", full_clean_then_lose_the_race)
    kept = services.occurrence_replace(slot=slot, day=day, advisors=[stand_in])
    assert kept == racing[0] and kept.reason == "Réunion"
    assert OccurrenceException.objects.filter(slot=slot, date=day).count() == 1
    assert not kept.replacement_advisors.exists()
