"""Text as coordinators receive it, made plain before parsing (issue 13, §2).

Two kinds of noise are removed, and nothing else:

- **characters** that read the same but do not match the same (NFC; no-break, narrow and thin
  spaces; U+2010/U+2011 hyphens; soft hyphens; typographic apostrophes and quotes; BOM and
  zero-width characters; CRLF; form feeds; UTF-8 read as Windows-1252);
- **PDF-to-text artefacts**: page numbers ("Page 3/12", "- 3 -"), headers and footers repeated at
  every page break, words hyphenated across lines ("Admin-" / "istratif") and hard wraps inside a
  paragraph.

Every line of the result remembers the line of the original it starts on (``line_numbers``),
so that an error names the line the reader sees in their own document.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# Characters replaced one for one. Guillemets « » stay: the patterns read them.
_CHARACTERS = {
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space (before « ; : ! ? » in French typography)
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u2002": " ",
    "\u2003": " ",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2212": "-",  # minus sign
    "\u2019": "'",  # ’
    "\u2018": "'",  # ‘
    "\u02bc": "'",  # ʼ
    "\u2032": "'",  # ′
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
    "\x0b": "\n",  # vertical tab
}
_REMOVED = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
_TRANSLATION = {**str.maketrans(_CHARACTERS), **_REMOVED}
SOFT_HYPHEN = "\u00ad"
PAGE_BREAK = "\f"

# "Page 3/12", "page 3 sur 12", "3/12", "- 3 -", "Page 3": a line that only numbers a page.
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:page|p\.)\s*\d{1,3}(?:\s*(?:/|sur|de)\s*\d{1,3})?|\d{1,3}\s*(?:/|sur)\s*\d{1,3}"
    r"|[-–—]\s*\d{1,3}\s*[-–—])\s*$",
    re.IGNORECASE,
)
# Signs of UTF-8 decoded as Windows-1252 ("Ã©" for "é", "â€™" for "’").
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¡-ÿ]|â€|Â[\xa0-\xbf]")
# Prefixes that keep their hyphen when a word is cut at the end of a line ("demi-" / "journée").
KEPT_HYPHEN_PREFIXES = {
    "demi",
    "vice",
    "ci",
    "apres",
    "après",
    "sous",
    "non",
    "ex",
    "mi",
    "semi",
    "quasi",
    "arriere",
    "arrière",
    "avant",
    "grand",
    "porte",
    "saint",
    "sainte",
    "c'est",
    "celle",
    "celui",
    "ceux",
    "peut",
    "au",
    "là",
}
# A line a paragraph never continues on: a bullet, a numbered clause, an article heading, a
# signature title, a cell of a table.
_BLOCK_START = re.compile(
    r"^\s*(?:[-–•➤▪*>]\s|\d+(?:\.\d+)+\.?\s|\d+\s*[.:)–-]\s|(?i:article)\b"
    r"|(?i:(?:le|la)\s+(?:pr[ée]sidente?|maire)\b)|<p>|\|)"
)
_SENTENCE_END = re.compile(r"[.:;!?»]\s*$|\*\*\s*$")


@dataclass
class Normalised:
    text: str
    line_numbers: list[int]  # original line number of each line of ``text``
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def repair_encoding(text: str) -> tuple[str, bool]:
    """UTF-8 that went through Windows-1252 ("Ã©") put back; (text, whether it was repaired)."""
    if len(_MOJIBAKE.findall(text)) < 2:
        return text, False
    try:
        return text.encode("cp1252").decode("utf-8"), True
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False


def normalise_characters(text: str) -> str:
    """NFC and one code point for what reads the same; line breaks as ``\\n``; form feeds kept
    on a line of their own (page breaks, used by :func:`normalise`)."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    return text.replace(PAGE_BREAK, "\n" + PAGE_BREAK + "\n")


def _is_table_line(line: str) -> bool:
    return "\t" in line or "|" in line or bool(re.search(r"\S {2,}\S", line.strip()))


def _page_key(line: str) -> str:
    """A line as a running header compares: soft hyphens and spacing aside."""
    return " ".join(line.replace(SOFT_HYPHEN, "").split())


def _repeated_page_lines(lines: list[str]) -> set[str]:
    """Headers and footers: short lines seen at 3 page boundaries or more.

    A page boundary is a form feed or a page number; a line counts when it is one of the two
    non-blank lines on either side of it. A sentence of the text repeated by chance is not
    next to page breaks every time.
    """
    breaks = [
        i for i, line in enumerate(lines) if line.strip() == PAGE_BREAK or PAGE_NUMBER.match(line)
    ]
    if len(breaks) < 2:
        return set()
    # The start and the end of the text are page edges too (first header, last footer).
    breaks = [-1, *breaks, len(lines)]
    near_indexes: set[int] = set()
    for index in breaks:
        for step in (-1, 1):
            position, found = index + step, 0
            while 0 <= position < len(lines) and found < 2:
                candidate = _page_key(lines[position])
                if candidate and candidate != PAGE_BREAK and not PAGE_NUMBER.match(candidate):
                    near_indexes.add(position)
                    found += 1
                position += step
    near = Counter(_page_key(lines[i]) for i in near_indexes)
    total = Counter(_page_key(line) for line in lines if line.strip())
    return {
        line
        for line, count in near.items()
        if count >= 3 and total[line] == count and len(line) <= 120 and not _is_table_line(line)
    }


def _join_hyphenated(first: str, second: str, known: str) -> str:
    """ "Tribunal Admin-" + "istratif …" → "Tribunal Administratif …"; "demi-" + "journée" keeps
    its hyphen, as does a compound the text writes elsewhere with one."""
    head = re.search(r"([\w']+)-$", first)
    word = head.group(1) if head else ""
    tail = re.match(r"\s*([\w']+)", second)
    following = tail.group(1) if tail else ""
    compound = f"{word}-{following}".lower()
    joined = f"{word}{following}".lower()
    if compound in known:
        return first + second.lstrip()
    if re.search(rf"\b{re.escape(joined)}\b", known):
        return first[:-1] + second.lstrip()
    # "Jean-" / "Louis", "Saint-" / "Paul": a capital after the cut starts a name.
    starts_name = following[:1].isupper() and not following.isupper()
    if (
        word.lower() in KEPT_HYPHEN_PREFIXES
        or starts_name
        or (word.isupper() and following.isupper())
    ):
        return first + second.lstrip()
    return first[:-1] + second.lstrip()


def _wrap_width(lines: list[str]) -> int:
    """The width at which a converter wrapped the text (0: the text is not hard-wrapped).

    Hard-wrapped text has many long lines of nearly the same length; pasted paragraphs do not.
    """
    lengths = sorted(len(x) for x in lines if len(x.strip()) >= 25 and not _is_table_line(x))
    if len(lengths) < 8:
        return 0
    top = lengths[int(len(lengths) * 0.9)]
    if top > 140:
        return 0
    near_top = sum(1 for n in lengths if n >= top * 0.8)
    return top if near_top >= len(lengths) * 0.3 else 0


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` is the rest of the paragraph ``previous`` was cut from."""
    if not previous.strip() or not line.strip() or PAGE_BREAK in (previous, line):
        return False
    if _is_table_line(previous) or _is_table_line(line) or _BLOCK_START.match(line):
        return False
    first = line.lstrip()[:1]
    if first.islower() and not re.search(r"[.!?]\s*$", previous):
        return True
    if _SENTENCE_END.search(previous):
        return False
    # A line cut by the converter's width: long, and the next word did not fit on it.
    return bool(width) and len(previous) >= width * 0.75 and previous.rstrip()[-1:] != "-"


def normalise(text: str) -> Normalised:
    """The plain text the parser reads, with the original line number of each line."""
    notes = []
    text, repaired = repair_encoding(text)
    if repaired:
        notes.append("Texte en UTF-8 lu comme Windows-1252 (« Ã© ») : accents rétablis.")
    text = normalise_characters(text)
    raw_lines = text.split("\n")
    numbers, number = [], 1
    for line in raw_lines:
        numbers.append(number)
        if line != PAGE_BREAK:
            number += 1
    # (A form feed is white space to rstrip: keep it, it marks the page break.)
    lines = [line if line == PAGE_BREAK else line.rstrip() for line in raw_lines]

    repeated = _repeated_page_lines(lines)
    kept = [
        (line, n)
        for line, n in zip(lines, numbers, strict=True)
        if line != PAGE_BREAK and not PAGE_NUMBER.match(line) and _page_key(line) not in repeated
    ]
    removed = len(lines) - len(kept) - lines.count(PAGE_BREAK)
    if removed:
        notes.append(f"{removed} ligne(s) de pagination (numéros, en-têtes, pieds de page) ôtées.")
    # A page break inside a paragraph leaves blank lines around the footer: the paragraph
    # goes on after them when its last line did not end a sentence and the next starts low.
    compact: list[tuple[str, int]] = []
    for line, n in kept:
        if (
            line.strip()
            and line.lstrip()[:1].islower()
            and len(compact) >= 2
            and not compact[-1][0].strip()
            and compact[-2][0].strip()
            and not _SENTENCE_END.search(compact[-2][0])
            and not _is_table_line(compact[-2][0])
            and removed
        ):
            while compact and not compact[-1][0].strip():
                compact.pop()
        compact.append((line, n))

    known = " ".join(line for line, _ in compact).lower()
    width = _wrap_width([line for line, _ in compact])
    out: list[list] = []
    for line, n in compact:
        if out:
            previous = out[-1][0]
            if previous.endswith(SOFT_HYPHEN) and line.strip():
                out[-1][0] = previous[:-1] + line.lstrip()
                continue
            if (
                re.search(r"\w-$", previous)
                and line.strip()[:1].isalpha()
                and not _is_table_line(previous)
                and not _BLOCK_START.match(line)
            ):
                out[-1][0] = _join_hyphenated(previous, line, known)
                continue
            if _continues(previous, line, width):
                out[-1][0] = previous + " " + line.strip()
                continue
        out.append([line, n])
    # Runs of blank lines (page breaks, spacing) count as one: a paragraph break.
    out = [pair for i, pair in enumerate(out) if pair[0].strip() or i == 0 or out[i - 1][0].strip()]
    result_lines = [line.replace(SOFT_HYPHEN, "") for line, _ in out]
    return Normalised("\n".join(result_lines), [n for _, n in out], notes)
