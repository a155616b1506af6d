"""One reading of a period on every endpoint (issue 20, section 2).

``end=2026-12`` used to keep only 1 December on ``/api/v1/activities`` (a month was read as its
first day) while ``/api/v1/stats`` counted the whole month; ``start`` after ``end`` gave an
empty list on one endpoint and 400 on the other; ``limit=0`` silently became 1.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.activities.models import Activity
from relais.api.services import api_token_create
from relais.core.params import PeriodError, parse_period

from ..activities.factories import record_collective, record_individual

pytestmark = pytest.mark.django_db

# Activities on the edges of months and of a year: where a wrong reading of a period shows.
DAYS = [
    date(2025, 11, 30),
    date(2025, 12, 1),
    date(2025, 12, 15),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 2, 28),
    date(2026, 3, 1),
    date(2026, 3, 31),
]


@pytest.fixture
def dated_activities(advisor_user, place):
    advisor = advisor_user.advisor
    for index, day in enumerate(DAYS):
        record_individual(advisor, place=place, date=day)
        if index % 3 == 0:
            record_collective(advisor, place=place, date=day, participants=4)
    return Activity.objects.count()


@pytest.fixture
def secret(coordinator):
    _, secret = api_token_create(
        user=coordinator, name="Open data", scopes=["stats:read", "activities:read"]
    )
    return secret


def _get(client, name, secret, **params):
    return client.get(reverse(f"api:{name}"), params, headers={"Authorization": f"Bearer {secret}"})


def _paged_count(client, secret, **params) -> int:
    """Every activity of the period, paged through the API as a client would."""
    count, cursor = 0, None
    for _ in range(100):
        response = _get(client, "activities", secret, limit=3, **params, **({"cursor": cursor}
                        if cursor else {}))  # fmt: skip
        assert response.status_code == 200, response.content
        body = response.json()
        count += len(body["results"])
        cursor = body.get("next_cursor")
        if not cursor:
            return count
    raise AssertionError("the cursor never ends")


def test_a_month_as_end_includes_its_last_day(client, secret, dated_activities):
    assert (
        _paged_count(client, secret, start="2025-12", end="2025-12")
        == Activity.objects.filter(date__range=(date(2025, 12, 1), date(2025, 12, 31))).count()
    )
    only_the_31st = _paged_count(client, secret, start="2025-12-31", end="2025-12-31")
    assert only_the_31st == Activity.objects.filter(date=date(2025, 12, 31)).count() > 0


@pytest.mark.parametrize("name", ["stats", "activities"])
def test_start_after_end_is_the_same_400_everywhere(client, secret, name):
    response = _get(client, name, secret, start="2026-03", end="2026-02")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("La période commence après sa fin")


@pytest.mark.parametrize("limit", ["0", "-1", "1e3", "501", "abc", "٣"])
def test_a_limit_out_of_range_is_refused_not_bent(client, secret, limit):
    response = _get(client, "activities", secret, limit=limit)
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]


@pytest.mark.parametrize("value", ["2026-13", "2026-02-30", "26-01", "2026-1", "1989-12", "abc"])
@pytest.mark.parametrize("name", ["stats", "activities"])
def test_an_unreadable_bound_is_a_400_naming_it(client, secret, name, value):
    response = _get(client, name, secret, end=value)
    assert response.status_code == 400
    assert "« end »" in response.json()["detail"]


def test_parse_period_reads_months_and_days_inclusively():
    assert parse_period("2028-02", "2028-02") == parse_period("2028-02-01", "2028-02-29")
    assert parse_period("", "2026-12").end == date(2026, 12, 31)
    assert parse_period("2026-12", "").start == date(2026, 12, 1)
    with pytest.raises(PeriodError):
        parse_period("2026-12-02", "2026-12-01")


MONTHS = [f"{day.year}-{day.month:02d}" for day in DAYS]
BOUNDS = st.sampled_from(
    MONTHS + [d.isoformat() for d in DAYS] + [(d + timedelta(days=1)).isoformat() for d in DAYS]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=BOUNDS, end=BOUNDS)
def test_the_activities_and_stats_endpoints_agree_on_every_period(
    client, secret, dated_activities, start, end
):
    """The count paged through /activities, the total of /stats (for whole months, its grain)
    and a direct count of the table are the same number, or both endpoints refuse the period."""
    try:
        period = parse_period(start, end)
    except PeriodError:
        for name in ("stats", "activities"):
            assert _get(client, name, secret, start=start, end=end).status_code == 400
        return
    direct = Activity.objects.filter(date__gte=period.start, date__lte=period.end).count()
    assert _paged_count(client, secret, start=start, end=end) == direct
    if len(start) == 7 and len(end) == 7:
        stats = _get(client, "stats", secret, start=start, end=end).json()
        if "totals.activities" in stats["disclosure"]["secret"]:  # secret statistique
            assert stats["totals"]["activities"] is None and direct > 0
        else:
            assert stats["totals"]["activities"] == direct
