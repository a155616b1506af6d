"""The planner in a browser: a coordinator computes a plan on the seed's places and sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.accounts.enums import Role

from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory, UserFactory
from ..helpers import totp_code
from ..planning.conftest import SEED_TABLE, commune, make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_computes_a_plan_and_sees_the_week_grid(
    page, live_server, settings, assert_accessible, console_errors, department, partner
):
    # Inline solve: the live server's request thread must not outlive the test database.
    settings.RELAIS_PLANNER_SYNC = True
    places = {
        name: PlaceFactory(
            partner=partner,
            name=f"Médiathèque de {name}",
            commune=commune(name, lat, lon),
            opening_hours="",
        )
        for name, lat, lon, _, _ in SEED_TABLE
    }
    today = timezone.localdate()
    make_agreement(
        department,
        partner,
        places,
        signed_on=today - timedelta(days=30),
        hard_end=today + timedelta(days=365),
    )
    for name in ("Prades", "Vinça", "Catllar"):
        AdvisorFactory(home_commune=places[name].commune)
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, first_name="Claire"))

    page.goto(live_server.url + "/planning/planificateur/")
    page.get_by_label("Adresse e-mail").fill(device.user.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planificateur")
    assert_accessible("planificateur")

    page.get_by_role("button", name="Calculer un planning").click()
    grid = page.get_by_role("table", name="Planning proposé")
    expect(grid).to_be_visible()
    expect(grid.get_by_role("rowheader", name="Médiathèque de Prades")).to_be_visible()
    expect(page.get_by_text("Résultat : optimal")).to_be_visible()
    expect(page.get_by_role("button", name="Recalculer avec ces choix")).to_be_visible()
    assert_accessible("planificateur, résultat")
    assert console_errors == []
