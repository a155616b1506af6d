"""A partner's staff member validates a submitted monthly report on a 360 × 740 phone screen.

Partner staff need no second factor. The pages must pass axe-core and keep the CSP (no console
error), and the validated report is locked.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.monthly import services as monthly_services
from relais.monthly.models import MonthlyReport

from ..factories import (
    AdvisorFactory,
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
)
from ..monthly.helpers import record_march
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_partner_validates_a_monthly_report_on_a_phone(
    page, live_server, assert_accessible, console_errors
):
    partner = OrganisationFactory(name="Médiathèques Conflent Canigó")
    advisor = AdvisorFactory()
    record_march(advisor, PlaceFactory(partner=partner), PlaceFactory())
    report = monthly_services.monthly_report_create(
        partner=partner, month=date(2025, 3, 1), user=advisor.user
    )
    monthly_services.monthly_report_submit(
        report=report, user=advisor.user, adviser_comment="Forte demande sur les impôts."
    )
    staff = UserFactory(role=Role.PARTNER_STAFF, organisation=partner)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + LOGIN, staff)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/comptes-rendus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comptes rendus mensuels")
    assert_accessible("liste des comptes rendus, 360 px")
    page.get_by_role("link", name="Compte rendu de mars 2025").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compte rendu de mars 2025")
    assert_fits_phone(page)
    assert_accessible("compte rendu transmis, 360 px")

    page.get_by_role("button", name="Valider le compte rendu").click()
    expect(page.get_by_role("status")).to_contain_text("Le compte rendu est validé")
    expect(page.get_by_text("verrouillé")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("compte rendu validé, 360 px")
    report = MonthlyReport.objects.get()
    assert report.status == "validated" and report.validated_by == staff
    assert console_errors == []
