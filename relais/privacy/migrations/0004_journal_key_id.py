"""Entries name the key that signed them (an HMAC-SHA256 chain from now on).

Existing entries keep an empty ``key_id``: they were hashed with plain SHA-256 and are verified
that way, as the start of the chain (see relais/privacy/journal.py). Nothing is rewritten: the
journal is append-only.

SQLite cannot add a NOT NULL column in place: Django rebuilds the table, and the triggers of
migration 0002 go with the old one, so they are installed again after the rebuild (in both
directions). On PostgreSQL the column is added in place; re-installing changes nothing.
"""

import importlib

from django.db import migrations, models

_append_only = importlib.import_module("relais.privacy.migrations.0002_journal_append_only")


def reinstall_triggers(apps, schema_editor):
    _append_only.drop_triggers(apps, schema_editor)
    _append_only.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0003_rightsrequest'),
    ]

    operations = [
        # Reversed last: puts the triggers back after RemoveField rebuilt the table.
        migrations.RunPython(migrations.RunPython.noop, reinstall_triggers),
        migrations.AddField(
            model_name='journalentry',
            name='key_id',
            field=models.CharField(blank=True, max_length=16, verbose_name='clé'),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
