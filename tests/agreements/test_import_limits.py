"""The agreement import refuses heavy tables before calamine reads them (issue 12, section 5):
calamine builds a full grid, so a few kilobytes could cost gigabytes and minutes."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.agreements.importing import tables
from relais.agreements.importing.tables import parse_document

from ..helpers import page_text, with_far_cell, xlsx_bytes

HEADER = ["Lieux d'intervention", "DURÉE", "Fréquences", "Modalités"]
ROW = ["Médiathèque de Prades", "2 journées", "Par semaine", "Présentiel"]


def _ods_repeated(rows: int) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Lieux">'
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        'table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
        archive.writestr("content.xml", content)
    return buffer.getvalue()


@pytest.fixture
def no_parser(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("calamine read the file")

    monkeypatch.setattr(tables.CalamineWorkbook, "from_filelike", never)


def test_one_cell_in_the_last_row_of_excel_is_refused_before_calamine(no_parser):
    """Without the check, calamine asks for 512 GB for this 5 KB file and aborts the process."""
    result = parse_document("lieux.xlsx", with_far_cell(xlsx_bytes([HEADER, ROW])))
    assert result.errors == [
        "Fichier « lieux.xlsx » refusé : Le fichier dépasse 2000 lignes (la ligne 1048576 est "
        "remplie) : découpez-le en fichiers de 2000 lignes au plus, en-têtes compris, et "
        "importez-les l'un après l'autre."
    ]
    assert result.convention_rows == []


def test_repeated_ods_rows_are_refused_before_calamine(no_parser):
    """1.5 KB that calamine expands to 10 million cells (1.2 GB, several seconds)."""
    result = parse_document("lieux.ods", _ods_repeated(100_000))
    assert "refusé : Le fichier dépasse 2000 lignes" in result.errors[0]


def test_a_table_within_the_setting_is_read(settings):
    settings.RELAIS_IMPORT_MAX_ROWS = 3
    assert parse_document("lieux.xlsx", xlsx_bytes([HEADER, ROW, ROW])).errors == []
    assert (
        "dépasse 3 lignes"
        in parse_document("lieux.xlsx", xlsx_bytes([HEADER, ROW, ROW, ROW])).errors[0]
    )


def test_a_csv_too_long_or_too_wide_is_refused(settings):
    settings.RELAIS_IMPORT_MAX_ROWS = 3
    lines = ";".join(HEADER) + "\n" + (";".join(ROW) + "\n") * 3
    assert "dépasse 3 lignes" in parse_document("lieux.csv", lines.encode()).errors[0]
    wide = ";".join(HEADER) + ";" * 5000 + "\n" + ";".join(ROW) + "\n"
    assert "5004 colonnes" in parse_document("lieux.csv", wide.encode()).errors[0]


@pytest.mark.django_db
def test_the_upload_page_shows_the_refusal(coordinator_client, no_parser):
    upload = SimpleUploadedFile("lieux.ods", _ods_repeated(100_000))
    response = coordinator_client.post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 200
    assert "Le fichier dépasse 2000 lignes" in page_text(response)
