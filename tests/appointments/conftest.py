# The bookings' fixtures: the SMS outbox emptied around each test, ``commit()`` (messages are
# sent after the commit), a workshop session and topic (an adviser's busy time).
import pytest

from ..bookings.conftest import commit, session, sms_outbox, topic  # noqa: F401
from .appointment_helpers import (
    TUESDAY,
    advisor,
    appointment_type,
    covered_place,
    next_day,
    permanence,
)


@pytest.fixture
def setting():
    """A covered place with a Tuesday morning permanence of one adviser, and a 45-min type:
    (place, adviser, type, slot, the next Tuesday)."""
    place = covered_place()
    lea = advisor()
    kind = appointment_type(minutes=45)
    slot = permanence(place, [lea], weekday=TUESDAY)
    return place, lea, kind, slot, next_day(TUESDAY)
