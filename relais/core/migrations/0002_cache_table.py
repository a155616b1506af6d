"""The cache table: created by `relais migrate`, so that an install or an upgrade needs no
extra step before the public forms' rate limits can count (config/settings/base.py, CACHES).

Django's `createcachetable` does the work: it creates the table of each database cache of the
settings (none when CACHE_URL points to memcached or Redis) and leaves an existing one alone,
so running it again, or by hand after changing CACHE_URL, is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
