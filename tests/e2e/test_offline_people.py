"""Offline person search and Background Sync on a 360 px phone (issue 17 §1–2, ADR 0008).

- Offline, the person search finds the adviser's recent people from the list the service worker
  kept (relais-personal-v1): two letters, no accents; another adviser's people never appear.
- Background Sync: the service worker sends the queue with a token fetched from the session,
  also with no Relais page open; racing the page's own replay, the entry is stored once and
  announced once.
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.activities.models import Activity

from ..activities.factories import record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory, PlaceFactory
from .test_activity_entry import PHONE, _log_in_as_advisor
from .test_offline_entry import KEPT, _open_form

pytestmark = [pytest.mark.django_db(transaction=True)]
LISTS = "/activites/hors-ligne/listes/"

QUEUE = """() => new Promise((resolve) => {
    const open = indexedDB.open("relais-offline");
    open.onsuccess = () => {
        const read = open.result.transaction("activities").objectStore("activities").getAll();
        read.onsuccess = () => resolve(read.result);
    };
})"""

# What offline.js stores for the form as filled now (keepOnPhone), without sending it.
QUEUE_THE_FORM = """(user) => new Promise((resolve) => {
    const form = document.querySelector("form[data-offline-entry]");
    const fields = [];
    new FormData(form).forEach((value, name) => fields.push([name, value]));
    const key = form.elements.idempotency_key.value;
    const entry = {key, user, kind: "individual", action: form.action, fields,
                   label: "Accompagnement", savedAt: Date.now(), state: "pending", errors: []};
    const open = indexedDB.open("relais-offline");
    open.onsuccess = () => {
        const tx = open.result.transaction("activities", "readwrite");
        tx.objectStore("activities").put(entry);
        tx.oncomplete = () => resolve(key);
    };
})"""


def _wait_for_lists(page):
    page.wait_for_function(
        """async (path) => {
            const cache = await caches.open("relais-personal-v1");
            return Boolean(await cache.match(location.origin + path));
        }""",
        arg=LISTS,
        timeout=15000,
    )


def _wait_until(check, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_offline_the_search_finds_a_recent_person_by_two_letters_without_accents(
    page, live_server, assert_accessible, console_errors, screenshot
):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    today = timezone.localdate()
    eloise = BeneficiaryFactory(first_name="Éloïse", last_name="Dupont", birth_year=1948)
    eloise.commune = CommuneFactory(name="Prades")
    eloise.save()
    record_individual(advisor, place=place, beneficiary=eloise, date=today - timedelta(days=5))
    # Another adviser's person, whose name the same letters would find: never on this phone.
    elodie = BeneficiaryFactory(first_name="Élodie", last_name="Duval")
    record_individual(AdvisorFactory(), place=place, beneficiary=elodie, date=today)
    _open_form(page, live_server.url, place)
    _wait_for_lists(page)

    page.context.set_offline(True)
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Rechercher par nom").fill("el")
    found = page.get_by_role("radio", name=re.compile("Éloïse DUPONT"))
    expect(found).to_be_visible()
    expect(page.locator("#id_beneficiary_results")).to_contain_text(
        "naissance : 1948 · Prades · dernière visite le"
    )
    expect(page.locator("#id_beneficiary_results")).to_contain_text(
        "Hors ligne : 1 personne récente trouvée."
    )
    expect(page.get_by_text("Élodie")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible("recherche hors ligne, 360 px")
    screenshot("recherche-hors-ligne")
    page.get_by_label("Rechercher par nom").fill("zz")
    expect(page.locator("#id_beneficiary_results")).to_contain_text(
        "aucune de vos personnes récentes"
    )
    page.get_by_label("Rechercher par nom").fill("dupont eloise")
    found.check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(KEPT)).to_be_visible()
    screenshot("en-attente")
    assert Activity.objects.filter(advisor=advisor).count() == 1  # only the one made above

    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    page.reload()
    expect(page.get_by_text("en attente d'envoi")).to_have_count(0)
    recorded = Activity.objects.filter(advisor=advisor).order_by("pk")
    assert recorded.count() == 2
    assert recorded.last().beneficiary == eloise
    assert console_errors == [], console_errors


def test_background_sync_sends_the_queue_with_no_relais_page_open(page, live_server):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Notes privées").fill("Envoyée par le service worker")
    key = page.evaluate(QUEUE_THE_FORM, str(advisor.user.pk))
    # The page's own replay runs on load and on `online` only: here the worker alone sends.
    page.evaluate("async () => (await navigator.serviceWorker.ready).sync.register('relais-queue')")
    page.goto("about:blank")
    assert _wait_until(lambda: Activity.objects.filter(idempotency_key=key).exists())

    page.goto(live_server.url + "/activites/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate(QUEUE) == []
    expect(page.get_by_text("en attente d'envoi")).to_have_count(0)
    activity = Activity.objects.get()
    assert (activity.advisor, activity.private_notes) == (advisor, "Envoyée par le service worker")


def test_the_worker_and_the_page_racing_store_and_announce_the_entry_once(page, live_server):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)
    page.get_by_label("E-mail", exact=True).check()
    key = page.evaluate(QUEUE_THE_FORM, str(advisor.user.pk))
    page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            window.dispatchEvent(new Event("online"));  // the page's replay…
            await registration.sync.register("relais-queue");  // …and the worker's, at once
        }"""
    )
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    page.wait_for_timeout(1500)  # whichever came second has finished too
    assert Activity.objects.filter(idempotency_key=key).count() == 1
    assert Activity.objects.count() == 1
    expect(page.get_by_text("2 saisies envoyées")).to_have_count(0)
    expect(page.get_by_text("en attente d'envoi")).to_have_count(0)
    assert page.evaluate(QUEUE) == []
