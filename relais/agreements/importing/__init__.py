"""Import from the documents (issue 3, items 5 and 6).

Text pasted from a deliberation and/or its annexed convention, or a table of places (CSV, XLSX,
ODS), becomes an :class:`ImportResult`; :func:`match_result` matches its names with the
database; :func:`agreement_import` writes it, all or nothing. :func:`compare_tables` and
:func:`agreement_discrepancies` check that the deliberation and the convention agree.

    result = analyse_document("convention.txt", content)   # parse + match, no writes
    if result.ok:
        agreement = agreement_import(result=result, department=department)
"""

from django.conf import settings

from .compare import agreement_discrepancies, compare_tables
from .matching import match_result
from .parser import parse_text
from .results import (
    ImportResult,
    MatchStatus,
    ParsedAgreement,
    ParsedDeliberation,
    ParsedMember,
    ParsedParty,
    ParsedRow,
    ParsedSignatory,
)
from .services import agreement_import
from .tables import ACCEPTED_EXTENSIONS, parse_document, parse_table_file

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "ImportResult",
    "MatchStatus",
    "ParsedAgreement",
    "ParsedDeliberation",
    "ParsedMember",
    "ParsedParty",
    "ParsedRow",
    "ParsedSignatory",
    "agreement_discrepancies",
    "agreement_import",
    "analyse_document",
    "analyse_text",
    "compare_tables",
    "match_result",
    "parse_document",
    "parse_table_file",
    "parse_text",
]


def analyse_text(text: str, *, department_code: str | None = None) -> ImportResult:
    """Parse pasted text and match its names with the database (reads only)."""
    return match_result(
        parse_text(text), department_code=department_code or settings.RELAIS_DEPARTMENT_CODE
    )


def analyse_document(
    filename: str, content: bytes, *, department_code: str | None = None
) -> ImportResult:
    """Parse an uploaded document (.txt, .csv, .xlsx, .ods) and match its names (reads only)."""
    return match_result(
        parse_document(filename, content),
        department_code=department_code or settings.RELAIS_DEPARTMENT_CODE,
    )
