"""Places in the national open-data standard « Lieux de médiation numérique » v1.0.2.

Schema: https://github.com/LaMednum/standard-mediation-num (Table Schema, CSV, ``|`` between
the values of a multi-valued field). The export states what is true on its date (issue 13 §4;
each mapping is documented in ``docs/opendata.md``):

* only the places where mediation is offered that day: an active place with a commitment of an
  agreement in force (a place in a deliberation but in no convention is not published);
* ``horaires``: the permanences held there that day (the planning's slots), in OSM syntax —
  not the building's opening hours, which are wider than the mediation offered;
* ``dispositif_programmes_nationaux``: « Conseillers numériques » only if an adviser of that
  programme (CnFS) holds a permanence there; « France Services » for a France Services place;
* ``pivot``: the SIRET of the organisation that runs the place (the place's own, else the
  partner's when the partner runs it), fourteen zeros — the national cartography's « not yet
  identified » — only when neither is known;
* ``adresse``: the street address (required for an active place); ``code_insee``: the
  commune's official code when known; ``prise_rdv``: the online booking page when it is open.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from relais.agreements.models import Agreement, Commitment
from relais.core.site import site_url
from relais.core.spreadsheets import CsvWriter, Verbatim
from relais.places.enums import PlaceKind
from relais.places.hours import WEEK, week_to_osm
from relais.places.models import Place
from relais.planning.enums import Recurrence
from relais.planning.models import Slot
from relais.team.enums import AdvisorKind

from .queries import appointment_url

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


def _pivot(place: Place) -> str:
    for siret in (place.siret, "" if place.kind == PlaceKind.TOWN_HALL else place.partner.siret):
        siret = "".join((siret or "").split())
        if re.fullmatch(r"[0-9]{14}", siret):
            return siret
    return UNKNOWN_PIVOT


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SUMMARY_MAX_LENGTH:
        return text
    cut = text[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _join(values) -> str:
    return SEPARATOR.join(dict.fromkeys(v for v in values if v))


@dataclass
class PlaceFacts:
    """What the planning and the bookings say of a place on the export date."""

    slots: list = field(default_factory=list)
    booking_url: str = ""


def _slot_rule(slot) -> str:
    """One permanence as an OSM rule: ``Tu 09:00-12:00``, ``week 02-53/2 Tu …``, ``Tu[1] …``."""
    day = WEEK[slot.weekday]
    hours = f"{slot.start_time:%H:%M}-{slot.end_time:%H:%M}"  # machine format (OSM)
    if slot.recurrence == Recurrence.FORTNIGHTLY:
        # ISO weeks of the same parity as the slot's reference week (a year of 53 weeks
        # shifts the parity in January: the published hours are then one week off).
        week = (slot.anchor_date or slot.valid_from).isocalendar().week
        return f"week {'01' if week % 2 else '02'}-53/2 {day} {hours}"
    if slot.recurrence == Recurrence.MONTHLY and slot.month_week:
        return f"{day}[{slot.month_week}] {hours}"
    return f"{day} {hours}"


def permanence_hours(slots) -> str:
    """The permanences as OSM opening_hours: weekly ones as a week grid, fortnightly and
    monthly ones as additional rules (``,``: they add to the week, never replace a day), closed
    on public holidays (no occurrence then) and, when every permanence is suspended during
    school holidays, during those too."""
    slots = list(slots)
    if not slots:
        return ""
    week = {day: [] for day in WEEK}
    others = []
    for slot in slots:
        if slot.recurrence == Recurrence.WEEKLY:
            osm_range = (f"{slot.start_time:%H:%M}", f"{slot.end_time:%H:%M}")  # machine format
            week[WEEK[slot.weekday]].append(osm_range)
        else:
            others.append(_slot_rule(slot))
    weekly = week_to_osm({day: sorted(set(ranges)) for day, ranges in week.items()})
    rules = ", ".join([weekly, *sorted(set(others))] if weekly else sorted(set(others)))
    if all(slot.respect_school_holidays for slot in slots):
        rules += "; SH off"
    return rules + "; PH off"


def national_programmes(place: Place, slots) -> list[str]:
    """The national programmes of the people who actually work there (schema vocabulary)."""
    programmes = []
    if any(a.kind == AdvisorKind.CNFS for slot in slots for a in slot.advisors.all()):
        programmes.append(NATIONAL_PROGRAMME)
    if place.kind == PlaceKind.FRANCE_SERVICES:
        programmes.append("France Services")
    return programmes


def place_row(place: Place, facts: PlaceFacts | None = None) -> dict:
    """One place as a row of the standard (strings, except latitude/longitude: Decimal)."""
    facts = facts or PlaceFacts()
    latitude, longitude = place.coordinates
    description = (place.description or "").strip()
    summary = _summary(description)
    support = ["Accompagnement individuel"]
    if place.room_capacity and place.room_capacity >= 6:
        support.append("Dans un atelier collectif")
    return {
        "id": f"relais-{place.commune.department_code}-{place.pk}",
        "pivot": _pivot(place),
        "nom": place.name,
        "commune": place.commune.name,
        "code_postal": place.postal_code or place.commune.postal_code,
        "code_insee": place.commune.insee_code,
        "adresse": place.address.strip(),
        "complement_adresse": "",
        "latitude": latitude,
        "longitude": longitude,
        "typologie": TYPOLOGIES.get(place.kind, ""),
        "telephone": international_phone(place.phone),
        "courriels": place.email,
        "site_web": place.website,
        "horaires": permanence_hours(facts.slots),
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
        "dispositif_programmes_nationaux": _join(national_programmes(place, facts.slots)),
        "formations_labels": "",
        "autres_formations_labels": "",
        "modalites_acces": _join(
            [
                "Se présenter",
                "Téléphoner" if place.phone else "",
                "Contacter par mail" if place.email else "",
                "Prendre un RDV en ligne" if facts.booking_url else "",
            ]
        ),
        "modalites_accompagnement": _join(support),
        "fiche_acces_libre": "",
        "prise_rdv": facts.booking_url,
    }


def places_under_agreement(on: date) -> set[int]:
    """Ids of the places with a commitment, valid on ``on``, of an agreement in force then."""
    agreements = Agreement.objects.filter(commitments__isnull=False).distinct()
    in_force = [
        a.pk for a in agreements.prefetch_related("signatories") if a.timeline(on).is_in_force
    ]
    commitments = Commitment.objects.filter(agreement_id__in=in_force).valid_on(on)
    return set(commitments.values_list("place_id", flat=True))


def opendata_places(on: date | None = None):
    """The places published on ``on`` (today): active, under an agreement in force, with a
    street address; in a stable order."""
    on = on or timezone.localdate()
    return (
        Place.objects.active()
        .filter(pk__in=places_under_agreement(on))
        .exclude(address="")
        .select_related("commune", "partner")
        .order_by("pk")
    )


def _facts(places, on: date) -> dict[int, PlaceFacts]:

    facts = {place.pk: PlaceFacts() for place in places}
    slots = (
        Slot.objects.filter(place_id__in=facts)
        .valid_between(on, on)
        .prefetch_related("advisors")
        .order_by("weekday", "start_time", "pk")
    )
    for slot in slots:
        facts[slot.place_id].slots.append(slot)
    for place in places:
        url = appointment_url(place)
        facts[place.pk].booking_url = site_url(url) if url else ""
    return facts


def opendata_rows(on: date | None = None) -> list[dict]:
    on = on or timezone.localdate()
    places = list(opendata_places(on))
    facts = _facts(places, on)
    return [place_row(place, facts[place.pk]) for place in places]


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
