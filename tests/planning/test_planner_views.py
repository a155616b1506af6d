"""The planner with the database: problem building, `relais plan`, the coordinators' page."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from relais.planning import planner, tasks
from relais.planning.models import PlanRun, Slot
from relais.planning.planner import runs
from relais.planning.queries import problem_from_database

from ..helpers import count_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(current_agreement, advisor_at):
    """Four advisers around the seed's places, under an agreement in force (13 half-days)."""
    return [advisor_at(name) for name in ("Prades", "Vinça", "Catllar", "Sahorre")]


@pytest.fixture(autouse=True)
def _sync(settings):
    settings.RELAIS_PLANNER_SYNC = True


def test_problem_from_database_reads_the_commitments_in_force(team):
    problem = problem_from_database(runs.next_monday())
    assert problem.total_demand == 13
    assert {p.name: p.demand for p in problem.places}["Lieu de Prades"] == 4
    assert len(problem.advisors) == 4
    assert all(a.capacity == 10 for a in problem.advisors)


def test_a_half_day_lasts_the_agreements_half_day(team, current_agreement):
    """Working time counts the half-day of the place's agreement (Art. 1.2), not 3 h 30."""
    current_agreement.half_day_hours = Decimal("3.00")
    current_agreement.save(update_fields=["half_day_hours"])
    problem = problem_from_database(runs.next_monday())
    assert {p.half_day_minutes for p in problem.places} == {180}
    place = problem.places[0]
    advisor = problem.advisors[0]
    one = [planner.Assignment(advisor.id, place.id, 0, planner.MORNING)]
    drive = problem.day_drive(advisor.id, place.id, None)
    assert planner.working_minutes(problem, one)[advisor.id] == 180 + drive


def test_plan_command_json_meets_every_commitment(team):
    out = StringIO()
    call_command("plan", "--json", "--time-limit", "5", stdout=out)
    data = json.loads(out.getvalue())
    assert data["status"] == planner.OPTIMAL
    assert len(data["assignments"]) == 13
    assert {a["place"] for a in data["assignments"]} >= {"Lieu de Prades", "Lieu de Catllar"}
    assert data["explanations"] == []


def test_plan_command_text_and_infeasible_exit_code(current_agreement, advisor_at):
    advisor_at("Prades")  # one adviser, 10 half-days, for 13 committed
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("plan", "--time-limit", "5", stdout=out, stderr=StringIO())
    assert exit_info.value.code == 1
    text = out.getvalue()
    assert "impossible" in text
    assert "Les engagements demandent 13 demi-journées par semaine" in text


def test_coordinator_page_renders_with_one_h1(coordinator_client):
    response = coordinator_client.get(reverse("planning:planner"))
    assert response.status_code == 200
    assert count_tags(response.content.decode(), "h1") == 1
    assert "Calculer un planning" in response.content.decode()


@pytest.mark.parametrize("persona", ["advisor_client", "partner_client", "committee_client"])
def test_others_get_403(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("planning:planner")).status_code == 403
    assert client.post(reverse("planning:planner_run")).status_code == 403


def test_run_shows_the_grid_then_pins_and_apply(coordinator_client, team):
    response = coordinator_client.post(reverse("planning:planner_run"), {"duree": "5"}, follow=True)
    assert response.status_code == 200
    run = PlanRun.objects.get()
    assert run.status == PlanRun.Status.DONE
    assert run.result["status"] == planner.OPTIMAL
    html = response.content.decode()
    assert count_tags(html, "h1") == 1
    assert "Lieu de Prades" in html and "Recalculer avec ces choix" in html

    status = coordinator_client.get(reverse("planning:planner_status", args=[run.pk]))
    assert status["HX-Refresh"] == "true"

    # Pin one adviser somewhere far from home and solve again: the pin holds.
    far = next(a for a in team if a.home_commune.name == "Sahorre")
    place_id = run.result["assignments"][0]["place_id"]
    pin = f"{far.pk}-{place_id}-0-am"
    coordinator_client.post(
        reverse("planning:planner_run"), {"duree": "5", "choix": [pin]}, follow=True
    )
    second = PlanRun.objects.first()
    assert second.pins == [{"advisor_id": far.pk, "place_id": place_id, "weekday": 0, "half": "am"}]
    assert {
        "advisor_id": far.pk,
        "place_id": place_id,
        "weekday": 0,
        "half": "am",
    } in [
        {k: a[k] for k in ("advisor_id", "place_id", "weekday", "half")}
        for a in second.result["assignments"]
    ]

    # Applying needs the confirmation box; then it creates the 13 weekly slots, once.
    url = reverse("planning:planner_apply", args=[second.pk])
    coordinator_client.post(url)
    assert not Slot.objects.exists()
    coordinator_client.post(url, {"confirmation": "1"})
    assert Slot.objects.count() == 13
    coordinator_client.post(url, {"confirmation": "1"})
    assert Slot.objects.count() == 13


def test_infeasible_run_names_the_places(coordinator_client, current_agreement, advisor_at):
    advisor_at("Prades")
    response = coordinator_client.post(reverse("planning:planner_run"), {"duree": "5"}, follow=True)
    html = response.content.decode()
    assert "Engagements qui ne peuvent pas être tenus" in html
    assert "au plus possible" in html


@pytest.mark.parametrize("ticked", [True, False])
def test_the_coordinator_chooses_for_each_run_whether_days_may_be_split(
    coordinator_client, team, settings, monkeypatch, ticked
):
    """The solver's advice for a day that cannot be held whole (« autorisez le fractionnement
    des journées ») is a box on the page; the setting only ticks it for a new run."""
    settings.RELAIS_PLANNER_SPLIT_DAYS = True
    box = 'name="fractionner" value="1" checked'
    assert box in coordinator_client.get(reverse("planning:planner")).content.decode()
    read = []
    real = tasks.problem_from_database
    monkeypatch.setattr(
        tasks,
        "problem_from_database",
        lambda *a, **k: read.append(k["split_days"]) or real(*a, **k),
    )
    data = {"duree": "5", **({"fractionner": "1"} if ticked else {})}
    response = coordinator_client.post(reverse("planning:planner_run"), data, follow=True)
    html = response.content.decode()
    assert PlanRun.objects.get().split_days is ticked and read == [ticked]
    assert ("fractionnement des journées</li>" in html) is ticked
    assert html.count(box) == (1 if ticked else 0)  # the box shows this run's choice
    # « Recalculer avec ces choix » keeps it.
    assert ('<input type="hidden" name="fractionner" value="1">' in html) is ticked


def test_a_past_week_is_refused_in_french_and_nothing_runs(coordinator_client, team):
    response = coordinator_client.post(
        reverse("planning:planner_run"), {"semaine": "2020-01-06", "duree": "5"}, follow=True
    )
    assert "Cette semaine est passée" in response.content.decode()
    assert not PlanRun.objects.exists()
    with pytest.raises(Exception, match="Semaine passée"):
        call_command("plan", "--from", "2020-01-06", stdout=StringIO(), stderr=StringIO())


def test_the_plan_reports_working_time_and_whole_days(team):
    out = StringIO()
    call_command("plan", "--json", "--time-limit", "5", stdout=out)
    data = json.loads(out.getvalue())
    days = {}
    for item in data["assignments"]:
        days.setdefault((item["place"], item["weekday"]), set()).add(
            (item["advisor_id"], item["half"])
        )
    # Prades commits two days, Catllar one: held whole, same adviser morning and afternoon.
    whole = {
        place
        for (place, _d), held in days.items()
        if len({a for a, _h in held}) == 1 and len(held) == 2
    }
    assert {"Lieu de Prades", "Lieu de Catllar"} <= whole
    assert data["travel_minutes"] == sum(a["travel_minutes"] for a in data["assignments"])
