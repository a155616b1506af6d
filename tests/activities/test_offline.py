"""Offline entry, server side (ADR 0008): the JSON answers offline.js reads, replays of one
key recording one activity (also when two replays race, on PostgreSQL), the service worker and
the web manifest. The browser side is tests/e2e/test_offline_entry.py."""

import json
import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.activities.models import Activity

from ..helpers import page_text
from .formdata import form_defaults

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create")
JSON = {"HTTP_ACCEPT": "application/json"}
REPLAY = {**JSON, "HTTP_X_RELAIS_REPLAY": "1"}


def _entry(client, place) -> dict:
    data = form_defaults(client.get(CREATE + f"?place={place.pk}").content.decode())
    data["themes"] = ["email"]
    return data


def test_a_replayed_key_records_one_activity_and_answers_success(advisor_client, place):
    data = _entry(advisor_client, place)
    first = advisor_client.post(CREATE, data, **JSON)
    # The answer was lost on the way back: the phone sends the same entry again.
    again = advisor_client.post(CREATE, data, **REPLAY)
    activity = Activity.objects.get()
    assert first.status_code == again.status_code == 200
    assert first.json() == {
        "url": activity.get_absolute_url(),
        "message": "L'activité est enregistrée.",
    }
    assert again.json() == {
        "url": activity.get_absolute_url(),
        "message": "Cette activité était déjà enregistrée.",
    }
    assert str(activity.idempotency_key) == data["idempotency_key"][0]


def test_a_replay_leaves_no_message_for_the_next_page(advisor_client, place):
    advisor_client.post(CREATE, _entry(advisor_client, place), **REPLAY)
    assert Activity.objects.count() == 1
    # The next page the adviser opens does not announce an entry they made hours ago.
    assert "L'activité est enregistrée" not in page_text(
        advisor_client.get(reverse("activities:list"))
    )


def test_the_live_send_keeps_the_message_for_the_activity_page(advisor_client, place):
    answer = advisor_client.post(CREATE, _entry(advisor_client, place), **JSON)
    assert "L'activité est enregistrée." in page_text(advisor_client.get(answer.json()["url"]))


def test_a_refused_entry_comes_back_with_french_messages_and_nothing_stored(advisor_client, place):
    data = _entry(advisor_client, place)
    data.update(themes=[], duration=["other"], custom_duration=["9999"])
    answer = advisor_client.post(CREATE, data, **REPLAY)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert {"field": "Thématiques", "message": "Choisissez au moins une thématique."} in errors
    assert any(e["field"] == "Autre durée (minutes)" for e in errors)
    assert not Activity.objects.exists()


def test_the_browser_form_still_redirects_without_json(advisor_client, place):
    answer = advisor_client.post(CREATE, _entry(advisor_client, place))
    assert answer.status_code == 302
    assert answer["Location"] == Activity.objects.get().get_absolute_url()


def test_an_expired_session_is_sent_to_login_not_recorded(client, advisor_client, place):
    data = _entry(advisor_client, place)
    answer = client.post(CREATE, data, **REPLAY)  # a client with no session
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))
    assert not Activity.objects.exists()


def test_a_replay_without_a_valid_csrf_token_is_refused(advisor_user, place, client_for):
    client = client_for(advisor_user)
    data = _entry(client, place)
    strict = client_for(advisor_user)
    strict.handler.enforce_csrf_checks = True
    data["csrfmiddlewaretoken"] = ["a" * 64]
    assert strict.post(CREATE, data, **REPLAY).status_code == 403
    assert not Activity.objects.exists()


def _token(client) -> str:
    html = client.get(CREATE).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_fresh_token_from_the_form_page_passes_the_csrf_check(advisor_user, place, client_for):
    """What offline.js does before a replay: fetch a form page, send its token in the header."""
    client = client_for(advisor_user)
    client.handler.enforce_csrf_checks = True
    data = _entry(client, place)
    data.pop("csrfmiddlewaretoken", None)
    answer = client.post(CREATE, data, HTTP_X_CSRFTOKEN=_token(client), **REPLAY)
    assert answer.status_code == 200
    assert Activity.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks tables across threads; runs on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_replays_of_one_entry_store_one_row(advisor_user, place, client_for):
    """Two tabs (or a tab and a retry) replay the same entry at the same instant."""
    data = _entry(client_for(advisor_user), place)
    clients = [client_for(advisor_user) for _ in range(2)]
    answers, barrier = [], threading.Barrier(2)

    def replay(client):
        try:
            barrier.wait()
            answers.append(client.post(CREATE, data, **REPLAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=replay, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Checked with plain SQL, not through the model the view used.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM activities_activity WHERE idempotency_key = %s",
            [uuid.UUID(data["idempotency_key"][0])],
        )
        assert cursor.fetchone()[0] == 1
    assert [a.status_code for a in answers] == [200, 200]
    assert {a.json()["url"] for a in answers} == {Activity.objects.get().get_absolute_url()}


def test_the_service_worker_is_public_versioned_and_precaches_what_exists(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert "no-cache" in answer["Cache-Control"]
    source = answer.content.decode()
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', source).group(1)
    assert version in client.get("/sw.js").content.decode()  # stable between requests
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))
    assert "/static/activities/offline.js" in precache
    for url in precache:
        assert client.get(url).status_code == 200, url
    assert f'const FORM_PATH = "{CREATE}";' in source


def test_the_manifest_makes_the_form_the_installed_app(client):
    answer = client.get("/manifest.webmanifest")
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["start_url"] == CREATE
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_only_advisers_pages_load_the_worker_and_the_queue(advisor_client, coordinator_client):
    adviser_page = advisor_client.get(reverse("activities:list")).content.decode()
    assert 'data-service-worker="/sw.js"' in adviser_page
    assert 'src="/static/activities/offline.js"' in adviser_page
    assert 'rel="manifest"' in adviser_page
    other = coordinator_client.get("/").content.decode()
    assert 'src="/static/relais/pwa.js"' in other  # which forgets the kept forms
    assert "data-service-worker" not in other and "offline.js" not in other
    anonymous = Client().get(reverse("accounts:login")).content.decode()
    assert 'src="/static/relais/pwa.js"' in anonymous and "data-service-worker" not in anonymous


def test_a_new_form_is_marked_for_the_queue_an_edit_is_not(advisor_client, place):
    html = advisor_client.get(CREATE).content.decode()
    assert 'data-offline-entry="individual"' in html
    assert re.search(r'data-rendered-on="\d{4}-\d{2}-\d{2}"', html)
    assert (
        'data-offline-entry="collective"'
        in advisor_client.get(CREATE + "?kind=collective").content.decode()
    )
    advisor_client.post(CREATE, _entry(advisor_client, place))
    edit = advisor_client.get(reverse("activities:edit", args=[Activity.objects.get().pk]))
    assert "data-offline-entry" not in edit.content.decode()
