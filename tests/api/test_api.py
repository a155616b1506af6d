"""The read-only JSON API: tokens and scopes, statistics, anonymised activities, the journal."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.activities.models import Activity
from relais.api.models import ApiToken
from relais.api.services import api_token_create, api_token_revoke
from relais.privacy.models import JournalEntry

from ..activities.factories import record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..monthly.helpers import CANARY_NOTE, record_march

pytestmark = pytest.mark.django_db
CANARY_NAME = "Zygomaticienne"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def activities(advisor_user, place, other_place):
    advisor = advisor_user.advisor
    record_march(advisor, place, other_place)
    person = BeneficiaryFactory(first_name="Alice", last_name=CANARY_NAME)
    record_individual(advisor, place=place, beneficiary=person, date=date(2025, 3, 25),
                      private_notes=CANARY_NOTE)  # fmt: skip


def _token(user, *scopes):
    return api_token_create(user=user, name="Open data", scopes=list(scopes))


def _get(client, name, secret=None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.get(reverse(f"api:{name}"), params, headers=headers)


def test_without_a_valid_token_401_in_french(client, coordinator):
    for name in ("stats", "activities"):
        response = _get(client, name)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "jeton" in response.json()["detail"].lower()
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert _get(client, name, "rls_inconnu").status_code == 401


def test_revoked_token_is_refused(client, coordinator, activities):
    token, secret = _token(coordinator, "stats:read")
    assert _get(client, "stats", secret).status_code == 200
    api_token_revoke(user=coordinator, token=token)
    assert _get(client, "stats", secret).status_code == 401


def test_scopes_are_enforced(client, coordinator, activities):
    _, stats_only = _token(coordinator, "stats:read")
    _, activities_only = _token(coordinator, "activities:read")
    response = _get(client, "activities", stats_only)
    assert response.status_code == 403
    assert response.json()["detail"] == "Ce jeton n'a pas la portée « activities:read » requise."
    assert _get(client, "stats", activities_only).status_code == 403
    assert _get(client, "activities", activities_only).status_code == 200


def test_stats_with_the_dashboards_filters(client, coordinator, partner, activities, settings):
    # The filters' arithmetic on a handful of activities: disclosure control off here (a
    # threshold of 1 hides nothing); it has its own tests (test_disclosure*.py).
    settings.RELAIS_DISCLOSURE_THRESHOLD = 1
    _, secret = _token(coordinator, "stats:read")
    body = _get(client, "stats", secret, start="2025-03", end="2025-03").json()
    assert body["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert body["totals"]["activities"] == 5
    body = _get(client, "stats", secret, start="2025-03", end="2025-03", partner=partner.pk,
                kind="collective").json()  # fmt: skip
    assert body["totals"]["activities"] == 1 and body["totals"]["accompaniments"] == 6
    assert "theme" in body["breakdowns"] and len(body["series"]) == 12
    assert CANARY_NAME not in str(body) and "Alice" not in str(body)
    bad = _get(client, "stats", secret, kind="inconnu")
    assert bad.status_code == 400 and "kind" in bad.json()["detail"]


def test_activities_are_anonymous_and_paginated_by_cursor(client, coordinator, activities):
    token, secret = _token(coordinator, "activities:read")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, "start": "2025-03-01", "end": "2025-03-31"}
        if cursor:
            params["cursor"] = cursor
        response = _get(client, "activities", secret, **params)
        assert response.status_code == 200
        body = response.json()
        pages += 1
        seen += [row["id"] for row in body["results"]]
        text = response.content.decode()
        assert CANARY_NAME not in text and "Alice" not in text and CANARY_NOTE not in text
        for row in body["results"]:
            assert not {"beneficiary", "private_notes", "advisor", "title"} & set(row)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5 and pages == 3
    march = Activity.objects.filter(date__range=(date(2025, 3, 1), date(2025, 3, 31)))
    assert seen == list(march.order_by("date", "pk").values_list("pk", flat=True))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_every_activities_export_is_journaled(client, coordinator, activities):
    token, secret = _token(coordinator, "activities:read")
    before = JournalEntry.objects.count()
    _get(client, "activities", secret, limit=3)
    _get(client, "activities", secret, limit=3)
    entries = list(JournalEntry.objects.order_by("sequence")[before:])
    assert len(entries) == 2
    entry = entries[0]
    assert entry.action == "personal_data_export"
    assert (entry.subject_type, entry.subject_id) == ("api.apitoken", str(token.pk))
    assert entry.actor_id == coordinator.pk and entry.details["rows"] == 3


def test_bad_cursor_is_a_400(client, coordinator):
    _, secret = _token(coordinator, "activities:read")
    response = _get(client, "activities", secret, cursor="pas-un-curseur")
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


# --- Token management -------------------------------------------------------------------------


def test_the_secret_is_shown_once(coordinator_client):
    expires_on = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = coordinator_client.post(
        reverse("api:token_list"),
        {"name": "Tableau open data", "scopes": ["stats:read"], "expires_on": expires_on},
    )
    token = ApiToken.objects.get()
    html = response.content.decode()
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    assert secret.startswith("rls_") and token.token_hash != secret
    assert response["Cache-Control"] == "no-store"
    assert secret not in coordinator_client.get(reverse("api:token_list")).content.decode()


def test_revocation_through_the_page(coordinator_client, coordinator):
    token, _ = _token(coordinator, "stats:read")
    coordinator_client.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("persona", ["advisor_client", "partner_client", "committee_client"])
def test_only_coordinators_and_administrators_manage_tokens(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("api:token_list")).status_code == 403
    assert (
        client.post(reverse("api:token_list"), {"name": "x", "scopes": ["stats:read"]}).status_code
        == 403
    )
    assert not ApiToken.objects.exists()


def test_administrators_manage_tokens(administrator_client):
    assert administrator_client.get(reverse("api:token_list")).status_code == 200


def test_a_token_expires_after_its_last_day(client, coordinator, activities, time_machine):
    """Every token has an expiry date (issue 20): valid through its last day, refused after."""
    last_day = timezone.localdate() + timedelta(days=30)
    token, secret = api_token_create(
        user=coordinator, name="Open data", scopes=["stats:read"], expires_on=last_day
    )
    assert _get(client, "stats", secret).status_code == 200
    time_machine.move_to(datetime.combine(last_day, time(23, 59), tzinfo=PARIS), tick=False)
    assert _get(client, "stats", secret).status_code == 200
    time_machine.move_to(datetime.combine(last_day + timedelta(days=1), time(0, 1), tzinfo=PARIS))
    response = _get(client, "stats", secret)
    assert response.status_code == 401 and "expiré" in response.json()["detail"]
    token.refresh_from_db()
    assert token.is_expired and not token.is_active


def test_the_token_form_requires_a_plausible_expiry(coordinator_client):
    client = coordinator_client
    url = reverse("api:token_list")
    page = client.get(url).content.decode()
    default = (timezone.localdate() + timedelta(days=365)).isoformat()
    assert f'value="{default}"' in page
    for day, message in [
        (timezone.localdate() - timedelta(days=1), "passée"),
        (timezone.localdate() + timedelta(days=4 * 365), "trois ans"),
        ("1999-02-31", "date"),
    ]:
        response = client.post(
            url, {"name": "Open data", "scopes": ["stats:read"], "expires_on": str(day)}
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert not ApiToken.objects.exists()
    client.post(url, {"name": "Open data", "scopes": ["stats:read"], "expires_on": default})
    assert ApiToken.objects.get().expires_on.isoformat() == default
