"""Text helpers of the importer: accent folding, name keys, French dates and numbers."""

import functools
import re
import unicodedata
from datetime import date

from . import patterns

# Characters that mean the same thing to a reader but not to a regex.
_SAME_AS = {
    "\u2019": "'",  # ’
    "\u2018": "'",  # ‘
    "\u02bc": "'",  # ʼ
    "\u00b4": "'",  # ´
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2013": "-",  # –
    "\u2014": "-",  # —
    "\u2011": "-",  # non-breaking hyphen
    "\u00ba": "°",  # º (ordinal indicator typed for "n°")
}


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    char = _SAME_AS.get(char, char)
    base = unicodedata.normalize("NFD", char)[0].lower()
    # One character for one, so that offsets in the folded text are offsets in the original.
    return base[0] if base else char


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with exactly the same length."""
    return "".join(_fold_char(c) for c in text)


def name_key(text: str) -> str:
    """Comparison key of a place or commune name: no case, accents, punctuation or extra spaces.

    "RIA-SIRACH", "Ria Sirach" and "ria  sirach" share the key "ria sirach"; "St-Paul" and
    "Saint Paul" share "saint paul".
    """
    key = re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()
    words = [patterns.WORD_ALIASES.get(w, w) for w in key.split()]
    return " ".join(words)


def squash(text: str) -> str:
    """Collapse runs of white space (line breaks included) into one space."""
    return re.sub(r"\s+", " ", text).strip()


def parse_french_date(raw: str) -> date | None:
    """``15 FEVRIER 2024``, ``1er mars 2024``, ``08/02/2024`` → a date; None when unreadable."""
    folded = fold(squash(raw))
    match = re.search(patterns.DATE_WORDS, folded)
    if match:
        day = int(match["day"])
        month = patterns.MONTHS[match["month"]]
        year = int(match["year"])
    else:
        match = re.search(patterns.DATE_NUMERIC, folded)
        if not match:
            return None
        day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_number(raw: str) -> int | None:
    """``2``, ``deux``, ``un`` → an integer; None when it is neither digits nor a number word."""
    folded = fold(raw).strip()
    if folded.isdigit():
        return int(folded)
    return patterns.NUMBER_WORDS.get(folded)


def sentence_case(text: str) -> str:
    """A heading typed in capitals, in sentence case: words in capitals are lowered.

    Words already in mixed case ("Vague") are kept; the text and the first word inside
    guillemets start with a capital ("« Conseiller et ambassadeur du numérique »").
    """

    def lower_capitals(match: re.Match) -> str:
        word = match.group(0)
        return word.lower() if word.isupper() and len(word) > 1 else word

    text = re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)?", lower_capitals, squash(text))
    text = re.sub(r"(«\s*)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:]


def strip_markup(line: str) -> str:
    """A line without Markdown bold markers and HTML tags."""
    line = re.sub(r"</?(?:p|br|div|span|strong|b|em|i)\b[^>]*>", "\t", line, flags=re.I)
    return line.replace("**", "").strip()
