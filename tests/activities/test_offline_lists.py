"""The reference lists the service worker keeps for the activity form offline, and the CSRF
token it sends the queue with (ADR 0008): an adviser's own recent people only, never cached by
a shared proxy, refused to every other role. Re-checked with plain ORM queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.activities.models import Activity
from relais.activities.views import PERSONAL_CACHE
from relais.core.models import Commune

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, CommuneFactory
from .factories import record_individual

pytestmark = pytest.mark.django_db
LISTS = reverse("activities:offline_lists")
TOKEN = reverse("activities:offline_token")
# The suite's clock, whatever instant it is set to (tests/conftest.py, TEST_NOW): read at
# collection, when it already runs.
TODAY = timezone.localdate()


def test_the_lists_hold_the_advisers_own_recent_people_with_the_pickers_line(
    advisor_client, advisor, place
):
    prades = CommuneFactory(name="Prades")
    mine = BeneficiaryFactory(first_name="Éloïse", last_name="Dupont", birth_year=1948)
    mine.commune = prades
    mine.save()
    someone_elses = BeneficiaryFactory(first_name="Roger", last_name="Myrte")
    too_old = BeneficiaryFactory(first_name="Ancien", last_name="Passage")
    never_seen = BeneficiaryFactory(first_name="Jamais", last_name="Vu")
    record_individual(advisor, place=place, beneficiary=mine, date=TODAY - timedelta(days=3))
    record_individual(AdvisorFactory(), place=place, beneficiary=someone_elses, date=TODAY)
    record_individual(advisor, place=place, beneficiary=too_old, date=TODAY - timedelta(days=400))
    record_individual(advisor, place=place, date=TODAY)  # anonymous: no name to keep

    answer = advisor_client.get(LISTS)
    assert answer.status_code == 200
    cache = answer["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    lists = answer.json()
    assert lists["user"] == advisor.user.pk
    people = lists["people"]
    assert [p["name"] for p in people] == ["Éloïse DUPONT"]
    assert people[0]["key"] == "dupont|eloise"
    mine.refresh_from_db()
    assert people[0]["meta"] == (
        f"naissance : 1948 · Prades · dernière visite le {mine.last_activity_on:%d/%m/%Y}"
    )
    names = {p["name"] for p in people}
    assert not names & {str(someone_elses), str(too_old), str(never_seen)}
    assert lists["places"] == [{"id": place.pk, "name": place.name}]
    assert {t["group"] for t in lists["themes"]} == {"digital", "procedure"}
    assert Commune.objects.filter(name="Prades").exists()


def test_at_most_fifty_people_the_latest_first(advisor_client, advisor, place):
    people = BeneficiaryFactory.create_batch(55)
    for offset, person in enumerate(people):
        record_individual(advisor, place=place, beneficiary=person, date=TODAY - timedelta(offset))
    ids = [p["id"] for p in advisor_client.get(LISTS).json()["people"]]
    # Independent check: the 50 latest, as plain ORM reads them.
    expected = list(
        Activity.objects.filter(advisor=advisor, beneficiary__isnull=False)
        .order_by("-date", "-pk")
        .values_list("beneficiary", flat=True)[:50]
    )
    assert ids == expected
    assert len(ids) == 50


@pytest.mark.parametrize("url", [LISTS, TOKEN])
@pytest.mark.parametrize(
    "persona",
    ["partner_client", "outsider_client", "coordinator_client", "committee_client"],
)
def test_other_roles_get_403_and_no_data(request, url, persona, advisor, place):
    record_individual(advisor, place=place, beneficiary=BeneficiaryFactory(), date=TODAY)
    answer = request.getfixturevalue(persona).get(url)
    assert answer.status_code == 403
    assert "people" not in answer.json() and "csrf" not in answer.json()


@pytest.mark.parametrize("url", [LISTS, TOKEN])
def test_nobody_logged_in_is_sent_to_the_login_page(client, url):
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_the_token_sends_the_queue_of_its_session(advisor_client, advisor_user, place):
    answer = advisor_client.get(TOKEN)
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    data = answer.json()
    assert data["user"] == advisor_user.pk
    # The token works for a post with Django's CSRF checks on (as the worker sends it).
    from django.test import Client

    from ..helpers import login_verified

    device = advisor_user.totpdevice_set.first()
    strict = login_verified(Client(enforce_csrf_checks=True), advisor_user, device)
    token = strict.get(TOKEN).json()["csrf"]
    create = reverse("activities:create")
    refused = strict.post(create, {"themes": ["email"]}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    answer = strict.post(
        create,
        {"themes": ["email"], "csrfmiddlewaretoken": token},
        HTTP_ACCEPT="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert answer.status_code == 400  # past the CSRF check: the form's own French errors
    assert answer.json()["errors"]


def test_the_worker_knows_the_personal_cache_and_the_endpoints(client):
    # escapejs writes « - » and « / » as \u002D and \u002F: read the worker as JavaScript would.
    worker = client.get(reverse("service_worker")).content.decode("unicode_escape")
    assert f'const PERSONAL_CACHE = "{PERSONAL_CACHE}"' in worker
    assert f'const LISTS_PATH = "{LISTS}"' in worker
    assert f'const TOKEN_PATH = "{TOKEN}"' in worker
    assert 'addEventListener("sync"' in worker
