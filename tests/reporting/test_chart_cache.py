"""The statistics charts are drawn once for every worker (the shared cache) and drawn anew when
the figures change (ADR 0010)."""

import base64
from datetime import date

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from relais.reporting import charts, stats

from ..activities.factories import record_individual

pytestmark = pytest.mark.django_db

# The production default: the database's cache table, which every worker and machine shares.
DATABASE_CACHE = {
    "default": {"BACKEND": "relais.core.cache.DatabaseCache", "LOCATION": "relais_cache"}
}


@pytest.fixture
def database_cache():
    """The cache table, as `relais migrate` creates it with the production settings (the test
    settings use a per-process cache, so the test database has none)."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        yield caches["default"]


@pytest.fixture
def drawings(monkeypatch):
    """Counts the real drawings (matplotlib), starting from empty per-process memos."""
    charts._bar_chart.cache_clear()
    charts._line_chart.cache_clear()
    calls = []
    for name in ("_draw_bar_chart", "_draw_line_chart"):
        real = getattr(charts, name)

        def counted(*args, _real=real, _name=name):
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(charts, name, counted)
    yield calls
    charts._bar_chart.cache_clear()
    charts._line_chart.cache_clear()


def _other_worker(monkeypatch):
    """What another gunicorn worker (or machine) starts with: no memo, its own cache client."""
    charts._bar_chart.cache_clear()
    charts._line_chart.cache_clear()
    monkeypatch.setattr(charts, "cache", caches.create_connection("default"))


def test_two_workers_share_one_drawing(database_cache, drawings, monkeypatch, data, year_2025):
    result = stats.dashboard(year_2025)
    first = [charts.series_chart(result.series)]
    first += [charts.breakdown_chart(item) for item in result.breakdowns.values()]
    assert len(drawings) == len(first)

    _other_worker(monkeypatch)
    second = [charts.series_chart(result.series)]
    second += [charts.breakdown_chart(item) for item in result.breakdowns.values()]
    assert second == first
    assert len(drawings) == len(first), "the second worker drew again"


def test_a_new_activity_shows_in_the_chart_of_every_worker(
    database_cache, drawings, monkeypatch, data, year_2025
):
    before = charts.series_chart(stats.dashboard(year_2025).series)
    assert "Activités : janv. 25 1, févr. 25 1, mars 25 5," in before

    record_individual(data["advisor"], place=data["place"], date=date(2025, 3, 25))
    _other_worker(monkeypatch)
    after = charts.series_chart(stats.dashboard(year_2025).series)
    assert "Activités : janv. 25 1, févr. 25 1, mars 25 6," in after


def test_the_dashboard_page_shows_a_new_activity(data, coordinator_client):
    """Through the page (its <img> data URIs), with the test settings' cache."""
    query = "?start=2025-01&end=2025-12"
    page = coordinator_client.get("/statistiques/" + query)
    assert page.status_code == 200
    record_individual(data["advisor"], place=data["place"], date=date(2025, 3, 26))
    page_after = coordinator_client.get("/statistiques/" + query)

    def series_svg(response) -> str:
        uris = response.context["series"]["chart"]
        return base64.b64decode(uris.split(",", 1)[1]).decode()

    assert "mars 25 5," in series_svg(page)
    assert "mars 25 6," in series_svg(page_after)
