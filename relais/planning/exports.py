"""Coverage exports: CSV (UTF-8, comma or semicolon) and XLSX (openpyxl), one row per cell.

Place and commune names are typed by people: every cell goes through ``relais.core.spreadsheets``
so that none runs as a formula.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from relais.core.spreadsheets import CsvWriter, xlsx_row

HEADERS = [
    "Lieu",
    "Commune",
    "Semaine",
    "Lundi",
    "Demi-journées engagées",
    "Demi-journées prévues",
    "Demi-journées réalisées",
    "Manque",
]


def _number(value: Decimal | int | None):
    if value is None:
        return None
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def rows(table) -> list[list]:
    return [
        [
            cell.place.name,
            cell.place.commune.name,
            cell.iso_week,
            cell.week,
            _number(cell.committed),
            cell.planned,
            _number(cell.held),
            _number(cell.shortfall),
        ]
        for cell in table.cells
    ]


def to_csv(table, *, delimiter: str = ",") -> bytes:
    """UTF-8 CSV; with ``;`` (French spreadsheets) a BOM is added so Excel reads the accents."""
    buffer = io.StringIO()
    # With ";", a decimal comma alongside, as French Excel expects (CsvWriter does it).
    writer = CsvWriter(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows(table):
        values = ["" if v is None else v for v in row]
        values[3] = values[3].isoformat()
        writer.writerow(values)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if delimiter == ";" else data


def to_xlsx(table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Couverture"
    sheet.append(xlsx_row(sheet, HEADERS, font=Font(bold=True)))
    shortfall = PatternFill("solid", start_color="FFE8B0")
    for values in rows(table):
        sheet.append(xlsx_row(sheet, values))
        sheet.cell(row=sheet.max_row, column=4).number_format = "dd/mm/yyyy"
        if values[-1]:
            for cell in sheet[sheet.max_row]:
                cell.fill = shortfall
    for column, width in zip("ABCDEFGH", (36, 24, 11, 12, 14, 14, 14, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
