"""Coverage exports: CSV (UTF-8, comma or semicolon) and XLSX (openpyxl), one row per cell.

Place and commune names are typed by people: every cell goes through ``relais.core.spreadsheets``
so that none runs as a formula.
"""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from relais.core.dates import monday_of
from relais.core.spreadsheets import CsvWriter, xlsx_row
from relais.jobs.exports import Export, ExportKind, form_refused, identity, register
from relais.places.models import Place

from . import perms
from .coverage import coverage_table
from .forms import PeriodForm

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
    """One row per place and week; the coverage table is computed whole (its size is places ×
    weeks, at most 26 weeks), so a list."""
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


def to_csv(table, *, delimiter: str = ",", counted=identity) -> bytes:
    """UTF-8 CSV; with ``;`` (French spreadsheets) a BOM is added so Excel reads the accents."""
    buffer = io.StringIO()
    # With ";", a decimal comma alongside, as French Excel expects (CsvWriter does it).
    writer = CsvWriter(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in counted(rows(table)):
        values = ["" if v is None else v for v in row]
        values[3] = values[3].isoformat()
        writer.writerow(values)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if delimiter == ";" else data


def to_xlsx(table, *, counted=identity) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Couverture"
    sheet.append(xlsx_row(sheet, HEADERS, font=Font(bold=True)))
    shortfall = PatternFill("solid", start_color="FFE8B0")
    for values in counted(rows(table)):
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


# --- The export kind (relais.jobs.exports): the same writers for the immediate file and the job -


def filename(first_week: date, weeks: int, extension: str) -> str:
    return f"couverture-{first_week:%Y-%m-%d}-{weeks}-semaines.{extension}"


def coverage_export(user, query, fmt: str) -> Export:
    """The coverage of ``du`` (its week; this week by default) for ``semaines`` weeks (4). The
    size is an upper bound (every active place, every week): known before the table is computed.
    """
    form = PeriodForm(query or None)
    if form.is_bound and not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data if form.is_bound else {}
    start = monday_of(data.get("du") or timezone.localdate())
    weeks = data.get("semaines") or 4
    semicolon = query.get("separateur") == "point-virgule"
    params = {"du": start.isoformat(), "semaines": weeks}
    if semicolon:
        params["separateur"] = "point-virgule"

    def write(counted):
        table = coverage_table(start, weeks)
        if fmt == "csv":
            yield to_csv(table, delimiter=";" if semicolon else ",", counted=counted)
        else:
            yield to_xlsx(table, counted=counted)

    return Export(
        filename=filename(start, weeks, fmt), size=Place.objects.active().count() * weeks,
        params=urlencode(params), write=write, streamed=False,
    )  # fmt: skip


register(ExportKind(name="coverage", label="Couverture des lieux", formats=("xlsx", "csv"),
                    allowed=perms.can_view_planning, build=coverage_export))  # fmt: skip
