"""French as it is written, whatever the active locale: dates, times, months, elision, places.

One module for every page, PDF, e-mail and calendar (issue 17, section 4): « mardi 1er
décembre », « 24 novembre 2026 », « 14 h 30 », « compte rendu d'octobre 2026 », « à la
Médiathèque de Prades ». Times hold no-break spaces (« 9 h » never splits over two lines):
compare with :func:`plain` in tests. Template filters: ``core/templatetags/
french.py``.
"""

from datetime import date, datetime, time

from django.utils import timezone

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
VOWELS = "aeiouyàâäéèêëîïôöùûüœæh"  # a mute h elides too (« d'hiver »); no aspirated h here


def plain(text: str) -> str:
    """``text`` with no-break spaces turned into plain spaces."""
    return text.replace(NBSP, " ")


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _local(moment):
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def french_time(moment: time | datetime) -> str:
    """09:00 → « 9 h », 14:30 → « 14 h 30 » (no-break spaces); a datetime in Paris time."""
    moment = _local(moment)
    return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")


def french_time_range(start: time, end: time) -> str:
    """« 9 h – 12 h 30 » (the dash stays with the start time)."""
    return f"{french_time(start)}{NBSP}– {french_time(end)}"


def _day_number(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def french_day(day: date, *, year: bool = False) -> str:
    """« mardi 1er décembre » (« mardi 1er décembre 2026 » with ``year``)."""
    day = _local(day)
    text = f"{WEEKDAYS[day.weekday()]} {_day_number(day)} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def french_date(day: date) -> str:
    """« 1er septembre 2027 », « 24 novembre 2026 » (no weekday)."""
    day = _local(day)
    return f"{_day_number(day)} {MONTHS[day.month - 1]} {day.year}"


def french_datetime(moment: datetime) -> str:
    """« 24 novembre 2026 à 14 h 30 »."""
    return f"{french_date(moment)} à {french_time(moment)}"


def month_year(month: date) -> str:
    """« octobre 2026 »."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def elide(word: str, following: str) -> str:
    """« de » + « octobre » → « d'octobre » ; « de » + « mars » → « de mars » (also le, la,
    que, ne, je, se: the words French elides before a vowel or a mute h)."""
    if following[:1].lower() in VOWELS:
        return f"{word[:-1]}'{following}"
    return f"{word} {following}"


def of_month(month: date) -> str:
    """« d'octobre 2026 », « de mars 2026 »: a month after « de »."""
    return elide("de", month_year(month))


# Common nouns a place's name may start with, and their gender: « à la Médiathèque de
# Prades », « au Centre social », « à l'Espace France services ». A name that starts with
# anything else (a commune, « France services ») takes a bare « à ».
FEMININE = {"médiathèque", "bibliothèque", "maison", "mairie", "salle", "agence", "école"}
FEMININE |= {"cyberbase", "cyber-base", "mission", "caisse", "communauté", "permanence"}
MASCULINE = {"centre", "espace", "point", "pôle", "foyer", "local", "tiers-lieu", "château"}
MASCULINE |= {"hôtel", "office", "bureau", "musée", "club", "siège"}


def article(name: str) -> str:
    """The definite article a place's name takes after « à » or « de », or "" for none."""
    first = name.split(" ", 1)[0].lower()
    if first in FEMININE or first in MASCULINE:
        return "l'" if first[:1] in VOWELS else ("la " if first in FEMININE else "le ")
    return ""


def at_place(name: str) -> str:
    """« à la Médiathèque de Prades », « au Centre social d'Ille », « à l'Espace… », « à
    Prades »."""
    determiner = article(name)
    if determiner == "le ":
        return f"au {name}"
    return f"à {determiner}{name}"


def of_place(name: str) -> str:
    """« de la Médiathèque de Prades », « du Centre social », « de l'Espace… », « de Prades »."""
    determiner = article(name)
    if determiner == "le ":
        return f"du {name}"
    return elide("de", f"{determiner}{name}") if not determiner else f"de {determiner}{name}"


def number(value) -> str:
    """12345 → « 12 345 » (a narrow no-break space between thousands, as French prints them)."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float):
        whole, _, decimals = f"{value:,.1f}".partition(".")
        decimals = "" if decimals == "0" else f",{decimals}"
        return whole.replace(",", "\u202f") + decimals
    return str(value)


# Role titles that fit whoever holds them (no gender is recorded): the function, not the person.
ROLE_TITLES = {
    "coordinator": "Coordination du Département",
    "advisor": "Médiation numérique",
    "partner_staff": "Structure partenaire",
    "committee_member": "Comité technique",
    "administrator": "Administration",
}


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role, "")
