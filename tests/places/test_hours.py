"""Opening hours between the grid, French text and OSM: round trips, never a different week."""

from hypothesis import given
from hypothesis import strategies as st
from opening_hours import OpeningHours

from relais.places.hours import WEEK, french_to_osm, osm_to_week, week_to_osm

FRENCH = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi",
          "Sa": "samedi", "Su": "dimanche"}  # fmt: skip


@st.composite
def weeks(draw):
    """Up to two ordered, non-overlapping ranges a day, on quarter hours."""
    week = {}
    for day in WEEK:
        marks = sorted(draw(st.sets(st.integers(28, 88), max_size=4)))  # 07:00 … 22:00
        marks = marks[: len(marks) // 2 * 2]
        week[day] = [
            (f"{a // 4:02d}:{a % 4 * 15:02d}", f"{b // 4:02d}:{b % 4 * 15:02d}")
            for a, b in zip(marks[::2], marks[1::2], strict=True)
        ]
    return week


def _in_french(week, closed: bool, *, style: int) -> str:
    """How a partner would type it: one clause per day, times as « 9h30 » or « 09:30 »."""

    def time(value: str) -> str:
        hours, minutes = value.split(":")
        return f"{int(hours)}h{minutes if minutes != '00' else ''}" if style else value

    clauses = [
        f"{FRENCH[day]} " + " et ".join(f"{time(a)}-{time(b)}" for a, b in ranges)
        for day, ranges in week.items()
        if ranges
    ]
    if closed:
        clauses.append("fermé les jours fériés")
    return " ; ".join(clauses)


@given(weeks(), st.booleans())
def test_grid_to_osm_and_back_is_the_same_week(week, closed):
    expression = week_to_osm(week, closed_on_holidays=closed)
    if expression:
        OpeningHours(expression)  # the OSM library accepts what we write
    assert osm_to_week(expression) == (week, closed)


@given(weeks(), st.booleans(), st.integers(0, 1))
def test_french_text_means_the_same_week_as_the_grid(week, closed, style):
    text = _in_french(week, closed, style=style)
    expected = week_to_osm(week, closed_on_holidays=closed)
    assert french_to_osm(text) == (expected or None)


@given(st.text(max_size=40))
def test_french_reading_never_invents_hours(text):
    """Any text: either not understood, or a valid OSM expression whose every time is in it."""
    result = french_to_osm(text)
    if result is not None:
        OpeningHours(result)
        digits = "".join(ch for ch in text if ch.isdigit())
        assert digits, (text, result)
