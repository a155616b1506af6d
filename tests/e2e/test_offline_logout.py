"""Logging out clears the offline queue, after saying so (issue 17 §2, ADR 0008), at 360 px.

An entry is queued by making its POST fail (the network lost on the way: a route aborts it,
the service worker's attempts included, see conftest's PW_EXPERIMENTAL_... flag), so that the
page stays online and can log out.
"""

import re

import pytest
from playwright.sync_api import expect

from relais.activities.models import Activity

from ..factories import PlaceFactory
from .test_activity_entry import PHONE, _log_in_as_advisor
from .test_offline_entry import KEPT, _record

pytestmark = pytest.mark.django_db(transaction=True)
FORM = re.compile(r"/activites/nouveau/")
QUEUE = """() => new Promise((resolve) => {
    const open = indexedDB.open("relais-offline");
    open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("activities")) { db.close(); resolve([]); return; }
        const read = db.transaction("activities").objectStore("activities").getAll();
        read.onsuccess = () => { db.close(); resolve(read.result); };
    };
})"""


@pytest.fixture(autouse=True)
def _warm_server(page, live_server):
    # The live server's first request imports every view: on a busy machine it has taken
    # longer than Playwright's 30 s default. Later requests take a fraction of a second.
    page.goto(live_server.url + "/compte/connexion/", timeout=120_000)


def _posts_fail(context):
    def handle(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route(FORM, handle)


def _queue_one_entry(page, base_url, notes):
    place = PlaceFactory()
    page.goto(f"{base_url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    _posts_fail(page.context)
    _record(page, "E-mail", notes)
    expect(page.get_by_text(KEPT)).to_be_visible()
    assert [entry["fields"] for entry in page.evaluate(QUEUE)] != []


def _log_out(page):
    # At 360 px the logout button sits in the « Menu » (a <details>).
    logout = page.get_by_role("button", name="Se déconnecter")
    menu = page.locator("details.main-nav__more")
    # Visible or not is only known once the stylesheet applies: before, under load, the button
    # shows, then hides in the closed menu just as it is clicked.
    page.wait_for_load_state("load")
    if not logout.is_visible():
        menu.locator("summary").click()
        expect(menu).to_have_attribute("open", "")
    logout.click()


def test_logging_out_says_what_is_erased_then_the_next_adviser_sees_and_sends_nothing(
    page, live_server, assert_accessible, console_errors, screenshot
):
    first = _log_in_as_advisor(page, live_server.url)
    _queue_one_entry(page, live_server.url, "Saisie de la première")

    _log_out(page)
    dialog = page.get_by_role("dialog", name="Se déconnecter ?")
    expect(dialog).to_contain_text("1 saisie en attente d'envoi sera effacée de cet appareil.")
    expect(dialog.get_by_role("button", name="Envoyer d'abord")).to_be_focused()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible("déconnexion avec une saisie en attente, 360 px")
    screenshot("dialogue")

    # « Annuler » keeps everything; logging out again asks again.
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    assert len(page.evaluate(QUEUE)) == 1
    _log_out(page)
    dialog.get_by_role("button", name="Se déconnecter et effacer").click()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    assert page.evaluate(QUEUE) == []
    page.wait_for_function(
        """async () => (await caches.keys()).every(
            (name) => !name.startsWith("relais-pages-") && name !== "relais-personal-v1")""",
        timeout=10000,
    )

    # Another adviser on the same phone: nothing of the first shows, nothing is sent.
    page.context.unroute(FORM)
    second = _log_in_as_advisor(page, live_server.url)
    assert second.pk != first.pk
    page.goto(live_server.url + "/activites/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("en attente d'envoi")).to_have_count(0)
    expect(page.get_by_text("Saisie de la première")).to_have_count(0)
    assert page.evaluate(QUEUE) == []
    assert Activity.objects.count() == 0
    # The POSTs the route cut show as ERR_INTERNET_DISCONNECTED; nothing else (CSP, script).
    assert [e for e in console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_send_first_sends_the_entry_then_logs_out(page, live_server):
    _log_in_as_advisor(page, live_server.url)
    _queue_one_entry(page, live_server.url, "Envoyée avant de partir")

    _log_out(page)
    dialog = page.get_by_role("dialog", name="Se déconnecter ?")
    expect(dialog).to_contain_text("1 saisie en attente d'envoi sera effacée")
    # The network comes back only now: earlier, the service worker's Background Sync could
    # have sent the entry before the logout.
    page.context.unroute(FORM)
    dialog.get_by_role("button", name="Envoyer d'abord").click()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible(timeout=15000)
    assert page.evaluate(QUEUE) == []
    assert list(Activity.objects.values_list("private_notes", flat=True)) == [
        "Envoyée avant de partir"
    ]


def test_logging_out_with_an_empty_queue_asks_nothing(page, live_server):
    _log_in_as_advisor(page, live_server.url)
    _log_out(page)
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
