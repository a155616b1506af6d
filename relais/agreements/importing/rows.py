"""Reading one line of a table of places, whatever the document it comes from."""

import re

from ..enums import Modality
from . import patterns
from .results import ParsedRow
from .text import fold, name_key, parse_number, squash

_CONNECTORS = "|".join(sorted(patterns.PLACE_CONNECTORS, key=len, reverse=True))


def _loose(pattern: str) -> str:
    """A name-key pattern made to run on folded text, where words are separated by anything."""
    return pattern.replace(" ", r"[^a-z0-9]+")


def analyse_label(label: str) -> tuple[str, str, str, list[str]]:
    """What a label says: (kind, kind word, commune part as written, commune keys to try).

    "MEDIATHEQUE DE PRADES" → (media_library, "Médiathèque", "PRADES", ["prades"]);
    "Mairie du Boulou" → (town_hall, "Mairie", "Boulou", ["le boulou", "boulou"]);
    "Los Masos" → ("", "", "Los Masos", ["los masos"]).
    """
    folded = fold(label)
    for pattern, kind, word in patterns.PLACE_PREFIXES:
        match = re.match(
            rf"^[^a-z0-9]*(?:{_loose(pattern)})[^a-z0-9]+(?P<connector>{_CONNECTORS})"
            r"(?:[^a-z0-9]+)(?P<rest>[a-z0-9].*)$",
            folded,
        )
        if match:
            rest = squash(label[match.start("rest") :])
            key = name_key(rest)
            article = patterns.PLACE_CONNECTORS[match["connector"]]
            keys = [article + key, key] if article else [key]
            return kind, word, rest, keys
    return "", "", squash(label), [name_key(label)]


def _match_vocabulary(raw: str, vocabulary: dict) -> str | None:
    key = name_key(raw)
    for value, pattern in vocabulary.items():
        if re.fullmatch(pattern, key):
            return value
    return None


def parse_duration(raw: str) -> tuple[int, str] | None:
    """``2 journées``, ``2demi-journées``, ``une demi-journée`` → (count, unit)."""
    match = re.match(patterns.DURATION_CELL, fold(squash(raw)))
    if not match:
        return None
    count = parse_number(match["count"])
    unit = _match_vocabulary(match["unit"], patterns.UNITS)
    if not count or unit is None:
        return None
    return count, unit


def parse_frequency(raw: str) -> str | None:
    return _match_vocabulary(raw, patterns.FREQUENCIES)


def parse_modality(raw: str) -> str | None:
    return _match_vocabulary(raw, patterns.MODALITIES)


def build_row(
    line_number: int, label: str, duration: str, frequency: str, modality: str | None
) -> tuple[ParsedRow | None, str | None]:
    """A row from its four cells, or a French error naming the line and every unreadable cell.

    A missing modality column means on site (the usual case), as the seed's tables say.
    """
    label, duration, frequency = squash(label), squash(duration), squash(frequency)
    problems = []
    if not label:
        problems.append("le lieu est vide")
    parsed_duration = parse_duration(duration)
    if parsed_duration is None:
        problems.append(f"durée « {duration} » illisible")
    parsed_frequency = parse_frequency(frequency)
    if parsed_frequency is None:
        problems.append(
            f"fréquence « {frequency} » illisible (attendu : par semaine, par quinzaine "
            "ou par mois)"
        )
    parsed_modality = Modality.ON_SITE
    if modality is not None and squash(modality):
        parsed_modality = parse_modality(modality)
        if parsed_modality is None:
            problems.append(
                f"modalité « {squash(modality)} » illisible (attendu : présentiel ou distanciel)"
            )
    if problems:
        return None, f"Ligne {line_number} : " + " ; ".join(problems) + "."
    kind, word, commune_label, keys = analyse_label(label)
    count, unit = parsed_duration
    row = ParsedRow(
        line_number=line_number,
        label=label,
        count=count,
        unit=unit,
        frequency=parsed_frequency,
        modality=parsed_modality,
        kind=kind,
        kind_word=word,
        commune_label=commune_label,
        commune_keys=keys,
    )
    return row, None


def column_of(header_cell: str) -> str | None:
    """Which column a header cell names ("Lieux", "DURÉE", "Fréquences"…), if any."""
    key = name_key(header_cell)
    for column, pattern in patterns.COLUMNS.items():
        if re.fullmatch(pattern, key):
            return column
    return None


def header_columns(cells: list[str]) -> list[str] | None:
    """The column order when ``cells`` are a table header, else None.

    A header names at least the place and the duration, and one of frequency or modality;
    every cell must be a column name (so a sentence mentioning "durée" is not a header).
    """
    if len(cells) == 1:
        cells = cells[0].split()
    columns = [column_of(c) for c in cells]
    if None in columns or len(set(columns)) != len(columns):
        return None
    if {"label", "duration"} <= set(columns) and len(columns) >= 3:
        return columns
    return None
