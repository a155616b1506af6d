"""Coverage: committed, planned and held half-days per place and week; exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from relais.planning import exports
from relais.planning.coverage import (
    committed_half_days,
    coverage_table,
    half_days_for_hours,
    held_half_days,
)

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 4, 13)

# The seed's week: (commune, weekday, start, end) — 13 half-days.
SEED_WEEK = [
    ("Prades", 1, "14:00", "17:30"),
    ("Prades", 2, "09:30", "12:30"),
    ("Prades", 3, "14:00", "17:30"),
    ("Prades", 4, "14:00", "17:30"),
    ("Catllar", 2, "14:00", "17:00"),
    ("Catllar", 1, "09:30", "12:30"),
    ("Los Masos", 0, "09:00", "12:00"),
    ("Los Masos", 3, "09:00", "12:00"),
    ("Villefranche-de-Conflent", 1, "09:00", "12:00"),
    ("Marquixanes", 2, "14:00", "17:30"),
    ("Vinça", 2, "14:00", "17:30"),
    ("Ria-Sirach", 3, "14:30", "17:30"),
    ("Sahorre", 2, "14:00", "17:00"),
]


@pytest.mark.parametrize(
    ("hours", "half_days"),
    [(2, 0), (2.99, 0), (3, 1), (3.5, 1), (6, 1), (6.5, 2), (7, 2), (10, 3), (10.5, 3)],
)
def test_half_day_rule(hours, half_days):
    assert half_days_for_hours(hours) == half_days


def test_committed_half_days_follow_the_seed_table(agreement, seed_places):
    assert committed_half_days(seed_places["Prades"], MONDAY) == 4
    assert committed_half_days(seed_places["Catllar"], MONDAY) == 2
    assert committed_half_days(seed_places["Los Masos"], MONDAY) == 2
    total = sum(committed_half_days(p, MONDAY) for p in seed_places.values())
    assert total == 13
    # After the agreement's end (22 June 2026), nothing is owed any more.
    assert committed_half_days(seed_places["Prades"], date(2026, 6, 29)) == 0


@pytest.fixture
def seed_week(agreement, seed_places, advisor_at, make_slot):
    slots = []
    for name, weekday, start, end in SEED_WEEK:
        slots.append(
            make_slot(seed_places[name], [advisor_at(name)], weekday=weekday, start=start, end=end)
        )
    return slots


def test_the_seed_week_is_fully_planned(seed_week):
    table = coverage_table(MONDAY, weeks=1)
    assert sum(c.committed for c in table.cells) == 13
    assert sum(c.planned for c in table.cells) == 13
    assert table.shortfalls == []
    prades = next(r for r in table.rows if r.place.name == "Lieu de Prades").cells[0]
    assert (prades.committed, prades.planned, prades.held) == (4, 4, None)


def test_public_holidays_make_a_shortfall(seed_week):
    table = coverage_table(date(2026, 5, 11), weeks=3)  # Ascension on 14 May, Whit Monday 25
    short = {(c.place.commune.name, c.week) for c in table.shortfalls}
    assert short == {
        ("Prades", date(2026, 5, 11)),
        ("Los Masos", date(2026, 5, 11)),
        ("Ria-Sirach", date(2026, 5, 11)),
        ("Los Masos", date(2026, 5, 25)),
    }


def test_held_is_a_hook_returning_none_until_activities_exist(seed_places):
    assert held_half_days(seed_places["Prades"], MONDAY) is None


def test_fortnightly_commitments_count_half(department, partner, seed_places):
    from relais.agreements import services
    from relais.agreements.enums import CommitmentFrequency, CommitmentUnit, Modality

    agreement = services.agreement_create_draft(department=department, partner=partner, title="Q")
    services.commitment_add(
        agreement=agreement,
        place=seed_places["Sahorre"],
        count=1,
        unit=CommitmentUnit.HALF_DAY,
        frequency=CommitmentFrequency.FORTNIGHTLY,
        modality=Modality.ON_SITE,
    )
    services.signatory_add(agreement=agreement, name="A", title="P")
    services.agreement_send_for_signature(agreement=agreement, on=date(2026, 1, 5))
    services.signature_record(signatory=agreement.signatories.get(), signed_on=date(2026, 1, 5))
    assert committed_half_days(seed_places["Sahorre"], MONDAY) == Decimal("0.5")


def test_csv_export_with_comma_and_semicolon(seed_week, coordinator_client):
    response = coordinator_client.get(
        "/planning/couverture/export.csv", {"du": "2026-04-13", "semaines": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == exports.HEADERS
    assert ["Lieu de Prades", "Prades", "2026-S16", "2026-04-13", "4", "4", "", "0"] in rows
    assert len(rows) == 1 + 8
    response = coordinator_client.get(
        "/planning/couverture/export.csv",
        {"du": "2026-04-13", "semaines": 1, "separateur": "point-virgule"},
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[1].count(";") == 7
    assert "Lieu de Vinça;Vinça;2026-S16" in text


def test_xlsx_export(seed_week, coordinator_client):
    response = coordinator_client.get(
        "/planning/couverture/export.xlsx", {"du": "2026-05-11", "semaines": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == exports.HEADERS
    prades = next(row for row in values if row[0] == "Lieu de Prades")
    assert prades[4:] == (4, 3, None, 1)  # Ascension: one Thursday missing
    assert sheet.cell(row=values.index(prades) + 1, column=1).fill.start_color.rgb.endswith(
        "FFE8B0"
    )
