"""Opening hours in OpenStreetMap syntax: validation and a French reading of the simple cases.

The ``opening_hours`` library (opening-hours-py) parses the full OSM grammar but offers no
human-readable rendering, so :func:`opening_hours_in_french` covers the common subset (days,
time ranges, ``off``, public holidays, ``24/7``) and returns ``None`` for anything else: the
page then shows the raw expression only.
"""

import re

from django.core.exceptions import ValidationError
from opening_hours import OpeningHours

EXAMPLE = "Mo-Fr 09:00-12:00,14:00-18:00"
INVALID_MESSAGE = (
    f"Horaires invalides (syntaxe OpenStreetMap attendue, ex. « {EXAMPLE} ») : {{detail}}"
)

_POSITION = re.compile(r"-->\s*\d+:(\d+)")


def validate_opening_hours(value: str) -> None:
    """Reject an expression the OSM opening_hours grammar does not accept (French message)."""
    if not value:
        return
    try:
        OpeningHours(value)
    except Exception as error:  # the library raises its own ParserError (and SyntaxError)
        match = _POSITION.search(str(error))
        params = {"value": value}
        if match:
            # The excerpt goes in the params, not the message: Django formats the message with
            # them, and a "%" typed by the user would break that formatting (500).
            params["column"] = column = int(match.group(1))
            params["excerpt"] = value[column - 1 :][:15]
            detail = "erreur au caractère %(column)s (« %(excerpt)s »)."
        else:
            detail = "expression non reconnue."
        raise ValidationError(
            INVALID_MESSAGE.format(detail=detail), code="opening_hours", params=params
        ) from None


DAYS = {
    "Mo": "lundi",
    "Tu": "mardi",
    "We": "mercredi",
    "Th": "jeudi",
    "Fr": "vendredi",
    "Sa": "samedi",
    "Su": "dimanche",
    "PH": "jours fériés",
}
_DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
_DAY_ITEM = rf"{_DAY}(?:-{_DAY})?"
_TIME = r"\d{2}:\d{2}"
_RANGE = rf"{_TIME}-{_TIME}"
_RULE = re.compile(
    rf"^(?P<days>{_DAY_ITEM}(?:,{_DAY_ITEM})*)?\s*"
    rf"(?P<hours>{_RANGE}(?:\s*,\s*{_RANGE})*|off|closed)?$"
)


def _time_fr(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)} h" + (f" {minutes}" if minutes != "00" else "")


WEEK = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def _day_set(days: str | None) -> set[str]:
    if not days:
        return set(WEEK)
    result = set()
    for item in days.split(","):
        first, _, last = item.partition("-")
        if first == "PH" or not last:
            result.add(first)
        else:  # Mo-Fr, and wrapping ranges such as Sa-Mo
            start, end = WEEK.index(first), WEEK.index(last)
            result.update(WEEK[(start + i) % 7] for i in range((end - start) % 7 + 1))
    return result


def _days_fr(days: str) -> str:
    parts = []
    for item in days.split(","):
        if "-" in item:
            first, last = item.split("-")
            parts.append(f"du {DAYS[first]} au {DAYS[last]}")
        else:
            parts.append(DAYS[item])
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def opening_hours_in_french(value: str) -> list[str] | None:
    """One French line per rule (``["Du lundi au vendredi : 9 h – 12 h, 14 h – 18 h"]``).

    ``None`` when the expression is empty or uses syntax beyond the simple subset.
    """
    value = (value or "").strip()
    if not value:
        return None
    if value == "24/7":
        return ["Ouvert 24 h sur 24, 7 jours sur 7"]
    lines, seen = [], set()
    for rule in (r.strip() for r in value.split(";")):
        match = _RULE.match(rule)
        if not rule or not match or not (match["days"] or match["hours"]):
            return None
        days = _day_set(match["days"])
        if days & seen and match["hours"] not in {"off", "closed"}:
            return None  # a later rule replaces an earlier one's hours: too subtle to list
        seen |= days
        days_text = _days_fr(match["days"]) if match["days"] else "Tous les jours"
        hours = match["hours"]
        if hours in {"off", "closed"}:
            hours_text = "fermé"
        elif hours:
            ranges = [r.strip().split("-") for r in hours.split(",")]
            hours_text = ", ".join(f"{_time_fr(a)} – {_time_fr(b)}" for a, b in ranges)
        else:
            hours_text = "ouvert"
        lines.append(f"{days_text} : {hours_text}")
    return lines
