"""The coordinator's home page under load (issue 19 §3): it showed the week's shortfalls
through the whole coverage table, whose « held » half-days scan the activity reports — a cost
that grew with the activities table on every visit. The page shows only committed vs planned,
so it reads no activity; its figures are checked against independent aggregates."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.planning.coverage import coverage_table

from ..activities.factories import ActivityFactory
from ..factories import AdvisorFactory
from ..helpers import page_text

pytestmark = pytest.mark.django_db


def _home(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return page_text(response), [q["sql"] for q in queries.captured_queries]


def _this_monday():
    # The suite's frozen clock (tests/conftest.py, TEST_NOW); every date below is relative to it
    # and the agreement in force is too (agreement_in_force), so any instant gives the same week.
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def _slot(make_slot, place, advisor, weekday=0):
    """A weekly permanence around today (within the current agreement's period)."""
    # Cannot break on another date: frozen at TEST_NOW (tests/conftest.py) and used only as the
    # origin of offsets, inside the agreement in force, which is dated from the same origin.
    today = timezone.localdate()  # frozen (TEST_NOW), used only as the origin of offsets
    return make_slot(
        place,
        [advisor],
        weekday=weekday,
        valid_from=today - timedelta(days=7),
        valid_until=today + timedelta(days=60),
    )


def _activities_this_week(places, count: int) -> None:
    monday = _this_monday()
    advisor = AdvisorFactory()
    for i in range(count):
        ActivityFactory(
            advisor=advisor, place=places[i % len(places)], date=monday + timedelta(days=i % 5)
        )


def test_the_coordinator_home_reads_no_activity_whatever_their_number(
    coordinator_client, current_agreement, seed_places, make_slot, advisor_at
):
    places = list(seed_places.values())
    _slot(make_slot, seed_places["Prades"], advisor_at("Prades"))
    _, before = _home(coordinator_client)
    _activities_this_week(places, 40)
    text, after = _home(coordinator_client)
    assert not [sql for sql in after if "activities_activity" in sql]
    # The same statements with 0 and 40 activities: nothing on the page grows with them.
    assert len(after) == len(before)
    assert "Engagements non couverts" in text


def test_the_shortfalls_shown_are_those_of_the_full_coverage_table(
    coordinator_client, current_agreement, seed_places, make_slot, advisor_at
):
    """Independent of how the page builds them: every shortfall of the coverage page's table
    (held half-days read from the activities) is on the home page, with its figure, and the
    page shows no other."""
    _slot(make_slot, seed_places["Prades"], advisor_at("Prades"))
    _slot(make_slot, seed_places["Catllar"], advisor_at("Catllar"), weekday=2)
    _activities_this_week(list(seed_places.values()), 12)
    full = coverage_table(_this_monday(), weeks=2)
    expected = [c for row in full.rows for c in row.cells if c.committed > c.planned]
    assert expected, "the fixture must leave some commitment uncovered"
    text, _ = _home(coordinator_client)
    assert text.count("manque ") == len(expected)
    for cell in expected:
        shortfall = cell.committed - cell.planned
        figure = f"{shortfall:f}".rstrip("0").rstrip(".").replace(".", ",")
        assert f"manque {figure} {cell.place.name}" in text


def test_the_headline_figures_match_plain_sql(coordinator_client, current_agreement, seed_places):
    AdvisorFactory.create_batch(2)
    AdvisorFactory(kind="cnfs")
    text, _ = _home(coordinator_client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_organisation WHERE kind <> 'department'")
        partners = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM places_place WHERE is_active")
        places = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE a.kind = 'ambassador'), "
            "COUNT(*) FILTER (WHERE a.kind = 'cnfs') FROM team_advisor a "
            "JOIN accounts_user u ON u.id = a.user_id WHERE u.is_active"
        )
        advisers, ambassadors, cnfs = cursor.fetchone()
    assert f"{partners} structure" in text
    assert f"{places} lieux d'intervention" in text
    assert f"{advisers} conseillers : {ambassadors} ambassadeurs, {cnfs} CnFS" in text
