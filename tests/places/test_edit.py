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
    assert "Horaires non compris. Utilisez le tableau" in text
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
        ("opening_hours", "Mo %00 %s", "Horaires non compris"),
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


# --- Opening hours: a grid, French text or OSM (issue 17 §3) ----------------------------------


def _grid(**days) -> dict:
    """The grid as a browser posts it: every time field, empty unless given (Tu1="14:00-18:00")."""
    data = {f"hours_{d}_{i}_{e}": "" for d in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
            for i in (1, 2) for e in ("start", "end")}  # fmt: skip
    for key, value in days.items():
        start, end = value.split("-")
        data[f"hours_{key[:2]}_{key[2]}_start"], data[f"hours_{key[:2]}_{key[2]}_end"] = start, end
    return data


def test_the_grid_shows_the_hours_and_writes_osm(partner_client, place):
    place.opening_hours = "Mo-Fr 09:00-12:00,14:00-18:00; PH off"
    place.save()
    html = partner_client.get(_edit_url(place)).content.decode()
    assert 'name="hours_Mo_2_start" value="14:00"' in html and "Lundi, plage 2, début" in html
    data = _form_data(place) | _grid(Tu1="09:00-12:00", Tu2="14:00-18:00", Th1="09:00-12:00",
                                     Th2="14:00-18:00", Sa1="10:00-12:00")  # fmt: skip
    data["closed_on_holidays"] = "on"
    response = partner_client.post(_edit_url(place), data)
    assert response.status_code == 302, page_text(response)
    place.refresh_from_db()
    assert place.opening_hours == "Tu,Th 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mardi 14h-18h", "Tu 14:00-18:00"),
        ("du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés",
         "Mo-Fr 09:00-12:00,14:00-17:00; PH off"),
        ("Lun, mer et ven de 9h30 à 12h", "Mo,We,Fr 09:30-12:00"),
        ("Tu-Sa 09:00-12:00", "Tu-Sa 09:00-12:00"),
    ],
)  # fmt: skip
def test_hours_typed_in_french_are_understood(partner_client, place, typed, stored):
    response = partner_client.post(_edit_url(place), _form_data(place, opening_hours=typed))
    assert response.status_code == 302, page_text(response)
    place.refresh_from_db()
    assert place.opening_hours == stored


@pytest.mark.parametrize("typed", ["mardi", "14h-18h", "mardi 18h-14h", "le mardi vers 14h"])
def test_hours_not_understood_get_a_helpful_message_and_change_nothing(
    partner_client, place, typed
):
    before = place.opening_hours
    response = partner_client.post(_edit_url(place), _form_data(place, opening_hours=typed))
    assert response.status_code == 200
    text = page_text(response)
    assert "Horaires non compris" in text and "du lundi au vendredi 9h-12h" in text
    assert "caractère" not in text
    place.refresh_from_db()
    assert place.opening_hours == before


def test_grid_errors_are_in_french_and_change_nothing(partner_client, place):
    before = place.opening_hours
    for grid, message in [
        (_grid(Mo1="12:00-09:00"), "finit avant de commencer"),
        (_grid(Mo1="09:00-12:00", Mo2="11:00-14:00"), "se chevauchent"),
        ({**_grid(), "hours_We_1_start": "09:00"}, "indiquez le début et la fin"),
    ]:
        response = partner_client.post(_edit_url(place), _form_data(place) | grid)
        assert response.status_code == 200 and message in page_text(response)
    data = _form_data(place, opening_hours="Sa 10:00-12:00") | _grid(Mo1="09:00-12:00")
    assert "pas les deux" in page_text(partner_client.post(_edit_url(place), data))
    place.refresh_from_db()
    assert place.opening_hours == before


def test_hours_beyond_the_grid_stay_in_the_expert_text(partner_client, place):
    place.opening_hours = "Jan-Jun Mo 09:00-12:00; PH off"
    place.save()
    response = partner_client.get(_edit_url(place))
    assert "ne sait pas représenter" in page_text(response)
    assert 'name="hours_Mo_1_start"' not in response.content.decode()
    response = partner_client.post(_edit_url(place), _form_data(place, phone="04 68 96 00 01"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.opening_hours == "Jan-Jun Mo 09:00-12:00; PH off"


def test_french_text_beside_an_untouched_grid_is_not_a_conflict(partner_client, place):
    """A browser posts the grid as shown with the text: only the text changed."""
    place.opening_hours = "Tu 14:00-18:00; Sa 09:30-12:00; PH off"
    place.save()
    data = _form_data(place, opening_hours="du mardi au jeudi 14h-18h ; fermé les jours fériés")
    data |= _grid(Tu1="14:00-18:00", Sa1="09:30-12:00") | {"closed_on_holidays": "on"}
    response = partner_client.post(_edit_url(place), data)
    assert response.status_code == 302, page_text(response)
    place.refresh_from_db()
    assert place.opening_hours == "Tu-Th 14:00-18:00; PH off"


def test_a_postal_code_of_another_commune_is_refused(partner_client, place):
    """Issue 17 §3: the postal code is published with the commune; they must agree."""
    other = "66000" if place.commune.postal_code != "66000" else "66500"
    response = partner_client.post(_edit_url(place), _form_data(place, postal_code=other))
    assert response.status_code == 200
    assert f"n'est pas celui de la commune {place.commune.name}" in page_text(response)
    place.refresh_from_db()
    assert place.postal_code != other
    same = _form_data(place, postal_code=place.commune.postal_code)
    assert partner_client.post(_edit_url(place), same).status_code == 302
