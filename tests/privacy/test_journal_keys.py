"""The keyed chain: HMAC under a key from the environment, rotation, and the entries from before.

The key is never in the database, so whoever can only write to the database cannot sign an
entry; entries written before the key existed keep their plain SHA-256 and may only form the
start of the chain, sealed by the first signed entry and by the checkpoint of the switch.
"""

import hashlib
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.privacy.enums import JournalAction
from relais.privacy.journal import canonical_content, entry_hash, journal_append, journal_verify
from relais.privacy.journal_keys import journal_keyring, key_id
from relais.privacy.models import GENESIS_HASH, JournalEntry

from .journal_helpers import journal_triggers, journal_unprotect, raw

KEY_2025 = "journal-key-2025-0123456789abcdefghijklmnopqrstu"
KEY_2026 = "journal-key-2026-0123456789abcdefghijklmnopqrstu"
KEY_2027 = "journal-key-2027-0123456789abcdefghijklmnopqrstu"


def _fill(count=2):
    return [
        journal_append(actor=None, action=JournalAction.PURGE, details={"count": n})
        for n in range(count)
    ]


def _verify_command() -> str:
    out = StringIO()
    call_command("verify-journal", stdout=out, stderr=StringIO())
    return out.getvalue()


# --- The key ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entries_are_signed_with_the_key_which_the_database_never_sees(settings):
    settings.RELAIS_JOURNAL_KEY = KEY_2026
    entries = _fill(2)
    text = canonical_content(entries[1])
    assert entries[1].key_id == key_id(KEY_2026)
    assert '"key_id":"' + key_id(KEY_2026) + '"' in text  # the key id is signed too
    assert entries[1].hash == entry_hash(entries[1])
    assert entries[1].hash != hashlib.sha256(text.encode()).hexdigest()
    rows = " ".join(str(row) for row in JournalEntry.objects.values_list())
    assert KEY_2026 not in rows
    assert journal_verify().ok


@pytest.mark.django_db
def test_the_key_id_reveals_nothing_of_the_key():
    assert key_id(KEY_2026) != key_id(KEY_2027)
    assert key_id(KEY_2026) not in hashlib.sha256(KEY_2026.encode()).hexdigest()
    assert len(key_id(KEY_2026)) == 12


@pytest.mark.django_db
def test_another_key_cannot_verify_the_journal(settings):
    settings.RELAIS_JOURNAL_KEY = KEY_2026
    _fill(2)
    settings.RELAIS_JOURNAL_KEY = KEY_2027  # the old key lost, not listed
    check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 1)
    assert "clé inconnue" in check.message and "RELAIS_JOURNAL_KEYS" in check.message


@pytest.mark.django_db
def test_nothing_is_journaled_without_a_key(settings):
    settings.RELAIS_JOURNAL_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="RELAIS_JOURNAL_KEY"):
        journal_append(actor=None, action=JournalAction.PURGE)
    assert not JournalEntry.objects.exists()


def test_the_system_checks_require_a_long_key_listed_once(settings):
    def errors():
        return sorted(e.id for e in checks.run_checks() if e.id.startswith("privacy.E"))

    assert errors() == []
    settings.RELAIS_JOURNAL_KEY = ""
    assert errors() == ["privacy.E001"]
    settings.RELAIS_JOURNAL_KEY = "short"
    assert errors() == ["privacy.E002"]
    settings.RELAIS_JOURNAL_KEY = KEY_2026
    settings.RELAIS_JOURNAL_KEYS = [KEY_2025, KEY_2026]
    assert errors() == ["privacy.E003"]


def test_the_production_settings_refuse_to_run_without_a_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    for variable in ("RELAIS_JOURNAL_KEY", "DATABASE_MIGRATION_URL"):
        env.pop(variable, None)
    result = subprocess.run(
        [sys.executable, "-m", "relais", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "privacy.E001" in result.stderr and "RELAIS_JOURNAL_KEY" in result.stderr


# --- Rotation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_after_a_rotation_the_retired_key_still_verifies_what_it_signed(settings):
    settings.RELAIS_JOURNAL_KEY = KEY_2025
    _fill(2)
    settings.RELAIS_JOURNAL_KEY, settings.RELAIS_JOURNAL_KEYS = KEY_2026, [KEY_2025]
    _fill(2)
    settings.RELAIS_JOURNAL_KEY, settings.RELAIS_JOURNAL_KEYS = KEY_2027, [KEY_2025, KEY_2026]
    _fill(1)
    assert list(JournalEntry.objects.values_list("key_id", flat=True)) == [
        key_id(KEY_2025),
        key_id(KEY_2025),
        key_id(KEY_2026),
        key_id(KEY_2026),
        key_id(KEY_2027),
    ]
    assert [k.rank for k in journal_keyring().keys.values()] == [0, 1, 2]
    out = _verify_command()
    assert "Journal intègre : 5 entrées." in out
    assert f"(clé {key_id(KEY_2027)})" in out


@pytest.mark.django_db
def test_retired_keys_listed_out_of_order_are_named(settings):
    settings.RELAIS_JOURNAL_KEY = KEY_2025
    _fill(1)
    settings.RELAIS_JOURNAL_KEY, settings.RELAIS_JOURNAL_KEYS = KEY_2026, [KEY_2025]
    _fill(1)
    settings.RELAIS_JOURNAL_KEY, settings.RELAIS_JOURNAL_KEYS = KEY_2027, [KEY_2026, KEY_2025]
    check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 2)
    assert "RELAIS_JOURNAL_KEYS dans le désordre" in check.message


# --- Entries from before the key: the plain SHA-256 start of the chain -----------------------


def _legacy(count):
    """Rows as the journal wrote them before it had a key (plain SHA-256, no key id)."""
    previous = GENESIS_HASH
    for sequence in range(1, count + 1):
        entry = JournalEntry(
            sequence=sequence,
            actor_role="system",
            action="purge",
            details={"count": sequence},
            previous_hash=previous,
        )
        entry.hash = hashlib.sha256(canonical_content(entry).encode()).hexdigest()
        assert entry_hash(entry) == entry.hash
        entry.save()
        previous = entry.hash


@pytest.mark.django_db
def test_entries_from_before_the_key_are_verified_as_the_plain_start_of_the_chain(
    settings, tmp_path
):
    settings.RELAIS_JOURNAL_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    _legacy(3)
    _fill(2)
    out = _verify_command()
    assert "Journal intègre : 5 entrées." in out
    assert "Entrées n° 1 à 3 : antérieures à la clé du journal" in out
    with open(settings.RELAIS_JOURNAL_CHECKPOINT_FILE, encoding="utf-8") as file:
        assert json.loads(file.readline())["legacy_until"] == 3


@pytest.mark.django_db
def test_rewriting_the_plain_start_breaks_the_link_of_the_first_signed_entry():
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")
    _legacy(3)
    _fill(1)
    journal_unprotect()
    previous = JournalEntry.objects.get(sequence=1).hash
    for entry in JournalEntry.objects.filter(sequence__in=[2, 3]).order_by("sequence"):
        entry.actor_role = "administrator"
        entry.previous_hash = previous
        entry.hash = entry_hash(entry)  # anyone can: no key
        raw(
            "UPDATE privacy_journalentry SET actor_role = %s, previous_hash = %s, hash = %s "
            "WHERE sequence = %s",
            [entry.actor_role, entry.previous_hash, entry.hash, entry.sequence],
        )
        previous = entry.hash
    check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 4)
    assert "chaînage rompu" in check.message


@pytest.mark.django_db
def test_the_checkpoint_of_the_switch_seals_the_plain_start(settings, tmp_path):
    """Right after the upgrade no signed entry follows yet: the checkpoint seals the start."""
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")
    settings.RELAIS_JOURNAL_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    _legacy(3)
    _verify_command()  # the upgrade's checkpoint: legacy_until = 3
    journal_unprotect()
    # An entry appended without the key, after the switch, is refused…
    last = JournalEntry.objects.get(sequence=3)
    forged = JournalEntry(sequence=4, actor_role="system", action="purge", previous_hash=last.hash)
    forged.hash = entry_hash(forged)
    forged.save()
    with pytest.raises(CommandError, match=r"n° 4 : sans clé .* signé à partir du n° 4"):
        _verify_command()
    # …and so is the plain start rewritten.
    raw("DELETE FROM privacy_journalentry WHERE sequence = 4")
    raw("UPDATE privacy_journalentry SET actor_role = 'x' WHERE sequence = 3")
    entry = JournalEntry.objects.get(sequence=3)
    raw("UPDATE privacy_journalentry SET hash = %s WHERE sequence = 3", [entry_hash(entry)])
    with pytest.raises(CommandError, match=r"n° 3 ne correspond plus au point de contrôle"):
        _verify_command()
