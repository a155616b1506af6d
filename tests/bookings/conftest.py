import pytest

from relais.bookings import sms

from ..workshops.conftest import session, topic  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def sms_outbox():
    """The logging SMS backend's outbox, emptied around each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what the code does after its transaction commits (the sending of
    messages) at the end of the block, as it happens outside the test's wrapping transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
