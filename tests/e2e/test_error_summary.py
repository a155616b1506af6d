"""After a failed submit, a summary of the errors at the top, focused, linked to the fields.

Issue 17, section 1, on a 360 px phone: the main forms of an adviser (an individual activity,
a workshop, a new person) and a resident's workshop registration. The summary is rendered
once for every form by ``includes/form_errors.html``; ``static/relais/forms.js`` focuses it.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.workshops.models import WorkshopSession

from ..privacy.journal_helpers import journal_wipe
from .test_phone_layout import PHONE, _log_in, _user

pytestmark = pytest.mark.django_db(transaction=True)


ANY_COUNT = re.compile(r"^Le formulaire contient (une erreur|\d+ erreurs)$")


def _without_browser_checks(page):
    """Skip the browser's own checks of required fields, as an old browser would: the summary
    is also what shows the errors only the server finds."""
    page.locator("main form[method=post]").last.evaluate("form => form.noValidate = true")


def _summary_is_focused(page, count_text: str):
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text(count_text)
    # The script runs once the page is parsed (deferred), which may be after the summary is
    # painted: wait for the focus rather than read it once.
    expect(summary).to_be_focused()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    return summary


@pytest.fixture(autouse=True)
def _journal_emptied_after():
    """Opening named data writes the append-only journal, which the final flush cannot empty."""
    yield
    journal_wipe()


@pytest.fixture
def advisor_page(page, live_server):
    call_command("demo", "--force", verbosity=0, stdout=io.StringIO())
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, _user(Role.ADVISOR))
    return page


def test_individual_activity_without_theme(advisor_page, live_server, assert_accessible):
    page = advisor_page
    page.goto(live_server.url + reverse("activities:create"))
    # The draft's "clear" button stays hidden until a draft is restored (a CSS rule showed it).
    expect(page.get_by_role("button", name="Effacer la saisie restaurée")).to_be_hidden()
    page.get_by_role("button", name="Enregistrer").click()

    summary = _summary_is_focused(page, "Le formulaire contient une erreur")
    link = summary.get_by_role("link", name="Thématiques : Choisissez au moins une thématique.")
    assert_accessible("accompagnement refusé, 360 px")
    link.click()
    expect(page.locator("#id_themes_0")).to_be_focused()


def test_collective_activity_without_participants(advisor_page, live_server, assert_accessible):
    page = advisor_page
    page.goto(live_server.url + reverse("activities:create") + "?kind=collective")
    _without_browser_checks(page)
    page.get_by_label("Nombre de participants").fill("")
    page.get_by_role("button", name="Enregistrer").click()

    summary = _summary_is_focused(page, ANY_COUNT)
    expect(summary.get_by_role("link").first).to_be_visible()
    assert_accessible("atelier collectif refusé, 360 px")
    invalid = page.locator("[aria-invalid=true]").first
    described = invalid.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{i}").count() for i in described.split()), described


def test_new_person_with_a_wrong_phone(advisor_page, live_server, assert_accessible):
    page = advisor_page
    page.goto(live_server.url + reverse("beneficiaries:create"))
    page.get_by_label("Téléphone").fill("12")
    page.get_by_role("button", name="Enregistrer").click()

    summary = _summary_is_focused(page, ANY_COUNT)
    assert_accessible("nouvelle personne refusée, 360 px")
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")[1:]
    first.click()
    expect(page.locator(f"#{target}")).to_be_focused()
    expect(page.locator(f"#{target}")).to_have_attribute("aria-invalid", "true")


def test_resident_registration_without_contact(page, live_server, assert_accessible):
    call_command("demo", "--force", verbosity=0, stdout=io.StringIO())
    session = WorkshopSession.objects.open_for_registration().order_by("starts_at").first()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("bookings:register", args=[session.pk]))
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Martin")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.locator("form button[type=submit]").last.click()

    summary = _summary_is_focused(page, ANY_COUNT)
    expect(summary).to_contain_text("Indiquez au moins un moyen de vous joindre")
    assert_accessible("inscription refusée, 360 px")
