"""Place fields: OSM opening hours (validated, read in French), coordinates, history display."""

import pytest
from django.core.exceptions import ValidationError

from relais.places.hours import opening_hours_in_french
from relais.places.models import PlaceChange

pytestmark = pytest.mark.django_db


def test_valid_opening_hours_pass_full_clean(place):
    place.opening_hours = "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off"
    place.full_clean()


@pytest.mark.parametrize("hours", ["lundi 9h-12h", "Mo-Fr 9h-12h", "Mo-Fr 09:00-12:00 ;;"])
def test_invalid_opening_hours_are_rejected_in_french(place, hours):
    place.opening_hours = hours
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    message = error.value.message_dict["opening_hours"][0]
    assert message.startswith(
        "Horaires invalides (syntaxe OpenStreetMap attendue, "
        "ex. « Mo-Fr 09:00-12:00,14:00-18:00 ») : "
    )
    assert "caractère" in message or "non reconnue" in message


def test_latitude_without_longitude_is_refused(place):
    place.latitude, place.longitude = "42.6", None
    with pytest.raises(ValidationError, match="latitude et la longitude"):
        place.full_clean()


def test_coordinates_fall_back_to_the_commune_centroid(place):
    place.latitude = place.longitude = None
    assert place.coordinates == (place.commune.latitude, place.commune.longitude)


@pytest.mark.parametrize(
    ("hours", "lines"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:30-12:00; PH off",
            [
                "Du lundi au vendredi : 9 h – 12 h, 14 h – 18 h 30",
                "Samedi : 9 h 30 – 12 h",
                "Jours fériés : fermé",
            ],
        ),
        ("Tu,Th 16:00-18:00", ["Mardi, jeudi : 16 h – 18 h"]),
        ("24/7", ["Ouvert 24 h sur 24, 7 jours sur 7"]),
    ],
)
def test_simple_opening_hours_read_in_french(hours, lines):
    assert opening_hours_in_french(hours) == lines


@pytest.mark.parametrize(
    "hours",
    [
        "",
        "Jul-Aug Mo 10:00-12:00",
        'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
        "Mo 10:00-12:00; Mo 14:00-16:00",
    ],
)
def test_complex_opening_hours_are_not_paraphrased(hours):
    assert opening_hours_in_french(hours) is None


def test_history_values_read_in_french(place):
    change = PlaceChange(
        place=place,
        changes=[{"field": "has_phone", "label": "téléphone", "old": True, "new": False}],
    )
    assert change.readable_changes[0] == {
        "field": "has_phone",
        "label": "téléphone",
        "old": "oui",
        "new": "non",
    }
