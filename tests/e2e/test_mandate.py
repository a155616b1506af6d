"""A mandate from signature to purge in a real browser (convention, art. 2).

An adviser signs a mandate in person for a beneficiary, prints it (a PDF), the beneficiary
revokes it (printable receipt), the purge runs and the mandate is gone; partner staff get 403 on
the mandate pages. Every page passes axe-core and keeps the CSP (no console error).
"""

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.mandates.models import Mandate
from relais.privacy.models import JournalEntry
from relais.privacy.services import purge_run

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, TOTPDeviceFactory, UserFactory
from ..mandates.factories import make_mandate
from ..privacy.journal_helpers import journal_triggers, journal_wipe
from .steps import LOGIN, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_journal_after_the_test():
    """The end-of-test flush cannot delete a protected journal: empty it first."""
    yield
    if journal_triggers():
        journal_wipe()


def _log_in(page, base_url, user, device=None):
    sign_in(page, base_url + LOGIN, user, device)
    expect(page).to_have_url(base_url + "/")


def test_an_adviser_signs_prints_then_the_beneficiary_revokes_and_the_purge_destroys(
    page, live_server, assert_accessible, console_errors
):
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    beneficiary = BeneficiaryFactory(first_name="Josette", last_name="Arbousier")
    _log_in(page, live_server.url, advisor.user, device)

    page.goto(live_server.url + beneficiary.get_absolute_url())
    assert_accessible("fiche avec mandats et droits")
    page.get_by_role("link", name="Nouveau mandat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau mandat")
    assert_accessible("nouveau mandat")

    page.get_by_label("Ensemble, en présence de la personne").check()
    page.get_by_label("Pièce d'identité présentée").select_option(label="Passeport")
    page.get_by_label("J'ai vérifié l'identité").check()
    page.get_by_label("Social - Santé", exact=True).check()
    page.get_by_label("Démarches désignées").fill("Demande de RSA")
    page.get_by_label("1 mois").check()
    page.get_by_label("J'ai lu et remis à la personne").check()
    page.get_by_role("button", name="Enregistrer le mandat").click()

    mandate = Mandate.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Mandat n° {mandate.pk}")
    expect(page.get_by_role("status")).to_contain_text("Le mandat est enregistré")
    assert mandate.mode == "in_person" and mandate.identity_document_type == "passport"
    assert_accessible("mandat enregistré")

    pdf_url = page.get_by_role("link", name="Imprimer le mandat (PDF)").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    page.get_by_role("link", name="Retrait du mandat").click()
    assert_accessible("retrait du mandat")
    page.get_by_role("button", name="Enregistrer le retrait").click()
    expect(page.get_by_role("status")).to_contain_text("Le mandat est retiré")
    mandate.refresh_from_db()
    assert mandate.status == "revoked"
    receipt_url = page.get_by_role("link", name="Imprimer le reçu de retrait (PDF)").get_attribute(
        "href"
    )
    receipt = page.request.get(live_server.url + receipt_url)
    assert receipt.ok and receipt.body().startswith(b"%PDF-")
    assert_accessible("mandat retiré")

    report = purge_run()
    assert not report.errors
    assert not Mandate.objects.exists()
    assert JournalEntry.objects.filter(details__event="revoked").exists()  # the proof stays
    page.goto(live_server.url + f"/mandats/{mandate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert console_errors == [] or all("404" in error for error in console_errors)


def test_partner_staff_get_403_on_the_mandate_pages(page, live_server, assert_accessible, partner):
    mandate = make_mandate()
    staff = UserFactory(role=Role.PARTNER_STAFF, organisation=partner)
    _log_in(page, live_server.url, staff)
    for path in (
        "/mandats/",
        f"/mandats/{mandate.pk}/",
        f"/mandats/{mandate.pk}/mandat.pdf",
        f"/mandats/{mandate.pk}/retrait/",
        f"/mandats/personne/{mandate.beneficiary_id}/nouveau/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
    assert_accessible("403")
