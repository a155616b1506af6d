"""Planning pages: permissions, slot form with checks before saving, closures, my week."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.planning.models import Closure, OccurrenceException, Slot, WeekVisit
from relais.team import services as team_services
from relais.team.enums import LeaveKind

from ..factories import AdvisorFactory, TOTPDeviceFactory
from ..helpers import count_tags, page_text

pytestmark = pytest.mark.django_db

MANAGER_PAGES = [
    "planning:slot_list",
    "planning:slot_create",
    "planning:checks",
    "planning:coverage",
]


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_coordinator_pages_render_with_one_h1(coordinator_client, name):
    response = coordinator_client.get(reverse(name))
    assert response.status_code == 200
    assert count_tags(response.content.decode(), "h1") == 1


@pytest.mark.parametrize("persona", ["committee_client", "partner_client", "advisor_client"])
@pytest.mark.parametrize(
    "name", [*MANAGER_PAGES, "planning:coverage_csv", "planning:coverage_xlsx"]
)
def test_others_cannot_reach_planning_pages(request, persona, name):
    assert request.getfixturevalue(persona).get(reverse(name)).status_code == 403


def test_committee_gets_403_on_slot_edit_and_occurrence_pages(
    committee_client, current_agreement, seed_places, advisor_at, make_slot
):
    today = timezone.localdate()
    slot = make_slot(
        seed_places["Prades"],
        [advisor_at("Prades")],
        weekday=today.weekday(),
        valid_from=today - timedelta(days=7),
        valid_until=today + timedelta(days=60),
    )
    for url in [
        reverse("planning:slot_edit", args=[slot.pk]),
        reverse("planning:slot_detail", args=[slot.pk]),
        reverse("planning:occurrence", args=[slot.pk, today.isoformat()]),
    ]:
        assert committee_client.get(url).status_code == 403
    assert committee_client.post(reverse("planning:slot_delete", args=[slot.pk])).status_code == 403
    assert Slot.objects.filter(pk=slot.pk).exists()


def _slot_post(place, advisors, action, **extra):
    data = {
        "place": place.pk,
        "weekday": 2,
        "start_time": "09:30",
        "end_time": "12:30",
        "recurrence": "weekly",
        "valid_from": "2026-04-01",
        "valid_until": "2026-06-22",
        "advisors": [a.pk for a in advisors],
        "note": "",
        "action": action,
    }
    data.update(extra)
    return data


def test_slot_form_shows_checks_before_saving(
    coordinator_client, agreement, seed_places, advisor_at, make_slot
):
    advisor = advisor_at("Prades")
    make_slot(
        seed_places["Catllar"],
        [advisor],
        weekday=2,
        start="11:00",
        end="14:00",
        valid_from=date(2026, 4, 1),
    )
    url = reverse("planning:slot_create")
    place = seed_places["Prades"]
    response = coordinator_client.post(url, _slot_post(place, [advisor], "check"))
    assert response.status_code == 200
    assert "à deux endroits en même temps" in page_text(response)
    assert Slot.objects.filter(place=place).count() == 0
    # Saving shows the findings first; saving again with the same findings confirms.
    response = coordinator_client.post(url, _slot_post(place, [advisor], "save"))
    assert response.status_code == 200 and Slot.objects.filter(place=place).count() == 0
    fingerprint = response.context["fingerprint"]
    response = coordinator_client.post(
        url, _slot_post(place, [advisor], "save", checked=fingerprint)
    )
    slot = Slot.objects.get(place=place)
    assert response["Location"] == slot.get_absolute_url()
    page = page_text(coordinator_client.get(slot.get_absolute_url()))
    assert "à deux endroits en même temps" in page


def test_slot_form_saves_directly_when_all_is_well(
    coordinator_client, agreement, seed_places, advisor_at
):
    advisor = advisor_at("Prades")
    response = coordinator_client.post(
        reverse("planning:slot_create"), _slot_post(seed_places["Prades"], [advisor], "save")
    )
    slot = Slot.objects.get()
    assert response.status_code == 302
    assert list(slot.advisors.all()) == [advisor]
    response = coordinator_client.post(
        reverse("planning:slot_edit", args=[slot.pk]),
        _slot_post(seed_places["Prades"], [advisor], "save", end_time="13:00"),
    )
    slot.refresh_from_db()
    assert response.status_code == 302 and slot.end_time.hour == 13


def test_slot_form_refuses_dates_outside_the_agreement(
    coordinator_client, agreement, seed_places, advisor_at
):
    response = coordinator_client.post(
        reverse("planning:slot_create"),
        _slot_post(seed_places["Prades"], [advisor_at("Prades")], "save", valid_until="2026-12-31"),
    )
    assert response.status_code == 200
    assert "22/06/2026" in page_text(response)
    assert not Slot.objects.exists()


def test_occurrence_page_proposes_candidates_and_records_a_replacement(
    coordinator_client, agreement, seed_places, advisor_at, make_slot
):
    away = advisor_at("Vinça")
    slot = make_slot(seed_places["Vinça"], [away], weekday=2, start="14:00", end="17:30")
    team_services.leave_create(
        advisor=away, kind=LeaveKind.PAID, start_date=date(2026, 4, 15), end_date=date(2026, 4, 15)
    )
    stand_in = advisor_at("Marquixanes", user__last_name="Remplaçante")
    url = reverse("planning:occurrence", args=[slot.pk, "2026-04-15"])
    page = page_text(coordinator_client.get(url))
    assert "Sans conseiller" in page and "Remplaçante" in page
    response = coordinator_client.post(
        url,
        {
            "action": "replace",
            "remplacement-advisors": [stand_in.pk],
            "remplacement-reason": "Congé",
        },
    )
    assert response.status_code == 302
    exception = OccurrenceException.objects.get()
    assert list(exception.replacement_advisors.all()) == [stand_in]
    coordinator_client.post(url, {"action": "cancel", "annulation-reason": "Fermeture imprévue"})
    assert OccurrenceException.objects.get().kind == "cancellation"
    assert (
        coordinator_client.get(
            reverse("planning:occurrence", args=[slot.pk, "2026-04-16"])
        ).status_code
        == 404
    )
    assert (
        coordinator_client.get(
            reverse("planning:occurrence", args=[slot.pk, "n-importe"])
        ).status_code
        == 404
    )


def test_checks_page_lists_findings(
    coordinator_client, agreement, seed_places, advisor_at, make_slot
):
    advisor = advisor_at("Prades")
    make_slot(seed_places["Prades"], [advisor], weekday=2, start="09:30", end="12:30")
    make_slot(seed_places["Catllar"], [advisor], weekday=2, start="11:00", end="14:00")
    response = coordinator_client.get(
        reverse("planning:checks"), {"du": "2026-04-13", "semaines": 1}
    )
    assert "Erreurs (1)" in page_text(response)
    assert "à deux endroits en même temps" in page_text(response)


def test_coverage_page_highlights_shortfalls(coordinator_client, agreement, seed_places):
    response = coordinator_client.get(
        reverse("planning:coverage"), {"du": "2026-04-13", "semaines": 2}
    )
    text = page_text(response)
    assert "Lieu de Prades" in text and "manque 4" in text


# --- Closures -------------------------------------------------------------------------------


def test_partner_staff_record_closures_of_their_own_places_only(
    partner_client, seed_places, other_place
):
    own = seed_places["Prades"]
    url = reverse("planning:closure_create")
    form_page = partner_client.get(url)
    assert form_page.status_code == 200
    assert other_place.name not in form_page.content.decode()
    data = {
        "place": own.pk,
        "start_date": "2026-12-21",
        "end_date": "2026-12-24",
        "reason": "Travaux",
    }
    assert partner_client.post(url, data).status_code == 302
    closure = Closure.objects.get()
    assert closure.place == own
    # Another partner's place is not a valid choice.
    data["place"] = other_place.pk
    response = partner_client.post(url, data)
    assert response.status_code == 200 and Closure.objects.count() == 1


def test_partner_staff_cannot_change_another_partners_closure(
    outsider_client, partner_client, seed_places, other_place
):
    from relais.planning import services

    soon = timezone.localdate() + timedelta(days=27)  # the list shows closures to come
    ours = services.closure_create(
        place=seed_places["Prades"], start_date=soon, end_date=soon, reason="X"
    )
    later = soon + timedelta(days=1)
    theirs = services.closure_create(
        place=other_place, start_date=later, end_date=later, reason="Y"
    )
    listing = page_text(partner_client.get(reverse("planning:closure_list")))
    assert seed_places["Prades"].name in listing and other_place.name not in listing
    assert partner_client.get(reverse("planning:closure_edit", args=[theirs.pk])).status_code == 403
    assert (
        partner_client.post(reverse("planning:closure_delete", args=[theirs.pk])).status_code == 403
    )
    assert (
        outsider_client.post(reverse("planning:closure_delete", args=[ours.pk])).status_code == 403
    )
    assert (
        partner_client.post(reverse("planning:closure_delete", args=[ours.pk])).status_code == 302
    )
    assert list(Closure.objects.all()) == [theirs]


def test_coordinators_manage_every_closure_and_committee_none(
    coordinator_client, committee_client, advisor_client, other_place
):
    data = {
        "place": other_place.pk,
        "start_date": "2026-12-21",
        "end_date": "2026-12-21",
        "reason": "Z",
    }
    assert coordinator_client.post(reverse("planning:closure_create"), data).status_code == 302
    for client in (committee_client, advisor_client):
        assert client.get(reverse("planning:closure_list")).status_code == 403
        assert client.post(reverse("planning:closure_create"), data).status_code == 403


# --- My week --------------------------------------------------------------------------------


@pytest.fixture
def this_week_slot(current_agreement, seed_places, advisor_at, make_slot):
    """A daily-ish permanence: one slot per weekday so the next days always hold one."""
    advisor = advisor_at("Prades", user__first_name="Léa", user__last_name="Pixel")
    today = timezone.localdate()
    slots = [
        make_slot(
            seed_places["Catllar"],
            [advisor],
            weekday=day,
            start="14:00",
            end="17:00",
            valid_from=today - timedelta(days=7),
            valid_until=today + timedelta(days=60),
        )
        for day in range(5)
    ]
    return advisor, slots


def test_my_week_lists_next_permanences_with_travel_and_changes(client_for, this_week_slot):
    advisor, slots = this_week_slot
    TOTPDeviceFactory(user=advisor.user)
    client = client_for(advisor.user)
    response = client.get(reverse("planning:my_week"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Lieu de Catllar" in text and "Trajet depuis Prades : environ" in text
    assert "Première visite" in text
    assert WeekVisit.objects.get(advisor=advisor)
    # A change made after the visit is listed on the next one.
    from relais.planning import services

    services.slot_update(slot=slots[0], note="Salle du premier étage")
    team_services.leave_create(
        advisor=advisor,
        kind=LeaveKind.TRAINING,
        start_date=timezone.localdate() + timedelta(days=20),
        end_date=timezone.localdate() + timedelta(days=20),
    )
    text = page_text(client.get(reverse("planning:my_week")))
    assert "Permanence modifiée : Lieu de Catllar" in text
    assert "Absence enregistrée : Formation" in text
    text = page_text(client.get(reverse("planning:my_week")))
    assert "Rien n'a changé depuis votre visite" in text


def test_advisers_see_only_their_own_week(client_for, this_week_slot):
    other = AdvisorFactory()
    TOTPDeviceFactory(user=other.user)
    text = page_text(client_for(other.user).get(reverse("planning:my_week")))
    assert "Lieu de Catllar" not in text
    assert "Rien de prévu dans les deux prochaines semaines" in text


@pytest.mark.parametrize("persona", ["coordinator_client", "partner_client", "committee_client"])
def test_my_week_is_for_advisers(request, persona):
    assert request.getfixturevalue(persona).get(reverse("planning:my_week")).status_code == 403


def test_advisor_dashboard_lists_next_permanences(client_for, this_week_slot):
    advisor, _ = this_week_slot
    TOTPDeviceFactory(user=advisor.user)
    text = page_text(client_for(advisor.user).get("/"))
    assert "Lieu de Catllar" in text and "Voir ma semaine" in text


def test_coordinator_dashboard_highlights_shortfalls(coordinator_client, current_agreement):
    text = page_text(coordinator_client.get("/"))
    assert "Engagements non couverts" in text
    assert "Lieu de Prades, semaine du" in text and "manque 4" in text


def test_navigation_entries(coordinator_client, advisor_client, partner_client):
    assert 'href="/planning/"' in coordinator_client.get("/").content.decode()
    assert 'href="/planning/ma-semaine/"' in advisor_client.get("/").content.decode()
    assert 'href="/planning/fermetures/"' in partner_client.get("/").content.decode()


def test_a_closure_longer_than_a_year_must_be_confirmed(coordinator_client, seed_places):
    """Issue 12: a closure to the year 9999 (or 2072 for 2027) silenced a place for ever."""
    url = reverse("planning:closure_create")
    data = {
        "place": seed_places["Prades"].pk,
        "start_date": "2027-01-04",
        "end_date": "2028-01-10",  # a year and a week: 2028 for 2027?
        "reason": "Travaux",
    }
    assert coordinator_client.post(url, {**data, "end_date": "2028-01-04"}).status_code == 302
    Closure.objects.all().delete()  # a year exactly needs no confirmation
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "Cette fermeture dure plus d'un an" in page_text(response)
    response = coordinator_client.post(url, {**data, "end_date": "9999-12-31"})
    assert "entre le 01/01/1990 et le 31/12/2100" in page_text(response)
    assert not Closure.objects.exists()
    response = coordinator_client.post(url, {**data, "long_closure_confirmed": "on"})
    assert response.status_code == 302
    closure = Closure.objects.get()
    edit = reverse("planning:closure_edit", args=[closure.pk])
    response = coordinator_client.post(edit, {**data, "end_date": "2029-01-04"})
    assert "Cette fermeture dure plus d'un an" in page_text(response)
    closure.refresh_from_db()
    assert closure.end_date == date(2028, 1, 10)
