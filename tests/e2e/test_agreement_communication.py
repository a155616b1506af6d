"""Art. 5 on a phone (360 px): the partner's request reaches the coordinator, who asks for the
missing logo, then authorises the corrected support; the page never scrolls sideways."""

from datetime import date

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.agreements import services
from relais.agreements.enums import PartyRole

from ..agreements.factories import make_signed_agreement
from ..factories import (
    DepartmentFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base_url, device):
    sign_in(page, base_url + LOGIN, device.user, device)
    expect(page).to_have_url(base_url + "/")


def test_coordinator_decides_a_communication_request_on_a_phone(
    page, live_server, assert_accessible, console_errors
):
    department = DepartmentFactory(name="Département des Pyrénées-Orientales")
    partner = OrganisationFactory(name="Communauté de Communes Conflent Canigó")
    agreement = make_signed_agreement(department, partner, hard_end_date=None)
    partner_staff = UserFactory(role=Role.PARTNER_STAFF, organisation=partner)
    request = services.communication_request_submit(
        agreement=agreement,
        user=partner_staff,
        requested_by=PartyRole.PARTNER,
        subject="Affiche des permanences numériques dans les médiathèques du réseau",
        medium="poster",
        channel="Médiathèques de Prades, Vinça et Marquixanes",
        planned_on=date(2026, 12, 8),
        shows_mention=True,
        shows_logo=False,
        requester_validated_by="Jean-Louis JALLAT, Président",
    )
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, organisation=department))
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, device)

    page.goto(live_server.url + "/conventions/communication/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes de communication")
    to_decide = page.get_by_role("region", name="À décider")
    expect(to_decide).to_contain_text("manque le logo du Département")
    assert_fits_phone(page, "liste des demandes")
    assert_accessible("liste des demandes de communication")

    to_decide.get_by_role("link", name=request.subject).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(request.subject)
    assert_fits_phone(page, "demande")
    assert_accessible("demande de communication")

    # Authorising without the logo is refused, in French, at the top of the form.
    page.get_by_label("Autoriser").check()
    page.get_by_label("Décision prise par").fill("Claire Vidal, cheffe de projet")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("(art. 5) : demandez des modifications")).to_be_visible()
    assert_fits_phone(page, "refus d'autoriser")

    page.get_by_label("Demander des modifications").check()
    page.get_by_label("Décision prise par").fill("Claire Vidal, cheffe de projet")
    page.get_by_label("Motif ou modifications demandées").fill("Ajouter le logo en pied d'affiche.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision enregistrée.")).to_be_visible()
    history = page.get_by_role("region", name="Historique")
    expect(history).to_contain_text("Modifications demandées")
    expect(history).to_contain_text("Ajouter le logo en pied d'affiche.")
    assert_fits_phone(page, "après la décision")
    assert console_errors == []
