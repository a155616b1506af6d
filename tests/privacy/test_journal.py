"""The journal: appends chain, the database refuses changes, verification names what broke."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import resolve

from relais.privacy.enums import JournalAction
from relais.privacy.journal import (
    entry_hash,
    journal_append,
    journal_personal_data_access,
    journal_verification_record,
    journal_verify,
)
from relais.privacy.models import GENESIS_HASH, JournalAppendOnlyError, JournalEntry

from ..factories import UserFactory
from ..helpers import run_together
from .journal_helpers import raw


def _fill(count=5, actor=None):
    return [
        journal_append(
            actor=actor,
            action=JournalAction.MANDATE_ACTION,
            subject=("beneficiaries.beneficiary", 40 + n),
            details={"step": n, "procedure": "caf"},
        )
        for n in range(count)
    ]


# --- Appending --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entries_are_numbered_from_one_and_chained_by_their_hashes():
    user = UserFactory()
    entries = _fill(3, actor=user)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS_HASH
    assert entries[1].previous_hash == entries[0].hash
    assert entries[2].previous_hash == entries[1].hash
    for entry in JournalEntry.objects.all():  # as read back from the database
        assert entry_hash(entry) == entry.hash
    assert entries[0].actor_id == user.pk
    assert entries[0].actor_role == user.role
    assert entries[0].subject_type == "beneficiaries.beneficiary"
    assert entries[0].subject_id == "40"


@pytest.mark.django_db
def test_the_journal_names_nobody():
    user = UserFactory(first_name="Aurélie", last_name="PERSONNE", email="aurelie@exemple.test")
    entry = journal_append(actor=user, action=JournalAction.RIGHTS_REQUEST, subject=user)
    row = JournalEntry.objects.filter(pk=entry.pk).values().get()
    text = " ".join(str(value) for value in row.values())
    for personal in ("Aurélie", "PERSONNE", "aurelie@"):
        assert personal not in text
    assert row["subject_type"] == "accounts.user"
    assert row["subject_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "details",
    [
        {"last_name": "DUPONT"},
        {"nested": {"email": "x@y.fr"}},
        {"ratio": 0.5},
        {"text": "x" * 400},
    ],
)
def test_details_refuse_personal_keys_floats_and_long_texts(details):
    with pytest.raises(ValueError):
        journal_append(actor=None, action=JournalAction.PURGE, details=details)
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        journal_append(actor=None, action="coffee_break")


@pytest.mark.django_db
def test_personal_data_access_records_the_viewer_the_subject_and_the_view(coordinator):
    subject = UserFactory()
    request = RequestFactory().get("/confidentialite/registre/?q=Dupont")
    request.user = coordinator
    request.resolver_match = resolve("/confidentialite/registre/")
    viewed = journal_personal_data_access(request, subject, "fiche")
    exported = journal_personal_data_access(
        request, ("beneficiaries.beneficiary", 7), "CSV", export=True
    )
    assert viewed.action == JournalAction.PERSONAL_DATA_VIEW
    assert exported.action == JournalAction.PERSONAL_DATA_EXPORT
    assert viewed.actor_id == coordinator.pk
    assert viewed.details == {"what": "fiche", "view": "privacy:record"}
    # The query string (a search may contain a name) is not recorded.
    assert "Dupont" not in str(viewed.details)
    assert exported.subject_id == "7"


# --- The application and the database refuse changes -----------------------------------------


@pytest.mark.django_db
def test_the_model_refuses_to_save_an_existing_entry_or_delete_one():
    entry = _fill(1)[0]
    entry.details = {"step": 99}
    with pytest.raises(JournalAppendOnlyError):
        entry.save()
    with pytest.raises(JournalAppendOnlyError):
        entry.delete()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: JournalEntry.objects.filter(pk=e.pk).update(details={"step": 99}),
        lambda e: JournalEntry.objects.filter(pk=e.pk).delete(),
        lambda e: JournalEntry.objects.all().delete(),
        lambda e: raw("UPDATE privacy_journalentry SET subject_id = 'x' WHERE id = %s", [e.pk]),
        lambda e: raw("DELETE FROM privacy_journalentry WHERE id = %s", [e.pk]),
        lambda e: raw("DELETE FROM privacy_journalentry"),
    ],
    ids=["orm-update", "orm-delete", "orm-delete-all", "sql-update", "sql-delete", "sql-wipe"],
)
def test_the_database_refuses_update_and_delete(protected_journal, tamper):
    entry = _fill(2)[0]
    with pytest.raises(IntegrityError, match="ajout seul"), transaction.atomic():
        tamper(entry)
    assert JournalEntry.objects.count() == 2
    assert journal_verify().ok


def test_postgresql_refuses_to_truncate_a_journal_with_entries(protected_journal):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only (SQLite's DELETE is covered above).")
    _fill(1)
    with pytest.raises(IntegrityError, match="ajout seul"), transaction.atomic():
        raw("TRUNCATE privacy_journalentry")
    assert JournalEntry.objects.count() == 1


# --- Verification after tampering (triggers dropped, as an attacker with SQL access would) ----


def _verify_command() -> str:
    out = StringIO()
    call_command("verify-journal", stdout=out)
    return out.getvalue()


def test_an_intact_journal_is_reported_with_its_size(unprotected_journal):
    _fill(5)
    assert "Journal intègre : 5 entrées." in _verify_command()


def test_an_empty_journal_is_intact(db):
    assert "Journal intègre : 0 entrées." in _verify_command()


def test_an_edited_entry_is_named(unprotected_journal):
    _fill(5)
    raw(
        "UPDATE privacy_journalentry SET details = %s WHERE sequence = 3",
        ['{"step": 2, "procedure": "x"}'],
    )
    check = journal_verify()
    assert not check.ok
    assert check.broken_sequence == 3
    with pytest.raises(CommandError, match=r"entrée n° 3 : contenu modifié"):
        _verify_command()


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(unprotected_journal):
    _fill(5)
    forged = JournalEntry.objects.get(sequence=3)
    forged.actor_role = "administrator"
    raw(
        "UPDATE privacy_journalentry SET actor_role = %s, hash = %s WHERE sequence = 3",
        ["administrator", entry_hash(forged)],
    )
    check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 4)
    assert "chaînage rompu" in check.message


def test_a_deleted_entry_is_named(unprotected_journal):
    _fill(5)
    raw("DELETE FROM privacy_journalentry WHERE sequence = 3")
    with pytest.raises(CommandError, match=r"entrée n° 3 manquante"):
        _verify_command()


def test_a_deleted_and_renumbered_entry_is_detected(unprotected_journal):
    _fill(5)
    raw("DELETE FROM privacy_journalentry WHERE sequence = 3")
    raw("UPDATE privacy_journalentry SET sequence = sequence - 1 WHERE sequence > 3")
    check = journal_verify()
    assert (check.ok, check.broken_sequence) == (False, 3)


def test_reordered_entries_are_detected(unprotected_journal):
    _fill(5)
    raw("UPDATE privacy_journalentry SET sequence = 1000 WHERE sequence = 2")
    raw("UPDATE privacy_journalentry SET sequence = 2 WHERE sequence = 3")
    raw("UPDATE privacy_journalentry SET sequence = 3 WHERE sequence = 1000")
    with pytest.raises(CommandError, match=r"entrée n° 2 : contenu modifié ou entrée déplacée"):
        _verify_command()


def test_a_deleted_tail_is_detected_against_the_last_verification(unprotected_journal):
    _fill(5)
    journal_verification_record(check=journal_verify())
    raw("DELETE FROM privacy_journalentry WHERE sequence >= 4")
    with pytest.raises(CommandError, match=r"entrée n° 5, attestée .* a disparu"):
        _verify_command()


def test_the_triggers_are_back_after_a_tampering_test(protected_journal):
    """Runs after the tampering tests in file order: the fixture restored the protection."""
    entry = _fill(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        raw("DELETE FROM privacy_journalentry WHERE id = %s", [entry.pk])


# --- Concurrency ------------------------------------------------------------------------------


def test_concurrent_appends_keep_a_gapless_chain(journal_cleanup):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is in memory; its IMMEDIATE mode serialises writers.")
    _, errors = run_together(lambda: _fill(10), [()] * 6)
    assert errors == []
    check = journal_verify()
    assert check.ok, check.message
    assert check.entry_count == 60
