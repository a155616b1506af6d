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


def normalise_phone(phone: str) -> str:
    """Digits only; +33 numbers written the French way (0X XX XX XX XX)."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    return digits


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()
