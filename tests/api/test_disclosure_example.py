"""Issue 20 §1, the reported case: a statistics-only token asks for one small commune over a
year. Before the disclosure control it got 4 accompaniments, 3 women and 1 man, all « Sans
emploi », ages 2/1/1. ``SDC_RECORD=<path>`` writes the answer there (the lead's before/after)."""

import base64
import json
import os
from datetime import date

import pytest
from django.urls import reverse

from relais.activities.models import Activity
from relais.api.services import api_token_create

from ..activities.factories import record_collective, record_individual
from ..factories import CommuneFactory, PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-02T10:00")]

PROFILES = [  # gender, age bracket: 3 women and 1 man, all unemployed, ages 2/1/1
    ("female", "25_39"),
    ("female", "25_39"),
    ("female", "40_59"),
    ("male", "60_69"),
]


@pytest.fixture
def small_commune(advisor_user, place, partner):
    """A small commune's place (4 accompaniments in 2025) beside a busier one."""
    small = PlaceFactory(partner=partner, name="Mairie de Petite-Ville",
                         commune=CommuneFactory(name="Petite-Ville"))  # fmt: skip
    advisor = advisor_user.advisor
    for day, (gender, age) in enumerate(PROFILES, start=1):
        record_individual(advisor, place=small, date=date(2025, day * 2, 10),
                          themes=["email", "health"][: 1 + day % 2], gender=gender,
                          age_bracket=age, social_status="unemployed")  # fmt: skip
    for month in range(1, 13):
        for _ in range(3):
            record_individual(advisor, place=place, date=date(2025, month, 12),
                              gender="female" if month % 2 else "male",
                              age_bracket="40_59", social_status="retired")  # fmt: skip
    record_collective(advisor, place=place, date=date(2025, 5, 20), participants=9)
    return small


def small_commune_answer(client, user, commune) -> dict:
    _, secret = api_token_create(user=user, name="Open data", scopes=["stats:read"])
    response = client.get(
        reverse("api:stats"),
        {"start": "2025-01", "end": "2025-12", "commune": commune.pk},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    return response.json()


def test_the_reported_small_commune(client, coordinator, small_commune):
    body = small_commune_answer(client, coordinator, small_commune.commune)
    if path := os.environ.get("SDC_RECORD"):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, indent=2)
    figures = json.dumps(
        {"totals": body["totals"], "breakdowns": body["breakdowns"], "series": body["series"]}
    )
    for row in body["breakdowns"]["gender"]:
        assert row["accompaniments"] in (0, None) or not isinstance(row["accompaniments"], int)
    assert body["totals"]["accompaniments"] != 4, figures


def _activities(client, user, *scopes, **params):
    _, secret = api_token_create(user=user, name="Étude", scopes=list(scopes))
    response = client.get(
        reverse("api:activities"), params, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    return response.json()


def test_activity_rows_carry_quasi_identifiers_only_with_their_scope(
    client, coordinator, small_commune
):
    params = {"start": "2025-01", "end": "2025-12", "place": small_commune.pk, "limit": 2}
    plain = _activities(client, coordinator, "activities:read", **params)
    assert plain["quasi_identifiers"] is False and len(plain["results"]) == 2
    for row in plain["results"]:
        assert not {"date", "place", "profiles"} & set(row)
        assert row["month"].startswith("2025-")
    # The cursor names the last activity, not its date.
    assert "2025" not in base64.urlsafe_b64decode(plain["next_cursor"]).decode()
    detail = _activities(client, coordinator, "activities:read", "activities:detail", **params)
    assert detail["quasi_identifiers"] is True
    row = detail["results"][0]
    assert row["date"] == "2025-02-10" and row["place"]["name"] == "Mairie de Petite-Ville"
    assert row["profiles"]["gender"]["female"] == 1


def test_the_cursor_pages_through_every_activity_once(client, coordinator, small_commune):
    _, secret = api_token_create(user=coordinator, name="Étude", scopes=["activities:read"])
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get(
            reverse("api:activities"), params, headers={"Authorization": f"Bearer {secret}"}
        ).json()
        seen += [row["id"] for row in body["results"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    expected = Activity.objects.order_by("date", "pk").values_list("pk", flat=True)
    assert seen == list(expected)
