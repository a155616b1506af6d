"""Active places in the national open-data standard « Lieux de médiation numérique » v1.0.2.

Schema: https://github.com/LaMednum/standard-mediation-num (Table Schema, CSV, ``|`` between
the values of a multi-valued field). What our data does not hold is derived or left empty:

* ``pivot`` (required, 9 to 14 letters or digits): the partner's SIRET, else fourteen zeros,
  the placeholder the national cartography uses for a structure not yet identified;
* ``adresse`` (required): the place's street address, else its name (a place with no address
  yet is still listed; the commune and postal code locate it);
* ``code_insee`` (optional): left empty, our communes have no INSEE code;
* ``latitude``/``longitude``: the place's own, else its commune's centroid;
* ``services``, ``modalites_accompagnement``: what the convention's Art. 1.1 asks the advisers
  to offer, in the schema's vocabulary.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from relais.core.spreadsheets import CsvWriter, Verbatim

from .enums import PlaceKind
from .models import Place

SCHEMA_NAME = "lieux-mediation-numerique 1.0.2"
SEPARATOR = "|"
UNKNOWN_PIVOT = "00000000000000"

FIELDNAMES = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]

# data·inclusion's structure typologies (the vocabulary the schema refers to).
TYPOLOGIES = {
    PlaceKind.MEDIA_LIBRARY: "BIB",
    PlaceKind.LIBRARY: "BIB",
    PlaceKind.TOWN_HALL: "MUNI",
    PlaceKind.CCAS: "CCAS",
    PlaceKind.FRANCE_SERVICES: "RFS",
}

# Art. 1.1: administrative procedures, everyday digital uses, protecting one's data,
# awareness of digital issues.
SERVICES = [
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Utilisation sécurisée du numérique",
    "Compréhension du monde numérique",
]
NATIONAL_PROGRAMME = "Conseillers numériques"
SUMMARY_MAX_LENGTH = 280
# re.ASCII: without it \d also matches « ٦ » or « ６ », which would be published as digits.
PHONE_PATTERN = re.compile(
    r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$", re.ASCII
)


def international_phone(phone: str) -> str:
    """``04 68 96 00 00`` → ``+33468960000``; empty when the number cannot be read."""
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if digits.startswith("0033"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0[0-9]{9}", digits):
        digits = "+33" + digits[1:]
    return digits if PHONE_PATTERN.match(digits) else ""


def _pivot(siret: str) -> str:
    siret = "".join((siret or "").split())
    return siret if re.fullmatch(r"[0-9]{14}", siret) else UNKNOWN_PIVOT


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SUMMARY_MAX_LENGTH:
        return text
    cut = text[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _join(values) -> str:
    return SEPARATOR.join(v for v in values if v)


def place_row(place: Place) -> dict:
    """One place as a row of the standard (strings, except latitude/longitude: Decimal)."""
    latitude, longitude = place.coordinates
    description = (place.description or "").strip()
    summary = _summary(description)
    programmes = [NATIONAL_PROGRAMME]
    if place.kind == PlaceKind.FRANCE_SERVICES:
        programmes.append("France Services")
    support = ["Accompagnement individuel"]
    if place.room_capacity and place.room_capacity >= 6:
        support.append("Dans un atelier collectif")
    return {
        "id": f"relais-{place.commune.department_code}-{place.pk}",
        "pivot": _pivot(place.partner.siret),
        "nom": place.name,
        "commune": place.commune.name,
        "code_postal": place.postal_code or place.commune.postal_code,
        "code_insee": "",
        "adresse": place.address or place.name,
        "complement_adresse": "",
        "latitude": latitude,
        "longitude": longitude,
        "typologie": TYPOLOGIES.get(place.kind, ""),
        "telephone": international_phone(place.phone),
        "courriels": place.email,
        "site_web": place.website,
        "horaires": place.opening_hours.strip(),
        "presentation_resume": summary,
        "presentation_detail": description if summary != description else "",
        "source": settings.RELAIS_DEPARTMENT_NAME,
        "itinerance": "Fixe",
        "structure_parente": place.partner.name,
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "services": _join(SERVICES),
        "publics_specifiquement_adresses": "",
        "prise_en_charge_specifique": "",
        "frais_a_charge": "Gratuit",
        "dispositif_programmes_nationaux": _join(programmes),
        "formations_labels": "",
        "autres_formations_labels": "",
        "modalites_acces": _join(
            [
                "Se présenter",
                "Téléphoner" if place.phone else "",
                "Contacter par mail" if place.email else "",
            ]
        ),
        "modalites_accompagnement": _join(support),
        "fiche_acces_libre": "",
        "prise_rdv": "",
    }


def opendata_places():
    """The places published: active ones only, in a stable order."""
    return Place.objects.active().select_related("commune", "partner").order_by("pk")


def opendata_rows() -> list[dict]:
    return [place_row(place) for place in opendata_places()]


def write_csv(rows: list[dict], stream) -> None:
    """Write the rows as the standard's CSV (comma-separated, header first, UTF-8 text).

    Names and descriptions are typed by people and the file is public: cells are neutralised
    (``relais.core.spreadsheets``) so that none runs as a formula in a spreadsheet. The phone
    number is the exception: ``international_phone`` only lets ``+`` and digits through, and
    the standard's pattern wants it without an apostrophe."""
    writer = CsvWriter(stream, lineterminator="\n")
    writer.writerow(FIELDNAMES)
    for row in rows:
        writer.writerow([_csv_value(name, row.get(name, "")) for name in FIELDNAMES])


def _csv_value(name: str, value):
    # Latitude and longitude stay Decimal: numbers, never neutralised, whatever their sign.
    if name == "telephone" and value and PHONE_PATTERN.match(value):
        return Verbatim(value)
    return value


def json_payload() -> dict:
    """The JSON document of ``/lieux/open-data.json``: the same fields, numbers as numbers."""
    lieux = [
        {key: float(value) if isinstance(value, Decimal) else value for key, value in row.items()}
        for row in opendata_rows()
    ]
    return {"schema": SCHEMA_NAME, "lieux": lieux}
