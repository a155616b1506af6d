"""Statistics in a real browser: a coordinator logs in with TOTP, filters by place, sees a chart;
the page passes axe-core and raises no CSP error."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.reporting.rollup import refresh

from ..activities.factories import record_collective, record_individual
from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory, UserFactory
from ..helpers import totp_code
from .test_login import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_filters_statistics_by_place(
    page, live_server, assert_accessible, console_errors
):
    advisor = AdvisorFactory()
    prades = PlaceFactory(name="Médiathèque de Prades")
    ceret = PlaceFactory(name="Bibliothèque de Céret")
    this_month = timezone.localdate().replace(day=1)
    record_individual(advisor, place=prades, date=this_month, themes=["email", "health"])
    record_collective(advisor, place=prades, date=this_month)
    record_individual(advisor, place=ceret, date=this_month)
    refresh(full=True)
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))

    _log_in(page, live_server.url, device.user.email)
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Statistiques"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")
    assert_accessible("statistiques")

    page.get_by_label("Lieu", exact=True).select_option(label="Médiathèque de Prades")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(f"{live_server.url}/statistiques/?" + page.url.split("?", 1)[1])
    assert f"place={prades.pk}" in page.url
    expect(page.get_by_role("term").filter(has_text="Activités").first).to_be_visible()
    chart = page.get_by_role("img", name="Thématiques : graphique", exact=False)
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG really rendered
    page.get_by_text("Données du graphique « Lieux »").click()
    table = page.get_by_role("table", name="Lieux")
    expect(table).to_contain_text("Médiathèque de Prades")
    expect(table).not_to_contain_text("Bibliothèque de Céret")
    assert_accessible("statistiques filtrées par lieu")
    assert console_errors == []
