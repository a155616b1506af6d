"""Open data: the national « Lieux de médiation numérique » standard v1.0.2 (CSV and JSON).

The schema and its valid example are copied in ``fixtures/`` from the standard's repository
(https://github.com/LaMednum/standard-mediation-num, tag v1.0.2).
"""

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from frictionless import Schema, validate
from hypothesis import given, settings
from hypothesis import strategies as st
from opening_hours import OpeningHours

from relais.agreements.enums import CommitmentUnit
from relais.agreements.models import Commitment
from relais.appointments.models import PlaceAppointmentSettings
from relais.places.enums import PlaceKind
from relais.planning.calendars import public_holidays
from relais.planning.enums import Recurrence
from relais.planning.models import Slot
from relais.public.opendata import (
    FIELDNAMES,
    international_phone,
    opendata_rows,
    permanence_hours,
)
from relais.team.enums import AdvisorKind

from ..agreements.factories import make_signed_agreement
from ..factories import AdvisorFactory, CommuneFactory, OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8"))


def _validate(directory: Path, name: str):
    # frictionless 5 refuses absolute paths ("not safe"): give it a base path and a file name.
    return validate(name, schema=Schema.from_descriptor(SCHEMA), basepath=str(directory))


def _errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def _in_force(department, partner, places) -> None:
    """An agreement signed in March 2024, tacitly renewed, with a commitment at each place."""
    agreement = make_signed_agreement(department, partner, hard_end_date=None)
    for place in places:
        Commitment.objects.create(
            agreement=agreement, place=place, count=1, unit=CommitmentUnit.HALF_DAY
        )


def _slot(place, advisors, *, weekday, start, end, **fields) -> Slot:
    slot = Slot.objects.create(
        place=place,
        weekday=weekday,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        valid_from=fields.pop("valid_from", date(2026, 9, 1)),
        **fields,
    )
    slot.advisors.set(advisors)
    return slot


@pytest.fixture
def places(department, partner):
    """Places under an agreement in force (contact-rich, France Services, no address), one in
    no convention (Baillestavy's case) and an inactive one."""
    full = PlaceFactory(
        name="Espace numérique de Prades",
        partner=OrganisationFactory(name="Ville de Prades", siret="21660149000015"),
        commune=CommuneFactory(name="Prades", postal_code="66500", insee_code="66149"),
        address="Place de la République",
        phone="04 68 05 41 02",
        email="numerique@exemple.fr",
        website="https://prades.exemple.fr/numerique",
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
        description="Accompagnement aux démarches en ligne. " * 12,  # > 280 characters
        latitude=Decimal("42.61800"),
        longitude=Decimal("2.42200"),
    )
    france_services = PlaceFactory(
        name="France Services de Vinça",
        kind=PlaceKind.FRANCE_SERVICES,
        partner=partner,
        commune=CommuneFactory(name="Vinça", postal_code="66320"),
        phone="+33 4 68 05 00 00",
        room_capacity=None,
    )
    no_address = PlaceFactory(name="Bibliothèque sans adresse", partner=partner, address="")
    outside = PlaceFactory(name="Commune de Baillestavy", kind=PlaceKind.TOWN_HALL, partner=partner)
    inactive = PlaceFactory(name="Ancienne mairie", partner=partner, is_active=False)
    _in_force(department, partner, [full, france_services, no_address, inactive])
    # Mediation is offered at Prades on Tuesday mornings by a CnFS, and every other Thursday
    # afternoon by an ambassador: not during the building's opening hours.
    cnfs = AdvisorFactory(kind=AdvisorKind.CNFS)
    ambassador = AdvisorFactory(kind=AdvisorKind.AMBASSADOR)
    _slot(full, [cnfs], weekday=1, start="09:00", end="12:00")
    _slot(
        full,
        [ambassador],
        weekday=3,
        start="14:00",
        end="17:00",
        recurrence=Recurrence.FORTNIGHTLY,
        anchor_date=date(2026, 11, 19),  # ISO week 47: odd
    )
    # Ended before the export date: not published.
    _slot(full, [cnfs], weekday=4, start="09:00", end="12:00", valid_until=date(2026, 10, 31))
    # An ambassador only at Vinça: no « Conseillers numériques » there.
    _slot(france_services, [ambassador], weekday=2, start="14:00", end="17:00")
    return {
        "full": full,
        "france_services": france_services,
        "no_address": no_address,
        "outside": outside,
        "inactive": inactive,
    }


def test_the_copied_example_is_valid_against_the_copied_schema():
    assert _validate(FIXTURES, "exemple-valide.csv").valid


def test_validation_catches_a_value_outside_the_vocabulary(tmp_path):
    text = (FIXTURES / "exemple-valide.csv").read_text(encoding="utf-8")
    (tmp_path / "bad.csv").write_text(text.replace("Conseillers numériques", "CnFS"), "utf-8")
    report = _validate(tmp_path, "bad.csv")
    assert not report.valid
    assert _errors(report)[0][1] == "dispositif_programmes_nationaux"


def test_export_of_the_demo_places_validates_against_the_schema(tmp_path):
    call_command("demo", "--force", stdout=io.StringIO())
    call_command("export-places", "--format", "lamednum", "-o", str(tmp_path / "lieux.csv"))
    report = _validate(tmp_path, "lieux.csv")
    assert report.valid, _errors(report)
    rows = list(csv.DictReader((tmp_path / "lieux.csv").open(encoding="utf-8")))
    # The eight places of the convention; Baillestavy is in the deliberation only.
    assert len(rows) == report.tasks[0].stats["rows"] == 8
    assert "Commune de Baillestavy" not in {row["nom"] for row in rows}
    prades = next(row for row in rows if row["nom"] == "Médiathèque de Prades")
    assert (prades["latitude"], prades["longitude"]) == ("42.61070", "2.42760")  # centroid
    assert prades["structure_parente"].startswith("Réseau intercommunal des médiathèques")
    assert prades["source"] == "Département des Pyrénées-Orientales"
    assert prades["code_insee"] == "66149"
    assert prades["adresse"] and prades["adresse"] != prades["nom"]
    assert prades["prise_rdv"].endswith("/rendez-vous/mediatheque-prades/")
    for row in rows:
        # Never the building's opening hours: the permanences (or nothing).
        assert "Sa 09:30" not in row["horaires"]
        if row["typologie"] == "MUNI":
            assert row["pivot"].startswith("2166")  # the commune's, not the EPCI's


def test_export_at_a_date_states_that_date(tmp_path):
    """Before the seed's convention was signed nothing was offered; while it was in force, its
    places were."""
    call_command("demo", "--force", stdout=io.StringIO())
    for on, expected in (("2024-01-15", 0), ("2025-05-13", 8)):
        out = io.StringIO()
        call_command("export-places", "--date", on, stdout=out)
        assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == expected, on


def test_export_refuses_an_impossible_date_in_french():
    with pytest.raises(CommandError, match="n'est pas une date AAAA-MM-JJ"):
        call_command("export-places", "--date", "2025-02-30")


def test_export_to_stdout_validates_and_states_what_is_offered(places, tmp_path, settings):
    settings.RELAIS_SITE_URL = "https://relais.exemple.fr"
    PlaceAppointmentSettings.objects.create(
        place=places["france_services"], appointments_enabled=False
    )
    out = io.StringIO()
    call_command("export-places", "--format", "lamednum", stdout=out)
    (tmp_path / "lieux.csv").write_text(out.getvalue(), encoding="utf-8")
    report = _validate(tmp_path, "lieux.csv")
    assert report.valid, _errors(report)

    rows = {row["nom"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert list(next(csv.reader(io.StringIO(out.getvalue())))) == FIELDNAMES
    # No convention (Baillestavy), no street address, inactive: not published.
    assert {"Espace numérique de Prades", "France Services de Vinça"} <= set(rows)
    assert not set(rows) & {
        "Commune de Baillestavy",
        "Bibliothèque sans adresse",
        "Ancienne mairie",
    }
    full = rows["Espace numérique de Prades"]
    assert full["pivot"] == "21660149000015"
    assert full["adresse"] == "Place de la République"
    assert full["code_insee"] == "66149"
    assert full["telephone"] == "+33468054102"
    assert full["courriels"] == "numerique@exemple.fr"
    assert full["site_web"] == "https://prades.exemple.fr/numerique"
    assert full["typologie"] == "BIB"
    assert (full["latitude"], full["longitude"]) == ("42.61800", "2.42200")
    assert len(full["presentation_resume"]) <= 280 and full["presentation_detail"]
    assert full["modalites_acces"] == (
        "Se présenter|Téléphoner|Contacter par mail|Prendre un RDV en ligne"
    )
    assert full["prise_rdv"] == (f"https://relais.exemple.fr/rendez-vous/{places['full'].slug}/")
    assert full["date_maj"] == timezone.localdate(places["full"].updated_at).isoformat()
    # The permanences, not the building's hours; the Friday slot ended in October.
    assert full["horaires"] == "Tu 09:00-12:00, week 01-53/2 Th 14:00-17:00; PH off"
    assert full["dispositif_programmes_nationaux"] == "Conseillers numériques"

    france_services = rows["France Services de Vinça"]
    # Only an ambassador works there: not the CnFS programme.
    assert france_services["dispositif_programmes_nationaux"] == "France Services"
    assert france_services["horaires"] == "We 14:00-17:00; PH off"
    assert france_services["modalites_accompagnement"] == "Accompagnement individuel"
    assert france_services["prise_rdv"] == ""  # online booking closed there
    assert "Prendre un RDV en ligne" not in france_services["modalites_acces"]
    assert france_services["code_insee"] == ""  # unknown: left empty, not guessed


def test_the_pivot_is_the_siret_of_the_organisation_that_runs_the_place(department):
    epci = OrganisationFactory(name="Communauté de communes", siret="20004921100012")
    town_hall = PlaceFactory(name="Mairie de Los Masos", kind=PlaceKind.TOWN_HALL, partner=epci)
    own = PlaceFactory(
        name="Mairie de Catllar", kind=PlaceKind.TOWN_HALL, partner=epci, siret="21660049500012"
    )
    library = PlaceFactory(name="Médiathèque intercommunale", partner=epci)
    _in_force(department, epci, [town_hall, own, library])
    rows = {row["nom"]: row for row in opendata_rows()}
    assert rows["Mairie de Catllar"]["pivot"] == "21660049500012"
    assert rows["Médiathèque intercommunale"]["pivot"] == "20004921100012"
    # Never the EPCI's SIRET for a commune's town hall: unknown, said as such.
    assert rows["Mairie de Los Masos"]["pivot"] == "00000000000000"
    town_hall.refresh_from_db()
    assert "siret" in town_hall.publication_problems()


def test_export_refuses_an_unknown_format():
    with pytest.raises(CommandError, match="lamednum"):
        call_command("export-places", "--format", "geojson")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04 68 05 41 02", "+33468054102"),
        ("04.68.05.41.02", "+33468054102"),
        ("+33 4 68 05 41 02", "+33468054102"),
        ("0033468054102", "+33468054102"),
        ("0262 20 00 00", "+33262200000"),
        ("3939", ""),
        ("", ""),
    ],
)
def test_phone_numbers_are_published_in_international_format(raw, expected):
    assert international_phone(raw) == expected


def test_json_endpoint_is_public_and_lists_only_places_offering_mediation(client, places):
    response = client.get(reverse("public:opendata_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["schema"] == "lieux-mediation-numerique 1.0.2"
    names = {lieu["nom"] for lieu in payload["lieux"]}
    assert {"Espace numérique de Prades", "France Services de Vinça"} <= names
    assert not names & {"Commune de Baillestavy", "Bibliothèque sans adresse", "Ancienne mairie"}
    for lieu in payload["lieux"]:
        assert list(lieu) == FIELDNAMES
        assert isinstance(lieu["latitude"], float) and isinstance(lieu["longitude"], float)
    assert reverse("public:opendata_json") == "/lieux/open-data.json"


def test_csv_endpoint_is_public_and_valid(client, places, tmp_path):
    response = client.get(reverse("public:opendata_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert reverse("public:opendata_csv") == "/lieux/open-data.csv"
    (tmp_path / "lieux.csv").write_bytes(response.content)
    report = _validate(tmp_path, "lieux.csv")
    assert report.valid, _errors(report)
    assert report.tasks[0].stats["rows"] == len(opendata_rows())


# --- The published hours against the planning's own rule (an independent oracle) ------------

SLOTS = st.builds(
    dict,
    weekday=st.integers(0, 6),
    start=st.integers(8 * 2, 17 * 2),  # half-hours
    length=st.integers(2, 6),
    recurrence=st.sampled_from(list(Recurrence)),
    month_week=st.sampled_from([1, 2, 3, 4, -1]),
    anchor=st.dates(date(2025, 1, 6), date(2025, 12, 21)),
)


def _unsaved_slot(spec) -> Slot:
    def at(half_hours: int) -> time:
        return time(half_hours // 2, 30 * (half_hours % 2))

    return Slot(
        weekday=spec["weekday"],
        start_time=at(spec["start"]),
        end_time=at(spec["start"] + spec["length"]),
        recurrence=spec["recurrence"],
        month_week=spec["month_week"] if spec["recurrence"] == Recurrence.MONTHLY else None,
        anchor_date=spec["anchor"],
        valid_from=date(2025, 1, 1),
    )


@settings(max_examples=40, deadline=None)
@given(specs=st.lists(SLOTS, min_size=1, max_size=4))
def test_published_hours_open_exactly_when_a_permanence_is_held(specs):
    """On every day of 2025 (one ISO year: the fortnight's parity holds), the OSM expression,
    evaluated by the opening_hours library, is open in the middle of each permanence the
    planning's ``Slot.falls_on`` gives that day (public holidays excepted) and closed in the
    middle of the others and outside the day's permanences."""
    slots = [_unsaved_slot(spec) for spec in specs]
    expression = permanence_hours(slots)
    hours = OpeningHours(expression, country="FR")
    holidays = public_holidays(date(2025, 1, 6), date(2025, 12, 21))
    day = date(2025, 1, 6)
    while day <= date(2025, 12, 21):
        held = [s for s in slots if s.falls_on(day) and day not in holidays]
        spans = [(s.start_time, s.end_time) for s in held]
        for slot in slots:
            middle = (
                datetime.combine(day, slot.start_time)
                + (datetime.combine(day, slot.end_time) - datetime.combine(day, slot.start_time))
                / 2
            )
            expected = any(a <= middle.time() < b for a, b in spans)
            assert hours.is_open(middle) == expected, (expression, day, slot.schedule_display)
        for quiet in (time(6, 0), time(21, 0)):
            assert hours.is_closed(datetime.combine(day, quiet)), (expression, day)
        day += timedelta(days=1)
