"""French writing helpers shared by every app (relais.core.french, issue 17 §4)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.template import Context, Template

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
