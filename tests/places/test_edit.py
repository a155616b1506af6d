"""Editing a place: partner staff their own places, coordinators any place and its coordinates."""

import pytest
from django.urls import reverse

from relais.places.models import PlaceChange

from ..helpers import count_tags, page_text

pytestmark = pytest.mark.django_db


def _form_data(place, **overrides) -> dict:
    data = {
        "address": place.address,
        "postal_code": place.postal_code,
        "phone": place.phone,
        "email": place.email,
        "website": place.website,
        "opening_hours": place.opening_hours,
        "description": place.description,
        "accessibility_notes": place.accessibility_notes,
        "room_capacity": place.room_capacity or "",
    }
    for flag in [
        "is_public_and_accessible",
        "has_internet_and_wifi",
        "has_confidential_office",
        "has_computer",
        "has_printer_scanner",
        "has_photocopier",
        "has_phone",
    ]:
        if getattr(place, flag):
            data[flag] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _edit_url(place) -> str:
    return reverse("places:edit", kwargs={"slug": place.slug})


def test_partner_staff_edit_their_own_place(partner_client, partner_staff, place):
    response = partner_client.get(_edit_url(place))
    assert response.status_code == 200
    html = response.content.decode()
    assert count_tags(html, "h1") == 1
    assert "Mo-Fr 09:00-12:00,14:00-18:00" in page_text(response)  # help text with the example
    assert 'name="latitude"' not in html  # coordinates are the Département's

    data = _form_data(
        place,
        phone="04 68 96 00 00",
        website="https://mediatheque.exemple.fr/",
        opening_hours="Tu-Sa 09:00-12:00",
        has_photocopier=None,  # unticked
    )
    response = partner_client.post(_edit_url(place), data)
    assert response.status_code == 302
    assert response["Location"] == place.get_absolute_url()
    place.refresh_from_db()
    assert place.phone == "+33468960000" and place.opening_hours == "Tu-Sa 09:00-12:00"
    assert not place.has_photocopier
    change = PlaceChange.objects.get(place=place)
    assert change.user == partner_staff
    assert {c["field"] for c in change.changes} >= {
        "phone",
        "website",
        "opening_hours",
        "has_photocopier",
    }

    detail = page_text(partner_client.get(place.get_absolute_url()))
    assert "Historique des modifications" in detail
    assert partner_staff.get_full_name() in detail
    assert "Photocopieuse : oui → non" in detail
    assert "Du mardi au samedi : 9 h – 12 h" in detail
    assert "Tu-Sa 09:00-12:00" in detail


def test_partner_staff_may_not_edit_another_partners_place(outsider_client, place):
    assert outsider_client.get(_edit_url(place)).status_code == 403
    response = outsider_client.post(_edit_url(place), _form_data(place, phone="0600000000"))
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.phone == ""
    assert not PlaceChange.objects.exists()


@pytest.mark.parametrize("persona", ["committee_client", "advisor_client"])
def test_committee_and_advisors_may_not_edit(request, persona, place):
    client = request.getfixturevalue(persona)
    assert client.get(_edit_url(place)).status_code == 403
    assert "Modifier" not in page_text(client.get(place.get_absolute_url()))


def test_modify_link_shown_only_when_allowed(partner_client, coordinator_client, place):
    for client in (partner_client, coordinator_client):
        html = client.get(place.get_absolute_url()).content.decode()
        assert f'href="{_edit_url(place)}"' in html


def test_coordinator_edits_coordinates(coordinator_client, coordinator, place):
    response = coordinator_client.get(_edit_url(place))
    assert 'name="latitude"' in response.content.decode()
    data = _form_data(place, latitude="42.61700", longitude="2.42100")
    response = coordinator_client.post(_edit_url(place), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert str(place.latitude) == "42.61700" and str(place.longitude) == "2.42100"
    change = PlaceChange.objects.get(place=place)
    assert change.user == coordinator
    assert [c["field"] for c in change.changes] == ["latitude", "longitude"]
    assert change.changes[0]["new"] == "42.61700"


def test_administrator_edits_any_place(administrator_client, other_place):
    response = administrator_client.post(
        _edit_url(other_place), _form_data(other_place, email="accueil@exemple.fr")
    )
    assert response.status_code == 302
    other_place.refresh_from_db()
    assert other_place.email == "accueil@exemple.fr"


def test_invalid_input_shows_french_errors_and_changes_nothing(partner_client, place):
    data = _form_data(
        place,
        phone="04 68 96 00 00",
        opening_hours="du lundi au vendredi",
        email="pas-un-courriel",
        postal_code="6650",
    )
    response = partner_client.post(_edit_url(place), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Horaires invalides (syntaxe OpenStreetMap attendue" in text
    assert "Saisissez une adresse de courriel valide." in text
    assert "Le code postal doit comporter 5 chiffres." in text
    place.refresh_from_db()
    assert place.phone == "" and place.opening_hours == "" and place.email == ""
    assert not PlaceChange.objects.exists()


def test_submitting_unchanged_form_records_nothing(coordinator_client, place):
    place.latitude, place.longitude = place.commune.latitude, place.commune.longitude
    place.save()
    data = _form_data(place, latitude=str(place.latitude), longitude=str(place.longitude))
    response = coordinator_client.post(_edit_url(place), data, follow=True)
    assert "Aucune modification à enregistrer." in page_text(response)
    assert not PlaceChange.objects.exists()


def test_history_lists_the_latest_twenty_changes(coordinator_client, coordinator, place):
    PlaceChange.objects.bulk_create(
        PlaceChange(
            place=place,
            user=coordinator,
            changes=[{"field": "phone", "label": "téléphone", "old": None, "new": f"n°{i}"}],
        )
        for i in range(25)
    )
    text = page_text(coordinator_client.get(place.get_absolute_url()))
    assert text.count("Téléphone : — →") == 20


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "NaN", "numéro de téléphone n'est pas valide"),
        ("phone", "1e309", "numéro de téléphone n'est pas valide"),
        ("phone", "-1", "numéro de téléphone n'est pas valide"),
        ("postal_code", "٦٦٥٠٠", "Le code postal doit comporter 5 chiffres"),
        ("opening_hours", "Mo %00 %s", "Horaires invalides"),
    ],
)
def test_hostile_values_are_form_errors_and_nothing_is_stored(
    coordinator_client, place, field, value, message
):
    """Issue 12: "NaN" was stored as a phone number and « ٦٦٥٠٠ » as a postal code (both
    published in the open data); a "%" in the opening hours broke the error message (500)."""
    response = coordinator_client.post(_edit_url(place), _form_data(place, **{field: value}))
    assert response.status_code == 200
    assert message in page_text(response)
    place.refresh_from_db()
    assert getattr(place, field) != value
    assert not PlaceChange.objects.exists()


def test_a_phone_number_is_stored_in_e164_and_shown_the_french_way(coordinator_client, place):
    response = coordinator_client.post(_edit_url(place), _form_data(place, phone="04.68.96.00.00"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.phone == "+33468960000"
    html = coordinator_client.get(place.get_absolute_url()).content.decode()
    assert '<a href="tel:+33468960000">04 68 96 00 00</a>' in html
