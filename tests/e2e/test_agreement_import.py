"""Importing the seed in a real browser: paste, preview with the discrepancy, confirm."""

import re
from importlib import resources

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.core.services import communes_import

from ..factories import DepartmentFactory, TOTPDeviceFactory, UserFactory
from .steps import LOGIN, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SEED = (
    resources.files("relais.agreements")
    .joinpath("data/seed-conflent-canigo-2024.txt")
    .read_text("utf-8")
)


def _log_in_coordinator(page, base_url):
    department = DepartmentFactory(name="Département des Pyrénées-Orientales")
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, organisation=department))
    sign_in(page, base_url + LOGIN, device.user, device)
    expect(page).to_have_url(base_url + "/")


def test_coordinator_imports_the_seed(page, live_server, assert_accessible, console_errors):
    text = resources.files("relais.core").joinpath("data/communes-66.csv").read_text("utf-8")
    assert communes_import(text=text, department_code="66").ok
    _log_in_coordinator(page, live_server.url)

    page.goto(live_server.url + "/conventions/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer une délibération et sa convention"
    )
    assert_accessible("formulaire d'import")
    page.get_by_label("Texte de la délibération et/ou de la convention").fill(SEED)
    page.get_by_role("button", name="Prévisualiser l'import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import")
    discrepancies = page.get_by_role("region", name="Écarts entre la délibération et la convention")
    expect(discrepancies).to_contain_text(
        "Commune de Baillestavy (1 demi-journée par semaine) figure dans la délibération mais "
        "pas dans la convention."
    )
    expect(page.get_by_role("table", name="Tableau de la convention")).to_contain_text(
        "MEDIATHEQUE DE PRADES"
    )
    assert_accessible("aperçu de l'import")

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page).to_have_url(re.compile(r"/conventions/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Import terminé")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convention")
    assert_accessible("convention importée")
    assert console_errors == []
