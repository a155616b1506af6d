"""Partner staff set their place's opening hours on a 360 px phone, in the grid and in French.

Issue 17 §3: the staff had to write OpenStreetMap syntax, and « mardi 14h-18h » answered
« erreur au caractère 4 ». The grid writes OSM; French typed in the expert field is understood.
"""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.places.models import Place

from ..factories import OrganisationFactory, PlaceFactory, UserFactory
from .steps import LOGIN, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", tempfile.gettempdir()))


def _fits(page) -> None:
    # After a click the heading can show before the stylesheet is applied (a loaded machine):
    # measure the page as styled, not the browser's defaults.
    page.wait_for_load_state("load")
    wide = page.evaluate(
        "(limit) => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > limit)"
        ".map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' +"
        " Math.round(e.getBoundingClientRect().right)).slice(0, 5)",
        PHONE["width"],
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], wide


def test_partner_staff_set_opening_hours_in_the_grid_then_in_french(
    page, live_server, assert_accessible, console_errors
):
    partner = OrganisationFactory(name="Médiathèques Conflent Canigó")
    place = PlaceFactory(partner=partner, name="Médiathèque de Prades", opening_hours="")
    staff = UserFactory(role=Role.PARTNER_STAFF, organisation=partner)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + LOGIN, staff)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + place.get_absolute_url())
    page.get_by_role("link", name="Modifier").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier le lieu")
    _fits(page)
    assert_accessible("modification d'un lieu, horaires en tableau, 360 px")

    # Tuesday 14:00–18:00 and Saturday morning, typed in the time fields as on a phone.
    page.get_by_label("Mardi, plage 1, début").fill("14:00")
    page.get_by_label("Mardi, plage 1, fin").fill("18:00")
    page.get_by_label("Samedi, plage 1, début").fill("09:30")
    page.get_by_label("Samedi, plage 1, fin").fill("12:00")
    page.get_by_label("Fermé les jours fériés").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("modifications du lieu sont enregistrées")
    assert Place.objects.get(pk=place.pk).opening_hours == (
        "Tu 14:00-18:00; Sa 09:30-12:00; PH off"
    )
    expect(page.get_by_text("Mardi : 14 h – 18 h")).to_be_visible()

    # The same page, in French in the expert field: understood, not « erreur au caractère 4 ».
    page.get_by_role("link", name="Modifier").first.click()
    expect(page.get_by_label("Mardi, plage 1, début")).to_have_value("14:00")
    page.screenshot(path=str(SCREENSHOTS / "place-hours-grid.png"), full_page=True)
    page.get_by_text("Saisie experte ou en français").click()
    page.get_by_label("Saisie experte des horaires").fill("le mardi vers 14h")
    page.get_by_role("button", name="Enregistrer").click()
    # At the field (the error summary above the form repeats it).
    expect(page.locator("#id_opening_hours_error")).to_contain_text("Horaires non compris")
    _fits(page)
    assert_accessible("horaires non compris, 360 px")
    page.get_by_label("Saisie experte des horaires").fill(
        "du mardi au jeudi 14h-18h ; fermé les jours fériés"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("modifications du lieu sont enregistrées")
    assert Place.objects.get(pk=place.pk).opening_hours == "Tu-Th 14:00-18:00; PH off"
    page.screenshot(path=str(SCREENSHOTS / "place-hours.png"), full_page=True)
    assert console_errors == []
