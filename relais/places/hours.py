"""Opening hours in OpenStreetMap syntax: validation and a French reading of the simple cases.

The ``opening_hours`` library (opening-hours-py) parses the full OSM grammar but offers no
human-readable rendering, so :func:`opening_hours_in_french` covers the common subset (days,
time ranges, ``off``, public holidays, ``24/7``) and returns ``None`` for anything else: the
page then shows the raw expression only.
"""

import re
import unicodedata

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


# --- A week of time ranges (the form's grid) and French text, both written as OSM -------------

# One day's time ranges, ("09:00", "12:00") pairs in order; ``closed_on_holidays`` adds "PH off".
Week = dict[str, list[tuple[str, str]]]


def _compress_days(days: list[str]) -> str:
    """["Mo", "Tu", "We", "Fr"] → "Mo-We,Fr" (runs of three or more days become a range)."""
    indexes = sorted(WEEK.index(day) for day in days)
    runs, parts = [], []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEK[run[0]]}-{WEEK[run[-1]]}")
        else:
            parts.extend(WEEK[i] for i in run)
    return ",".join(parts)


def week_to_osm(week: Week, *, closed_on_holidays: bool = False) -> str:
    """The OSM expression of a week: days with the same ranges share one rule, in week order."""
    groups: dict[tuple, list[str]] = {}
    for day in WEEK:
        ranges = tuple(sorted(week.get(day) or []))
        if ranges:
            groups.setdefault(ranges, []).append(day)
    rules = sorted(groups.items(), key=lambda item: WEEK.index(item[1][0]))
    parts = [
        f"{_compress_days(days)} {','.join(f'{a}-{b}' for a, b in ranges)}"
        for ranges, days in rules
    ]
    if closed_on_holidays:
        parts.append("PH off")
    return "; ".join(parts)


def osm_to_week(value: str) -> tuple[Week, bool] | None:
    """The week (and « closed on public holidays ») an expression describes, or ``None`` when it
    says more than a grid of days and ranges can hold (months, weeks, exceptions, overlaps)."""
    value = (value or "").strip()
    week: Week = {day: [] for day in WEEK}
    closed_on_holidays = False
    if not value:
        return week, closed_on_holidays
    seen: set[str] = set()
    for rule in (r.strip() for r in value.split(";")):
        match = _RULE.match(rule)
        if not rule or not match or not match["days"] or not match["hours"]:
            return None
        days = _day_set(match["days"])
        if match["hours"] in {"off", "closed"}:
            if days != {"PH"}:
                return None
            closed_on_holidays = True
            continue
        if "PH" in days or days & seen:
            return None
        seen |= days
        ranges = [tuple(r.strip().split("-")) for r in match["hours"].split(",")]
        for day in days:
            week[day] = sorted(ranges)
    return week, closed_on_holidays


_FRENCH_DAYS = {
    "lundi": "Mo", "lun": "Mo", "mardi": "Tu", "mar": "Tu", "mercredi": "We", "mer": "We",
    "jeudi": "Th", "jeu": "Th", "vendredi": "Fr", "ven": "Fr", "samedi": "Sa", "sam": "Sa",
    "dimanche": "Su", "dim": "Su",
}  # fmt: skip
_FRENCH_DAY = (
    r"(?:lundi|lun|mardi|mar|mercredi|mer|jeudi|jeu|vendredi|ven|samedi|sam|dimanche|dim)s?\.?"
)
_FRENCH_DAY_RANGE = re.compile(
    rf"(?:du\s+)?(?P<first>{_FRENCH_DAY})\s*(?:au|à|a|-|–)\s*(?P<last>{_FRENCH_DAY})"
)
_FRENCH_SINGLE_DAY = re.compile(rf"\b(?P<day>{_FRENCH_DAY})(?![a-z])")
_FRENCH_TIME = r"(?P<{0}h>\d{{1,2}})\s*(?:h|:)\s*(?P<{0}m>\d{{2}})?"
_FRENCH_TIME_RANGE = re.compile(
    r"(?:de\s+)?" + _FRENCH_TIME.format("a") + r"\s*(?:-|–|à|a|au)\s*" + _FRENCH_TIME.format("b")
)


def _french_day(word: str) -> str:
    return _FRENCH_DAYS[word.rstrip(".").removesuffix("s") if word.rstrip(".") not in _FRENCH_DAYS
                        else word.rstrip(".")]  # fmt: skip


def _hhmm(hours: str, minutes: str | None) -> str | None:
    hour, minute = int(hours), int(minutes or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}"


def french_to_osm(text: str) -> str | None:
    """French opening hours as people type them — « mardi 14h-18h », « du lundi au vendredi
    9h-12h et 14h-17h ; samedi 10h à 12h ; fermé les jours fériés » — in OSM syntax, or ``None``
    when a part is not understood (nothing is guessed: a part without days or hours is refused).
    """
    normalised = unicodedata.normalize("NFKC", text or "").lower().replace("’", "'")
    week: Week = {day: [] for day in WEEK}
    closed_on_holidays = False
    parts = [p.strip() for p in re.split(r"[;\n]|\.\s", normalised) if p.strip(" .,")]
    if not parts:
        return None
    for part in parts:
        if "férié" in part or "ferie" in part:
            if "fermé" in part or "ferme" in part:
                closed_on_holidays = True
                continue
            return None
        days: list[str] = []
        rest = part
        for match in _FRENCH_DAY_RANGE.finditer(part):
            first, last = _french_day(match["first"]), _french_day(match["last"])
            days += sorted(_day_set(f"{first}-{last}"), key=WEEK.index)
            rest = rest.replace(match.group(0), " ")
        days += [_french_day(m["day"]) for m in _FRENCH_SINGLE_DAY.finditer(rest)]
        rest = _FRENCH_SINGLE_DAY.sub(" ", rest)
        if "tous les jours" in part:
            days += WEEK
            rest = rest.replace("tous les jours", " ")
        ranges = []
        for match in _FRENCH_TIME_RANGE.finditer(rest):
            start, end = _hhmm(match["ah"], match["am"]), _hhmm(match["bh"], match["bm"])
            if start is None or end is None or start >= end:
                return None
            ranges.append((start, end))
        leftover = re.sub(r"\b(et|de|le|les|du|au|à|a|matin|après-midi|ouvert)\b", " ",
                          _FRENCH_TIME_RANGE.sub(" ", rest))  # fmt: skip
        if re.search(r"[a-z0-9]", leftover) and "fermé" not in leftover:
            return None  # something we do not understand: refuse rather than guess
        if not days:
            return None
        if "fermé" in part or "ferme" in part:
            if ranges:
                return None
            for day in days:
                week[day] = []
            continue
        if not ranges:
            return None
        for day in days:
            week[day] = sorted(set(week[day]) | set(ranges))
    result = week_to_osm(week, closed_on_holidays=closed_on_holidays)
    if not result:
        return None
    try:
        OpeningHours(result)
    except Exception:  # overlapping ranges, for instance
        return None
    return result
