"""« Nouvelle personne » on the activity form at 360 px (issue 17 §1): created inline (htmx)
and chosen without leaving the form; without JavaScript, the full page and back."""

import re

import pytest
from playwright.sync_api import expect

from relais.activities.models import Activity
from relais.beneficiaries.models import Beneficiary

from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in
from .test_activity_entry import _log_in_as_advisor

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_new_person_created_inline_is_chosen_and_recorded(
    page, live_server, assert_accessible, console_errors, screenshot
):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_role("link", name="Enregistrer une nouvelle personne")).to_be_hidden()

    page.get_by_text("Nouvelle personne", exact=True).click()
    page.locator("#id_new_person-first_name").fill("Lucie")
    page.locator("#id_new_person-last_name").fill("Marty")
    page.locator("#id_new_person-birth_year").fill("1952")
    screenshot("panneau")
    page.get_by_role("button", name="Créer la fiche et la choisir").click()
    created = page.get_by_text("Fiche créée : Lucie MARTY")
    expect(created).to_be_visible()
    expect(created).to_be_focused()
    expect(page.get_by_role("radio", name=re.compile("Lucie MARTY"))).to_be_checked()
    assert_fits_phone(page)
    assert_accessible("nouvelle personne créée dans le formulaire, 360 px")
    screenshot("choisie")

    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    person = Beneficiary.objects.get()
    activity = Activity.objects.get()
    assert (activity.advisor, activity.beneficiary) == (advisor, person)
    assert (person.first_name, person.last_name, person.birth_year) == ("Lucie", "Marty", 1952)
    assert console_errors == [], console_errors


def test_an_empty_panel_does_not_stop_the_activity(page, live_server):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    assert Activity.objects.count() == 1 and Beneficiary.objects.count() == 0


def test_without_javascript_the_full_page_returns_to_the_form_with_the_person(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    place = PlaceFactory(slug="mairie-olette")
    sign_in(page, live_server.url + LOGIN, advisor.user, device)
    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_text("Nouvelle personne", exact=True)).to_be_hidden()

    page.get_by_role("link", name="Enregistrer une nouvelle personne").click()
    page.get_by_role("textbox", name="Prénom").fill("Jordi")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Puig")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    person = Beneficiary.objects.get()
    expect(page.get_by_role("radio", name=re.compile("Jordi PUIG"))).to_be_checked()
    assert page.url.endswith(f"?place={place.slug}&beneficiary={person.pk}")
    context.close()
