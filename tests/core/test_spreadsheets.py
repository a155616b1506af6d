"""Spreadsheets: exported text never runs as a formula (every writer, read back by the csv
module, openpyxl and calamine), and uploads are sized up before any parser reads them."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from relais.core import spreadsheets
from relais.core.spreadsheets import (
    FORMULA_TRIGGERS,
    CsvWriter,
    SpreadsheetTooLarge,
    SpreadsheetUnreadable,
    check_upload,
    neutralise,
)
from relais.planning import exports as coverage_exports
from relais.public import opendata
from relais.workshops import exports as programme_exports

from ..helpers import sheet_rewritten, with_far_cell, xlsx_bytes

# Any text, and often text that starts like a formula (or like an already escaped one).
TEXT = st.one_of(
    st.text(),
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from([*FORMULA_TRIGGERS, "'", " =", "\x00="]),
        st.text(),
    ),
)
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _expected_xml(text: str, *, empty=""):
    """What an XML format keeps of ``text``: no character XML cannot carry, and line ends as
    an XML parser reads them; ``empty`` for an empty cell (openpyxl reads None)."""
    kept = neutralise(_XML_ILLEGAL.sub("", text))
    return kept.replace("\r\n", "\n").replace("\r", "\n") or empty


def _assert_safe(value) -> None:
    if isinstance(value, str):
        assert not value.startswith(FORMULA_TRIGGERS), repr(value)


# --- The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+33 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","clic")'],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-1, -2.5, Decimal("-3.25"), 0, date(2026, 1, 1), datetime(2026, 1, 1, 10), None, True],
)
def test_numbers_dates_and_booleans_stay_as_they_are(value):
    assert neutralise(value) is value


def test_ordinary_text_is_unchanged():
    for text in ["Prades", "", " =1", "'=1", "Atelier — e-mail", "1+1"]:
        assert neutralise(text) == text


def test_csv_keeps_negative_numbers_numbers_with_a_decimal_comma():
    buffer = io.StringIO()
    CsvWriter(buffer, delimiter=";").writerow(["-1,5", -1.5, -2, "=A1"])
    assert buffer.getvalue() == "'-1,5;-1,5;-2;'=A1\r\n"


def test_xlsx_text_is_typed_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(spreadsheets.xlsx_row(sheet, ["=1+1", "#N/A", -3, -2.5, "-4"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [
        ("'=1+1", "s"),
        ("#N/A", "s"),  # not an error cell
        (-3, "n"),
        (-2.5, "n"),
        ("'-4", "s"),
    ]


# --- Every writer, any text --------------------------------------------------------------------


@SLOW
@given(text=TEXT)
def test_reporting_csv_never_holds_a_formula(text):
    for delimiter in (",", ";"):
        payload = b"".join(
            spreadsheets.csv_stream(["Titre", "Nombre"], [[text, -1.5]], delimiter=delimiter)
        )
        rows = list(csv.reader(io.StringIO(payload.decode(), newline=""), delimiter=delimiter))
        assert rows[1][0] == neutralise(text)
        assert rows[1][1] == ("-1,5" if delimiter == ";" else "-1.5")  # a number, unescaped
        _assert_safe(rows[1][0])


def _xlsx_cells(payload: bytes) -> list:
    """Every cell of every sheet, read by openpyxl, after checking that no sheet of the file
    holds a formula element."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = load_workbook(io.BytesIO(payload))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f"
        _assert_safe(cell.value)
    return cells


def _calamine_values(payload: bytes) -> list:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    values = [
        value
        for name in workbook.sheet_names
        for row in workbook.get_sheet_by_name(name).to_python()
        for value in row
    ]
    for value in values:
        _assert_safe(value)
    return values


@SLOW
@given(text=TEXT)
def test_reporting_xlsx_never_holds_a_formula(text):
    with spreadsheets.xlsx_file([("Feuille", [text, "Nombre"], [[text, -2]])]) as handle:
        payload = handle.read()
    cells = _xlsx_cells(payload)
    expected = _expected_xml(text, empty=None)
    assert [c.value for c in cells] == [expected, "Nombre", expected, -2]
    _calamine_values(payload)


@SLOW
@given(text=TEXT)
def test_reporting_ods_never_holds_a_formula(text):
    rows = [[text, -2, 1.5, Decimal("-1.25")]]
    payload = b"".join(spreadsheets.ods_stream([("Feuille", [text], rows)]))
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert b"table:formula" not in archive.read("content.xml")
    values = _calamine_values(payload)  # the header row, padded to four cells, then the row
    assert values[0] == values[4] == _expected_xml(text)
    assert values[5:] == [-2, 1.5, -1.25]  # numbers, whatever their sign


def _coverage_table(text: str):
    place = SimpleNamespace(name=text, commune=SimpleNamespace(name=text))
    cell = SimpleNamespace(
        place=place,
        iso_week="2026-W48",
        week=date(2026, 11, 23),
        committed=Decimal("2"),
        planned=1,
        held=Decimal("0.5"),
        shortfall=Decimal("-1.5"),
    )
    return SimpleNamespace(cells=[cell])


@SLOW
@given(text=TEXT)
def test_coverage_exports_never_hold_a_formula(text):
    for delimiter in (",", ";"):
        payload = coverage_exports.to_csv(_coverage_table(text), delimiter=delimiter)
        rows = list(
            csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline=""), delimiter=delimiter)
        )
        assert rows[1][:2] == [neutralise(text)] * 2
        assert rows[1][-1] == ("-1,5" if delimiter == ";" else "-1.5")  # a number
        for value in rows[1][:2]:
            _assert_safe(value)
    cells = _xlsx_cells(coverage_exports.to_xlsx(_coverage_table(text)))
    values = [c.value for c in cells]
    assert values[8:10] == [_expected_xml(text, empty=None)] * 2
    assert values[-1] == -1.5  # the shortfall: a number, whatever its sign


def _programme_session(text: str):
    when = datetime(2026, 12, 1, 14, tzinfo=spreadsheets_timezone())
    return SimpleNamespace(
        starts_at=when,
        ends_at=when,
        place=SimpleNamespace(name=text, commune=SimpleNamespace(name=text)),
        topic=SimpleNamespace(title=text, get_level_display=lambda: text),
        advisors=SimpleNamespace(all=lambda: [text]),
        capacity=8,
        seats_left=8,
        get_status_display=lambda: text,
    )


def spreadsheets_timezone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


@SLOW
@given(text=TEXT)
def test_programme_xlsx_never_holds_a_formula(text):
    place = SimpleNamespace(name=text, slug="lieu")
    payload = programme_exports.render_programme_xlsx(
        [_programme_session(text)], place=place, first=date(2026, 12, 1), last=date(2026, 12, 31)
    )
    values = [c.value for c in _xlsx_cells(payload)]
    assert values.count(_expected_xml(text, empty=None)) >= 5  # place, commune, title…


@SLOW
@given(text=TEXT)
def test_open_data_csv_never_holds_a_formula(text):
    row = dict.fromkeys(opendata.FIELDNAMES, text)
    row.update(latitude=Decimal("-0.52"), telephone="+33468960000")
    buffer = io.StringIO()
    opendata.write_csv([row], buffer)
    header, values = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    by_name = dict(zip(header, values, strict=True))
    # A lone "\r" would split the row (lines end with "\n" there): read as a line break.
    assert by_name["nom"] == neutralise(text).replace("\r\n", "\n").replace("\r", "\n")
    assert by_name["latitude"] == "-0.52"  # a number
    assert by_name["telephone"] == "+33468960000"  # the standard's pattern, checked beforehand
    for name, value in by_name.items():
        if name not in {"telephone", "latitude"}:
            _assert_safe(value)


def test_open_data_phone_is_escaped_unless_it_matches_the_standard():
    row = dict.fromkeys(opendata.FIELDNAMES, "")
    row["telephone"] = "+33=HYPERLINK()"
    buffer = io.StringIO()
    opendata.write_csv([row], buffer)
    assert "'+33=HYPERLINK()" in buffer.getvalue()


# --- Uploads ----------------------------------------------------------------------------------


def test_an_ordinary_workbook_within_the_limits_is_accepted():
    check_upload(xlsx_bytes([["Nom"], *[[f"Personne {i}"] for i in range(9)]]), "xlsx", max_rows=10)


def test_a_workbook_with_a_filled_line_past_the_limit_is_refused():
    with pytest.raises(SpreadsheetTooLarge, match="dépasse 10 lignes \\(la ligne 11"):
        check_upload(
            xlsx_bytes([["Nom"], *[[f"Personne {i}"] for i in range(10)]]), "xlsx", max_rows=10
        )


def test_one_far_away_cell_is_refused_before_calamine_allocates_its_grid():
    """calamine builds a full grid: A1 and XFD1048576 make it ask for 512 GB and abort."""
    content = with_far_cell(xlsx_bytes([["Lieu"]]))
    with pytest.raises(SpreadsheetTooLarge, match="la ligne 1048576"):
        check_upload(content, "xlsx", max_rows=2000)


def test_a_cell_past_the_last_column_allowed_is_refused():
    workbook = Workbook()
    workbook.active.cell(row=2, column=spreadsheets.MAX_COLUMNS + 1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(SpreadsheetTooLarge, match="colonne"):
        check_upload(buffer.getvalue(), "xlsx", max_rows=2000)


def test_empty_formatted_cells_far_away_do_not_count():
    content = sheet_rewritten(
        xlsx_bytes([["Lieu"], ["Prades"]]),
        lambda data: data.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
        ),
    )
    check_upload(content, "xlsx", max_rows=10)


def _ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Lieux">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Lieu</text:p>'
        f"</table:table-cell></table:table-row>{rows_xml}</table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_ods_rows_repeated_a_hundred_thousand_times_are_refused():
    """1.4 KB of ODS that calamine expands to 10 million cells (1.2 GB, 6 s)."""
    content = _ods(
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
        'table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    assert len(content) < 2000
    with pytest.raises(SpreadsheetTooLarge, match="dépasse 2000 lignes \\(la ligne 2001"):
        check_upload(content, "ods", max_rows=2000)


def test_ods_columns_repeated_past_the_limit_are_refused():
    content = _ods(
        '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
        'office:value-type="float" office:value="1"/></table:table-row>'
    )
    with pytest.raises(SpreadsheetTooLarge, match="colonne 16384"):
        check_upload(content, "ods", max_rows=2000)


def test_the_empty_tail_libreoffice_writes_is_accepted():
    content = _ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Prades</text:p>'
        "</table:table-cell></table:table-row><table:table-row table:number-rows-repeated="
        '"1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    check_upload(content, "ods", max_rows=10)


def test_a_workbook_that_inflates_past_the_budget_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 64 * 1024)
    padding = "<!-- " + "x" * 200_000 + " -->"
    content = sheet_rewritten(xlsx_bytes([["Nom"]]), lambda data: data + padding.encode())
    assert len(content) < 20_000
    with pytest.raises(SpreadsheetTooLarge, match="décompressé"):
        check_upload(content, "xlsx", max_rows=10)


@pytest.mark.parametrize(
    "content",
    [
        b"pas un classeur",
        sheet_rewritten(xlsx_bytes([["Nom"]]), lambda d: b'<!DOCTYPE x [<!ENTITY a "b">]>' + d),
        sheet_rewritten(xlsx_bytes([["Nom"]]), lambda d: d[: len(d) // 2]),
        sheet_rewritten(xlsx_bytes([["Nom"]]), lambda d: d.replace(b'<row r="1"', b'<row r="un"')),
    ],
    ids=["not-a-zip", "dtd", "truncated-xml", "bad-row-number"],
)
def test_broken_or_hostile_workbooks_are_unreadable(content):
    with pytest.raises(SpreadsheetUnreadable):
        check_upload(content, "xlsx", max_rows=10)


def test_a_binary_workbook_named_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x00" * 16)
    with pytest.raises(SpreadsheetUnreadable):
        check_upload(buffer.getvalue(), "xlsx", max_rows=10)


def test_an_ods_named_xlsx_is_scanned_all_the_same():
    content = _ods(
        '<table:table-row table:number-rows-repeated="5000"><table:table-cell '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    with pytest.raises(SpreadsheetTooLarge):
        check_upload(content, "xlsx", max_rows=2000)


def test_csv_lines_are_counted_before_parsing():
    check_upload(b"lieu;duree\r\n" + b"Prades;3\r\n" * 9, "csv", max_rows=10)
    with pytest.raises(SpreadsheetTooLarge, match="la ligne 11"):
        check_upload(b"lieu;duree\n" + b"Prades;3\n" * 10, "csv", max_rows=10)
