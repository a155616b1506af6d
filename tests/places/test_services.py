"""place_update: validates, saves, and records who changed what and when."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from relais.places.models import Place, PlaceChange
from relais.places.services import place_update

pytestmark = pytest.mark.django_db


def _with_coordinates(place):
    """Give the factory's place coordinates, so that the service has nothing to default."""
    Place.objects.filter(pk=place.pk).update(
        latitude=place.commune.latitude, longitude=place.commune.longitude
    )
    place.refresh_from_db()
    return place


def test_update_records_who_when_and_what(place, partner_staff):
    _with_coordinates(place)
    before = timezone.now()
    place_update(
        place=place,
        user=partner_staff,
        data={"phone": "04 68 05 00 00", "opening_hours": "Mo-Fr 09:00-12:00", "has_phone": False},
    )
    place.refresh_from_db()
    assert place.phone == "+33468050000" and not place.has_phone  # E.164, shown the French way
    change = PlaceChange.objects.get(place=place)
    assert change.user == partner_staff
    assert before <= change.changed_at <= timezone.now()
    assert change.changes == [
        {"field": "phone", "label": "téléphone", "old": None, "new": "+33468050000"},
        {
            "field": "opening_hours",
            "label": "horaires d'ouverture",
            "old": None,
            "new": "Mo-Fr 09:00-12:00",
        },
        {"field": "has_phone", "label": "téléphone", "old": True, "new": False},
    ]


def test_nothing_is_recorded_when_nothing_changes(place, coordinator):
    _with_coordinates(place)
    updated_at = place.updated_at
    place_update(
        place=place,
        user=coordinator,
        data={
            "phone": place.phone,
            "room_capacity": place.room_capacity,
            "latitude": Decimal(str(place.latitude)).normalize(),  # 42.6107 == 42.61070
        },
    )
    assert not PlaceChange.objects.exists()
    place.refresh_from_db()
    assert place.updated_at == updated_at


def test_empty_coordinates_default_to_the_commune_centroid(place, coordinator):
    assert place.latitude is None
    place_update(place=place, user=coordinator, data={"latitude": None, "longitude": None})
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == (place.commune.latitude, place.commune.longitude)
    fields = [c["field"] for c in PlaceChange.objects.get().changes]
    assert fields == ["latitude", "longitude"]


def test_invalid_data_changes_nothing(place, coordinator):
    _with_coordinates(place)
    with pytest.raises(ValidationError) as error:
        place_update(
            place=place,
            user=coordinator,
            data={"phone": "04 68 00 00 00", "opening_hours": "tous les jours"},
        )
    assert "opening_hours" in error.value.message_dict
    assert place.phone == ""  # the caller's object is left as stored
    place.refresh_from_db()
    assert place.phone == "" and place.opening_hours == ""
    assert not PlaceChange.objects.exists()


def test_relations_and_choices_are_recorded_by_their_labels(
    place, partner, coordinator, other_partner
):
    _with_coordinates(place)
    place_update(place=place, user=coordinator, data={"partner": other_partner, "kind": "library"})
    changes = {c["field"]: c for c in PlaceChange.objects.get().changes}
    assert changes["partner"]["label"] == "structure partenaire"
    assert (changes["partner"]["old"], changes["partner"]["new"]) == (
        str(partner),
        str(other_partner),
    )
    assert (changes["kind"]["old"], changes["kind"]["new"]) == ("Médiathèque", "Bibliothèque")


def test_unknown_field_is_a_programming_error(place, coordinator):
    with pytest.raises(ValueError, match="nickname"):
        place_update(place=place, user=coordinator, data={"nickname": "x"})
