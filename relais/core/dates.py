"""Calendar arithmetic every app shares: the Monday of a week, the first and last day of a
month. French wording of dates is in :mod:`relais.core.french`."""

from datetime import date, timedelta


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week (weeks start on Monday in France)."""
    return day - timedelta(days=day.weekday())


def next_monday(day: date) -> date:
    """The Monday of the week after ``day``'s."""
    return monday_of(day) + timedelta(weeks=1)


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
