"""Normalised forms of names, phones and e-mails: the keys of search and duplicate detection.

« Éloïse  DUPONT-Martin » and « eloise dupont martin » are the same person to a human reading
a paper form; the keys make them equal for the database too.
"""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[-'’‐–_.]", " ", text)
    return " ".join(text.split())


def name_key(last_name: str, first_name: str) -> str:
    last, first = fold(last_name), fold(first_name)
    return f"{last}|{first}" if first else last


def phone_search_key(text: str) -> str:
    """What to look for in the stored numbers (E.164, ``relais.core.validators``) when someone
    types a part of one: « 06 12 34 » → « +33612 34 », « 0034 6… » → « +346… », « 12 34 56 »
    → « 123456 ». ASCII digits only: « ٦ » is not a digit anybody stored."""
    digits = re.sub(r"[^0-9+]", "", text or "")
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+33" + digits[1:]
    return digits


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()
