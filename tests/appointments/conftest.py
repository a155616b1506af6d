# The bookings' fixtures: the SMS outbox emptied around each test, ``commit()`` (messages are
# sent after the commit), a workshop session and topic (an adviser's busy time).
from ..bookings.conftest import commit, session, sms_outbox, topic  # noqa: F401
