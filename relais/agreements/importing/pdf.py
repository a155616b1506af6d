"""Text of a PDF (the deliberation exported from the prefecture's system, the signed convention).

pdfplumber gives the words with their positions; this module puts them back in reading order
and hands the same parser plain text:

- a page set in two columns is read column by column (a gutter free of words, each side
  holding prose that fills its column);
- words on one line separated by a wide gap are cells: they are joined by a tab, as in a
  table pasted from a word processor;
- a line that reaches the right edge of its column continues on the next one (hard wrap);
- a paragraph gap becomes a blank line, a page a form feed;
- lines repeated at the top or bottom of most pages (headers, footers, "Page 3/12") are
  dropped here, where the page boundaries are known.

Scanned PDFs have no text layer: they are refused, in French, rather than read as empty.
"""

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .normalise import _BLOCK_START

MAX_PAGES = 200


class PdfUnreadable(ValueError):
    """The file is not a PDF with a text layer."""


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    table: bool = False  # a whole ruled table, its rows already in text


@dataclass
class _Line:
    words: list[_Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _char_width(words: list[_Word]) -> float:
    widths = [(w.x1 - w.x0) / len(w.text) for w in words if w.text and not w.table]
    return statistics.median(widths) if widths else 5.0


def _lines_of(words: list[_Word]) -> list[_Line]:
    """Words grouped into lines: a word belongs to a line it overlaps by half its height
    (a glyph from another font may sit a little higher), each line sorted left to right."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and lines[-1].top <= middle <= lines[-1].bottom:
            lines[-1].words.append(word)
        else:
            lines.append(_Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _gaps(line: _Line, char_width: float) -> list[tuple[float, float]]:
    """The wide gaps of a line: where one cell ends and the next begins."""
    threshold = max(3 * char_width, 10.0)
    return [
        (a.x1, b.x0)
        for a, b in zip(line.words, line.words[1:], strict=False)
        if b.x0 - a.x1 > threshold
    ]


def _free(line: _Line, left: float, right: float) -> list[tuple[float, float]]:
    """The horizontal stretches of a line with no word, between the page's text margins."""
    edges = [left, *[x for w in line.words for x in (w.x0, w.x1)], right]
    return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=False) if b > a]


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]):
    return [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b if min(x1, y1) > max(x0, y0)]


def _trim(lines, index, end, free, minimum, low, high) -> int:
    """End of a stretch of columns, when what follows it sits on one side only.

    A line ends the stretch when the other column never comes back after it and it is far
    below the previous line on its side (more than three line steps): that column was over,
    this is the text after the columns ("Le Président," under a header of two columns).
    """
    middle = [(a, b) for a, b in free if b - a >= minimum and a < high and b > low]
    if not middle:
        return end
    a, b = middle[0]

    def sides(line) -> set[str]:
        found = set()
        if any(w.x1 <= a for w in line.words):
            found.add("left")
        if any(w.x0 >= b for w in line.words):
            found.add("right")
        return found

    steps = [
        lines[p + 1].top - lines[p].top
        for p in range(index, end - 1)
        if lines[p + 1].top > lines[p].top
    ]
    step = statistics.median(steps) if steps else 12.0
    for position in range(index + 1, end):
        here = sides(lines[position])
        if len(here) != 1:
            continue
        if any(sides(lines[later]) - here for later in range(position, end)):
            continue
        previous_same = [p for p in range(index, position) if here & sides(lines[p])]
        if previous_same and lines[position].top - lines[previous_same[-1]].top > 3 * step:
            return position
    return end


def _column_runs(lines: list[_Line], char_width: float) -> list[tuple[int, int, float]]:
    """Stretches of lines set in two columns: (first index, end index, x of the gutter).

    Over the stretch, one vertical band free of words (at least 8 pt wide, in the middle half
    of the text) has words on both sides, and it is the only one: a table of places keeps a
    free band between each of its columns and is read row by row instead. A table of two
    columns (signatures) is read column by column, each title with its name.
    """
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    low, high = left + (right - left) * 0.25, left + (right - left) * 0.75
    minimum = max(8.0, 1.5 * char_width)

    def bands(free):
        return [(a, b) for a, b in free if b - a >= minimum and a > left and b < right]

    def both_sides(band, segment) -> int:
        a, b = band
        return sum(
            1
            for line in segment
            if any(w.x1 <= a for w in line.words) and any(w.x0 >= b for w in line.words)
        )

    runs, index = [], 0
    while index < len(lines):
        free = _free(lines[index], left, right)
        end = index + 1
        starts: list[float] = []  # where the right column's lines start
        while end < len(lines):
            narrowed = _intersect(free, _free(lines[end], left, right))
            middle_bands = [
                (a, b) for a, b in bands(narrowed) if b - a >= minimum and a < high and b > low
            ]
            if not middle_bands:
                break
            # A column starts its lines at one x: a table below the columns with cells
            # elsewhere (the signatures under a text in two columns) is another stretch.
            column_start = max(middle_bands, key=lambda band: band[1] - band[0])[1] - 1
            for line in (lines[index], lines[end]) if not starts else (lines[end],):
                on_right = [w.x0 for w in line.words if w.x0 >= column_start]
                if on_right:
                    starts.append(min(on_right))
            if len(starts) > 1 and abs(starts[-1] - starts[0]) > 3:
                break
            free, end = narrowed, end + 1
        end = _trim(lines, index, end, free, minimum, low, high)
        segment = lines[index:end]
        found = [
            band for band in bands(free) if both_sides(band, segment) >= max(3, len(segment) * 0.1)
        ]
        middle = [band for band in found if band[0] < high and band[1] > low]
        if end - index >= 4 and len(found) == 1 and len(middle) == 1:
            a, b = middle[0]
            if both_sides(middle[0], segment) >= 3:
                runs.append((index, end, (a + b) / 2))
                index = end
                continue
        index += 1
    return runs


def _text_of(lines: list[_Line], char_width: float, *, cells: bool = True) -> list[str]:
    """Lines of text for one column: cells joined by tabs, wrapped lines joined, paragraphs
    separated by a blank line. In a column of prose (``cells=False``), the wide spaces of
    justified lines are spaces."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    # A paragraph gap: more than 1.45 times the glyphs' height between two lines' tops (the
    # normal step, the line height, is about 1.2 times the glyphs' height).
    paragraph = 1.45
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if any(w.table for w in line.words):
            # A ruled table: its own paragraph.
            out += ["", *[w.text for w in line.words if w.table], ""]
            previous = None
            continue
        gaps = _gaps(line, char_width) if cells else []
        parts, current = [], [line.words[0].text]
        for a, b in zip(line.words, line.words[1:], strict=False):
            if (a.x1, b.x0) in gaps:
                parts.append(" ".join(current))
                current = []
            current.append(b.text)
        parts.append(" ".join(current))
        text = "\t".join(parts)
        if previous is not None:
            between_rows = bool(gaps) and bool(cells and _gaps(previous, char_width))
            step = line.top - previous.top
            if step > paragraph * max(line.height, previous.height) and not between_rows:
                out.append("")
            elif (
                out
                and out[-1]
                and not gaps
                and not (cells and _gaps(previous, char_width))
                and not _BLOCK_START.match(text)
                and _wrapped(previous, line, right, char_width)
            ):
                # Hyphenated words are left to the normaliser, which knows "demi-".
                out[-1] += ("\n" if out[-1].endswith("-") else " ") + text
                previous = line
                continue
        out.append(text)
        previous = line
    return "\n".join(out).split("\n")


def _wrapped(previous: _Line, line: _Line, right: float, char_width: float) -> bool:
    """Whether ``line`` goes on from ``previous``: the first word of ``line`` would not have
    fitted at the end of ``previous`` (a greedy line break), which did not end a sentence."""
    if re.search(r"[.:;!?»]$", previous.words[-1].text):
        return False
    first = line.words[0]
    needed = previous.x1 + char_width + (first.x1 - first.x0)
    return needed > right - char_width * 0.5 and abs(line.x0 - previous.x0) < 3 * char_width


def _cell_text(cell: str | None) -> str:
    """A table cell's lines as one: "1 demi-" / "journée" → "1 demi-journée"."""
    lines = [x.strip() for x in (cell or "").split("\n") if x.strip()]
    text = ""
    for line in lines:
        text += line if not text or text.endswith("-") else " " + line
    return text


def _ruled_tables(page) -> list[_Word]:
    """Tables drawn with rules, read by pdfplumber cell by cell (a cell's text may wrap over
    several lines in a narrow column), as one block each: rows of tab-separated cells."""
    blocks = []
    for table in page.find_tables():
        rows = [[_cell_text(c) for c in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        text = "\n".join("\t".join(row) for row in rows)
        blocks.append(_Word(text, x0, x1, top, bottom, table=True))
    return blocks


def _page_lines(page) -> list[str]:
    tables = _ruled_tables(page)
    words = [
        _Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    ]
    words = [
        w
        for w in words
        if not any(
            t.x0 - 1 <= (w.x0 + w.x1) / 2 <= t.x1 + 1
            and t.top - 1 <= (w.top + w.bottom) / 2 <= t.bottom + 1
            for t in tables
        )
    ] + tables
    if not words:
        return []
    char_width = _char_width(words)
    lines = _lines_of(words)
    out: list[str] = []
    position = 0
    for first, end, gutter in _column_runs(lines, char_width):
        out += _text_of(lines[position:first], char_width)
        words_in_run = [w for line in lines[first:end] for w in line.words]
        for side in (
            [w for w in words_in_run if w.x1 <= gutter],
            [w for w in words_in_run if w.x1 > gutter],
        ):
            out += ["", *_text_of(_lines_of(side), char_width, cells=False), ""]
        position = end
    return out + _text_of(lines[position:], char_width)


def _mask(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Headers and footers: the first or last two lines of a page, found (digits aside) on at
    least half of the pages, when there are 3 pages or more."""
    if len(pages) < 3:
        return pages
    edges = Counter()
    for lines in pages:
        content = [x for x in lines if x.strip()]
        edges.update({_mask(x) for x in content[:2] + content[-2:]})
    running = {line for line, n in edges.items() if n >= max(3, len(pages) / 2)}
    cleaned = []
    for lines in pages:
        content_indexes = [i for i, x in enumerate(lines) if x.strip()]
        edge_indexes = set(content_indexes[:2] + content_indexes[-2:])
        cleaned.append(
            [x for i, x in enumerate(lines) if not (i in edge_indexes and _mask(x) in running)]
        )
    return cleaned


def pdf_to_text(content: bytes) -> tuple[str, list[tuple[int, int]]]:
    """(text with a form feed between pages, (page, number of lines) of each page)."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        document = pdfplumber.open(io.BytesIO(content))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as error:
        raise PdfUnreadable(f"ce n'est pas un PDF lisible ({error.__class__.__name__}).") from None
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise PdfUnreadable(f"ce n'est pas un PDF lisible ({error.__class__.__name__}).") from None
    with document:
        if len(document.pages) > MAX_PAGES:
            raise PdfUnreadable(f"{len(document.pages)} pages ({MAX_PAGES} au plus).")
        try:
            pages = [_page_lines(page) for page in document.pages]
        except Exception as error:  # a damaged content stream
            raise PdfUnreadable(
                f"le contenu des pages est illisible ({error.__class__.__name__})."
            ) from None
    if not any(line.strip() for lines in pages for line in lines):
        raise PdfUnreadable(
            "il ne contient pas de texte (document numérisé ?) : demandez le PDF d'origine ou "
            "collez le texte."
        )
    pages = _drop_running_lines(pages)
    sizes = [(number, len(lines)) for number, lines in enumerate(pages, start=1)]
    return "\f".join("\n".join(lines) for lines in pages), sizes
