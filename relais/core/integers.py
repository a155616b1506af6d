"""Integer columns accept, on every database, only what PostgreSQL can hold.

Two gaps let a number typed by anybody reach the database unchecked:

* SQLite stores any 64-bit integer in any integer column, and Django derives the range checks of
  ``full_clean()`` (and so of every ModelForm) from the database: on SQLite a small integer
  accepted 99,999,999,999, which PostgreSQL, in production, refuses. The ranges are the same
  on both here, PostgreSQL's.
* Django ignores impossible values in ``exact`` and the comparisons (``IntegerFieldOverflow``),
  not in ``in``: a ``ModelMultipleChoiceField`` given "-99999999999999999999999" queried
  ``pk__in=[…]``, and SQLite raised OverflowError, PostgreSQL "bigint out of range" (500). No
  row holds such a value, so leaving it out of the list changes no result.

Imported by ``CoreConfig.ready()``.
"""

from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import IntegerField
from django.db.models.lookups import In

if any(db["ENGINE"] == "django.db.backends.sqlite3" for db in settings.DATABASES.values()):
    # Through the backend's base module: importing its operations module first is circular.
    from django.db.backends.sqlite3 import base as sqlite

    sqlite.DatabaseOperations.integer_field_range = BaseDatabaseOperations.integer_field_range


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        internal_type = self.lhs.output_field.get_internal_type()
        if self.rhs_is_direct_value() and internal_type in connection.ops.integer_field_ranges:
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
