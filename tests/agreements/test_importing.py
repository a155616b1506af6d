"""Import from the documents (issue 3, items 5 and 6): parser, matching, consistency check,
writing service, ``relais import-agreement`` and the upload form with its preview."""

import csv
import io
import json
import re
import zipfile
from datetime import date
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from relais.agreements.enums import (
    Attendance,
    CommitmentFrequency,
    CommitmentUnit,
    Modality,
    PartyRole,
)
from relais.agreements.importing import (
    MatchStatus,
    agreement_discrepancies,
    agreement_import,
    analyse_document,
    analyse_text,
    compare_tables,
    parse_document,
    parse_text,
)
from relais.agreements.importing.patterns import POSTAL_ADDRESS
from relais.agreements.importing.rows import analyse_label, parse_duration
from relais.agreements.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Deliberation,
    DeliberationMember,
    DeliberationScheduleRow,
    Signatory,
)
from relais.agreements.services import agreement_send_for_signature
from relais.core.demo import PARTNER as DEMO_PARTNER
from relais.core.enums import OrganisationKind
from relais.core.models import Commune, Organisation
from relais.places.demo import PLACES
from relais.places.enums import PlaceKind
from relais.places.models import Place

from ..factories import OrganisationFactory, PlaceFactory
from ..helpers import count_tags, page_text

# The seed document ships with the package: the demo imports it too.
SEED_PATH = resources.files("relais.agreements").joinpath("data/seed-conflent-canigo-2024.txt")
FIXTURES = Path(__file__).parent / "fixtures"
SEED = SEED_PATH.read_text(encoding="utf-8")
H, D = CommitmentUnit.HALF_DAY, CommitmentUnit.DAY
# The convention's Art. 1.2 table: commune, count, unit (all weekly, on site).
CONVENTION_TABLE = [
    ("Prades", 2, D),
    ("Vinça", 1, H),
    ("Marquixanes", 1, H),
    ("Catllar", 1, D),
    ("Sahorre", 1, H),
    ("Ria-Sirach", 1, H),
    ("Los Masos", 2, H),
    ("Villefranche-de-Conflent", 1, H),
]
BAILLESTAVY = (
    "Commune de Baillestavy (1 demi-journée par semaine) figure dans la délibération mais pas "
    "dans la convention."
)
TITLE = (
    "Convention d'objectifs et de partenariat au titre de la politique départementale "
    "d'inclusion numérique et du dispositif « Conseiller et ambassadeur du numérique » "
    "2023 – 2026 (Vague 2)"
)
HEADER = "Lieux\tDurée\tFréquences\tModalités\n"


@pytest.fixture
def seed_places(communes, partner):
    """The demo's nine places (the convention's eight and Baillestavy), run by ``partner``."""
    return {
        slug: PlaceFactory(
            slug=slug,
            name=name,
            kind=kind,
            partner=partner,
            commune=Commune.objects.get(department_code="66", name=commune),
        )
        for slug, name, kind, commune, _ in PLACES
    }


def _counts() -> dict:
    models = (
        Organisation,
        Place,
        Deliberation,
        DeliberationMember,
        DeliberationScheduleRow,
        Agreement,
        AgreementParty,
        Signatory,
        Commitment,
    )
    return {m.__name__: m.objects.count() for m in models}


# --- The parser on the seed (pure: no database) --------------------------------------------------


def test_seed_gives_the_eight_places_of_the_convention_with_their_commitments():
    result = parse_text(SEED)
    assert result.errors == []
    rows = result.convention_rows
    assert [r.label for r in rows] == [
        "MEDIATHEQUE DE PRADES",
        "MEDIATHEQUE DE VINCA",
        "MEDIATHEQUE DE MARQUIXANES",
        "BIBLIOTHEQUE DE CATLLAR",
        "BIBLIOTHEQUE DE SAHORRE",
        "BIBLIOTHEQUE DE RIA-SIRACH",
        "COMMUNE DE LOS MASOS",
        "COMMUNE DE VILLEFRANCHE DE CONFLENT",
    ]
    assert [(r.count, r.unit) for r in rows] == [(c, u) for _, c, u in CONVENTION_TABLE]
    assert {r.frequency for r in rows} == {CommitmentFrequency.WEEKLY}
    assert {r.modality for r in rows} == {Modality.ON_SITE}
    assert [r.kind for r in rows] == [PlaceKind.MEDIA_LIBRARY] * 3 + [PlaceKind.LIBRARY] * 3 + [
        PlaceKind.TOWN_HALL
    ] * 2
    assert (
        rows[0].line_number
        == SEED.split("\n").index("MEDIATHEQUE DE PRADES\t2 journées\tPar semaine\tPrésentiel") + 1
    )


def test_seed_gives_the_nine_places_of_the_deliberation():
    rows = parse_text(SEED).deliberation_rows
    assert [(r.label, r.count, r.unit) for r in rows] == [
        ("Médiathèque de Prades", 2, D),
        ("Médiathèque de Vinça", 1, H),
        ("Médiathèque de Marquixanes", 1, H),
        ("Commune de Baillestavy", 1, H),
        ("Bibliothèque de Sahorre", 1, H),
        ("Bibliothèque de Ria Sirach", 1, H),
        ("Bibliothèque de Catllar", 1, D),
        ("Villefranche de conflent", 1, H),
        ("Los Masos", 2, H),  # written "2demi-journées"
    ]
    assert {(r.frequency, r.modality) for r in rows} == {
        (CommitmentFrequency.WEEKLY, Modality.ON_SITE)
    }


def test_seed_deliberation_figures_dates_and_officers():
    d = parse_text(SEED).deliberation
    assert (d.members_in_office, d.present_count, d.voters) == (71, 51, 55)
    assert (d.votes_for, d.votes_against, d.abstentions) == (55, 0, 0)
    assert d.convocation_date == date(2024, 2, 8)
    assert d.session_date == date(2024, 2, 15)
    assert d.order_number == "37-24"
    assert d.actes_classification == "8.4 Aménagement du Territoire"
    assert d.subject == "Convention avec le Conseil Départemental - Ambassadeurs numériques"
    assert d.president == "Jean-Louis JALLAT"
    assert d.secretary == "Lucette ORTIZ CASTILLO"
    assert d.council == "Conseil communautaire"
    assert d.certified_on == date(2024, 2, 26)
    assert d.certified_by == "Jean-Louis JALLAT"
    assert d.decision_text.startswith("RAPPELLE que par délibérations du 24 février 2022")


def test_seed_members_present_proxies_and_excused():
    result = parse_text(SEED)
    d = result.deliberation
    assert len(d.present) == 51
    assert d.present[0] == "Fernand CABEZA" and d.present[-1] == "René DRAGUE"
    assert "Lucette ORTIZ CASTILLO" in d.present and "Corinne DE MOZAS" in d.present
    assert [(m.name, m.proxy_holder) for m in d.proxies] == [
        ("Michel LLANAS", "Jean-Louis JALLAT"),
        ("Anne LAUBIES", "Guy CASSOLY"),
        ("Agnès ANCEAU-MORER", "Elisabeth PREVOT"),
        ("Laurent CHARCOS", "Nathalie CORNET"),
    ]
    assert len(d.excused) == 16
    assert d.excused[0] == "Sébastien NENS" and d.excused[-1] == "Robert JASSEREAU"
    # The header's figures agree with the lists: no warning about them.
    assert not [w for w in result.warnings if w.startswith("Délibération")]


def test_seed_convention_parties_and_clauses():
    a = parse_text(SEED).agreement
    assert a.title == TITLE
    dep, partner = a.department, a.partner
    assert dep.name == "Département des Pyrénées-Orientales"
    assert (dep.representative_name, dep.representative_title) == (
        "Hermeline MALHERBE",
        "Présidente",
    )
    assert dep.address == "Hôtel du Département, 24 quai Sadi Carnot, 66906 Perpignan"
    assert (dep.postal_code, dep.city) == ("66906", "Perpignan")
    assert (dep.deliberation_body, dep.deliberation_number) == ("Conseil Départemental", "15")
    assert dep.deliberation_date == date(2023, 5, 11)
    assert partner.name.startswith("Réseau Intercommunal des Médiathèques de la Communauté")
    assert partner.representative_name == "Jean Louis JALLAT"
    assert partner.address == "Château Pams – Route de Ria, 66500 Prades"
    assert (partner.deliberation_number, partner.deliberation_date) == ("", None)
    assert a.hard_end_date == date(2026, 6, 22)
    assert (a.duration_months, a.tacit_renewal, a.opposition_notice_months) == (12, True, 2)
    assert a.notice_days == 30
    assert a.communication_mention.startswith("Opération menée par le Département")
    assert a.communication_mention.endswith("politique départementale d'inclusion Numérique")
    assert a.jurisdiction == (
        "Tribunal Administratif de Montpellier (6 rue Pitot – 34063 Montpellier)"
    )
    assert (a.signed_at, a.original_copies) == ("Perpignan", 2)


def test_seed_ten_signatories_including_the_mayors_in_html_paragraphs():
    signatories = parse_text(SEED).agreement.signatories
    assert [(s.name, s.commune_label or s.role) for s in signatories] == [
        ("Hermeline MALHERBE", "department"),
        ("Jean-Louis JALLAT", "partner"),
        ("Yves DELCOR", "PRADES"),
        ("Bruno GUERIN", "VINÇA"),
        ("Jacques VANELLE", "MARQUIXANES"),
        ("Josette PUJOL", "CATLLAR"),
        ("Olivier GRAVAS", "SAHORRE"),
        ("Jean MAURY", "RIA SIRACH"),
        ("Guy CASSOLY", "LOS MASOS"),
        ("Patrick LECROQ", "VILLEFRANCHE DE CONFLENT"),
    ]
    assert signatories[0].title == "La Présidente du Département Des Pyrénées-Orientales"
    assert signatories[1].title == "Le Président de la Communauté de Communes Conflent Canigó"


def test_seed_has_exactly_one_discrepancy_baillestavy():
    assert parse_text(SEED).discrepancies == [BAILLESTAVY]


def test_result_as_json_keeps_accents():
    data = json.loads(parse_text(SEED).to_json())
    assert data["deliberation"]["order_number"] == "37-24"
    assert data["agreement"]["hard_end_date"] == "2026-06-22"
    assert data["convention_rows"][0]["summary"] == "2 journées par semaine"
    assert "Département" in parse_text(SEED).to_json()


# --- Cells, labels and tables ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2demi-journées", (2, H)),
        ("1 demi-journée", (1, H)),
        ("2 journées", (2, D)),
        ("1 journée", (1, D)),
        ("une journée", (1, D)),
        ("2 DEMI-JOURNEES", (2, H)),
        ("1 demi journée", (1, H)),
        ("3 semaines", None),
        ("demi-journée", None),
    ],
)
def test_duration_cells(raw, expected):
    assert parse_duration(raw) == expected


@pytest.mark.parametrize(
    ("frequency", "modality", "expected"),
    [
        ("Par semaine", "Présentiel", (CommitmentFrequency.WEEKLY, Modality.ON_SITE)),
        ("PAR QUINZAINE", "distanciel", (CommitmentFrequency.FORTNIGHTLY, Modality.REMOTE)),
        ("tous les 15 jours", "à distance", (CommitmentFrequency.FORTNIGHTLY, Modality.REMOTE)),
        ("Par mois", "PRESENTIEL", (CommitmentFrequency.MONTHLY, Modality.ON_SITE)),
    ],
)
def test_frequency_and_modality_cells(frequency, modality, expected):
    text = HEADER + f"Médiathèque de Prades\t1 journée\t{frequency}\t{modality}\n"
    (row,) = parse_text(text).convention_rows
    assert (row.frequency, row.modality) == expected


@pytest.mark.parametrize(
    ("label", "kind", "keys"),
    [
        ("MEDIATHEQUE DE PRADES", PlaceKind.MEDIA_LIBRARY, ["prades"]),
        ("Médiathèque de Vinça", PlaceKind.MEDIA_LIBRARY, ["vinca"]),
        ("BIBLIOTHEQUE DE RIA-SIRACH", PlaceKind.LIBRARY, ["ria sirach"]),
        ("Bibliothèque de Ria Sirach", PlaceKind.LIBRARY, ["ria sirach"]),
        ("COMMUNE DE VILLEFRANCHE DE CONFLENT", PlaceKind.TOWN_HALL, ["villefranche de conflent"]),
        ("Villefranche de conflent", "", ["villefranche de conflent"]),
        ("Mairie d'Ille-sur-Têt", PlaceKind.TOWN_HALL, ["ille sur tet"]),
        ("Mairie du Boulou", PlaceKind.TOWN_HALL, ["le boulou", "boulou"]),
        (
            "Médiathèque de St-Paul-de-Fenouillet",
            PlaceKind.MEDIA_LIBRARY,
            ["saint paul de fenouillet"],
        ),
    ],
)
def test_labels_lose_their_kind_and_keep_it(label, kind, keys):
    assert analyse_label(label)[0] == kind
    assert analyse_label(label)[3] == keys


def test_space_aligned_table_with_blank_lines_and_capital_headers():
    text = (
        "LIEU      DURÉE            FRÉQUENCE      MODALITÉS\n"
        "MEDIATHEQUE DE PRADES     2 journées      Par semaine    Présentiel\n"
        "\n"
        "Los Masos 2demi-journées Par semaine Présentiel\n"
        "| Commune de Catllar | 1 journée | par mois | distanciel |\n"
        "Ceci est la phrase qui suit le tableau.\n"
        "Médiathèque de Vinça\t1 journée\tPar semaine\tPrésentiel\n"
    )
    result = parse_text(text)
    assert result.errors == []
    assert [
        (r.label, r.count, r.unit, r.frequency, r.modality) for r in result.convention_rows
    ] == [
        ("MEDIATHEQUE DE PRADES", 2, D, "weekly", "on_site"),
        ("Los Masos", 2, H, "weekly", "on_site"),
        ("Commune de Catllar", 1, D, "monthly", "remote"),
    ]


def test_an_unreadable_row_is_reported_with_its_line_number():
    text = HEADER + "\nMédiathèque de Prades\t3 semaines\tPar semaine\tPrésentiel\n"
    result = parse_text(text)
    assert result.errors == ["Ligne 3 : durée « 3 semaines » illisible."]
    text = HEADER + "Médiathèque de Prades\t1 journée\tchaque année\tailleurs\n"
    (error,) = parse_text(text).errors
    assert error.startswith("Ligne 2 : fréquence « chaque année » illisible")
    assert "modalité « ailleurs » illisible" in error


def test_compare_tables_reports_different_quantity_frequency_and_modality():
    deliberation = parse_text(
        HEADER
        + "Médiathèque de Prades\t2 journées\tPar semaine\tPrésentiel\n"
        + "Bibliothèque de Catllar\t1 journée\tPar semaine\tPrésentiel\n"
        + "Los Masos\t2 demi-journées\tPar semaine\tPrésentiel\n"
    ).convention_rows
    convention = parse_text(
        HEADER
        + "MEDIATHEQUE DE PRADES\t1 journée\tPar semaine\tPrésentiel\n"
        + "BIBLIOTHEQUE DE CATLLAR\t1 journée\tPar quinzaine\tDistanciel\n"
        + "COMMUNE DE LOS MASOS\t2 demi-journées\tPar semaine\tPrésentiel\n"
        + "COMMUNE DE SAHORRE\t1 demi-journée\tPar semaine\tPrésentiel\n"
    ).convention_rows
    assert compare_tables(deliberation, convention) == [
        "MEDIATHEQUE DE PRADES : 2 journées par semaine (présentiel) dans la délibération, "
        "1 journée par semaine (présentiel) dans la convention.",
        "BIBLIOTHEQUE DE CATLLAR : 1 journée par semaine (présentiel) dans la délibération, "
        "1 journée par quinzaine, à distance (distanciel) dans la convention.",
        "COMMUNE DE SAHORRE (1 demi-journée par semaine) figure dans la convention mais pas "
        "dans la délibération.",
    ]


# A made-up convention of the same model: other figures, dates, partner and wording.
ANOTHER_CONVENTION = (FIXTURES / "another_convention.txt").read_text(encoding="utf-8")


def test_another_convention_of_the_same_model():
    result = parse_text(ANOTHER_CONVENTION)
    d, a = result.deliberation, result.agreement
    assert (d.members_in_office, d.present_count, d.voters, d.votes_against) == (27, 20, 22, 1)
    assert (d.session_date, d.convocation_date) == (date(2024, 3, 1), date(2024, 2, 23))
    assert (d.order_number, d.president, d.council) == (
        "2024-12",
        "Claire EXEMPLE",
        "Conseil municipal",
    )
    assert a.partner.name == "Commune d'Ille-sur-Têt"
    assert (a.partner.deliberation_number, a.partner.deliberation_date) == (
        "2024-12",
        date(2024, 3, 1),
    )
    assert (a.department.deliberation_number, a.department.deliberation_date) == (
        "22",
        date(2024, 3, 4),
    )
    assert (a.duration_months, a.tacit_renewal, a.hard_end_date) == (24, False, date(2027, 12, 31))
    (row,) = result.convention_rows
    assert (row.frequency, row.modality, row.commune_keys) == (
        CommitmentFrequency.FORTNIGHTLY,
        Modality.REMOTE,
        ["ille sur tet"],
    )


def test_text_without_anything_recognisable_is_an_error():
    assert parse_text("Bonjour,\nvoici le document.\n").errors == [
        "Aucune délibération, aucune convention ni aucun tableau de lieux reconnu dans le texte."
    ]


# --- Tables from files ----------------------------------------------------------------------------

TABLE = [
    ["Lieux d'intervention", "DURÉE", "Fréquences", "Modalités"],
    ["Médiathèque de Prades", "2 journées", "Par semaine", "Présentiel"],
    ["BIBLIOTHEQUE DE RIA-SIRACH", "1 demi-journée", "par quinzaine", "présentiel"],
    ["Los Masos", "2demi-journées", "Par mois", "Distanciel"],
]
EXPECTED_TABLE = [
    ("Médiathèque de Prades", 2, D, "weekly", "on_site"),
    ("BIBLIOTHEQUE DE RIA-SIRACH", 1, H, "fortnightly", "on_site"),
    ("Los Masos", 2, H, "monthly", "remote"),
]


def _rows(result):
    return [(r.label, r.count, r.unit, r.frequency, r.modality) for r in result.convention_rows]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_table(delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(TABLE)
    result = parse_document("lieux.csv", buffer.getvalue().encode("utf-8-sig"))
    assert result.errors == []
    assert _rows(result) == EXPECTED_TABLE


def test_csv_error_names_the_line():
    content = "lieu;durée;fréquence;modalités\nPrades;1 journée;par semaine;présentiel\n"
    content += "Vinça;3 semaines;par semaine;présentiel\n"
    assert parse_document("lieux.csv", content.encode()).errors == [
        "Ligne 3 : durée « 3 semaines » illisible."
    ]
    assert (
        parse_document("lieux.csv", b"nom;cp\nPrades;66500\n")
        .errors[0]
        .startswith("Ligne 1 : en-têtes de colonnes introuvables")
    )


def test_xlsx_table_built_with_openpyxl():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Tableau des lieux (art. 1.2)"])  # a title row before the header
    for row in TABLE:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_document("lieux.xlsx", buffer.getvalue())
    assert result.errors == []
    assert _rows(result) == EXPECTED_TABLE
    assert [r.line_number for r in result.convention_rows] == [3, 4, 5]


def _ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet, zipped by hand (odfpy is not a dependency)."""

    def cell(value):
        return (
            '<table:table-cell office:value-type="string"><text:p>'
            f"{escape(value)}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Lieux">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_ods_table_built_by_hand():
    result = parse_document("lieux.ods", _ods(TABLE))
    assert result.errors == []
    assert _rows(result) == EXPECTED_TABLE


def test_unreadable_or_unsupported_files():
    assert (
        parse_document("lieux.xlsx", b"pas un classeur")
        .errors[0]
        .startswith("Fichier « lieux.xlsx » illisible")
    )
    assert (
        parse_document("lieux.pdf", b"%PDF")
        .errors[0]
        .startswith("Fichier « lieux.pdf » illisible : ce n'est pas un PDF lisible")
    )
    assert parse_document("lieux.doc", b"x").errors == [
        "Format de fichier « .doc » non pris en charge (attendu : .pdf, .txt, .csv, .xlsx ou .ods)."
    ]


# --- Matching names with the database -------------------------------------------------------------


def test_seed_places_match_existing_places(seed_places):
    result = analyse_text(SEED)
    assert result.errors == []
    by_label = {r.label: r for r in result.convention_rows + result.deliberation_rows}
    assert {r.match_status for r in by_label.values()} == {MatchStatus.MATCHED}
    expected = {
        "MEDIATHEQUE DE VINCA": "mediatheque-vinca",
        "BIBLIOTHEQUE DE RIA-SIRACH": "bibliotheque-ria-sirach",
        "Bibliothèque de Ria Sirach": "bibliotheque-ria-sirach",
        "COMMUNE DE VILLEFRANCHE DE CONFLENT": "commune-villefranche-de-conflent",
        "Villefranche de conflent": "commune-villefranche-de-conflent",
        "Los Masos": "commune-los-masos",
        "Commune de Baillestavy": "commune-baillestavy",
    }
    for label, slug in expected.items():
        assert by_label[label].place_id == seed_places[slug].pk, label
    assert result.discrepancies == [BAILLESTAVY]


def test_seed_places_to_create_when_the_communes_are_known(communes):
    result = analyse_text(SEED)
    assert result.errors == []
    assert {r.match_status for r in result.convention_rows} == {MatchStatus.TO_CREATE}
    assert [r.place_to_create for r in result.convention_rows] == [
        "Médiathèque de Prades",
        "Médiathèque de Vinça",
        "Médiathèque de Marquixanes",
        "Bibliothèque de Catllar",
        "Bibliothèque de Sahorre",
        "Bibliothèque de Ria-Sirach",
        "Commune de Los Masos",
        "Commune de Villefranche-de-Conflent",
    ]
    assert result.discrepancies == [BAILLESTAVY]
    # Baillestavy is only in the deliberation: the import creates no place for it.
    baillestavy = result.deliberation_rows[3]
    assert baillestavy.match_status == MatchStatus.NOT_CREATED
    assert baillestavy.place_to_create == ""


def test_unknown_place_is_reported_with_suggestions_not_guessed(communes):
    result = analyse_text(
        HEADER
        + "Médiathèque de Perpète-les-Oies\t1 journée\tPar semaine\tPrésentiel\n"
        + "Commune de Villefranche\t1 journée\tPar semaine\tPrésentiel\n"
    )
    assert result.errors == [
        "Ligne 2 : lieu « Médiathèque de Perpète-les-Oies » : commune « Perpète-les-Oies » "
        "inconnue dans le département.",
        "Ligne 3 : lieu « Commune de Villefranche » : commune « Villefranche » inconnue dans le "
        "département (vouliez-vous dire : Villefranche-de-Conflent ?).",
    ]
    assert {r.place_id for r in result.convention_rows} == {None}


def test_ambiguous_place_is_reported_not_guessed(communes, partner):
    prades = Commune.objects.get(department_code="66", name="Prades")
    PlaceFactory(name="Médiathèque de Prades", kind=PlaceKind.MEDIA_LIBRARY, commune=prades)
    PlaceFactory(name="Mairie de Prades", kind=PlaceKind.TOWN_HALL, commune=prades)
    result = analyse_text(
        HEADER
        + "Prades\t1 journée\tPar semaine\tPrésentiel\n"
        + "MEDIATHEQUE DE PRADES\t1 journée\tPar semaine\tPrésentiel\n"
        + "Mairie de Prades\t1 journée\tPar semaine\tPrésentiel\n"
    )
    assert result.errors == [
        "Ligne 2 : lieu « Prades » ambigu, plusieurs correspondances : Mairie de Prades, "
        "Médiathèque de Prades."
    ]
    ambiguous, media, town_hall = result.convention_rows
    assert ambiguous.match_status == MatchStatus.AMBIGUOUS and ambiguous.place_id is None
    assert media.match_status == town_hall.match_status == MatchStatus.MATCHED


# --- Writing ------------------------------------------------------------------------------------


def test_import_creates_everything_from_the_seed(communes, department):
    agreement = agreement_import(result=analyse_text(SEED), department=department)

    partner = agreement.partner
    assert partner.kind == OrganisationKind.EPCI
    assert partner.name == (
        "Réseau Intercommunal des Médiathèques de la Communauté de Communes Conflent Canigou"
    )
    assert (partner.representative_name, partner.city) == ("Jean Louis JALLAT", "Prades")
    assert partner.commune.name == "Prades"

    assert agreement.title == TITLE
    assert agreement.department == department
    assert agreement.hard_end_date == date(2026, 6, 22)
    assert (agreement.duration_months, agreement.tacit_renewal) == (12, True)
    assert (agreement.opposition_notice_months, agreement.notice_days) == (2, 30)
    assert agreement.communication_mention.startswith("Opération menée par le Département")
    assert agreement.jurisdiction.startswith("Tribunal Administratif de Montpellier")
    assert agreement.signed_at == "Perpignan"

    dep_party = agreement.parties.get(role=PartyRole.DEPARTMENT)
    assert (dep_party.deliberation_body, dep_party.deliberation_number) == (
        "Conseil Départemental",
        "15",
    )
    assert dep_party.deliberation_date == date(2023, 5, 11)
    assert dep_party.representative_name == "Hermeline MALHERBE"
    partner_party = agreement.parties.get(role=PartyRole.PARTNER)
    assert (partner_party.deliberation_number, partner_party.deliberation_date) == ("", None)
    assert partner_party.blanks == [
        "numéro de la délibération qui autorise la signature",
        "date de la délibération qui autorise la signature",
    ]

    deliberation = partner_party.deliberation
    assert (deliberation.order_number, deliberation.organisation) == ("37-24", partner)
    assert deliberation.session_date == date(2024, 2, 15)
    assert (deliberation.members_in_office, deliberation.present_count) == (71, 51)
    assert (deliberation.voters, deliberation.votes_for) == (55, 55)
    attendance = [m.attendance for m in deliberation.members.all()]
    assert [
        attendance.count(a) for a in (Attendance.PRESENT, Attendance.PROXY, Attendance.EXCUSED)
    ] == [51, 4, 16]
    assert deliberation.members.get(name="Anne LAUBIES").proxy_holder == "Guy CASSOLY"
    schedule = list(deliberation.schedule_rows.all())
    assert len(schedule) == 9
    baillestavy = next(r for r in schedule if "Baillestavy" in r.label)
    assert baillestavy.place is None  # only in the deliberation: no place is created for it
    assert next(r for r in schedule if r.label == "Los Masos").place.name == "Commune de Los Masos"

    signatories = list(agreement.signatories.all())
    assert len(signatories) == 10
    assert {s.signed_on for s in signatories} == {None}
    assert signatories[0].organisation == department
    assert signatories[1].organisation == partner
    assert signatories[2].title == "Le Maire de la Commune de Prades"
    assert signatories[3].commune.name == "Vinça"

    commitments = list(agreement.commitments.select_related("place__commune"))
    assert [(c.place.commune.name, c.count, c.unit) for c in commitments] == CONVENTION_TABLE
    assert {(c.frequency, c.modality) for c in commitments} == {("weekly", "on_site")}
    places = [c.place for c in commitments]
    assert {p.partner for p in places} == {partner}
    assert [p.kind for p in places[:4]] == [PlaceKind.MEDIA_LIBRARY] * 3 + [PlaceKind.LIBRARY]
    assert places[6].name == "Commune de Los Masos" and places[6].kind == PlaceKind.TOWN_HALL

    assert agreement_discrepancies(agreement) == [BAILLESTAVY]


def test_import_is_idempotent(communes, department):
    agreement_import(result=analyse_text(SEED), department=department)
    first = _counts()
    agreement = agreement_import(result=analyse_text(SEED), department=department)
    assert _counts() == first
    assert first["Agreement"] == 1 and first["Commitment"] == 8 and first["Signatory"] == 10
    assert first["DeliberationMember"] == 71 and first["DeliberationScheduleRow"] == 9
    assert agreement.commitments.count() == 8
    # Pasted again from another source, with typographic apostrophes: still the same agreement.
    agreement_import(result=analyse_text(SEED.replace("'", "’")), department=department)
    assert _counts() == first


def test_reimport_of_an_agreement_sent_for_signature(communes, department):
    agreement = agreement_import(result=analyse_text(SEED), department=department)
    agreement_send_for_signature(agreement=agreement, on=date(2024, 3, 1))
    before = _counts()
    assert agreement_import(result=analyse_text(SEED), department=department) == agreement
    assert _counts() == before
    changed = SEED.replace("MEDIATHEQUE DE PRADES\t2 journées", "MEDIATHEQUE DE PRADES\t1 journée")
    with pytest.raises(ValidationError, match="avenant"):
        agreement_import(result=analyse_text(changed), department=department)
    assert _counts() == before


def test_import_uses_existing_places_and_the_demo_partner(seed_places, department):
    demo_partner = OrganisationFactory(name=DEMO_PARTNER["name"], kind=OrganisationKind.EPCI)
    before = _counts()
    result = analyse_text(SEED)
    assert result.agreement.partner.organisation_id == demo_partner.pk  # "Canigou" ≈ "Canigó"
    assert any("rapproché" in w for w in result.warnings)
    agreement = agreement_import(result=result, department=department)
    assert agreement.partner == demo_partner
    assert Place.objects.count() == before["Place"]
    assert Organisation.objects.count() == before["Organisation"]
    deliberation = agreement.parties.get(role=PartyRole.PARTNER).deliberation
    baillestavy = deliberation.schedule_rows.get(label="Commune de Baillestavy")
    assert baillestavy.place == seed_places["commune-baillestavy"]
    assert agreement_discrepancies(agreement) == [BAILLESTAVY]


def test_import_refuses_a_document_with_errors_and_writes_nothing(communes, department):
    before = _counts()
    text = SEED.replace(
        "BIBLIOTHEQUE DE CATLLAR\t1 journée", "BIBLIOTHEQUE DE CATLLAR\t1 journée et demie"
    )
    result = analyse_text(text)
    assert len(result.errors) == 1 and "durée « 1 journée et demie » illisible" in result.errors[0]
    with pytest.raises(ValidationError) as error:
        agreement_import(result=result, department=department)
    assert error.value.messages[0] == "1 erreur(s) : rien n'a été importé."
    assert _counts() == before


def test_a_table_alone_fills_a_draft_agreement(communes, department, partner):
    draft = Agreement.objects.create(department=department, partner=partner, title="Brouillon")
    result = analyse_document("lieux.ods", _ods(TABLE))
    with pytest.raises(ValidationError):
        agreement_import(result=result, department=department)
    agreement = agreement_import(result=result, department=department, agreement=draft)
    assert agreement == draft
    assert [(c.place.name, c.count) for c in draft.commitments.all()] == [
        ("Médiathèque de Prades", 2),
        ("Bibliothèque de Ria-Sirach", 1),
        ("Commune de Los Masos", 2),
    ]
    assert {c.place.partner for c in draft.commitments.all()} == {partner}


def test_agreement_discrepancies_without_deliberation(communes, department):
    convention_only = SEED[SEED.index("**CONVENTION") :]
    agreement = agreement_import(result=analyse_text(convention_only), department=department)
    assert agreement.parties.get(role=PartyRole.PARTNER).deliberation is None
    assert agreement_discrepancies(agreement) == []


# --- The command ----------------------------------------------------------------------------------


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(SEED, encoding="utf-8")
    return path


def test_command_json_prints_what_was_found(communes, department, seed_file, capsys):
    call_command("import-agreement", str(seed_file), "--json", "--dry-run")
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["deliberation"]["members_in_office"] == 71
    assert data["deliberation"]["votes_for"] == 55
    assert data["agreement"]["partner"]["representative_name"] == "Jean Louis JALLAT"
    assert len(data["agreement"]["signatories"]) == 10
    assert data["convention_rows"][0]["label"] == "MEDIATHEQUE DE PRADES"
    assert len(data["deliberation_rows"]) == 9
    assert data["discrepancies"] == [BAILLESTAVY]
    assert "Département des Pyrénées-Orientales" in out  # ensure_ascii=False
    assert "Simulation" in err
    assert Agreement.objects.count() == 0


def test_command_dry_run_imports_nothing(communes, department, seed_file, capsys):
    before = _counts()
    call_command("import-agreement", str(seed_file), "--dry-run")
    assert "rien n'a été enregistré" in capsys.readouterr().out
    assert _counts() == before


def test_command_imports(communes, department, seed_file, capsys):
    call_command("import-agreement", str(seed_file))
    assert "Convention importée" in capsys.readouterr().out
    assert Commitment.objects.count() == 8


def test_command_with_errors_prints_them_and_imports_nothing(
    communes, department, tmp_path, capsys
):
    path = tmp_path / "lieux.csv"
    path.write_text(
        "lieu;durée;fréquence;modalités\nPrades;1 journée;par semaine;présentiel\n"
        "Vinça;3 semaines;par semaine;présentiel\n",
        encoding="utf-8",
    )
    before = _counts()
    with pytest.raises(CommandError, match=r"1 erreur\(s\) : rien n'a été importé\."):
        call_command("import-agreement", str(path))
    assert "Ligne 3 : durée « 3 semaines » illisible." in capsys.readouterr().err
    assert _counts() == before


def test_command_needs_a_department(communes, seed_file):
    with pytest.raises(CommandError, match="Aucun Département"):
        call_command("import-agreement", str(seed_file))


# --- The form, its preview and the confirmation -------------------------------------------------


def test_preview_shows_parties_tables_and_the_discrepancy(communes, department, coordinator_client):
    url = reverse("agreements:import")
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert count_tags(response.content.decode(), "h1") == 1
    response = coordinator_client.post(url, {"text": SEED})
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    assert count_tags(html, "h1") == 1
    assert BAILLESTAVY in text
    assert "Hermeline MALHERBE" in text and "Jean Louis JALLAT" in text
    assert "lieu à créer" in text
    assert "Confirmer l'import" in text
    assert " style=" not in html and "<script>" not in html
    assert Agreement.objects.count() == 0  # the preview writes nothing


def test_confirm_imports_and_redirects_to_the_agreement(communes, department, coordinator_client):
    coordinator_client.post(reverse("agreements:import"), {"text": SEED})
    digest = coordinator_client.session["agreements_import"]["digest"]
    response = coordinator_client.post(reverse("agreements:import_confirm"), {"digest": digest})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    assert agreement.commitments.count() == 8
    assert "agreements_import" not in coordinator_client.session


def test_confirm_with_a_stale_preview_imports_nothing(communes, department, coordinator_client):
    coordinator_client.post(reverse("agreements:import"), {"text": SEED})
    response = coordinator_client.post(reverse("agreements:import_confirm"), {"digest": "autre"})
    assert response.status_code == 302 and response.url == reverse("agreements:import")
    assert Agreement.objects.count() == 0


def test_preview_of_a_document_with_errors_has_no_confirm_button(
    communes, department, coordinator_client
):
    text = HEADER + "Médiathèque de Prades\t3 semaines\tPar semaine\tPrésentiel\n"
    response = coordinator_client.post(reverse("agreements:import"), {"text": text})
    assert "Ligne 2 : durée « 3 semaines » illisible." in page_text(response)
    assert "Confirmer l'import" not in page_text(response)


def test_a_deliberation_alone_cannot_be_confirmed(communes, department, coordinator_client):
    deliberation_only = SEED[: SEED.index("**CONVENTION")]
    response = coordinator_client.post(reverse("agreements:import"), {"text": deliberation_only})
    assert "ne contient pas de convention" in page_text(response)
    assert "Confirmer l'import" not in page_text(response)


def test_upload_of_a_spreadsheet(communes, department, coordinator_client):
    upload = io.BytesIO(_ods(TABLE))
    upload.name = "lieux.ods"
    response = coordinator_client.post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 200
    assert "BIBLIOTHEQUE DE RIA-SIRACH" in page_text(response)


def test_form_needs_exactly_one_document(coordinator_client, department):
    response = coordinator_client.post(reverse("agreements:import"), {"text": "  "})
    assert "Collez un texte ou choisissez un fichier" in page_text(response)


def test_partner_staff_cannot_import(partner_client):
    assert partner_client.get(reverse("agreements:import")).status_code == 403
    assert partner_client.post(reverse("agreements:import"), {"text": SEED}).status_code == 403
    response = partner_client.post(reverse("agreements:import_confirm"), {"digest": "x"})
    assert response.status_code == 403


def test_deliberating_body_keeps_its_accents_from_the_partner_name(communes, department):
    from relais.agreements.importing import analyse_text

    partner = OrganisationFactory(
        name="Réseau intercommunal des médiathèques de la Communauté de Communes Conflent Canigó"
    )
    result = analyse_text(SEED, department_code="66")
    agreement = agreement_import(result=result, department=department, partner=partner)
    deliberation = agreement.parties.get(role="partner").deliberation
    assert deliberation.authority_name == "Communauté de Communes Conflent Canigó"


def test_an_address_with_a_postal_code_in_foreign_digits_is_not_read_as_one():
    """Issue 12: ``\\d`` accepts « ٦٦٥٠٠ », which was then stored and published."""
    assert re.match(POSTAL_ADDRESS, "Château Pams, 66500 Prades")["postal_code"] == "66500"
    assert re.match(POSTAL_ADDRESS, "Château Pams, ٦٦٥٠٠ Prades") is None
