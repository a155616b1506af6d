"""Statistics charts (``make bench-charts``, issue 19 §2, ADR 0010): what a dashboard's nine
charts (8 breakdowns of 10 bars, the 12-month series) cost when drawn by matplotlib in a fresh
process, drawn again with new figures, read back from the shared cache (the database's cache
table, as a second worker would), and from the process's memo. For comparison, when the
package is importable (it is not a dependency), the same nine charts drawn by pygal.

Uses ``DATABASE_URL``'s server (PostgreSQL: the benchmark creates and drops
``<name>_bench_charts``; otherwise a throw-away SQLite file). Writes the « charts » section of
docs/performance.md.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import database_or_sqlite  # noqa: E402
from bench.report import run_lines, write_section  # noqa: E402

PAGES = int(os.environ.get("BENCH_CHARTS_PAGES", 5))
ROWS = [(f"Thématique numéro {i}", 120 - i * 9) for i in range(10)]
MONTHS = [date(2025, m, 1) for m in range(1, 13)]


def _page(charts, k: int) -> list[str]:
    """A dashboard's nine charts; ``k`` changes every figure (a data change)."""
    svgs = [
        charts.bar_chart(
            f"Répartition {b}", [(label, v + k) for label, v in ROWS], unit="activités"
        )
        for b in range(8)
    ]
    svgs.append(
        charts.line_chart(
            "Activités et accompagnements sur 12 mois",
            MONTHS,
            {
                "Activités": [40 + 3 * i + k for i in range(12)],
                "Accompagnements": [20 + i + k for i in range(12)],
            },
        )
    )
    return svgs


def _pygal_page(pygal, k: int) -> list[str]:
    svgs = []
    for b in range(8):
        chart = pygal.HorizontalBar(width=720, height=400, show_legend=False, js=[])
        chart.title = f"Répartition {b}"
        chart.x_labels = [label for label, _ in ROWS]
        chart.add("activités", [v + k for _, v in ROWS])
        svgs.append(chart.render(is_unicode=True))
    chart = pygal.Line(width=720, height=320, js=[])
    chart.x_labels = [f"{m:%m/%y}" for m in MONTHS]
    chart.add("Activités", [40 + 3 * i + k for i in range(12)])
    chart.add("Accompagnements", [20 + i + k for i in range(12)])
    svgs.append(chart.render(is_unicode=True))
    return svgs


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> int:
    url, drop = database_or_sqlite(
        "charts",
        Path(tempfile.mkdtemp(prefix="relais-charts-")) / "charts.sqlite3",
        os.environ.get("DATABASE_URL", ""),
    )
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "CACHE_URL": "dbcache://relais_cache",
            "SECRET_KEY": "bench-charts",
        }
    )
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        from relais.reporting import charts

        imported = time.perf_counter() - started
        started = time.perf_counter()
        first = _page(charts, 0)
        cold = time.perf_counter() - started
        drawn = []
        for k in range(1, PAGES + 1):
            started = time.perf_counter()
            _page(charts, k)
            drawn.append(time.perf_counter() - started)
        shared, memo = [], []
        for _ in range(20):
            charts._bar_chart.cache_clear()  # a worker that has not drawn them
            charts._line_chart.cache_clear()
            started = time.perf_counter()
            again = _page(charts, 0)
            shared.append(time.perf_counter() - started)
            assert again == first
            started = time.perf_counter()
            _page(charts, 0)
            memo.append(time.perf_counter() - started)
        size = sum(len(s) for s in first)
        try:
            import pygal
        except ImportError:
            pygal_line = "pygal: not installed, not measured (not a dependency)."
        else:
            pygal_times = []
            for k in range(PAGES):
                started = time.perf_counter()
                _pygal_page(pygal, k)
                pygal_times.append(time.perf_counter() - started)
            pygal_line = (
                f"pygal {pygal.__version__} (for comparison, not used): the same nine charts "
                f"{_ms(statistics.median(pygal_times))} median per page ({PAGES} pages)."
            )
        cache.clear()
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    load = os.getloadavg()
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    lines = [
        "## Statistics charts (`make bench-charts`)",
        "",
        "Issue 19 §2, ADR 0010. A dashboard's nine charts (8 breakdowns of 10 bars, the 12-month "
        "series of two lines), drawn by `relais.reporting.charts` (matplotlib, SVG).",
        "",
        *run_lines(
            f"; shared cache: the cache table in {engine}; load average "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end (a shared machine)"
        ),
        "",
        "| the nine charts of a page | time |",
        "|---|---|",
        f"| importing matplotlib (once per process) | {_ms(imported)} |",
        f"| first page drawn in a fresh process | {_ms(cold)} |",
        f"| drawn again with new figures (a data change), median of {PAGES} | "
        f"{_ms(statistics.median(drawn))} |",
        f"| read from the shared cache (another worker), median of 20 | "
        f"{_ms(statistics.median(shared))} |",
        f"| read from the process's memo, median of 20 | {_ms(statistics.median(memo))} |",
        "",
        f"SVG of the nine charts: {size / 1024:.0f} kB. {pygal_line}",
    ]
    write_section("charts", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
