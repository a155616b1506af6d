"""Open data: the national « Lieux de médiation numérique » standard v1.0.2 (CSV and JSON).

The schema and its valid example are copied in ``fixtures/`` from the standard's repository
(https://github.com/LaMednum/standard-mediation-num, tag v1.0.2).
"""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from frictionless import Schema, validate

from relais.places.enums import PlaceKind
from relais.places.models import Place
from relais.places.opendata import FIELDNAMES, international_phone

from ..factories import CommuneFactory, OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8"))


def _validate(directory: Path, name: str):
    # frictionless 5 refuses absolute paths ("not safe"): give it a base path and a file name.
    return validate(name, schema=Schema.from_descriptor(SCHEMA), basepath=str(directory))


def _errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.fixture
def places(partner):
    """The nine demo-like places plus contact-rich, France Services and inactive ones."""
    full = PlaceFactory(
        name="Espace numérique de Prades",
        partner=OrganisationFactory(name="Ville de Prades", siret="21660149400013"),
        commune=CommuneFactory(name="Prades", postal_code="66500"),
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
    bare = PlaceFactory(
        name="Bibliothèque sans adresse",
        kind=PlaceKind.OTHER,
        partner=partner,
        phone="pas de numéro",
    )
    inactive = PlaceFactory(name="Ancienne mairie", partner=partner, is_active=False)
    return {"full": full, "france_services": france_services, "bare": bare, "inactive": inactive}


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
    assert report.tasks[0].stats["rows"] == 9
    rows = list(csv.DictReader((tmp_path / "lieux.csv").open(encoding="utf-8")))
    prades = next(row for row in rows if row["nom"] == "Médiathèque de Prades")
    assert prades["horaires"] == Place.objects.get(slug="mediatheque-prades").opening_hours
    assert (prades["latitude"], prades["longitude"]) == ("42.61070", "2.42760")  # centroid
    assert prades["structure_parente"].startswith("Réseau intercommunal des médiathèques")
    assert prades["source"] == "Département des Pyrénées-Orientales"


def test_export_to_stdout_validates_and_lists_only_active_places(places, tmp_path):
    out = io.StringIO()
    call_command("export-places", "--format", "lamednum", stdout=out)
    (tmp_path / "lieux.csv").write_text(out.getvalue(), encoding="utf-8")
    report = _validate(tmp_path, "lieux.csv")
    assert report.valid, _errors(report)

    rows = {row["nom"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert list(next(csv.reader(io.StringIO(out.getvalue())))) == FIELDNAMES
    assert set(rows) == {
        "Espace numérique de Prades",
        "France Services de Vinça",
        "Bibliothèque sans adresse",
    }
    full = rows["Espace numérique de Prades"]
    assert full["pivot"] == "21660149400013"
    assert full["telephone"] == "+33468054102"
    assert full["courriels"] == "numerique@exemple.fr"
    assert full["site_web"] == "https://prades.exemple.fr/numerique"
    assert full["typologie"] == "BIB"
    assert (full["latitude"], full["longitude"]) == ("42.61800", "2.42200")
    assert len(full["presentation_resume"]) <= 280 and full["presentation_detail"]
    assert full["modalites_acces"] == "Se présenter|Téléphoner|Contacter par mail"
    assert full["date_maj"] == timezone.localdate(places["full"].updated_at).isoformat()

    france_services = rows["France Services de Vinça"]
    assert france_services["dispositif_programmes_nationaux"] == (
        "Conseillers numériques|France Services"
    )
    assert france_services["modalites_accompagnement"] == "Accompagnement individuel"

    bare = rows["Bibliothèque sans adresse"]
    assert bare["pivot"] == "00000000000000"  # the partner has no SIRET
    assert bare["adresse"] == "Bibliothèque sans adresse"
    assert bare["telephone"] == ""  # unreadable numbers are left out, not published wrong
    for row in rows.values():
        assert "Conseillers numériques" in row["dispositif_programmes_nationaux"].split("|")
        assert "Aide aux démarches administratives" in row["services"].split("|")


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


def test_json_endpoint_is_public_and_lists_only_active_places(client, places):
    response = client.get(reverse("places:opendata_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["schema"] == "lieux-mediation-numerique 1.0.2"
    names = {lieu["nom"] for lieu in payload["lieux"]}
    assert names == {
        "Espace numérique de Prades",
        "France Services de Vinça",
        "Bibliothèque sans adresse",
    }
    for lieu in payload["lieux"]:
        assert list(lieu) == FIELDNAMES
        assert "Conseillers numériques" in lieu["dispositif_programmes_nationaux"].split("|")
        assert isinstance(lieu["latitude"], float) and isinstance(lieu["longitude"], float)
    assert reverse("places:opendata_json") == "/lieux/open-data.json"


def test_csv_endpoint_is_public_and_valid(client, places, tmp_path):
    response = client.get(reverse("places:opendata_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert reverse("places:opendata_csv") == "/lieux/open-data.csv"
    (tmp_path / "lieux.csv").write_bytes(response.content)
    report = _validate(tmp_path, "lieux.csv")
    assert report.valid, _errors(report)
    assert report.tasks[0].stats["rows"] == 3
