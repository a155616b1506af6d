"""Every main page of every role at 360 px (issue 17, sections 1 and 5).

On the demo data, with a 100-character unbroken name planted where names show (a person, a
place, a partner, the adviser), each role opens the pages of its navigation, and the public
pages are opened without an account. Every page must fit the screen (no horizontal overflow),
keep its header (brand and menu) within 120 px, and pass axe-core. Failures are gathered per
page so that one run lists them all.
"""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.beneficiaries.models import Beneficiary
from relais.core.models import Organisation
from relais.core.navigation import nav_for_role
from relais.places.models import Place

from ..helpers import login_verified
from ..privacy.journal_helpers import journal_wipe

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}
MAX_HEADER = 120
# No space, no hyphen: only overflow-wrap can break it.
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 3
LONG_NAME = LONG_NAME[:100]
ROLES = [Role.COORDINATOR, Role.ADVISOR, Role.PARTNER_STAFF, Role.COMMITTEE_MEMBER]


@pytest.fixture(autouse=True)
def _journal_emptied_after():
    """Opening named data writes the append-only journal, which the final flush cannot empty."""
    yield
    journal_wipe()


def _demo_with_long_names():
    call_command("demo", "--force", verbosity=0, stdout=io.StringIO())
    advisor = User.objects.filter(role=Role.ADVISOR, email__endswith="@demo.relais.test").first()
    User.objects.filter(pk=advisor.pk).update(last_name=LONG_NAME)
    beneficiary = Beneficiary.objects.order_by("pk").first()
    Beneficiary.objects.filter(pk=beneficiary.pk).update(last_name=LONG_NAME)
    place = Place.objects.order_by("pk").first()
    Place.objects.filter(pk=place.pk).update(name=LONG_NAME)
    partner = place.partner
    Organisation.objects.filter(pk=partner.pk).update(name=LONG_NAME)
    return place


def _user(role):
    return (
        User.objects.filter(role=role, is_active=True, email__endswith="@demo.relais.test")
        .order_by("pk")
        .first()
    )


def _log_in(page, live_server, user):
    """A verified session opened by the test client, handed to the browser as its cookie."""
    device = user.totpdevice_set.filter(confirmed=True).first()
    client = login_verified(Client(), user, device)
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.clear_cookies()
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])


def _main_pages(user) -> list[str]:
    urls = [item["url"] for item in nav_for_role(user.role, "/")]
    if user.role == Role.ADVISOR:
        urls.append(reverse("activities:create"))
    return urls


def _measure(page) -> dict:
    return page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth,
            header: document.querySelector('header') ?
                Math.round(document.querySelector('header').getBoundingClientRect().height) : 0,
        })"""
    )


# E2E_SCREENSHOTS=<folder> keeps a 360 px screenshot of every page, to look at them.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")


def _check_pages(page, base_url, urls, assert_accessible, label="") -> list[str]:
    problems = []
    for url in urls:
        response = page.goto(base_url + url)
        if response.status >= 400:
            problems.append(f"{url}: HTTP {response.status}")
            continue
        figures = _measure(page)
        if SCREENSHOTS:
            name = re.sub(r"[^a-z0-9]+", "-", f"{label}{url}").strip("-") or "accueil"
            page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))
        print(f"{url}: largeur {figures['width']} px, en-tête {figures['header']} px")
        if figures["width"] > PHONE["width"]:
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit + 1)
                    .slice(-3).map(e => e.tagName + '.' + e.className).join(', ')""",
                PHONE["width"],
            )
            problems.append(f"{url}: {figures['width']} px de large ({wide})")
        if figures["header"] > MAX_HEADER:
            problems.append(f"{url}: en-tête de {figures['header']} px")
        try:
            assert_accessible(url)
        except AssertionError as error:
            problems.append(str(error))
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_of_a_role_fit_a_phone(role, page, live_server, assert_accessible):
    _demo_with_long_names()
    user = _user(role)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, user)
    problems = _check_pages(page, live_server.url, _main_pages(user), assert_accessible, label=role)
    assert problems == [], "\n".join(problems)


def test_public_pages_fit_a_phone(page, live_server, assert_accessible):
    place = _demo_with_long_names()
    page.set_viewport_size(PHONE)
    urls = [
        reverse("public:place_index"),
        reverse("public:place", args=[place.slug]),
        reverse("appointments:book", args=[place.slug]),
        reverse("workshops:catalogue"),
        reverse("accounts:login"),
    ]
    problems = _check_pages(page, live_server.url, urls, assert_accessible, label="public")
    assert problems == [], "\n".join(problems)


def test_menu_opens_without_javascript(browser, live_server):
    """The "Menu" button is a <details>: it opens with JavaScript disabled."""
    _demo_with_long_names()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    _log_in(page, live_server, _user(Role.COORDINATOR))
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Comité")).to_be_hidden()
    nav.locator("summary").click()
    expect(nav.get_by_role("link", name="Comité")).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "menu-ouvert.png"))
    nav.get_by_role("link", name="Comité").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comité")
    context.close()
