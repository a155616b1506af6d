"""Travel time: haversine × road factor at an average speed, or a matrix CSV when configured."""

import pytest

from relais.planning import travel
from relais.planning.travel import haversine_km, travel_minutes

from .conftest import commune

pytestmark = pytest.mark.django_db


def test_haversine_prades_vinca():
    assert haversine_km(42.6175, 2.4217, 42.6447, 2.5278) == pytest.approx(9.2, abs=0.3)


def test_estimate_uses_the_road_factor_and_the_average_speed():
    prades = commune("Prades", "42.61750", "2.42170")
    vinca = commune("Vinça", "42.64470", "2.52780")
    minutes = travel_minutes(prades, vinca)
    km = haversine_km(42.6175, 2.4217, 42.6447, 2.5278) * travel.ROAD_FACTOR
    assert minutes == pytest.approx(km / travel.AVERAGE_SPEED_KMH * 60, abs=1)
    assert minutes == travel_minutes(vinca, prades)
    assert travel_minutes(prades, prades) == 0


def test_matrix_file_wins_when_configured(settings, tmp_path):
    matrix = tmp_path / "matrix.csv"
    matrix.write_text("from_commune,to_commune,minutes\nPrades,Vinça,25\n", encoding="utf-8")
    settings.RELAIS_TRAVEL_MATRIX = str(matrix)
    prades = commune("Prades", "42.61750", "2.42170")
    vinca = commune("Vinça", "42.64470", "2.52780")
    sahorre = commune("Sahorre", "42.52810", "2.37140")
    assert travel_minutes(prades, vinca) == 25
    assert travel_minutes(vinca, prades) == 25  # symmetric when only one way is given
    settings.RELAIS_TRAVEL_MATRIX = ""
    estimate = travel_minutes(prades, sahorre)
    settings.RELAIS_TRAVEL_MATRIX = str(matrix)
    assert travel_minutes(prades, sahorre) == estimate  # missing pair: the estimate
