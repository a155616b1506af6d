"""French as it is written, whatever the active locale: dates, times, months, elision, places.

One module for every page, PDF, e-mail, SMS and calendar (issue 17, section 4): « mardi 1er
décembre », « 24 novembre 2026 », « 14 h 30 », « compte rendu d'octobre 2026 », « à la
Médiathèque de Prades ». Times hold no-break spaces (« 9 h » never splits over two lines):
compare with :func:`plain` in tests. Template filters: ``core/templatetags/french.py``.

The convention (docs/glossary.md, « Dates et heures »): a time is « 14 h 30 » or « 9 h »; a
date in a sentence or a heading is long (« 7 décembre 2026 », with its weekday when the day
matters: « lundi 7 décembre 2026 »); in tables, lists and compact messages it is short
(« 07/12/2026 »). ``tests/test_meta.py`` refuses any other format in templates and code.
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
# The abbreviations of the Imprimerie nationale, where a month must be short (a chart's axis).
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                "oct.", "nov.", "déc.")  # fmt: skip
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


def french_day(day: date, year: bool = False) -> str:
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


def french_day_time(moment: datetime, year: bool = False) -> str:
    """« mardi 1er décembre à 14 h 30 » (« … 2026 à 14 h 30 » with ``year``)."""
    return f"{french_day(moment, year=year)} à {french_time(moment)}"


def short_date(day: date) -> str:
    """« 07/12/2026 »: the one numeric date, for tables, lists and compact messages."""
    day = _local(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def short_datetime(moment: datetime) -> str:
    """« 07/12/2026 à 14 h 30 » (tables, logs shown to people)."""
    return f"{short_date(moment)} à {french_time(moment)}"


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


def plural(count: int, singular: str, plural_form: str) -> str:
    """« 0 permanence créée », « 1 … », « 2 permanences créées »: French takes the singular for
    0 and 1. For words chosen at run time; a phrase written in the code goes through ``ngettext``
    or ``{% blocktranslate count %}``, whose catalog (locale/fr) carries the same rule ``n > 1``
    (docs/architecture.md, « Plurals »; Django's ``pluralize`` follows English)."""
    return f"{number(count)} {singular if abs(count) < 2 else plural_form}"


def number(value) -> str:
    """12345 → « 12 345 » (a narrow no-break space between thousands, as French prints them)."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float):
        whole, _, decimals = f"{value:,.1f}".partition(".")
        decimals = "" if decimals == "0" else f",{decimals}"
        return whole.replace(",", "\u202f") + decimals
    return str(value)


# A person's title (a role, or an adviser's kind) in the form they chose on « Mon compte »
# (``accounts.User.title_form``): feminine, masculine, or — the default, nothing being assumed
# from a first name — neutral: the function rather than the person, or both forms spelled out
# (no point médian, which screen readers spell).
TITLES = {
    # role or kind: (feminine, masculine, neutral)
    "coordinator": (
        "Coordinatrice du Département",
        "Coordinateur du Département",
        "Coordination du Département",
    ),
    "advisor": ("Conseillère numérique", "Conseiller numérique", "Médiation numérique"),
    "partner_staff": (
        "Agente d'une structure partenaire",
        "Agent d'une structure partenaire",
        "Structure partenaire",
    ),
    "committee_member": ("Membre du comité technique",) * 2 + ("Comité technique",),
    "administrator": ("Administratrice", "Administrateur", "Administration"),
    "ambassador": (
        "Ambassadrice du numérique",
        "Ambassadeur du numérique",
        "Ambassadeur ou ambassadrice du numérique",
    ),
    "cnfs": (
        "Conseillère numérique France Services",
        "Conseiller numérique France Services",
        "Conseiller ou conseillère numérique France Services",
    ),
}
ROLE_TITLES = {key: forms[2] for key, forms in TITLES.items()}


def person_title(key: str, form: str = "") -> str:
    """The title of a role or an adviser's kind: ``form`` "feminine", "masculine" or ""
    (neutral). « Conseillère numérique », « Coordinateur du Département », « Médiation
    numérique »."""
    forms = TITLES.get(key)
    if forms is None:
        return ""
    return forms[{"feminine": 0, "masculine": 1}.get(form, 2)]


def role_title(role: str) -> str:
    """A role's neutral title (« Coordination du Département »)."""
    return person_title(role)
