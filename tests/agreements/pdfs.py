"""Realistic PDFs of the seed, built with WeasyPrint, for the PDF import tests.

- ``seed_pdf()``: the deliberation as the prefecture's system exports it (a header table of two
  columns: figures on the left, the session on the right), then the convention, in one column,
  with a running header and "Page N/M" footers, the tables with borders and the signatures in
  a table of two columns.
- ``seed_pdf(columns=2)``: the same with the convention's body set in two columns (tables
  spanning both, as word processors do).
"""

import html
import re

from weasyprint import HTML

from .seeds import SEED

CSS = """
@page { size: A4; margin: 2cm 1.8cm;
  @top-center { content: "Conflent Canigó – convention Ambassadeurs numériques"; font-size: 8pt; }
  @bottom-center { content: "Page " counter(page) "/" counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; }
p { margin: 0 0 0.6em 0; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1em 0; }
td, th { border: 0.5pt solid #444; padding: 2pt 6pt; vertical-align: top; text-align: left; }
table.header p { text-align: left; }
table.header td { border: none; padding: 0 14pt 6pt 0; text-align: left; }
table.header td.left { width: 38%; }
table.signatures td { border: none; padding: 0 0 14pt 0; width: 50%; }
.columns { columns: 2; column-gap: 1.2cm; }
tr { break-inside: avoid; }
h1 { font-size: 11pt; text-align: center; }
"""


def _escape(text: str) -> str:
    return html.escape(text.replace("**", ""))


def _table(lines: list[str]) -> str:
    rows = []
    for line in lines:
        cells = [c for c in line.split("\t")]
        rows.append("<tr>" + "".join(f"<td>{_escape(c)}</td>" for c in cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _signatures(lines: list[str]) -> str:
    rows = []
    for line in lines:
        cells = re.findall(r"<p>(.*?)</p>\s*<p>(.*?)</p>", line)
        rows.append(
            "<tr>"
            + "".join(f"<td>{_escape(t)}<br><br>{_escape(n)}</td>" for t, n in cells)
            + "</tr>"
        )
    return '<table class="signatures">' + "".join(rows) + "</table>"


def _blocks(lines: list[str]) -> str:
    """Paragraphs (blank-line separated), tables (lines with tabs), signatures (<p> lines)."""
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if "<p>" in line:
            group = []
            while index < len(lines) and ("<p>" in lines[index] or not lines[index].strip()):
                if lines[index].strip():
                    group.append(lines[index])
                index += 1
            out.append(_signatures(group))
            continue
        if "\t" in line:
            group = []
            while index < len(lines) and ("\t" in lines[index] or not lines[index].strip()):
                if lines[index].strip():
                    group.append(lines[index])
                index += 1
            out.append(_table(group))
            continue
        group = []
        while index < len(lines) and lines[index].strip() and "\t" not in lines[index]:
            group.append(_escape(lines[index]))
            index += 1
        out.append("<p>" + "<br>".join(group) + "</p>")
    return "\n".join(out)


def seed_html(*, columns: int = 1) -> str:
    lines = SEED.split("\n")
    convention = next(i for i, x in enumerate(lines) if x.startswith("**CONVENTION"))
    header_end = next(i for i, x in enumerate(lines) if x.strip() == "Le Président,")
    header = [x for x in lines[:header_end] if x.strip()]
    left = "".join(f"<p>{_escape(x.split(chr(9))[0])}</p>" for x in header)
    right = "".join(
        f"<p>{_escape(x.split(chr(9))[1])}</p>" for x in header if len(x.split("\t")) > 1
    )
    deliberation = (
        f'<table class="header"><tr><td class="left">{left}</td><td>{right}</td></tr></table>'
        + _blocks(lines[header_end:convention])
    )
    title_end = next(i for i in range(convention, len(lines)) if lines[i].strip() == "ENTRE")
    title = "<h1>" + "<br>".join(_escape(x) for x in lines[convention:title_end]) + "</h1>"
    body = _blocks(lines[title_end:])
    if columns == 2:
        # Prose in two columns; tables across the page between them, as a word processor's
        # section breaks do (WeasyPrint has no column-span for tables).
        parts = re.split(r"(<table.*?</table>)", body, flags=re.S)
        body = "".join(
            part if part.startswith("<table") else f'<div class="columns">{part}</div>'
            for part in parts
            if part.strip()
        )
    return (
        f"<html><head><style>{CSS}</style></head><body>{deliberation}"
        f'<div style="break-before: page">{title}{body}</div></body></html>'
    )


def seed_pdf(*, columns: int = 1) -> bytes:
    return HTML(string=seed_html(columns=columns)).write_pdf()
