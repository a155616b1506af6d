"""Inserts that two requests can race (a double click, two tabs): the second gets the first's row.

A unique constraint lets one of two simultaneous inserts through; the other one raised
IntegrityError, answered 500, and left its transaction unusable on PostgreSQL. ``insert_or_get``
saves inside a savepoint and, on that error, reads the row the other request committed, so
both requests end with the same result. (SQLite's IMMEDIATE transactions queue writers, so
there the race only happens between a check and an insert made in separate transactions.)
"""

from django.db import IntegrityError, transaction


def insert_or_get(instance, **lookup):
    """Save the new ``instance``; when another request inserted the row that ``lookup`` finds
    first, return that row instead. Returns ``(row, inserted)``.

    Any other integrity error (a check or foreign key constraint) is raised as it was.
    """
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            instance.save()
    except IntegrityError as error:
        winner = type(instance)._default_manager.filter(**lookup).first()
        if winner is None:
            raise error from None
        return winner, False
    return instance, True
