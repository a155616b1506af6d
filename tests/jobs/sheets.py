"""Independent checks of export files: read back with openpyxl (or csv), never with the code that
wrote them, and compared cell by cell."""

import io

from openpyxl import load_workbook


def cells(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's values, row by row, as openpyxl reads them."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def assert_same_workbook(job_file: bytes, immediate_file: bytes) -> int:
    """The two workbooks hold the same sheets and the same value in every cell; returns the
    number of cells compared (a test also checks it is not zero)."""
    job, immediate = cells(job_file), cells(immediate_file)
    assert list(job) == list(immediate), "sheets"
    compared = 0
    for title, rows in immediate.items():
        assert len(job[title]) == len(rows), f"rows of {title}"
        for number, (got, expected) in enumerate(zip(job[title], rows, strict=True), start=1):
            assert len(got) == len(expected), f"{title} row {number}: width"
            for column, (a, b) in enumerate(zip(got, expected, strict=True), start=1):
                assert a == b, f"{title}!R{number}C{column}: {a!r} != {b!r}"
                compared += 1
    return compared
