"""Browser tests: Playwright driving Debian's Chromium, with axe-core for accessibility.

Never ``playwright install``: the browser is the system's /usr/bin/chromium. When it is
missing, the tests are skipped locally with the apt command to run, and fail under CI=true.
"""

import os
from pathlib import Path

import pytest

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


@pytest.fixture
def network_settled(page):
    """Waits, at the end of a test, for the requests still on their way, the service worker's
    included (it keeps the forms and lists after each page load, and sends the queue by
    Background Sync): the database is emptied next, and a request the live server is still
    answering then fails or locks a table for the following test."""
    pending = set()
    context = page.context
    context.on("request", lambda request: pending.add(request))
    context.on("requestfinished", lambda request: pending.discard(request))
    context.on("requestfailed", lambda request: pending.discard(request))
    yield
    for _ in range(50):
        if not pending:
            break
        page.wait_for_timeout(200)
