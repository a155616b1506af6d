"""An adviser records an activity on a 360 × 740 phone screen, in at most 5 interactions.

Interactions are the taps and key presses after the form has opened; the login and the
navigation to the form are not counted. The page must pass axe-core and keep the CSP (no
console error), and an unsent entry survives a reload thanks to static/activities/draft.js.
"""

import pytest
from playwright.sync_api import expect

from relais.activities.models import Activity

from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in_as_advisor(page, base_url):
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    page.set_viewport_size(PHONE)
    sign_in(page, base_url + LOGIN, advisor.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {advisor.user.first_name}")
    return advisor


def test_individual_activity_in_five_interactions_on_a_phone(
    page, live_server, assert_accessible, console_errors
):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    assert_fits_phone(page)
    assert_accessible("nouvel accompagnement, 360 px")

    interactions = 0
    page.get_by_label("E-mail", exact=True).check()
    interactions += 1
    page.get_by_label("Social - Santé").check()
    interactions += 1
    page.get_by_label("45 min").check()
    interactions += 1
    page.get_by_label("Partiellement autonome").check()
    interactions += 1
    page.get_by_role("button", name="Enregistrer").click()
    interactions += 1
    assert interactions <= 5

    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement individuel du")
    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    activity = Activity.objects.get()
    assert activity.advisor == advisor
    assert activity.place == place
    assert activity.duration_minutes == 45
    assert activity.autonomy == "partly_autonomous"
    assert sorted(activity.themes.values_list("theme", flat=True)) == ["email", "social_health"]
    assert_fits_phone(page)
    assert_accessible("accompagnement enregistré, 360 px")
    # The draft of the sent form is gone: a new form opens empty.
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    assert console_errors == []


def test_unsent_entry_survives_a_reload_and_is_recorded_once(page, live_server, assert_accessible):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    url = f"{live_server.url}/activites/nouveau/?place={place.slug}"
    page.goto(url)
    page.get_by_label("Banque et achats en ligne").check()
    page.get_by_label("Notes privées").fill("Rappeler jeudi")
    key = page.locator("input[name=idempotency_key]").input_value()

    page.reload()  # the send failed, the tab was closed, the connection dropped…
    expect(page.get_by_role("status")).to_contain_text("Saisie non envoyée restaurée")
    expect(page.get_by_label("Banque et achats en ligne")).to_be_checked()
    expect(page.get_by_label("Notes privées")).to_have_value("Rappeler jeudi")
    assert page.locator("input[name=idempotency_key]").input_value() == key
    assert_accessible("saisie restaurée")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement individuel")

    # Recorded: the draft is gone and a new form opens empty.
    page.goto(url)
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    assert Activity.objects.count() == 1


def test_collective_form_passes_axe_on_a_phone(page, live_server, assert_accessible):
    _log_in_as_advisor(page, live_server.url)
    page.goto(f"{live_server.url}/activites/nouveau/?kind=collective")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel atelier collectif")
    assert_fits_phone(page)
    assert_accessible("nouvel atelier collectif, 360 px")
