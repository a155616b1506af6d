import pytest

from .journal_helpers import journal_protect, journal_triggers, journal_unprotect, journal_wipe


@pytest.fixture
def protected_journal(db):
    """The triggers of the first migration are there (they are not with --no-migrations)."""
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")


@pytest.fixture
def unprotected_journal(transactional_db):
    """Triggers dropped for a tampering test; journal emptied and protected again after it."""
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")
    journal_unprotect()
    yield
    journal_wipe()
    journal_protect()


@pytest.fixture
def journal_cleanup(transactional_db):
    """For transactional tests that append entries: empty the journal before the flush."""
    if not journal_triggers():
        pytest.skip("Triggers absent: run the privacy tests with migrations.")
    yield
    journal_wipe()
