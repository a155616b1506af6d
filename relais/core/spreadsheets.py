"""Spreadsheets in and out: exported cells never run as formulas; uploads are sized up before
they are parsed.

**Exports** (CSV, XLSX, ODS). A spreadsheet evaluates a text cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, after a tab or carriage return, with whatever follows) as a formula: a place
name or a workshop title typed as ``=HYPERLINK(…)`` would run on the computer of whoever opens
the export (« CSV injection »). Every writer goes through :func:`neutralise`, which puts an
apostrophe before such a string, as OWASP recommends; numbers, dates and booleans are left
alone, so a negative number stays a number. XLSX cells holding text are typed as text
(``data_type = "s"``), so openpyxl never stores one as a formula or an error code.

**Imports** (XLSX, ODS, CSV). Parsing costs CPU and memory far beyond the upload's bytes: a
2 KB ODS whose rows say « repeated 100 000 times » takes a gigabyte in calamine, and an XLSX
with one cell in XFD1048576 makes it allocate a 17-billion-cell grid. :func:`check_upload`
reads the file's structure in a single streamed pass (no grid, stopping at the first cell past
the limits) and refuses it with a French message before any parser sees it.
"""

from __future__ import annotations

import csv
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell

# --- Exports ----------------------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (XLSX and ODS are XML): openpyxl refuses them and
# stream-write-ods would write a file no spreadsheet opens. \t, \n and \r are allowed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Verbatim(str):
    """A string ``CsvWriter`` writes as it is, for a value the caller has checked against a
    strict pattern that leaves no room for a formula (the open-data phone number
    ``+33468960000``, which its national schema requires without an apostrophe). The XLSX and
    ODS writers neutralise every string."""


def neutralise(value):
    """``value`` as a cell no spreadsheet evaluates: a string starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading apostrophe. Anything else is returned as is
    (numbers stay numbers, whatever their sign)."""
    if (
        isinstance(value, str)
        and not isinstance(value, Verbatim)
        and value.startswith(FORMULA_TRIGGERS)
    ):
        return "'" + value
    return value


def _xml_text(value: str) -> str:
    # Removed before neutralising, so that "\x00=1" cannot become "=1" afterwards.
    return neutralise(_XML_ILLEGAL.sub("", value))


class CsvWriter:
    """``csv.writer`` whose rows are neutralised. With ``;`` (French spreadsheets) floats are
    written with a decimal comma; the conversion comes after neutralising, so that ``-1,5``
    stays a number for the spreadsheet."""

    def __init__(self, stream, *, delimiter: str = ",", lineterminator: str = "\r\n"):
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)
        self._decimal_comma = delimiter == ";"
        # The csv module quotes a field holding a character of the line terminator only: with
        # "\n", a lone "\r" would go out unquoted and readers would start a new row there.
        self._bare_cr = "\r" not in lineterminator

    def _cell(self, value):
        if isinstance(value, str):
            value = neutralise(value)
            if self._bare_cr and "\r" in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            return value
        if self._decimal_comma and isinstance(value, float):
            return str(value).replace(".", ",")
        return value

    def writerow(self, row: Iterable):
        return self._writer.writerow([self._cell(value) for value in row])


def xlsx_row(sheet, values: Iterable, *, font=None) -> list:
    """Values for ``sheet.append()`` (write-only or normal worksheet): text neutralised and
    typed as text, other values as openpyxl types them; with ``font``, styled cells."""
    if font is None:
        return [_xlsx_value(sheet, value) for value in values]
    cells = []
    for value in values:
        cell = _xlsx_value(sheet, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = font
        cells.append(cell)
    return cells


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return value
    text = _xml_text(value)
    # openpyxl types a string as a formula when it starts with "=" (never, once neutralised)
    # and as an error when it is "#N/A" and the like: such text goes in a cell typed as text.
    # Other strings stay plain values, much faster to write than cells.
    if text.startswith("=") or text in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


_ODS_TYPES = (int, float, date, datetime)


def ods_value(value):
    """A value for stream-write-ods, which types a cell by the value's exact type (anything
    else would fail there)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return _xml_text(value)  # a plain str, whatever the subclass (re.sub returns one)
    if type(value) in _ODS_TYPES:
        return value
    if isinstance(value, Decimal):
        return float(value)  # a number cell, as openpyxl writes it in XLSX
    return "" if value is None else _xml_text(str(value))


# --- Uploads ----------------------------------------------------------------------------------

MAX_COLUMNS = 256  # column IV; the imports read about ten
MAX_ZIP_ENTRIES = 1000
# What the parsers decompress (XML parts) is bounded too: a 5 MB upload can inflate a
# thousandfold. A sheet of a few thousand lines is well under 10 MB of XML.
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024

SPREADSHEETML = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "strict" OOXML
)
_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
# Attribute names as expat reports them (namespace, then "}", then the local name).
_ODS_REPEATED_ROWS = f"{_ODS_TABLE}}}number-rows-repeated"
_ODS_REPEATED_COLUMNS = f"{_ODS_TABLE}}}number-columns-repeated"
_ODS_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")


class SpreadsheetRefused(Exception):
    """The upload is refused before parsing; ``str(error)`` is the French message."""


class SpreadsheetTooLarge(SpreadsheetRefused):
    pass


class SpreadsheetUnreadable(SpreadsheetRefused):
    pass


def import_max_rows() -> int:
    """Lines a spreadsheet import reads at most, headers included (RELAIS_IMPORT_MAX_ROWS)."""
    return settings.RELAIS_IMPORT_MAX_ROWS


def _too_many_rows(line: int, max_rows: int) -> SpreadsheetTooLarge:
    return SpreadsheetTooLarge(
        f"Le fichier dépasse {max_rows} lignes (la ligne {line} est remplie) : découpez-le "
        f"en fichiers de {max_rows} lignes au plus, en-têtes compris, et importez-les l'un "
        "après l'autre."
    )


def _too_many_columns(column: int) -> SpreadsheetTooLarge:
    return SpreadsheetTooLarge(
        f"Le fichier a des cellules remplies au-delà de la colonne {MAX_COLUMNS} (colonne "
        f"{column}) : supprimez les colonnes inutiles, puis importez-le à nouveau."
    )


def check_rows(line_count: int, column_count: int = 0, *, max_rows: int | None = None) -> None:
    """Raise :class:`SpreadsheetTooLarge` past the limits (a CSV counted before parsing)."""
    max_rows = max_rows or import_max_rows()
    if line_count > max_rows:
        raise _too_many_rows(line_count, max_rows)
    if column_count > MAX_COLUMNS:
        raise _too_many_columns(column_count)


def check_csv(content: bytes, *, max_rows: int | None = None) -> None:
    """A CSV's lines, counted without parsing it (blank trailing lines included)."""
    check_rows(content.rstrip(b"\r\n").count(b"\n") + 1, max_rows=max_rows)


def check_upload(content: bytes, extension: str, *, max_rows: int | None = None) -> None:
    """Refuse an XLSX or ODS file whose filled cells go past ``max_rows`` lines (default
    RELAIS_IMPORT_MAX_ROWS) or :data:`MAX_COLUMNS` columns, or whose XML inflates past
    :data:`MAX_UNCOMPRESSED_BYTES`; a CSV past ``max_rows`` lines. Raises
    :class:`SpreadsheetTooLarge` or :class:`SpreadsheetUnreadable` (French messages).

    One streamed pass over the XML, stopping at the first cell past the limits: the cost is
    bounded by the limits, not by what the file claims."""
    max_rows = max_rows or import_max_rows()
    extension = extension.lower().lstrip(".")
    if extension == "csv":
        check_csv(content, max_rows=max_rows)
        return
    if extension not in {"xlsx", "ods"}:
        raise ValueError(f"Not a spreadsheet extension: {extension}")
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        # calamine picks the format from the content, not the name: a binary workbook (.xlsb)
        # named .xlsx would be read without this scan seeing its cells.
        if len(entries) > MAX_ZIP_ENTRIES or "xl/workbook.bin" in names:
            raise SpreadsheetUnreadable(_UNREADABLE)
        budget = _Budget()
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue  # pictures and the like: the parsers do not decompress them
            with archive.open(entry) as stream:
                # Every XML part, whatever its name: a worksheet can live anywhere the
                # workbook's relationships point to, and an ODS can be named .xlsx.
                _PartScanner(max_rows).scan(_CountingReader(stream, budget))
    except SpreadsheetRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        # ValueError: a row number or a repetition count that is not a number.
        raise SpreadsheetUnreadable(_UNREADABLE) from error


# A reason, for callers to put after their own « Fichier … illisible : ».
_UNREADABLE = "ce n'est pas un classeur XLSX ou ODS valide ; enregistrez-le de nouveau."


class _Budget:
    def __init__(self):
        self.left = MAX_UNCOMPRESSED_BYTES


class _CountingReader:
    """A file object over a zip entry that stops the scan once the archive has inflated past
    the budget (zipfile itself checks each entry against its declared size and CRC)."""

    def __init__(self, stream, budget: _Budget):
        self._stream, self._budget = stream, budget

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self._budget.left -= len(data)
        if self._budget.left < 0:
            raise SpreadsheetTooLarge(
                f"Le fichier décompressé dépasse {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} Mo : "
                "il ne peut pas être importé. Gardez seulement les lignes à importer."
            )
        return data


_CELLS = {"c", "table-cell", "covered-table-cell"}
_SHEET_ROOTS = {"worksheet", "macrosheet", "dialogsheet", "document-content", "document"}


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class _PartScanner:
    """The filled cells of one XML part, XLSX or ODS, read by expat's callbacks (no tree is
    built, so a part of many small elements costs little).

    XLSX: rows ``<row r="12">`` and cells ``<c r="B12">``; a cell counts once it has content (a
    value, inline text or a formula). ODS: rows and cells of every table, repetitions counted
    (a block of repeated rows ends where its last repetition does); empty cells and rows, like
    the formatted tail LibreOffice writes, do not count. No DTD is accepted: no entity can
    expand (what defusedxml does for openpyxl)."""

    def __init__(self, max_rows: int):
        self.max_rows = max_rows
        self.row = self.column = self.last_filled = 0
        self.cell = None  # (kind, attributes) of the cell being read
        self.cell_has_content = False
        self.repeated_rows = None

    def scan(self, source) -> None:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator="}")
        self.parser = parser
        parser.StartElementHandler = self.root
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        try:
            parser.ParseFile(source)
        except expat.ExpatError as error:
            raise SpreadsheetUnreadable(_UNREADABLE) from error

    @staticmethod
    def refuse_dtd(*args):
        raise SpreadsheetUnreadable(_UNREADABLE)

    def root(self, tag: str, attributes: dict) -> None:
        # Only worksheets (and ODS contents) hold cells: any other part (shared strings,
        # styles…) is parsed without callbacks, at expat's own speed.
        if tag.rpartition("}")[2] in _SHEET_ROOTS:
            self.parser.StartElementHandler = self.start
        else:
            self.parser.StartElementHandler = self.parser.EndElementHandler = None

    def start(self, tag: str, attributes: dict) -> None:
        if self.cell is not None:
            self.cell_has_content = True
            return
        namespace, _, name = tag.rpartition("}")
        if namespace in SPREADSHEETML:
            if name == "row":
                self.row, self.column = int(attributes.get("r") or self.row + 1), 0
            elif name == "c":
                match = _CELL_REFERENCE.fullmatch(attributes.get("r") or "")
                if match:
                    self.column, self.row = _column_number(match[1]), int(match[2])
                else:
                    self.column += 1
                self.cell, self.cell_has_content = ("xlsx", attributes), False
        elif namespace == _ODS_TABLE:
            if name == "table":
                self.row = 0
            elif name == "table-row":
                self.column = self.last_filled = 0
                self.repeated_rows = attributes.get(_ODS_REPEATED_ROWS)
            elif name in _CELLS:
                self.cell, self.cell_has_content = ("ods", attributes), False

    def end(self, tag: str) -> None:
        namespace, _, name = tag.rpartition("}")
        if self.cell is not None:
            if name not in _CELLS or namespace not in (*SPREADSHEETML, _ODS_TABLE):
                return  # an element inside the cell
            kind, attributes = self.cell
            self.cell = None
            if kind == "xlsx":
                if self.cell_has_content:
                    if self.row > self.max_rows:
                        raise _too_many_rows(self.row, self.max_rows)
                    if self.column > MAX_COLUMNS:
                        raise _too_many_columns(self.column)
            else:
                self.column += _count(attributes.get(_ODS_REPEATED_COLUMNS))
                if self.cell_has_content or attributes.get(_ODS_VALUE_TYPE):
                    self.last_filled = self.column
        elif namespace == _ODS_TABLE and name == "table-row":
            first = self.row + 1
            self.row += _count(self.repeated_rows)
            if self.last_filled and self.row > self.max_rows:
                raise _too_many_rows(max(first, self.max_rows + 1), self.max_rows)
            if self.last_filled > MAX_COLUMNS:
                raise _too_many_columns(self.last_filled)


def _count(value: str | None) -> int:
    if value is None:
        return 1
    count = int(value)  # a ValueError is an unreadable file
    if count < 1:
        raise ValueError(f"Repetition count {count}")
    return count


# How many CSV rows one yielded block of a streamed export holds.
CSV_BLOCK_ROWS = 2000


# --- Writers of whole files, in constant memory ---------------------------------------------


class _Line:
    def write(self, value):
        return value


def csv_stream(
    header: list[str], rows: Iterable[list], *, delimiter: str = ",", bom: bool = False
) -> Iterator[bytes]:
    """Encoded CSV lines, ~``CSV_BLOCK_ROWS`` rows per yielded block. With ``;``, decimals use
    a comma. Cells are neutralised (``CsvWriter``): no text runs as a formula."""
    writer = CsvWriter(_Line(), delimiter=delimiter, lineterminator="\r\n")
    if bom:
        yield b"\xef\xbb\xbf"
    yield writer.writerow(header).encode("utf-8")
    block = []
    for row in rows:
        block.append(writer.writerow(row))
        if len(block) >= CSV_BLOCK_ROWS:
            yield "".join(block).encode("utf-8")
            block = []
    if block:
        yield "".join(block).encode("utf-8")


def xlsx_file(sheets: Iterable[tuple[str, list[str], Iterable[list]]]):
    """A temporary file (open, positioned at 0, deleted on close) holding the workbook. Text
    cells are typed as text and neutralised: never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, table_rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        sheet.append(xlsx_row(sheet, header, font=bold))
        for row in table_rows:
            sheet.append(xlsx_row(sheet, row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    workbook.save(handle)
    handle.seek(0)
    return handle


def ods_stream(
    sheets: Iterable[tuple[str, list[str], Iterable[list]]], *, zip64: bool = False
) -> Iterator[bytes]:
    """The spreadsheet as ODS, in chunks, in constant memory. ``zip64``: needed when a sheet
    may pass 4 GiB of XML (``relais.reporting.exports.ODS_ZIP32_MAX_ROWS``). Cells go through
    ``ods_value`` (text neutralised)."""
    from stream_write_ods import stream_write_ods

    def tables():
        for title, header, table_rows in sheets:
            yield (
                _sheet_title(title),
                [ods_value(h) for h in header],
                ([ods_value(v) for v in row] for row in table_rows),
            )

    return stream_write_ods(tables(), use_zip_64=zip64)


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]
