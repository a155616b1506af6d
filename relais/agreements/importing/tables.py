"""Tables of places from CSV, XLSX and ODS files, and the dispatch of an uploaded document."""

import csv
import io
from pathlib import PurePath

from python_calamine import CalamineError, CalamineWorkbook

from relais.core.spreadsheets import (
    MAX_COLUMNS,
    SpreadsheetTooLarge,
    SpreadsheetUnreadable,
    check_upload,
)

from .parser import parse_text
from .pdf import PdfUnreadable, pdf_to_text
from .results import ImportResult
from .rows import build_row, column_of

TEXT_EXTENSIONS = {".txt", ".text", ".md"}
TABLE_EXTENSIONS = {".csv", ".xlsx", ".ods"}
PDF_EXTENSIONS = {".pdf"}
ACCEPTED_EXTENSIONS = TEXT_EXTENSIONS | TABLE_EXTENSIONS | PDF_EXTENSIONS
REQUIRED_COLUMNS = {"label": "lieu", "duration": "durée", "frequency": "fréquence"}


def decode_text(content: bytes, result: ImportResult) -> str:
    """Text of an upload: UTF-8 (with or without BOM), else Windows-1252 with a warning."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.warnings.append("Le fichier n'est pas en UTF-8 : lu comme Windows-1252.")
        return content.decode("cp1252", errors="replace")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_from_matrix(matrix: list[list], result: ImportResult) -> bool:
    """Fill ``result.convention_rows`` from a sheet; line numbers are the sheet's row numbers.

    The header row is the first one naming at least the place, duration and frequency columns
    (loosely: "Lieux", "DURÉE", "Fréquences"…); other columns are ignored. Returns whether
    a header row was found.
    """
    header_index, columns = None, {}
    for index, cells in enumerate(matrix):
        found = {}
        for position, value in enumerate(cells):
            column = column_of(_cell(value))
            if column and column not in found:
                found[column] = position
        if set(REQUIRED_COLUMNS) <= set(found):
            header_index, columns = index, found
            break
    if header_index is None:
        result.errors.append(
            "Ligne 1 : en-têtes de colonnes introuvables (attendu : lieu, durée, fréquence, "
            "modalités)."
        )
        return False
    for index in range(header_index + 1, len(matrix)):
        cells = [_cell(v) for v in matrix[index]]
        if not any(cells):
            continue

        def value(column: str, cells=cells) -> str | None:
            position = columns.get(column)
            if position is None:
                return None
            return cells[position] if position < len(cells) else ""

        row, error = build_row(
            index + 1,
            value("label"),
            value("duration"),
            value("frequency"),
            value("modality"),
        )
        if error:
            result.errors.append(error)
        else:
            result.convention_rows.append(row)
    if not result.convention_rows and not result.errors:
        result.errors.append("Le tableau ne contient aucun lieu.")
    return True


def _csv_matrix(text: str) -> list[list[str]]:
    # Spreadsheets in French locale export with ";": use whichever separator the header has most.
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _sheets(content: bytes) -> list[list[list]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in workbook.sheet_names
    ]


def parse_table_file(filename: str, content: bytes) -> ImportResult:
    """The Art. 1.2 table from a CSV (``,`` or ``;``), XLSX or ODS file (first sheet with one)."""
    extension = PurePath(filename).suffix.lower()
    result = ImportResult(source=extension.lstrip("."))
    try:
        # Before any parser: calamine builds a full grid, so one cell in XFD1048576 or an
        # ODS row « repeated 100 000 times » would cost gigabytes and minutes.
        check_upload(content, extension)
    except SpreadsheetTooLarge as error:
        result.errors.append(f"Fichier « {filename} » refusé : {error}")
        return result
    except SpreadsheetUnreadable as error:
        result.errors.append(f"Fichier « {filename} » illisible : {error}")
        return result
    if extension == ".csv":
        matrix = _csv_matrix(decode_text(content, result))
        widest = max((len(row) for row in matrix), default=0)
        if widest > MAX_COLUMNS:  # header detection looks at every cell of every row
            result.errors.append(
                f"Fichier « {filename} » refusé : une ligne compte {widest} colonnes "
                f"({MAX_COLUMNS} au plus)."
            )
            return result
        rows_from_matrix(matrix, result)
        return result
    try:
        sheets = _sheets(content)
    except (CalamineError, ValueError, OSError) as error:
        result.errors.append(f"Fichier « {filename} » illisible : {error}.")
        return result
    for matrix in sheets:
        attempt = ImportResult(source=result.source)
        if rows_from_matrix(matrix, attempt):  # the first sheet with a table of places
            return attempt
    rows_from_matrix([], result)
    return result


def parse_document(filename: str, content: bytes) -> ImportResult:
    """Parse an uploaded document: text files as pasted text, spreadsheets as tables."""
    extension = PurePath(filename).suffix.lower()
    if extension in TEXT_EXTENSIONS:
        warnings = ImportResult()
        text = decode_text(content, warnings)
        result = parse_text(text)
        result.warnings = warnings.warnings + result.warnings
        return result
    if extension in TABLE_EXTENSIONS:
        return parse_table_file(filename, content)
    if extension in PDF_EXTENSIONS:
        return parse_pdf(filename, content)
    result = ImportResult(source=extension.lstrip("."))
    result.errors.append(
        f"Format de fichier « {extension or filename} » non pris en charge "
        "(attendu : .pdf, .txt, .csv, .xlsx ou .ods)."
    )
    return result


def parse_pdf(filename: str, content: bytes) -> ImportResult:
    """A PDF (deliberation, convention or both): its text, then the same parser as pasted text.

    Line numbers in messages are those of the extracted text, which the preview can show;
    a warning says which lines each page holds.
    """
    try:
        text, pages = pdf_to_text(content)
    except PdfUnreadable as error:
        result = ImportResult(source="pdf")
        result.errors.append(f"Fichier « {filename} » illisible : {error}")
        return result
    result = parse_text(text, source="pdf")
    ranges, first = [], 1
    for number, count in pages:
        ranges.append(f"p. {number} : lignes {first}–{first + max(count, 1) - 1}")
        first += count
    result.warnings.insert(
        0, "PDF : les numéros de ligne sont ceux du texte extrait (" + ", ".join(ranges) + ")."
    )
    return result
