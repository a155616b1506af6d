"""The live server the browser tests talk to shares the test's database connection on SQLite in
memory (tests/e2e/conftest.py): otherwise each of its request threads opens its own connection
to the shared in-memory cache, and a read of the test and a write of the server fail at once on
each other's table locks."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_live_server_shares_the_in_memory_connection(live_server):
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("PostgreSQL, or SQLite in a file: each thread has its own connection")
    assert live_server.thread.connections_override == {"default": connection}
