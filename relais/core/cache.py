"""Django's database cache with an increment that rate limits can count on.

django-ratelimit counts a client's submissions with ``cache.add()`` then ``cache.incr()``.
Django's ``DatabaseCache.incr`` is ``get()`` then ``set()``: two requests at once both read 3
and both write 4, and the ``set()`` gives the entry the default timeout (5 minutes), so a
one-hour window would start again after 5 quiet minutes. Here the entry's row is locked
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and
rewritten with the expiry it had.
"""

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=db):
            expires = self._lock_and_read_expiry(key, version, db)
            value = self.get(key, version=version)
            if expires is None or value is None:
                raise ValueError(f"Key '{key}' not found")
            left = (expires - timezone.now()).total_seconds()
            if left <= 0:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, timeout=left, version=version)
        return value

    def _lock_and_read_expiry(self, key, version, db):
        connection = connections[db]
        quote_name = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Only quoted identifiers from the settings are formatted in; the key is a parameter.
        query = (
            f"SELECT {quote_name('expires')} FROM {quote_name(self._table)} "  # noqa: S608
            f"WHERE {quote_name('cache_key')} = %s{lock}"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [self.make_and_validate_key(key, version=version)])
            row = cursor.fetchone()
        if row is None:
            return None
        # The conversions DatabaseCache.get_many applies (SQLite returns text).
        expression = models.Expression(output_field=models.DateTimeField())
        expires = row[0]
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires
