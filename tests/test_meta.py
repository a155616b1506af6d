"""Project-wide guarantees: migrations, templates, headings, access control, deploy checks."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .helpers import count_tags

# The JSON API authenticates by bearer token, not by session: without one it answers 401 JSON
# (a machine has no login page to be sent to).
API_URL_NAMES = {"api:stats", "api:activities"}
# URL names an anonymous visitor may open.
PUBLIC_URL_NAMES = {
    *API_URL_NAMES,
    "api:openapi",  # the OpenAPI description: no data
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:health",
    "public:opendata_json",
    "public:opendata_csv",
    "accounts:logout",  # POST only; logging out an anonymous visitor is harmless
    "workshops:catalogue",
    "workshops:topic",
    "workshops:place_ics",
    "bookings:register",
    "bookings:consent",
    "bookings:manage",
    "appointments:book",
    "appointments:form",
    "appointments:consent",
    "appointments:manage",
    "public:place_index",
    "public:place",
    "public:place_feed",
    "public:place_poster",
    "public:advisor_feed",  # a secret link instead of a login
    "service_worker",  # no data; the browser checks it for updates whoever is logged in
    "web_manifest",  # browsers fetch it without cookies
}
DUMMY_KWARGS = {"int": 999999, "slug": "inexistant", "str": "inexistant", "path": "x"}


def _iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
            yield from _iter_patterns(pattern, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def _reverse_with_dummies(name, pattern):
    converters = pattern.pattern.converters
    kwargs = {}
    for key, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        kwargs[key] = DUMMY_KWARGS.get(kind, "x")
    return reverse(name, kwargs=kwargs)


def _project_urls():
    for name, pattern in _iter_patterns():
        if name.startswith("admin:") and name != "admin:index":
            continue  # Django's own admin: its index stands for all of it
        yield name, _reverse_with_dummies(name, pattern)


def test_no_pending_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_undefined_template_variable_fails_the_test():
    with pytest.raises(pytest.fail.Exception):
        Template("{{ variable_qui_n_existe_pas }}").render(Context({}))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), list(_project_urls()))
def test_every_non_public_url_sends_anonymous_visitors_to_login(client, name, url):
    response = client.get(url)
    if name in PUBLIC_URL_NAMES:
        # 404: a public page about an object that does not exist (the dummy parameters).
        assert response.status_code in {200, 302, 404, 405} | (
            {401} if name in API_URL_NAMES else set()
        )
        if response.status_code == 302:
            assert reverse("accounts:login") not in response["Location"]
        return
    # Follow at most two hops (the admin first sends to its own login, which sends to ours).
    for _ in range(2):
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        if response["Location"].startswith(reverse("accounts:login")):
            break
        response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


PAGE_QUERY_BUDGET = 25

# Pieces of a page that htmx swaps in (no page of their own, so no h1); still within the budget.
FRAGMENT_URL_NAMES = {"beneficiaries:pick"}

PERSONA_CLIENTS = [
    "coordinator_client",
    "advisor_client",
    "partner_client",
    "committee_client",
    "administrator_client",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_CLIENTS)
def test_every_page_has_exactly_one_h1(request, persona, place, other_place):
    client = request.getfixturevalue(persona)
    named = [(name, url) for name, url in _project_urls() if not name.startswith("admin:")]
    fragments = {url for name, url in named if name in FRAGMENT_URL_NAMES}
    urls = [url for _, url in named]
    urls += [place.get_absolute_url(), other_place.get_absolute_url(), "/page-inexistante/"]
    checked = 0
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # The per-page budget of docs/performance.md: a page that grows with its data (an N+1)
        # shows here first, even on this small data set.
        assert len(queries) <= PAGE_QUERY_BUDGET, (
            f"{url} for {persona}: {len(queries)} queries (budget {PAGE_QUERY_BUDGET})"
        )
        if (
            url in fragments
            or response.status_code in {301, 302, 405}
            or not response["Content-Type"].startswith("text/html")
        ):
            continue
        html = response.content.decode()
        assert count_tags(html, "h1") == 1, f"{url} ({response.status_code}) for {persona}"
        checked += 1
    assert checked >= 8


def test_check_deploy_with_production_variables_prints_no_warning(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "k" * 20 + "9f$Zq!2@xLm#4pVr&8sTw^1yBn*6cDe%0hGj(3uKo)5iQa_7" * 2,
        "ALLOWED_HOSTS": "relais.exemple.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "EMAIL_URL": "smtp+tls://relais:secret@smtp.exemple.fr:587",
        "RELAIS_JOURNAL_KEY": "j" * 20 + "4fQ8zL2mX9pR7sT1vB6nC3dE5hG0kJ",
    }
    for leaked in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_MIGRATION_URL"):
        env.pop(leaked, None)
    result = subprocess.run(
        [sys.executable, "-m", "relais", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# Reads of the machine's clock in its own time zone: the server runs in UTC, the programme in
# Europe/Paris, so between midnight and 1-2 a.m. these give yesterday. Use timezone.now() and
# timezone.localdate(), which the suite's clock (tests/conftest.py) also governs.
NAIVE_CLOCK_READS = re.compile(
    r"\b(date\.today|datetime\.today|datetime\.now|datetime\.utcnow)\(\)"
)


def test_no_naive_clock_reads_in_the_code_or_the_tests():
    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("relais", "tests")
        for path in (root / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAIVE_CLOCK_READS.search(line) and "NAIVE_CLOCK_READS" not in line
    ]
    assert offenders == []


def test_no_template_is_compiled_when_the_tests_are_imported():
    """A module-level ``Template(...)`` in a test creates the template engine during collection,
    before pytest-django arms FAIL_INVALID_TEMPLATE_VARS: undefined variables then rendered as
    "" in every later test, silently (found after tests/core/test_form_rendering.py did it)."""
    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in (root / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"^[A-Za-z_][\w]*\s*=\s*(\w+\.)?Template\(", line)
    ]
    assert offenders == []


# One way to write dates and times (relais.core.french, docs/glossary.md « Dates et heures »):
# templates go through the ``french`` filters, code through relais.core.french. Django's own
# ``|date``/``|time`` formats and clock formats in Python strings wrote « 14h30 », « 14:30 »,
# « mar. 8/12 » side by side (15 formats counted in issue 17).
TEMPLATE_DATE_FILTER = re.compile(r"\|\s*(?:date|time)\b(?!_)(?:\s*:\s*([\"'])(.*?)\1)?")
# Machine values (an <input type="date"> or "month", a <time datetime>, a URL parameter).
TEMPLATE_MACHINE_FORMATS = {"Y-m-d", "Y-m", "c", "U", "Y-m-d\\TH:i", "H:i:s"}


def _ad_hoc_date_format(line: str) -> bool:
    return any(
        match.group(2) not in TEMPLATE_MACHINE_FORMATS
        for match in TEMPLATE_DATE_FILTER.finditer(line)
    )


PYTHON_CLOCK_FORMATS = re.compile(
    r"%[HIAaBb]|date_format\(|time_format\(|\bformats\.(?:date|time)_format|%d/%m(?!/%Y)"
)
# Machine formats, never read by people: ISO 8601 (feeds, exports, tokens, the journal), the
# value of an <input type="time">, OpenStreetMap's opening_hours. A line that writes one for
# another machine says so with « # machine format ».
MACHINE_FORMATS = re.compile(
    r"%Y-%m-%d[T ]%H:%M|%Y%m%dT%H%M|format=\"%H:%M\"|strptime\(|# machine format"
)


def test_dates_and_times_are_written_one_way_in_templates_and_code():
    root = Path(__file__).resolve().parents[1]
    templates = [
        f"{path.relative_to(root)}:{number}"
        for suffix in ("*.html", "*.txt", "*.ics", "*.xml")
        for path in (root / "relais").rglob(suffix)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _ad_hoc_date_format(line)
    ]
    code = [
        f"{path.relative_to(root)}:{number}"
        for path in (root / "relais").rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PYTHON_CLOCK_FORMATS.search(line) and not MACHINE_FORMATS.search(line)
    ]
    assert templates == [], "use the filters of {% load french %}: " + ", ".join(templates)
    assert code == [], "use relais.core.french: " + ", ".join(code)


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('{{ s.starts_at|date:"H\\hi" }}', True),
        ('{{ s.starts_at|time:"H:i" }}', True),
        ("{{ s.day|date }}", True),
        ("{{ s.day|date_fr }} {{ s.day|date_courte }} {{ s.start|heure }}", False),
        ("<time datetime=\"{{ s.day|date:'Y-m-d' }}\">{{ s.day|date:'j/n' }}</time>", True),
        ('<input type="month" value="{{ month|date:\'Y-m\' }}">', False),
    ],
)
def test_the_format_check_flags_what_it_should(source, flagged):
    assert _ad_hoc_date_format(source) is flagged
