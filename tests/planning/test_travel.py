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


def _arles_problem(prades, perpignan, arles):
    """One place at Arles-sur-Tech, one adviser in Prades, one in Perpignan."""
    from relais.planning import planner

    homes = {1: prades, 2: perpignan}
    advisors = [
        planner.PlannerAdvisor(
            id=i,
            name=c.name,
            home=c.name,
            days=frozenset(range(5)),
            capacity=9,
            weekly_minutes=2100,
        )
        for i, c in homes.items()
    ]
    place = planner.PlannerPlace(
        id=10, name="Mairie d'Arles-sur-Tech", demand=1, windows=frozenset({(1, "am")})
    )
    return planner.PlanningProblem(
        places=[place],
        advisors=advisors,
        travel={(i, 10): travel_minutes(c, arles) for i, c in homes.items()},
        travel_notes={
            (i, 10): note for i, c in homes.items() if (note := travel.travel_doubt(c, arles))
        },
    )


def test_a_road_matrix_corrects_the_straight_line_across_the_canigo(settings, tmp_path):
    """Prades → Arles-sur-Tech: 42 min as the crow flies, 1 h 40 by road around the massif."""
    from relais.planning import planner

    prades = commune("Prades", "42.61750", "2.42170")
    perpignan = commune("Perpignan", "42.69860", "2.89560")
    arles = commune("Arles-sur-Tech", "42.45750", "2.63360")
    estimated = planner.solve(_arles_problem(prades, perpignan, arles), time_limit_s=2)
    assert [a.advisor_id for a in estimated.assignments] == [1]  # Prades looks nearer
    assert any("Prades – Arles-sur-Tech" in note for note in estimated.explanations)

    matrix = tmp_path / "osrm.csv"
    matrix.write_text(
        "from_commune,to_commune,minutes\nPrades,Arles-sur-Tech,101\nPerpignan,Arles-sur-Tech,46\n",
        encoding="utf-8",
    )
    settings.RELAIS_TRAVEL_MATRIX = str(matrix)
    travel.clear_cache()
    by_road = planner.solve(_arles_problem(prades, perpignan, arles), time_limit_s=2)
    assert [a.advisor_id for a in by_road.assignments] == [2]  # Perpignan is, by road
    assert by_road.travel_minutes == 2 * 46
    assert not any("vol d'oiseau" in note for note in by_road.explanations)  # no doubt left


def test_only_long_estimates_are_flagged(settings):
    prades = commune("Prades", "42.61750", "2.42170")
    vinca = commune("Vinça", "42.64470", "2.52780")
    arles = commune("Arles-sur-Tech", "42.45750", "2.63360")
    assert travel.travel_doubt(prades, vinca) is None
    assert "à vérifier" in travel.travel_doubt(prades, arles)
