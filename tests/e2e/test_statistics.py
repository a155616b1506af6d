"""Statistics in a real browser: a coordinator logs in with TOTP, filters by place, sees a chart;
the page passes axe-core and raises no CSP error. An activity recorded in the browser is in the
statistics at once, without any command."""

from datetime import date

import pytest
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.reporting.rollup import rebuild

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
    # The suite's clock (tests/conftest.py), which the live server reads too: the dashboard's
    # default period always ends with this month.
    this_month = timezone.localdate().replace(day=1)
    record_individual(advisor, place=prades, date=this_month, themes=["email", "health"])
    record_collective(advisor, place=prades, date=this_month)
    record_individual(advisor, place=ceret, date=this_month)
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


def test_an_activity_recorded_in_the_browser_is_counted_at_once(page, live_server, settings):
    from .test_activity_entry import _log_in_as_advisor

    # This test reads freshness: the adviser's page would show the small counts below as
    # « secret statistique » (tests/reporting/test_disclosure_property.py), so the control is
    # off here (a threshold of 1 publishes every count).
    settings.RELAIS_DISCLOSURE_THRESHOLD = 1
    rebuild()  # built roll-ups (empty): the figures below come from the rows the write keeps
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    # Today, by the clock the server reads too: inside the dashboard's default period, any date.
    record_individual(advisor, place=place, date=timezone.localdate())

    def activities_shown() -> str:
        page.goto(f"{live_server.url}/statistiques/?place={place.pk}")
        kpi = page.get_by_role("term").filter(has_text="Activités").first
        return kpi.locator("xpath=following-sibling::dd[1]").inner_text()

    assert activities_shown() == "1"
    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("45 min").check()
    page.get_by_label("Partiellement autonome").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    assert activities_shown() == "2"


@pytest.mark.now("2026-11-24T10:00")
def test_on_a_phone_a_commune_counts_its_places_and_its_people_seen_at_home(
    page, live_server, settings, tmp_path
):
    """The commune filter (``stats._rollup_queryset``: the commune's places through their
    index, else the person's commune) against a count made here from the activity rows."""
    from relais.activities.models import Activity

    from ..beneficiaries.factories import BeneficiaryFactory
    from ..factories import CommuneFactory
    from .steps import PHONE, assert_fits_phone, sign_in

    settings.RELAIS_DISCLOSURE_THRESHOLD = 1  # small counts shown as they are
    prades, vinca = CommuneFactory(name="Prades"), CommuneFactory(name="Vinça")
    library = PlaceFactory(name="Médiathèque de Prades", commune=prades)
    town_hall = PlaceFactory(name="Mairie de Vinça", commune=vinca)
    advisor = AdvisorFactory()
    day = date(2026, 11, 1)  # the pinned instant's month: in the dashboard's default period
    rebuild()  # the figures come from the roll-ups the writes keep
    record_individual(advisor, place=library, date=day)
    record_collective(advisor, place=library, date=day)
    record_individual(advisor, place=town_hall, date=day)
    for commune in (prades, vinca):
        record_individual(advisor, place=None, location_kind="home", date=day,
                          beneficiary=BeneficiaryFactory(commune=commune))  # fmt: skip
    expected = (
        Activity.objects.filter(date__gte=day)
        .filter(Q(place__commune=prades) | Q(place=None, beneficiary__commune=prades))
        .count()
    )
    assert expected == 3

    page.set_viewport_size(PHONE)
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))
    sign_in(page, live_server.url + "/statistiques/", device.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")
    page.get_by_label("Commune", exact=True).select_option(label="Prades")
    page.get_by_role("button", name="Afficher").click()
    assert f"commune={prades.pk}" in page.url
    kpi = page.get_by_role("term").filter(has_text="Activités").first
    expect(kpi.locator("xpath=following-sibling::dd[1]")).to_have_text(str(expected))
    assert_fits_phone(page, "statistiques par commune")
    page.screenshot(path=str(tmp_path / "statistiques-commune.png"), full_page=True)
