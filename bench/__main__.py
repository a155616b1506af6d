"""Benchmarks: ``make bench`` (or ``python -m bench``) writes docs/performance.md.

Measures, on a throw-away database (SQLite by default, PostgreSQL when DATABASE_URL is set):
migrations, ``relais demo`` (first run and idempotent re-run, with peak Python memory), and
the response time and query count of every role's main pages on the demo data.
Targets are checked here, never in timed tests.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import measure_page, signed_in_client  # noqa: E402
from bench.report import run_lines, targets_table, write_section  # noqa: E402

REQUESTS_PER_PAGE = 40

# Targets (see docs/performance.md): a page in a mountain library on a slow link must come
# back fast from the server, whatever the role. The query budget is per page, constant with the
# data size: dashboards are made of several sections (coverage, deadlines, alerts…), each a
# fixed number of queries; an N+1 shows up as a page over budget on the demo data already.
TARGETS = {
    "page_p95_ms": 150.0,
    "page_queries": 25,
    "demo_seconds": 30.0,
    "demo_peak_mib": 200.0,
}


def _setup() -> str:
    tmp = tempfile.mkdtemp(prefix="relais-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["RELAIS_VAR_DIR"] = tmp
    import django

    django.setup()
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _measure_page(client, url: str) -> dict:
    measured = measure_page(client, url, REQUESTS_PER_PAGE)
    assert measured is not None, (url, "not a page of this role")
    return measured


def main() -> int:
    engine = _setup()
    from django.core.management import call_command

    migrate_s, _ = _timed(lambda: call_command("migrate", verbosity=0))
    tracemalloc.start()
    with open(os.devnull, "w") as devnull:
        demo_s, _ = _timed(lambda: call_command("demo", "--force", stdout=devnull))
        _, demo_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rerun_s, _ = _timed(lambda: call_command("demo", "--force", stdout=devnull))

    personas = {
        "coordinator": (
            "coordination@demo.relais.test",
            ["/", "/lieux/", "/equipe/", "/structures/"],
        ),
        "advisor": ("lea.pixel@demo.relais.test", ["/", "/lieux/", "/equipe/"]),
        "partner_staff": ("mediatheques@demo.relais.test", ["/", "/lieux/"]),
        "committee_member": ("comite@demo.relais.test", ["/", "/structures/"]),
        "administrator": ("admin@demo.relais.test", ["/"]),
    }
    rows = []
    for role, (email, urls) in personas.items():
        _, client = signed_in_client(email)
        for url in urls:
            rows.append((role, url, _measure_page(client, url)))

    worst_p95 = max(r[2]["p95"] for r in rows)
    worst_queries = max(r[2]["queries"] for r in rows)
    checks = [
        (
            "p95 of every page",
            f"{worst_p95:.1f} ms",
            f"< {TARGETS['page_p95_ms']:.0f} ms",
            worst_p95 < TARGETS["page_p95_ms"],
        ),
        (
            "queries per page (max)",
            str(worst_queries),
            f"≤ {TARGETS['page_queries']}",
            worst_queries <= TARGETS["page_queries"],
        ),
        (
            "`relais demo`, first run",
            f"{demo_s:.2f} s",
            f"< {TARGETS['demo_seconds']:.0f} s",
            demo_s < TARGETS["demo_seconds"],
        ),
        (
            "`relais demo`, peak Python memory",
            f"{demo_peak / 2**20:.1f} MiB",
            f"< {TARGETS['demo_peak_mib']:.0f} MiB",
            demo_peak / 2**20 < TARGETS["demo_peak_mib"],
        ),
    ]
    lines = [
        "## Pages and demo data (`make bench`)",
        "",
        "On a throw-away database filled by `relais demo`; each page is requested "
        f"{REQUESTS_PER_PAGE} times after a warm-up, through Django's test client (no network).",
        "",
        *run_lines(f", database {engine}"),
        "",
        *targets_table(checks),
        "",
        "### Setup",
        "",
        "| step | time |",
        "|---|---|",
        f"| migrate (empty database) | {migrate_s:.2f} s |",
        f"| `relais demo` (first run) | {demo_s:.2f} s |",
        f"| `relais demo` (re-run, idempotent) | {rerun_s:.2f} s |",
        "",
        "### Pages",
        "",
        "| role | page | median | p95 | queries |",
        "|---|---|---|---|---|",
        *[
            f"| {role} | `{url}` | {m['median']:.1f} ms | {m['p95']:.1f} ms | {m['queries']} |"
            for role, url, m in rows
        ],
        "",
    ]
    write_section("pages", "\n".join(lines))
    print("\n".join(lines))
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
