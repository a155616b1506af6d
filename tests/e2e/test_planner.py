"""The planner in a browser: a coordinator computes a plan on the seed's places and sees it."""

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role

from ..factories import AdvisorFactory, TOTPDeviceFactory, UserFactory
from ..planning.conftest import agreement_in_force, places_of_the_seed
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_computes_a_plan_and_sees_the_week_grid(
    page,
    live_server,
    settings,
    assert_accessible,
    console_errors,
    department,
    partner,
    screenshot,
):
    # Inline solve: the live server's request thread must not outlive the test database.
    settings.RELAIS_PLANNER_SYNC = True
    places = places_of_the_seed(partner, prefix="Médiathèque de", opening_hours="")
    agreement_in_force(department, partner, places)
    for name in ("Prades", "Vinça", "Catllar"):
        AdvisorFactory(home_commune=places[name].commune)
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, first_name="Claire"))

    sign_in(page, live_server.url + "/planning/planificateur/", device.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Planificateur")
    assert_accessible("planificateur")

    page.get_by_role("button", name="Calculer un planning").click()
    grid = page.get_by_role("table", name="Planning proposé")
    expect(grid).to_be_visible()
    expect(grid.get_by_role("rowheader", name="Médiathèque de Prades")).to_be_visible()
    expect(page.get_by_text("Résultat : optimal")).to_be_visible()
    expect(page.get_by_role("button", name="Recalculer avec ces choix")).to_be_visible()
    assert_accessible("planificateur, résultat")
    # The week grid on a phone: it may scroll inside its own box, never the page sideways.
    page.set_viewport_size(PHONE)
    assert_fits_phone(page, "planificateur, résultat")
    screenshot("resultat-360")
    # The remedy the page names for a day that cannot be held whole is a box on the page.
    page.get_by_label("Autoriser le fractionnement des journées").check()
    page.get_by_role("button", name="Calculer un planning").click()
    expect(
        page.get_by_text("Autorisé pour ce calcul : fractionnement des journées")
    ).to_be_visible()
    expect(page.get_by_label("Autoriser le fractionnement des journées")).to_be_checked()
    assert console_errors == []
