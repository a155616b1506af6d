"""The monthly report as the partner's staff read it: no small count, none recoverable.

The checker below is written without ``relais.monthly.disclosure``: it lists the report's sums
itself and decides, by linear algebra over the rationals (numpy's rank, independent of the
row reduction in ``relais.reporting.disclosure``), whether a withheld count is determined by
the published ones.
"""

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.monthly import services
from relais.monthly.disclosure import figures_for, published_figures
from relais.reporting.disclosure import SECRET

from ..helpers import page_text
from ..monthly.helpers import MARCH, record_march

THRESHOLD = 5
PROFILES = {"gender": ["female", "male", "unknown"], "age": ["young", "adult", "unknown"]}


def _figures(individual, workshops, themes):
    """Figures shaped as ``monthly.figures.activity_figures`` makes them, from a list of
    individual profiles (gender, age) and of workshops (participant count)."""
    collective_participants = sum(workshops)
    participants = len(individual) + collective_participants
    profiles = {}
    for index, prefix in enumerate(PROFILES):
        counts = dict.fromkeys(PROFILES[prefix], 0)
        for person in individual:
            counts[person[index]] += 1
        counts["unknown"] += collective_participants  # workshop people: « Non communiqué »
        profiles[prefix] = [{"value": v, "label": v, "count": n} for v, n in counts.items()]
    return {
        "activities": {
            "total": len(individual) + len(workshops),
            "individual": len(individual),
            "collective": len(workshops),
            "participants": participants,
            "collective_participants": collective_participants,
            "profiles": profiles,
            "themes": [{"value": t, "label": t, "count": n} for t, n in themes.items() if n],
        },
        "permanences": {},
        "workshops": {},
    }


def _checker_cells(activities):
    cells = {k: activities[k] for k in ("total", "individual", "collective", "participants",
                                         "collective_participants")}  # fmt: skip
    for prefix, rows in activities["profiles"].items():
        for row in rows:
            cells[f"{prefix}:{row['value']}"] = row["count"]
    for row in activities["themes"]:
        cells[f"theme:{row['value']}"] = row["count"]
    rows = [
        {"total": 1, "individual": -1, "collective": -1},
        {"participants": 1, "individual": -1, "collective_participants": -1},
    ]
    for prefix, values in activities["profiles"].items():
        rows.append({"participants": 1, **{f"{prefix}:{r['value']}": -1 for r in values}})
    if len(activities["themes"]) == 1:
        rows.append({"total": 1, f"theme:{activities['themes'][0]['value']}": -1})
    return cells, rows


def _determined(rows, unknown: list[str], target: str) -> bool:
    """Is ``target`` fixed by the sums once every name outside ``unknown`` is known? It is
    when adding the unit vector of ``target`` does not raise the rank of the sums' matrix
    restricted to the unknowns (the vector lies in their row space)."""
    matrix = np.array([[row.get(name, 0) for name in unknown] for row in rows], dtype=float)
    unit = np.array([[1.0 if name == target else 0.0 for name in unknown]])
    if not matrix.size:
        return False
    rank = np.linalg.matrix_rank(matrix)
    return np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank


people = st.tuples(st.sampled_from(PROFILES["gender"]), st.sampled_from(PROFILES["age"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    individual=st.lists(people, max_size=14),
    workshops=st.lists(st.integers(min_value=1, max_value=12), max_size=3),
    email=st.integers(min_value=0, max_value=9),
    health=st.integers(min_value=0, max_value=9),
)
def test_no_small_count_is_published_or_recoverable(individual, workshops, email, health):
    figures = _figures(individual, workshops, {"email": email, "health": health})
    with _threshold(THRESHOLD):
        published = published_figures(figures)["activities"]
    exact_cells, rows = _checker_cells(figures["activities"])
    shown_cells, _ = _checker_cells(published)
    hidden = [name for name, value in shown_cells.items() if value is SECRET]
    for name, value in shown_cells.items():
        if value is not SECRET:
            assert value == exact_cells[name], name  # what is published is exact
            assert not 0 < value < THRESHOLD, (name, value)  # and never small
    for name in hidden:
        assert not _determined(rows, hidden, name), f"{name} recoverable from the sums"


class _threshold:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        from django.conf import settings as django_settings

        self.before = django_settings.RELAIS_DISCLOSURE_THRESHOLD
        django_settings.RELAIS_DISCLOSURE_THRESHOLD = self.value

    def __exit__(self, *exc):
        from django.conf import settings as django_settings

        django_settings.RELAIS_DISCLOSURE_THRESHOLD = self.before


def test_large_counts_stay_as_they_are():
    figures = _figures([("female", "adult")] * 6 + [("male", "young")] * 6, [8] * 5, {"email": 17})
    assert published_figures(figures)["disclosure"]["secret"] == 0
    assert published_figures(figures)["activities"] == figures["activities"]


@pytest.mark.django_db
def test_the_partner_reads_secrets_the_adviser_and_coordination_exact_figures(
    partner, advisor, advisor_user, partner_staff, coordinator, place, other_place,
    partner_client, advisor_client,
):  # fmt: skip
    record_march(advisor, place, other_place)  # 3 activities, one woman aged 60-69
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    services.monthly_report_submit(report=report, user=advisor_user, adviser_comment="RAS")
    report.refresh_from_db()
    assert report.figures["activities"]["total"] == 3  # the snapshot stays exact

    partner_figures = figures_for(partner_staff, report.figures)["activities"]
    assert partner_figures["total"] is SECRET and partner_figures["individual"] is SECRET
    female = next(r for r in partner_figures["profiles"]["gender"] if r["value"] == "female")
    assert female["count"] is SECRET
    for user in (advisor_user, coordinator):
        assert figures_for(user, report.figures)["activities"]["total"] == 3

    partner_page = page_text(partner_client.get(report.get_absolute_url()))
    assert "secret statistique" in partner_page
    assert "Femme : 1" not in partner_page
    assert "secret statistique" not in page_text(advisor_client.get(report.get_absolute_url()))
    assert date(2025, 3, 1) == report.month
