"""What happens to a text between the partner's word processor and Relais, as functions.

Each artefact takes the seed's text (and a ``random.Random`` for its choices) and returns the
same document as a coordinator may receive it. The importer must read each one to the same
structure as the seed, or refuse it with a French error: never another structure.
"""

import random
import re
import textwrap
import unicodedata

from relais.agreements.importing import ImportResult


def structure(result: ImportResult) -> dict:
    """What an import records, without line numbers, warnings or where things were found.

    Signatories are compared as a set (a PDF read column by column lists them in another
    order, which carries no meaning); the decision text without its spacing.
    """
    d, a = result.deliberation, result.agreement

    def squash(text: str) -> str:
        return " ".join(text.split())

    def rows(rows):
        return [(squash(r.label), r.count, r.unit, r.frequency, r.modality) for r in rows]

    def party(p):
        if p is None:
            return None
        return (
            squash(p.name),
            squash(p.representative_name),
            squash(p.representative_title),
            squash(p.address),
            p.deliberation_number,
            p.deliberation_date,
        )

    deliberation = None
    if d is not None:
        deliberation = {
            **{
                name: getattr(d, name)
                for name in (
                    "session_date",
                    "convocation_date",
                    "order_number",
                    "members_in_office",
                    "present_count",
                    "voters",
                    "votes_for",
                    "votes_against",
                    "abstentions",
                    "certified_on",
                    "second_convocation",
                )
            },
            **{
                name: squash(getattr(d, name))
                for name in (
                    "organisation_name",
                    "council",
                    "actes_classification",
                    "subject",
                    "president",
                    "secretary",
                    "certified_by",
                )
            },
            # The words of the decision: its table is written in the layout received.
            "decision_words": re.findall(r"\w+", d.decision_text),
            "members": [(m.name, m.attendance, m.proxy_holder, m.not_voting) for m in d.members],
        }
    agreement = None
    if a is not None:
        agreement = {
            **{
                name: getattr(a, name)
                for name in (
                    "duration_months",
                    "tacit_renewal",
                    "opposition_notice_months",
                    "hard_end_date",
                    "notice_days",
                    "force_majeure_notice_days",
                    "original_copies",
                )
            },
            "title": squash(a.title),
            "communication_mention": squash(a.communication_mention),
            "jurisdiction": squash(a.jurisdiction),
            "signed_at": a.signed_at,
            "department": party(a.department),
            "partner": party(a.partner),
            "signatories": sorted((squash(s.title), s.name, s.role) for s in a.signatories),
        }
    return {
        "deliberation": deliberation,
        "agreement": agreement,
        "deliberation_rows": rows(result.deliberation_rows),
        "convention_rows": rows(result.convention_rows),
        "discrepancies": len(result.discrepancies),
    }


# --- Characters -----------------------------------------------------------------------------


def no_break_spaces(text: str, rng: random.Random) -> str:
    """Some spaces become no-break or narrow no-break spaces (French typography)."""
    return re.sub(
        " ",
        lambda m: rng.choice([" ", " ", "\u00a0", "\u202f"]) if rng.random() < 0.3 else " ",
        text,
    )


def unicode_hyphens(text: str, rng: random.Random) -> str:
    """Hyphens inside words (Jean-Louis, Ria-Sirach, demi-journée) become U+2010 or U+2011."""
    return re.sub(
        r"(?<=\w)-(?=\w)",
        lambda m: rng.choice(["-", "\u2010", "\u2011"]),
        text,
    )


def typographic_apostrophes(text: str, rng: random.Random) -> str:
    return re.sub("'", lambda m: rng.choice(["'", "\u2019", "\u2019", "\u02bc"]), text)


def soft_hyphens(text: str, rng: random.Random) -> str:
    """Soft hyphens inside long words, as word processors leave them."""

    def cut(match: re.Match) -> str:
        word = match.group(0)
        if rng.random() < 0.2:
            position = rng.randrange(2, len(word) - 2)
            return word[:position] + "\u00ad" + word[position:]
        return word

    return re.sub(r"[^\W\d_]{7,}", cut, text)


def decomposed(text: str, rng: random.Random) -> str:
    """Accents as a letter and a combining mark (NFD, as macOS file names)."""
    return unicodedata.normalize("NFD", text)


def windows_line_ends(text: str, rng: random.Random) -> str:
    return "\ufeff" + text.replace("\n", "\r\n")


# --- PDF to text ------------------------------------------------------------------------------


def _is_prose(line: str) -> bool:
    """A line a converter wraps: not a table row (a row is laid out across the page)."""
    table = "\t" in line or "|" in line or re.search(r"\S {2,}\S", line)
    return not table and "<p>" not in line and len(line) > 40


def hard_wraps(text: str, rng: random.Random) -> str:
    """Paragraphs cut at a fixed width, some words hyphenated at the cut ("Admin-" /
    "istratif"), as pdftotext prints a page."""
    width = rng.randrange(45, 100)
    out = []
    for line in text.split("\n"):
        if not _is_prose(line):
            out.append(line)
            continue
        wrapped = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)
        lines = []
        for piece in wrapped:
            if lines and rng.random() < 0.15:
                # Move the start of the next word up, hyphenated.
                word = re.match(r"[^\W\d_]{8,}", piece)
                if word:
                    cut = rng.randrange(3, len(word.group(0)) - 3)
                    lines[-1] += " " + piece[:cut] + "-"
                    piece = piece[cut:]
            lines.append(piece)
        out += lines
    return "\n".join(out)


def page_breaks(text: str, rng: random.Random) -> str:
    """Every 30 to 60 lines, a footer "Page n/N", a form feed and a running header."""
    lines = text.split("\n")
    every = rng.randrange(30, 60)
    pages = [lines[i : i + every] for i in range(0, len(lines), every)]
    header = "Convention Conflent Canigó – Ambassadeurs numériques"
    out = []
    for number, page in enumerate(pages, start=1):
        if number > 1:
            out.append(header)
        out += page
        out.append(f"Page {number}/{len(pages)}")
        if number < len(pages):
            out.append("\f")
    return "\n".join(out).replace("\n\f\n", "\f")


# --- Tables -----------------------------------------------------------------------------------

_TABLE_ROW = re.compile(r"^[^\t\n<]+(?:\t[^\t\n]+){2,}$")


def _table_blocks(text: str) -> list[tuple[int, int]]:
    """(first, end) line indexes of the tab-separated tables of places (header + rows)."""
    lines = text.split("\n")
    blocks, index = [], 0
    while index < len(lines):
        if _TABLE_ROW.match(lines[index]) and re.match(r"(?i)lieux?\t", lines[index]):
            end = index + 1
            while end < len(lines) and (_TABLE_ROW.match(lines[end]) or not lines[end].strip()):
                end += 1
            while not lines[end - 1].strip():
                end -= 1
            blocks.append((index, end))
            index = end
        else:
            index += 1
    return blocks


def _relayout(text: str, layout) -> str:
    lines = text.split("\n")
    for first, end in reversed(_table_blocks(text)):
        rows = [line.split("\t") for line in lines[first:end] if line.strip()]
        lines[first:end] = layout(rows)
    return "\n".join(lines)


def markdown_tables(text: str, rng: random.Random) -> str:
    """Tables as Markdown pipes, with a separator row (or without, at random)."""
    separator = rng.random() < 0.7

    def layout(rows):
        out = ["| " + " | ".join(rows[0]) + " |"]
        if separator:
            out.append("|" + "|".join("---" for _ in rows[0]) + "|")
        out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return out

    return _relayout(text, layout)


def spaced_tables(text: str, rng: random.Random) -> str:
    """Cells aligned with spaces, as a PDF-to-text tool lays them out."""

    def layout(rows):
        widths = [max(len(row[i]) for row in rows) + 3 for i in range(len(rows[0]))]
        return [
            "".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
            for row in rows
        ]

    return _relayout(text, layout)


def one_cell_per_line(text: str, rng: random.Random) -> str:
    """Each cell on its own line, as some PDF extractions give a table."""

    def layout(rows):
        return [cell for row in rows for cell in row]

    return _relayout(text, layout)


ARTEFACTS = {
    "no_break_spaces": no_break_spaces,
    "unicode_hyphens": unicode_hyphens,
    "typographic_apostrophes": typographic_apostrophes,
    "soft_hyphens": soft_hyphens,
    "decomposed": decomposed,
    "windows_line_ends": windows_line_ends,
    "hard_wraps": hard_wraps,
    "page_breaks": page_breaks,
    "markdown_tables": markdown_tables,
    "spaced_tables": spaced_tables,
    "one_cell_per_line": one_cell_per_line,
}
# Artefacts that change the tables' layout: one at a time.
TABLE_LAYOUTS = {"markdown_tables", "spaced_tables", "one_cell_per_line"}
