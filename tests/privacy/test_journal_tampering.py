"""Tampering with the journal as its table's owner, with raw SQL: `verify-journal` names it.

The attacker here got further than the application's role (which may not UPDATE, DELETE or
TRUNCATE the journal, see test_journal_roles.py): the triggers are dropped, rows are rewritten,
the verifications recorded in the database deleted. What they do not hold is the key, except
in the attacks marked "stolen key", and never the checkpoint file outside the database.

Scenario of every test: entries 1 to 4, then `relais verify-journal` (a verification recorded in
the database and an external checkpoint of entry 4), then entries 5 and 6. The figures of the
report (detected / attempted) are the parametrised cases below, on SQLite and on PostgreSQL.
"""

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.privacy.enums import JournalAction
from relais.privacy.journal import canonical_content, journal_append, journal_verify
from relais.privacy.journal_keys import JournalKey, key_id
from relais.privacy.models import GENESIS_HASH, JournalEntry, JournalVerification

from .journal_helpers import journal_triggers, journal_unprotect, raw

# A key retired before these entries were written (listed in RELAIS_JOURNAL_KEYS), which leaked.
RETIRED_KEY = "retired-journal-key-that-leaked-0123456789abcdef"
ATTACKER_KEY = "a-key-the-attacker-made-up-0123456789abcdefghij"


@pytest.fixture
def scenario(db, settings, tmp_path):
    """Six entries, a checkpoint of entry 4, and the triggers dropped (restored by the rollback
    at the end of the test, like every row)."""
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")
    settings.RELAIS_JOURNAL_CHECKPOINT_FILE = str(tmp_path / "journal-checkpoints.jsonl")
    settings.RELAIS_JOURNAL_KEYS = [RETIRED_KEY]
    _fill(4)
    _verify_command()
    _fill(2, start=4)
    journal_unprotect()
    return settings


def _fill(count, start=0):
    for n in range(start, start + count):
        journal_append(
            actor=None,
            action=JournalAction.MANDATE_ACTION,
            subject=("beneficiaries.beneficiary", 40 + n),
            details={"step": n, "procedure": "caf"},
        )


def _verify_command() -> str:
    out = StringIO()
    call_command("verify-journal", stdout=out, stderr=StringIO())
    return out.getvalue()


# --- What an attacker can compute -------------------------------------------------------------


def _sha(entry) -> str:
    """Plain SHA-256 of the entry's text: what anyone can compute."""
    return hashlib.sha256(canonical_content(entry).encode()).hexdigest()


def _sha_unkeyed(entry) -> str:
    """An entry passed off as one of the plain chain written before the journal had a key."""
    entry.key_id = ""
    return _sha(entry)


def signed_with(secret: str):
    key = JournalKey(id=key_id(secret), rank=0, secret=secret.encode())

    def sign(entry) -> str:
        entry.key_id = key.id
        return key.sign(canonical_content(entry))

    return sign


def stolen_key(entry) -> str:
    return signed_with(settings.RELAIS_JOURNAL_KEY)(entry)


def _fields(entry) -> dict:
    return {
        f.attname: getattr(entry, f.attname)
        for f in JournalEntry._meta.concrete_fields
        if f.attname != "id"
    }


COLUMNS = [
    "sequence", "timestamp", "actor_id", "actor_role", "action", "subject_type", "subject_id",
    "details", "previous_hash", "hash", "key_id",
]  # fmt: skip


def _values(entry) -> list:
    return [json.dumps(entry.details) if c == "details" else getattr(entry, c) for c in COLUMNS]


def _write(entry) -> None:
    """Rewrite every column of the row (as the owner, triggers dropped)."""
    assignments = ", ".join(f"{column} = %s" for column in COLUMNS)
    sql = f"UPDATE privacy_journalentry SET {assignments} WHERE id = %s"  # noqa: S608 - our columns
    raw(sql, [*_values(entry), entry.pk])


def _insert(entry) -> None:
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    columns = ", ".join(COLUMNS)
    sql = f"INSERT INTO privacy_journalentry ({columns}) VALUES ({placeholders})"  # noqa: S608
    raw(sql, _values(entry))


def rechain(sign, *, edit=None, since=1):
    """Recompute the chain from ``since`` with ``sign`` (after ``edit`` of that first entry)."""
    entries = list(JournalEntry.objects.order_by("sequence"))
    previous = GENESIS_HASH
    for entry in entries:
        if entry.sequence >= since:
            if entry.sequence == since and edit:
                edit(entry)
            entry.previous_hash = previous
            entry.hash = sign(entry)
            _write(entry)
        previous = entry.hash


def forged_tail(sign, **changes):
    last = JournalEntry.objects.order_by("-sequence").first()
    entry = JournalEntry(**{**_fields(last), "sequence": last.sequence + 1, **changes})
    entry.previous_hash = last.hash
    entry.hash = sign(entry)
    _insert(entry)


def forget_verifications():
    """The verifications kept in the database are the attacker's too."""
    raw("DELETE FROM privacy_journalverification")


def _set_role(role):
    def edit(entry):
        entry.actor_role = role

    return edit


# --- The attacks ------------------------------------------------------------------------------


def edit_details():
    raw(
        "UPDATE privacy_journalentry SET details = %s WHERE sequence = 3",
        ['{"step": 2, "procedure": "x"}'],
    )


def edit_timestamp():
    entry = JournalEntry.objects.get(sequence=2)
    raw(
        "UPDATE privacy_journalentry SET timestamp = %s WHERE sequence = 2",
        [entry.timestamp - timedelta(days=365)],  # not replace(year=…): 29 February
    )


def edit_and_rehash_plain():
    entry = JournalEntry.objects.get(sequence=3)
    entry.actor_role = "administrator"
    key = entry.key_id
    entry.hash = _sha(entry)
    entry.key_id = key
    _write(entry)


def edit_and_sign_with_a_guessed_key():
    entry = JournalEntry.objects.get(sequence=3)
    entry.actor_role = "administrator"
    real_id = entry.key_id
    entry.hash = signed_with(ATTACKER_KEY)(entry)
    entry.key_id = real_id  # passed off as the real key
    _write(entry)


def recompute_tail_plain():
    """The attack that went unseen before: edit, then recompute the plain SHA-256 chain."""
    rechain(_sha_unkeyed, edit=_set_role("administrator"), since=3)
    forget_verifications()


def recompute_whole_chain_plain():
    rechain(_sha_unkeyed, edit=_set_role("administrator"), since=1)
    forget_verifications()


def edit_after_the_last_checkpoint():
    raw("UPDATE privacy_journalentry SET subject_id = '99' WHERE sequence = 6")


def delete_one():
    raw("DELETE FROM privacy_journalentry WHERE sequence = 3")


def delete_one_and_renumber():
    raw("DELETE FROM privacy_journalentry WHERE sequence = 3")
    for sequence in (4, 5, 6):
        raw(
            "UPDATE privacy_journalentry SET sequence = %s WHERE sequence = %s",
            [sequence - 1, sequence],
        )


def reorder():
    raw("UPDATE privacy_journalentry SET sequence = 1000 WHERE sequence = 2")
    raw("UPDATE privacy_journalentry SET sequence = 2 WHERE sequence = 3")
    raw("UPDATE privacy_journalentry SET sequence = 3 WHERE sequence = 1000")


def move_one_to_the_end():
    raw("UPDATE privacy_journalentry SET sequence = 7 WHERE sequence = 2")


def insert_in_the_middle():
    for sequence in (6, 5, 4):
        raw(
            "UPDATE privacy_journalentry SET sequence = %s WHERE sequence = %s",
            [sequence + 1, sequence],
        )
    third = JournalEntry.objects.get(sequence=3)
    entry = JournalEntry(**{**_fields(third), "sequence": 4, "details": {"step": 99}})
    entry.previous_hash = third.hash
    entry.hash = signed_with(ATTACKER_KEY)(entry)
    entry.key_id = third.key_id
    _insert(entry)


def append_with_a_made_up_hash():
    def made_up(entry):
        return "f" * 64

    forged_tail(made_up)


def append_plain():
    forged_tail(_sha_unkeyed)


def append_with_an_unknown_key():
    forged_tail(signed_with(ATTACKER_KEY))


def append_with_the_retired_leaked_key():
    forged_tail(signed_with(RETIRED_KEY))


def truncate_tail():
    raw("DELETE FROM privacy_journalentry WHERE sequence >= 4")


def truncate_tail_and_verifications():
    raw("DELETE FROM privacy_journalentry WHERE sequence >= 3")
    forget_verifications()


def wipe_everything():
    raw("DELETE FROM privacy_journalentry")
    forget_verifications()


def recompute_whole_chain_with_the_stolen_key():
    rechain(stolen_key, edit=_set_role("administrator"), since=2)
    forget_verifications()


def roll_back_and_rewrite_with_the_stolen_key():
    """Restore an older state, then let the application (and its key) write a new history."""
    raw("DELETE FROM privacy_journalentry WHERE sequence >= 3")
    forget_verifications()
    _fill(4, start=10)


ATTACKS = {
    # id: (attack, what the report must say)
    "edited-details": (edit_details, r"entrée n° 3 : contenu modifié"),
    "edited-timestamp": (edit_timestamp, r"entrée n° 2 : contenu modifié"),
    "edited-rehashed-plain": (edit_and_rehash_plain, r"entrée n° 3 : contenu modifié"),
    "edited-signed-guessed-key": (edit_and_sign_with_a_guessed_key, r"n° 3 : contenu modifié"),
    "edited-after-last-checkpoint": (edit_after_the_last_checkpoint, r"n° 6 : contenu modifié"),
    "recomputed-tail-plain": (recompute_tail_plain, r"n° 3 : sans clé .* après des entrées"),
    "recomputed-all-plain": (recompute_whole_chain_plain, r"n° 1 : sans clé .* point de contrôle"),
    "recomputed-all-stolen-key": (
        recompute_whole_chain_with_the_stolen_key,
        r"n° 4 ne correspond plus au point de contrôle externe",
    ),
    "rolled-back-rewritten-stolen-key": (
        roll_back_and_rewrite_with_the_stolen_key,
        r"n° 4 ne correspond plus au point de contrôle externe",
    ),
    "deleted": (delete_one, r"entrée n° 3 manquante"),
    "deleted-renumbered": (delete_one_and_renumber, r"entrée n° 3 : contenu modifié"),
    "reordered": (reorder, r"entrée n° 2 : contenu modifié ou entrée déplacée"),
    "moved-to-the-end": (move_one_to_the_end, r"entrée n° 2 manquante"),
    "inserted-middle": (insert_in_the_middle, r"entrée n° 4 : contenu modifié"),
    "inserted-tail-made-up-hash": (append_with_a_made_up_hash, r"n° 7 : contenu modifié"),
    "inserted-tail-plain": (append_plain, r"n° 7 : sans clé"),
    "inserted-tail-unknown-key": (
        append_with_an_unknown_key,
        r"n° 7 : signée avec une clé inconnue",
    ),
    "inserted-tail-retired-key": (
        append_with_the_retired_leaked_key,
        r"n° 7 : signée avec une clé retirée",
    ),
    "truncated-tail": (truncate_tail, r"entrée n° 4, attestée"),
    "truncated-tail-and-verifications": (
        truncate_tail_and_verifications,
        r"n° 4, attestée par le point de contrôle externe .* a disparu",
    ),
    "wiped-with-verifications": (
        wipe_everything,
        r"n° 4, attestée par le point de contrôle externe .* a disparu",
    ),
}


@pytest.mark.parametrize(("attack", "report"), ATTACKS.values(), ids=ATTACKS.keys())
def test_verify_journal_detects_the_tampering(scenario, attack, report):
    assert journal_verify().ok  # intact before the attack
    attack()
    with pytest.raises(CommandError, match=r"^Journal altéré : ") as error:
        _verify_command()
    assert error.match(report)


# --- What no check inside the database can see: the window after the last checkpoint ---------


def test_limit_deleting_entries_written_after_the_last_checkpoint_goes_unseen(scenario):
    """Documented in docs/operations.md: a frequent `relais journal-checkpoint` narrows it."""
    raw("DELETE FROM privacy_journalentry WHERE sequence >= 5")
    assert "Journal intègre : 4 entrées." in _verify_command()


def test_limit_with_the_stolen_key_entries_after_the_last_checkpoint_can_be_rewritten(scenario):
    rechain(stolen_key, edit=_set_role("administrator"), since=5)
    assert "Journal intègre : 6 entrées." in _verify_command()


# --- Checkpoints outside the database ---------------------------------------------------------


def _lines(settings) -> list[dict]:
    with open(settings.RELAIS_JOURNAL_CHECKPOINT_FILE, encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def test_verify_journal_appends_a_checkpoint_and_reports_the_last_one(scenario):
    out = _verify_command()
    head = JournalEntry.objects.get(sequence=6)
    assert "Journal intègre : 6 entrées." in out
    assert f"Dernière entrée : n° 6, {head.hash} (clé {head.key_id})" in out
    assert "Points de contrôle externes : 1 dans " in out
    assert "(entrée n° 4) concorde." in out
    assert f"Point de contrôle ajouté : n° 6, {head.hash}." in out
    last = _lines(scenario)[-1]
    assert (last["sequence"], last["hash"], last["key_id"], last["legacy_until"]) == (
        6,
        head.hash,
        head.key_id,
        0,
    )


def test_no_checkpoint_verifies_without_writing(scenario):
    before = _lines(scenario)
    out = StringIO()
    call_command("verify-journal", "--no-checkpoint", stdout=out, stderr=StringIO())
    assert "Point de contrôle ajouté" not in out.getvalue()
    assert _lines(scenario) == before


def test_journal_checkpoint_rereads_only_since_the_last_checkpoint(scenario):
    out = StringIO()
    call_command("journal-checkpoint", stdout=out)
    assert "depuis le point de contrôle du" in out.getvalue()
    assert "(n° 4) : 6 entrées." in out.getvalue()
    assert _lines(scenario)[-1]["sequence"] == 6
    # An entry before the last checkpoint is the daily full verification's business.
    edit_details()
    call_command("journal-checkpoint", stdout=StringIO())
    with pytest.raises(CommandError, match="entrée n° 3 : contenu modifié"):
        _verify_command()


def test_journal_checkpoint_refuses_a_journal_that_lost_its_checkpointed_head(scenario):
    truncate_tail_and_verifications()
    before = _lines(scenario)
    with pytest.raises(CommandError, match=r"n° 4, attestée par le point de contrôle externe"):
        call_command("journal-checkpoint", stdout=StringIO())
    assert _lines(scenario) == before


def test_an_unreadable_checkpoint_line_stops_the_verification(scenario):
    with open(scenario.RELAIS_JOURNAL_CHECKPOINT_FILE, "a", encoding="utf-8") as file:
        file.write('{"at": "hier", "sequence": 2}\n')
    with pytest.raises(CommandError, match=r"^Vérification impossible : la ligne 2 de .*"):
        _verify_command()


def test_a_checkpoint_that_cannot_be_written_is_an_error(scenario, tmp_path):
    scenario.RELAIS_JOURNAL_CHECKPOINT_FILE = str(tmp_path / "absent" / "checkpoints.jsonl")
    with pytest.raises(CommandError, match=r"^Point de contrôle non écrit dans "):
        _verify_command()
    with pytest.raises(CommandError, match=r"^Point de contrôle non écrit dans "):
        call_command("journal-checkpoint", stdout=StringIO())


def test_without_a_checkpoint_file_the_report_says_what_goes_unseen(db, settings):
    settings.RELAIS_JOURNAL_CHECKPOINT_FILE = ""
    _fill(1)
    assert "Aucun point de contrôle externe" in _verify_command()
    with pytest.raises(CommandError, match="RELAIS_JOURNAL_CHECKPOINT_FILE est vide"):
        call_command("journal-checkpoint", stdout=StringIO())


def test_the_recorded_verification_still_catches_a_deleted_tail_without_checkpoints(db, settings):
    settings.RELAIS_JOURNAL_CHECKPOINT_FILE = ""
    _fill(3)
    _verify_command()
    journal_unprotect()
    raw("DELETE FROM privacy_journalentry WHERE sequence = 3")
    with pytest.raises(CommandError, match=r"entrée n° 3, attestée lors de la vérification"):
        _verify_command()
    assert JournalVerification.objects.filter(ok=False).exists()
