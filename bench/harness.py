"""What every benchmark sets up the same way: its throw-away database and a signed-in client.

Each benchmark owns a database ``<name>_bench_<suffix>`` beside ``DATABASE_URL``'s, so that two
benchmarks, or a benchmark and the test suite, never share rows; it drops it at the end.
"""

import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _admin_url(url: str) -> str:
    """The same server's ``postgres`` database, where databases are created and dropped."""
    return urlparse(url)._replace(path="/postgres").geturl()


def postgres_database(suffix: str, command: str, *, keep: bool = False) -> str:
    """The URL of a new, empty database ``<name>_bench_<suffix>`` on ``DATABASE_URL``'s
    PostgreSQL server (one left by a previous run is dropped first, unless ``keep``: it is then
    reused as it is). Exits with ``command``'s message when ``DATABASE_URL`` is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        sys.exit(f"{command} : DATABASE_URL doit désigner un serveur PostgreSQL.")
    return _create(url, suffix, keep=keep)


def _create(url: str, suffix: str, *, keep: bool = False) -> str:
    import psycopg

    parsed = urlparse(url)
    name = (parsed.path.lstrip("/") or "relais") + f"_bench_{suffix}"
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return parsed._replace(path=f"/{name}").geturl()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def drop_database(url: str) -> None:
    """Drop the benchmark's PostgreSQL database, connections and all."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_or_sqlite(suffix: str, sqlite: Path, url: str) -> tuple[str, Callable[[], None]]:
    """For the benchmarks that also run without a server: a database of their own on ``url``'s
    PostgreSQL server, else the SQLite file ``sqlite``; with the function that removes it."""
    if not is_postgres(url):
        return f"sqlite:///{sqlite}", lambda: sqlite.unlink(missing_ok=True)
    created = _create(url, suffix)
    return created, lambda: drop_database(created)


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 (for a server or an SMTP sink of our own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed_in_client(email: str):
    """Django's test client signed in as ``email`` with the second factor passed (when the user
    has a device), as the login pages would leave it; with the user."""
    from django.test import Client

    from relais.accounts.models import User
    from tests.helpers import login_verified

    user = User.objects.get(email=email)
    return user, login_verified(Client(), user, user.totpdevice_set.first())


def measure_page(client, url: str, repeat: int) -> dict | None:
    """A page's size, query count and response times (median, p95 in ms) over ``repeat``
    requests after a warm-up (template loading, first queries); None when it is not a page of
    the client's user (403, redirect)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if client.get(url).status_code != 200:
        return None
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: every request starts by clearing the connection's query log.
    count = len(queries)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "kb": len(response.content) / 1024,
        "median": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "queries": count,
    }
