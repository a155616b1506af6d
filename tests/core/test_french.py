"""French writing helpers shared by every app (relais.core.french, issue 17 §4)."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from relais.core.french import (
    at_place,
    elide,
    french_date,
    french_day,
    french_time,
    number,
    of_month,
    of_place,
    plain,
    role_title,
)


def test_times_and_dates():
    assert plain(french_time(time(14, 30))) == "14 h 30"
    assert plain(french_time(time(9, 0))) == "9 h"
    utc = datetime(2026, 11, 24, 13, 30, tzinfo=ZoneInfo("UTC"))
    assert plain(french_time(utc)) == "14 h 30"  # Paris time
    assert french_date(date(2027, 9, 1)) == "1er septembre 2027"
    assert french_day(date(2026, 11, 24)) == "mardi 24 novembre"


def test_elision_before_a_vowel():
    assert of_month(date(2026, 10, 1)) == "d'octobre 2026"
    assert of_month(date(2026, 8, 1)) == "d'août 2026"
    assert of_month(date(2026, 3, 1)) == "de mars 2026"
    assert elide("le", "atelier") == "l'atelier"


def test_places_take_their_article():
    assert at_place("Médiathèque de Prades") == "à la Médiathèque de Prades"
    assert at_place("Centre social d'Ille") == "au Centre social d'Ille"
    assert at_place("Espace France services") == "à l'Espace France services"
    assert at_place("Prades") == "à Prades"
    assert of_place("Médiathèque de Prades") == "de la Médiathèque de Prades"
    assert of_place("Centre social") == "du Centre social"
    assert of_place("Ille-sur-Têt") == "d'Ille-sur-Têt"


def test_numbers_and_roles():
    assert number(12345) == "12\u202f345"
    assert number(1234.5) == "1\u202f234,5"
    assert role_title("advisor") == "Médiation numérique"


def test_filters():
    text = Template(
        "{% load french %}{{ t|heure }} · {{ m|mois_de }} · {{ n|a_lieu }} · {{ r|titre_du_role }}"
    ).render(
        Context(
            {
                "t": time(14, 30),
                "m": date(2026, 10, 1),
                "n": "Médiathèque de Prades",
                "r": "coordinator",
            }
        )
    )
    assert plain(text) == (
        "14 h 30 · d&#x27;octobre 2026 · à la Médiathèque de Prades · Coordination du Département"
    )


def test_short_dates_day_times_and_ranges():
    from relais.core.french import french_day_time, short_date, short_datetime

    moment = datetime(2026, 12, 7, 14, 30, tzinfo=ZoneInfo("UTC"))  # 15 h 30 in Paris
    assert short_date(date(2026, 3, 1)) == "01/03/2026"
    assert plain(short_datetime(moment)) == "07/12/2026 à 15 h 30"
    assert plain(french_day_time(moment)) == "lundi 7 décembre à 15 h 30"
    assert plain(french_day_time(moment, year=True)) == "lundi 7 décembre 2026 à 15 h 30"
    rendered = Template(
        "{% load french %}{{ a|plage:b }} · {{ a|plage:None }} · {{ None|plage:b }}·"
        "{{ d|date_courte }} · {{ a|date_heure_courte }} · {{ a|jour_heure }}"
    ).render(Context({"a": time(9), "b": time(12, 30), "d": date(2026, 12, 7)}))
    # A time has no date: |date_heure_courte and |jour_heure are for datetimes only.
    assert plain(rendered).startswith("9 h – 12 h 30 · 9 h · ·07/12/2026 · ")


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_written_dates_and_times_read_back_to_the_same_instant(naive):
    """An independent reading: Python's own parser gets the day back from « 07/12/2026 », and
    the clock back from « 14 h 30 »; nothing but the agreed shapes is ever written."""
    from relais.core.french import short_date

    moment = naive.replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert datetime.strptime(short_date(moment.date()), "%d/%m/%Y").date() == moment.date()
    written = french_time(moment)
    match = re.fullmatch(r"(\d{1,2})\u00a0h(?:\u00a0(\d{2}))?", written)
    assert match, written
    assert int(match[1]) == moment.hour and int(match[2] or 0) == moment.minute
    assert (match[2] is None) == (moment.minute == 0)
    day, month, year = french_date(moment.date()).split(" ")
    assert day == ("1er" if moment.day == 1 else str(moment.day))
    assert month == [
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
    ][moment.month - 1] and year == str(moment.year)


def test_plural_follows_the_french_rule():
    from relais.core.french import plural

    assert plural(0, "permanence créée", "permanences créées") == "0 permanence créée"
    assert plural(1, "permanence créée", "permanences créées") == "1 permanence créée"
    assert plural(2, "permanence créée", "permanences créées") == "2 permanences créées"
    assert plural(12345, "engagement", "engagements") == "12\u202f345 engagements"
