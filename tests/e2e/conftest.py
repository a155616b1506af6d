"""Browser tests: Playwright driving Debian's Chromium, with axe-core for accessibility.

Never ``playwright install``: the browser is the system's /usr/bin/chromium. When it is
missing, the tests are skipped locally with the apt command to run, and fail under CI=true.
"""

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.live_server_helper import LiveServer

# Offline mode and request routing reach a service worker's own fetches only with this flag
# (microsoft/playwright#2311); read when the driver starts, after collection.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
APT_COMMAND = "apt-get install -y --no-install-recommends chromium libatomic1 fonts-liberation"
# WCAG 2.1 A and AA plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium absent ({CHROMIUM}) : {APT_COMMAND}")
    if not AXE_JS.exists():
        missing.append(f"axe-core absent ({AXE_JS}) : npm ci")
    return missing


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = _missing_tools()
    for item in items:
        if here not in Path(item.fspath).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and os.environ.get("CI") != "true":
            item.add_marker(pytest.mark.skip(reason=" ; ".join(missing)))


@pytest.fixture(autouse=True)
def _require_browser_tools():
    missing = _missing_tools()
    if missing:  # only reached under CI=true: never skip silently there
        pytest.fail("Tests navigateur impossibles : " + " ; ".join(missing))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def console_errors(page):
    """Console errors of the page (a CSP violation shows up here)."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


@pytest.fixture
def assert_accessible(page):
    """Run axe-core on the current page and fail with a readable list of violations."""
    source = AXE_JS.read_text(encoding="utf-8")

    def check(label: str) -> None:
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {source}\n }}")
        result = page.evaluate(
            "async (tags) => await window.axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]
        ]
        assert violations == [], f"axe sur « {label} » :\n" + "\n".join(violations)

    return check


@pytest.fixture
def screenshot(page, request):
    """``screenshot("step")`` keeps the page as an image in E2E_SCREENSHOTS (a folder), to look
    at what a user sees; without the variable it does nothing (never an assertion)."""
    folder = os.environ.get("E2E_SCREENSHOTS")

    def take(step: str) -> None:
        if folder:
            os.makedirs(folder, exist_ok=True)
            name = f"{request.node.module.__name__.rsplit('.', 1)[-1]}-{step}.png"
            # caret="initial": hiding the caret injects a <style>, which the CSP refuses (a
            # console error the tests would count).
            page.screenshot(path=os.path.join(folder, name), full_page=True, caret="initial")

    return take


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started once the test database exists.

    Its own fixture is session-scoped with no dependency, so pytest starts it before any
    function-scoped fixture, the one that creates the test database included: it then looks at
    the settings' database file, finds no SQLite in memory to share, and every request thread of
    the server opens its own connection to the shared in-memory cache, where a read of the test
    and a write of the server lock each other's tables at once (« database table is locked »,
    no busy wait in that mode). Started after ``django_db_setup``, it shares the test's
    connection, as Django's LiveServerTestCase does."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr)
    yield server
    server.stop()


class _RequestsInFlight:
    """WSGI wrapper around the live server's application that counts the requests it is still
    answering (a response is over when the server closes its iterable).

    On SQLite in memory it also answers one request at a time: every request thread of the
    server shares the test's one connection, and two of them using it at once (a service
    worker's background send while the page loads its next form) hung the browser suite for
    good in CI on 2026-12-07 — each thread inside SQLite, waiting for the other. Django's own
    documentation warns against simultaneous queries through that shared connection. On
    PostgreSQL each thread has its own connection: requests run side by side, as in
    production."""

    def __init__(self, app):
        self.app = app
        self.paths: list[str] = []
        self._lock = threading.Lock()
        shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
        self._one_at_a_time = threading.Lock() if shared else contextlib.nullcontext()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        with self._lock:
            self.paths.append(path)
        try:
            with self._one_at_a_time:  # released when the server closes the response
                result = self.app(environ, start_response)
                try:
                    yield from result
                finally:
                    if hasattr(result, "close"):
                        result.close()
        finally:
            with self._lock:
                self.paths.remove(path)

    def wait_idle(self, timeout: float) -> list[str]:
        """Waits until no request is being answered; returns those still running at timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self.paths:
                    return []
            time.sleep(0.05)
        with self._lock:
            return list(self.paths)


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request):
    """At a browser test's end, the database is emptied (a transactional test) while the browser
    may still be talking to the live server: a service worker keeps the forms and lists after
    each page load and sends its queue by Background Sync, htmx polls a progress bar. On SQLite
    in memory the server thread shares the test's connection, and a request it is still
    answering locks a table against the flush (« database table is locked », the CI failure of
    2026-12-06); on PostgreSQL it writes into the next test. So, for every test, whatever it
    clicked: the browser's contexts are closed (nothing new is sent), then the test waits until
    the server has answered what it had already received.

    Set up after pytest-django's database fixture (a plugin's autouse fixtures come first), so
    this teardown runs before the flush; and after the page's own teardown."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    httpd = server.thread.httpd
    if not isinstance(httpd.get_app(), _RequestsInFlight):
        httpd.set_app(_RequestsInFlight(httpd.get_app()))
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is not None:
        for context in list(browser.contexts):  # those the test opened itself, still open
            context.close()
    still_running = httpd.get_app().wait_idle(timeout=15)
    assert not still_running, f"Requêtes encore en cours au nettoyage de la base : {still_running}"
