"""Dates and times written the French way, whatever the active locale (PDF, iCal, pages).

« mardi 1er décembre », « 9 h – 12 h 30 », « le 1er mardi du mois », « un mardi sur deux ».
Times use no-break spaces (French typography: « 9 h » never splits over two lines; nor does
the dash leave its start time): compare with :func:`plain` in tests.
"""

from datetime import date, time

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# Rank of a day in the month (planning.MonthWeek values) → « 1er », « 2e »… « dernier ».
RANKS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", -1: "dernier"}


NBSP = "\u00a0"


def plain(text: str) -> str:
    """``text`` with no-break spaces turned into plain spaces."""
    return text.replace(NBSP, " ")


def french_time(moment: time) -> str:
    """09:00 → « 9 h », 09:30 → « 9 h 30 » (no-break spaces)."""
    return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")


def french_time_range(start: time, end: time) -> str:
    """« 9 h – 12 h 30 » (the dash stays with the start time)."""
    return f"{french_time(start)}{NBSP}– {french_time(end)}"


def french_day(day: date, *, year: bool = False) -> str:
    """« mardi 1er décembre » (« mardi 1er décembre 2026 » with ``year``)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def french_date(day: date) -> str:
    """« 1er septembre 2027 » (no weekday)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]
