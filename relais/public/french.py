"""Dates and times written the French way: now in ``relais.core.french`` (one module for every
app); the names stay importable from here for the public pages, posters and feeds."""

from relais.core.french import (  # noqa: F401
    MONTHS,
    NBSP,
    RANKS,
    WEEKDAYS,
    capfirst,
    french_date,
    french_day,
    french_time,
    french_time_range,
    plain,
)
