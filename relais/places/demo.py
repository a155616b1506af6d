"""Demo data, part 3: the places of the seed.

The eight places of the convention's table (Art. 1.2) and Baillestavy, which the deliberation's
table lists but the convention does not. The equipment flags are illustrative: the seed says
what a place must offer, not what each one has. So are the opening hours (OpenStreetMap
syntax): plausible hours for a small library or town hall, not the real ones. Coordinates are
the commune's centroid (no place has been geocoded). The street addresses are illustrative
too (the convention leaves them « [localisation du point d'accueil] »), and so are the town
halls' SIRETs: built the way a commune's is (21, the INSEE code with a 0, a Luhn key), not
looked up; a town hall is run by its commune, not by the partner. The communes' INSEE codes
are those of the official geographic code.
"""

from relais.core.demo import DemoContext

from .enums import PlaceKind
from .models import Place

FULLY_EQUIPPED = {
    "is_public_and_accessible": True,
    "room_capacity": 8,
    "has_internet_and_wifi": True,
    "has_confidential_office": True,
    "has_computer": True,
    "has_printer_scanner": True,
    "has_photocopier": True,
    "has_phone": True,
}

# Illustrative opening hours, OpenStreetMap syntax (see the module docstring).
OPENING_HOURS = {
    "mediatheque-prades": "Tu,Th,Fr 14:00-18:00; We,Sa 09:30-12:30,14:00-18:00; PH off",
    "mediatheque-vinca": "Tu 16:00-18:30; We 10:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off",
    "mediatheque-marquixanes": "We 14:00-18:00; Fr 16:00-18:00; Sa 10:00-12:00; PH off",
    "bibliotheque-catllar": "Tu 09:30-12:30; We 14:00-17:00; Th 16:30-18:30; PH off",
    "bibliotheque-sahorre": "We 14:00-17:00; Sa 10:00-12:00; PH off",
    "bibliotheque-ria-sirach": "Mo 16:00-18:00; We 09:30-12:00,14:00-17:30; Th 14:30-18:00; PH off",
    "commune-los-masos": "Mo-Fr 08:30-12:00,13:30-17:00; PH off",
    "commune-villefranche-de-conflent": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "commune-baillestavy": "Tu,Fr 09:00-12:00; PH off",
}

# Illustrative street addresses (see the module docstring).
ADDRESSES = {
    "mediatheque-prades": "2 place de la République",
    "mediatheque-vinca": "1 place de la Mairie",
    "mediatheque-marquixanes": "3 carrer de l'Església",
    "bibliotheque-catllar": "1 place de la Mairie",
    "bibliotheque-sahorre": "2 avenue du Canigou",
    "bibliotheque-ria-sirach": "4 place de la République",
    "commune-los-masos": "1 place de la Mairie",
    "commune-villefranche-de-conflent": "32 rue Saint-Jacques",
    "commune-baillestavy": "1 place de la Mairie",
}
TOWN_HALL_SIRETS = {
    "commune-los-masos": "21660106200013",
    "commune-villefranche-de-conflent": "21660223500014",
    "commune-baillestavy": "21660015500016",
}
INSEE_CODES = {
    "Baillestavy": "66015",
    "Catllar": "66049",
    "Los Masos": "66106",
    "Marquixanes": "66104",
    "Prades": "66149",
    "Ria-Sirach": "66161",
    "Sahorre": "66188",
    "Villefranche-de-Conflent": "66223",
    "Vinça": "66230",
}

PLACES = [
    # (slug, name, kind, commune, equipment overrides)
    ("mediatheque-prades", "Médiathèque de Prades", PlaceKind.MEDIA_LIBRARY, "Prades", {}),
    ("mediatheque-vinca", "Médiathèque de Vinça", PlaceKind.MEDIA_LIBRARY, "Vinça", {}),
    (
        "mediatheque-marquixanes",
        "Médiathèque de Marquixanes",
        PlaceKind.MEDIA_LIBRARY,
        "Marquixanes",
        {"room_capacity": 6},
    ),
    ("bibliotheque-catllar", "Bibliothèque de Catllar", PlaceKind.LIBRARY, "Catllar", {}),
    (
        "bibliotheque-sahorre",
        "Bibliothèque de Sahorre",
        PlaceKind.LIBRARY,
        "Sahorre",
        {"room_capacity": 6, "has_photocopier": False},
    ),
    ("bibliotheque-ria-sirach", "Bibliothèque de Ria-Sirach", PlaceKind.LIBRARY, "Ria-Sirach", {}),
    (
        "commune-los-masos",
        "Commune de Los Masos",
        PlaceKind.TOWN_HALL,
        "Los Masos",
        {"has_confidential_office": False},
    ),
    (
        "commune-villefranche-de-conflent",
        "Commune de Villefranche-de-Conflent",
        PlaceKind.TOWN_HALL,
        "Villefranche-de-Conflent",
        {},
    ),
    (
        "commune-baillestavy",
        "Commune de Baillestavy",
        PlaceKind.TOWN_HALL,
        "Baillestavy",
        {"room_capacity": None, "has_printer_scanner": False, "has_photocopier": False},
    ),
]


def load(ctx: DemoContext) -> None:
    places = {}
    for slug, name, kind, commune_name, overrides in PLACES:
        commune = ctx.commune(commune_name)
        if commune.insee_code != INSEE_CODES[commune_name]:
            commune.insee_code = INSEE_CODES[commune_name]
            commune.full_clean()
            commune.save(update_fields=["insee_code"])
        values = {
            "name": name,
            "kind": kind,
            "partner": ctx.objects["partner"],
            "commune": commune,
            "postal_code": commune.postal_code,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "opening_hours": OPENING_HOURS[slug],
            "address": ADDRESSES[slug],
            "siret": TOWN_HALL_SIRETS.get(slug, ""),
            **FULLY_EQUIPPED,
            **overrides,
        }
        place = Place.objects.filter(slug=slug).first() or Place(slug=slug)
        for attr, value in values.items():
            setattr(place, attr, value)
        place.full_clean()
        place.save()
        places[slug] = place
    ctx.objects["places"] = places
