"""Offline activity entry on a 360 px phone (issue 17 §2, ADR 0008), in Chromium.

Playwright's offline mode cuts the page's network (navigator.onLine is false, fetch fails), not
the service worker's own fetches (microsoft/playwright#2311): the test of the kept form also
aborts the worker's requests, which conftest's PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS
lets a route see.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.activities.models import Activity
from relais.places.models import Place

from ..factories import PlaceFactory
from .test_activity_entry import PHONE, _log_in_as_advisor

pytestmark = [pytest.mark.django_db(transaction=True)]
KEPT = "Enregistré sur ce téléphone, sera envoyé au retour du réseau."


def _open_form(page, base_url, place):
    page.goto(f"{base_url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    # The service worker is installed and has kept both blank forms for offline use; the page
    # opened again is the worker's client (the first one loaded while it was installing).
    page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")
    page.reload()
    page.wait_for_function(
        """async () => {
            if (!navigator.serviceWorker.controller) { return false; }
            const individual = await caches.match(location.origin + "/activites/nouveau/");
            const collective = await caches.match(
                location.origin + "/activites/nouveau/?kind=collective");
            return Boolean(individual && collective);
        }""",
        timeout=15000,
    )


def _record(page, theme: str, notes: str):
    page.get_by_label(theme, exact=True).check()
    page.get_by_label("Notes privées").fill(notes)
    page.get_by_role("button", name="Enregistrer").click()


def _no_overflow(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_three_entries_recorded_offline_are_stored_once_when_the_network_returns(
    page, live_server, assert_accessible, console_errors
):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    _open_form(page, live_server.url, place)

    page.context.set_offline(True)
    status = page.get_by_role("status").filter(has_text="en attente d'envoi")
    for count, (theme, notes) in enumerate(
        [("E-mail", "Premier"), ("Banque et achats en ligne", "Deuxième"), ("E-mail", "Troisième")],
        start=1,
    ):
        _record(page, theme, notes)
        expect(page.get_by_text(KEPT)).to_be_visible()
        waiting = (
            "1 saisie en attente d'envoi." if count == 1 else f"{count} saisies en attente d'envoi."
        )
        expect(status).to_contain_text(waiting)
        # The form is empty again for the next person, with a new key.
        expect(page.get_by_label("Notes privées")).to_have_value("")
    keys = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("relais-offline");
            open.onsuccess = () => {
                const store = open.result.transaction("activities").objectStore("activities");
                const read = store.getAll();
                read.onsuccess = () => resolve(read.result.map((entry) => entry.key));
            };
        })"""
    )
    assert len(set(keys)) == 3
    assert Activity.objects.count() == 0
    _no_overflow(page)
    assert_accessible("saisies en attente, 360 px")

    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="envoyées")).to_contain_text(
        "3 saisies envoyées."
    )
    assert Activity.objects.count() == 3
    assert sorted(
        str(k) for k in Activity.objects.values_list("idempotency_key", flat=True)
    ) == sorted(keys)
    assert set(Activity.objects.values_list("advisor", flat=True)) == {advisor.pk}
    assert sorted(Activity.objects.values_list("private_notes", flat=True)) == [
        "Deuxième",
        "Premier",
        "Troisième",
    ]
    assert Activity.objects.filter(place=place).count() == 3
    expect(page.get_by_text("en attente d'envoi")).to_have_count(0)

    # Opening pages again sends nothing twice.
    page.reload()
    page.goto(live_server.url + "/activites/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Activity.objects.count() == 3
    assert_accessible("mes activités après envoi, 360 px")
    assert console_errors == [], console_errors


def test_a_collective_workshop_recorded_offline_is_stored_once(
    page, live_server, assert_accessible
):
    advisor = _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Médiathèque d'Olette", slug="mediatheque-olette")
    _open_form(page, live_server.url, place)
    page.goto(f"{live_server.url}/activites/nouveau/?kind=collective&place={place.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel atelier collectif")

    page.context.set_offline(True)
    page.get_by_label("Titre de l'atelier").fill("Premiers pas sur la tablette")
    page.get_by_label("Nombre de participants").fill("6")
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(KEPT)).to_be_visible()
    expect(page.get_by_label("Titre de l'atelier")).to_have_value("")
    assert_accessible("atelier collectif en attente, 360 px")
    assert Activity.objects.count() == 0

    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    workshop = Activity.objects.get()
    assert (workshop.kind, workshop.title, workshop.participants_count) == (
        "collective",
        "Premiers pas sur la tablette",
        6,
    )
    assert (workshop.advisor_id, workshop.place_id) == (advisor.pk, place.pk)


def _cut_the_network(context):
    context.set_offline(True)
    context.route(
        "**/*",
        lambda route: (
            route.abort("internetdisconnected")
            if route.request.service_worker
            else route.continue_()
        ),
    )


def test_the_form_opens_with_no_network_from_the_kept_copy(page, live_server, assert_accessible):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)
    _cut_the_network(page.context)

    page.goto(f"{live_server.url}/activites/nouveau/?place={place.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    assert page.locator("form[data-kept-copy]").count() == 1  # the worker's copy, not the server
    # The blank form, not the one prefilled for this place; dated by the phone's clock, which
    # the server's fixed test clock (TEST_NOW) would call the future.
    page.locator("select[name=place]").select_option(str(place.pk))
    # The server's day by the suite's frozen clock (TEST_NOW): accepted on any date of the run.
    page.locator("input[name=date]").fill(timezone.localdate().isoformat())
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(KEPT)).to_be_visible()
    _no_overflow(page)
    assert_accessible("formulaire hors ligne, 360 px")

    page.goto(f"{live_server.url}/activites/")  # not kept: a page says so and links the forms
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")
    page.get_by_role("link", name="Saisir un atelier collectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel atelier collectif")

    page.context.unroute("**/*")
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/activites/")  # back online: the next page sends the queue
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    assert Activity.objects.count() == 1


def _without_background_sync(context):
    """A browser without Background Sync (Firefox, Safari): the next visit sends the queue.
    Chromium's worker would otherwise send it at once (tests/e2e/test_offline_people.py)."""
    context.add_init_script(
        "Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', {get: () => undefined})"
    )


def test_an_answer_lost_after_the_server_stored_the_entry_leaves_one_activity(page, live_server):
    _without_background_sync(page.context)
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)

    def store_then_lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the server records the activity…
        route.abort("internetdisconnected")  # …and its answer never reaches the phone

    page.route("**/activites/nouveau/**", store_then_lose_the_answer)
    _record(page, "E-mail", "Réponse perdue")
    expect(page.get_by_text(KEPT)).to_be_visible()
    assert Activity.objects.count() == 1  # stored, but the phone could not know it

    page.unroute("**/activites/nouveau/**")
    page.reload()  # the next visit sends the queue again
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    assert Activity.objects.count() == 1
    assert Activity.objects.get().private_notes == "Réponse perdue"


def test_an_expired_session_keeps_the_entries_and_asks_to_log_in(
    page, live_server, assert_accessible
):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)
    page.context.set_offline(True)
    _record(page, "E-mail", "Session expirée")
    expect(page.get_by_text(KEPT)).to_be_visible()

    cookies = page.context.cookies()
    page.context.clear_cookies()  # the session ended while the phone was offline
    page.context.set_offline(False)
    expect(page.get_by_role("link", name="connectez-vous pour les envoyer")).to_be_visible()
    assert Activity.objects.count() == 0
    assert_accessible("session terminée, saisie gardée, 360 px")

    page.context.add_cookies(cookies)  # logged in again
    page.reload()
    expect(page.get_by_role("status").filter(has_text="envoyée")).to_contain_text(
        "1 saisie envoyée."
    )
    assert Activity.objects.get().private_notes == "Session expirée"


def test_a_refused_entry_comes_back_with_its_message_to_be_fixed(
    page, live_server, assert_accessible
):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory(name="Mairie de Vinça")
    _open_form(page, live_server.url, place)
    page.context.set_offline(True)
    _record(page, "E-mail", "Lieu fermé depuis")
    expect(page.get_by_text(KEPT)).to_be_visible()

    Place.objects.filter(pk=place.pk).update(is_active=False)  # closed meanwhile
    page.context.set_offline(False)
    refused = page.get_by_text("non acceptée")
    expect(refused).to_contain_text("Lieu d'activité")
    assert Activity.objects.count() == 0
    assert_accessible("saisie refusée, 360 px")

    page.get_by_role("button", name="Reprendre cette saisie").click()
    expect(page.get_by_label("Notes privées")).to_have_value("Lieu fermé depuis")
    expect(page.get_by_label("E-mail", exact=True)).to_be_checked()
    expect(page.get_by_text("non acceptée")).to_have_count(0)


def test_logging_out_forgets_the_kept_forms(page, live_server):
    _log_in_as_advisor(page, live_server.url)
    place = PlaceFactory()
    _open_form(page, live_server.url, place)
    page.context.set_offline(True)
    _record(page, "E-mail", "Avant déconnexion")
    expect(page.get_by_text(KEPT)).to_be_visible()
    page.context.set_offline(False)
    page.wait_for_function(
        "() => !document.body.textContent.includes('en attente d')", timeout=10000
    )

    page.evaluate("() => document.querySelector('form[action$=\"/deconnexion/\"]').submit()")
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    page.wait_for_function(
        """async () => (await caches.keys()).every((name) => !name.startsWith("relais-pages-"))""",
        timeout=10000,
    )
    assert Activity.objects.count() == 1
