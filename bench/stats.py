# ruff: noqa: S603, S608 - fixed SQL over the benchmark's own tables; our own child process
"""Statistics benchmark (``make bench-stats``): dashboard queries at 1 M and 10 M activities on
PostgreSQL, the same aggregates by DuckDB over Parquet, and export memory for 1 M rows.

Requires ``DATABASE_URL`` pointing to a PostgreSQL server (the user may create databases): the
benchmark creates and drops its own database ``<name>_bench_stats``. Sizes: ``BENCH_STATS_SIZES``
(default ``1000000,10000000``; the dataset grows from one size to the next). Writes the
« stats » section of docs/performance.md; exits 1 when a target is missed. Not run by CI.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.report import write_section  # noqa: E402

REPEAT = 7
TARGETS = {"p95_ms": 50.0, "export_rss_mib": 150.0}
EXPORT_ROWS = 1_000_000


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench-stats: DATABASE_URL doit désigner un serveur PostgreSQL.")
    parsed = urlparse(url)
    name = (parsed.path.lstrip("/") or "relais") + "_bench_stats"
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def _drop(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def _combos(today):
    """(name, StatsFilters) over the dataset's real ids."""
    from dateutil.relativedelta import relativedelta

    from relais.places.models import Place
    from relais.reporting.stats import StatsFilters
    from relais.team.models import Advisor

    place = Place.objects.order_by("pk")[3]
    advisor = Advisor.objects.order_by("pk")[5]
    year = StatsFilters.last_months(12, today)
    from dataclasses import replace

    return [
        ("12 mois, sans filtre", year),
        ("36 mois, sans filtre", StatsFilters.last_months(36, today)),
        ("3 mois", replace(year, start=year.end - relativedelta(months=2))),
        ("structure", replace(year, partners=(place.partner_id,))),
        ("lieu", replace(year, places=(place.pk,))),
        ("conseiller", replace(year, advisors=(advisor.pk,))),
        ("commune", replace(year, communes=(place.commune_id,))),
        ("thématique", replace(year, theme="email")),
        ("type (ateliers)", replace(year, kind="collective")),
        ("lieu + thématique", replace(year, places=(place.pk,), theme="health")),
        ("structure + type", replace(year, partners=(place.partner_id,), kind="individual")),
        ("conseiller + thématique", replace(year, advisors=(advisor.pk,), theme="housing")),
    ]


def _time(fn, repeat=REPEAT) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _pct(samples, q) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, round(q * (len(samples) - 1)))]


EXPORT_SQL = """
SELECT a.id, a.date, a.kind, a.advisor_id, a.place_id, p.partner_id,
       COALESCE(p.commune_id, b.commune_id) AS commune_id,
       a.participants_count, a.duration_minutes,
       (a.beneficiary_id IS NOT NULL) AS linked,
       (a.beneficiary_id IS NOT NULL AND f.first_id = a.id) AS is_first,
       {counts}
FROM activities_activity a
LEFT JOIN places_place p ON p.id = a.place_id
LEFT JOIN beneficiaries_beneficiary b ON b.id = a.beneficiary_id
LEFT JOIN (SELECT DISTINCT ON (beneficiary_id) beneficiary_id, id AS first_id
           FROM activities_activity WHERE beneficiary_id IS NOT NULL
           ORDER BY beneficiary_id, date, id) f ON f.beneficiary_id = a.beneficiary_id
"""


def _to_parquet(folder: Path) -> float:
    """Export the activities (with the same derived columns) and themes to Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    from relais.activities.enums import ALL_COUNT_FIELDS

    start = time.perf_counter()
    queries = {
        "activities": EXPORT_SQL.format(counts=", ".join(f"a.{c}" for c in ALL_COUNT_FIELDS)),
        "themes": "SELECT activity_id, theme FROM activities_activitytheme",
    }
    from django.db import transaction

    for name, sql in queries.items():
        with transaction.atomic(), connection.connection.cursor(name=f"export_{name}") as cursor:
            cursor.itersize = 200_000
            cursor.execute(sql)
            columns = [d.name for d in cursor.description]
            writer = None
            while rows := cursor.fetchmany(200_000):
                table = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in rows])
                if writer is None:
                    writer = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
                writer.write_table(table.cast(writer.schema))
            writer.close()
    return time.perf_counter() - start


def _duckdb_dashboard(con, f) -> dict:
    """The dashboard's aggregates (totals, themes, places, communes, 12-month series)."""
    where = ["date >= ? AND date < ?"]
    params = [f.start, f.end_exclusive]
    for column, values in (("partner_id", f.partners), ("place_id", f.places),
                           ("advisor_id", f.advisors), ("commune_id", f.communes)):  # fmt: skip
        if values:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += list(values)
    if f.kind:
        where.append("kind = ?")
        params.append(f.kind)
    source = "a"
    if f.theme:
        source = "a JOIN t ON t.activity_id = a.id AND t.theme = ?"
        params = [f.theme, *params]
    clause = " AND ".join(where)
    from relais.activities.enums import ALL_COUNT_FIELDS

    sums = ", ".join(f"SUM({c})" for c in ALL_COUNT_FIELDS)
    totals = con.execute(
        f"SELECT COUNT(*), SUM(participants_count), SUM(duration_minutes), "
        f"SUM(linked::INT), SUM(is_first::INT), {sums} FROM {source} WHERE {clause}",
        params,
    ).fetchone()
    out = {"totals": totals}
    for key in ("place_id", "commune_id"):
        out[key] = con.execute(
            f"SELECT {key}, COUNT(*), SUM(participants_count) FROM {source} WHERE {clause} "
            f"GROUP BY 1",
            params,
        ).fetchall()
    theme_params = [*params[1:]] if f.theme else params
    theme_where = clause + (" AND t.theme = ?" if f.theme else "")
    out["theme"] = con.execute(
        f"SELECT t.theme, COUNT(*), SUM(participants_count) FROM a JOIN t ON t.activity_id = a.id "
        f"WHERE {theme_where} GROUP BY 1",
        theme_params + ([f.theme] if f.theme else []),
    ).fetchall()
    from dateutil.relativedelta import relativedelta

    series_params = list(params)
    series_params[1 if f.theme else 0] = f.end - relativedelta(months=11)
    out["series"] = con.execute(
        f"SELECT date_trunc('month', date), COUNT(*), SUM(participants_count) FROM {source} "
        f"WHERE {clause} GROUP BY 1",
        series_params,
    ).fetchall()
    return out


EXPORT_CHILD = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django; django.setup()
from relais.reporting import exports
from relais.reporting.stats import StatsFilters
fmt, ids_below = sys.argv[1], int(sys.argv[2])
def hwm():  # peak RSS of this process (ru_maxrss would include the forking parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
base = hwm()
filters = StatsFilters.last_months(40)
rows = exports.activity_rows(filters, with_advisor=True)
header = exports.activity_header(with_advisor=True)
def limited():
    for row in rows:
        if row[0] >= ids_below:
            return
        yield row
start = time.perf_counter()
if fmt == "csv":
    size = sum(len(b) for b in exports.csv_stream(header, limited(), delimiter=";", bom=True))
elif fmt == "ods":
    size = sum(len(b) for b in exports.ods_stream([("Activités", header, limited())], zip64=True))
else:
    handle = exports.xlsx_file([("Activités", header, limited())])
    size = sum(len(b) for b in iter(lambda: handle.read(1 << 20), b""))
print(hwm() / 1024, base / 1024,
      time.perf_counter() - start, size)
"""


def _export_memory(ids_below: int) -> dict:
    results = {}
    for fmt in ("csv", "xlsx", "ods"):
        out = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD.format(root=str(ROOT)), fmt, str(ids_below)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        peak, base, seconds, size = out.stdout.split()[-4:]
        results[fmt] = {"peak_mib": float(peak), "base_mib": float(base),
                        "seconds": float(seconds), "mib": int(size) / 2**20}  # fmt: skip
    return results


def main() -> int:
    url = _database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    import duckdb
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from relais.activities.models import Activity
    from relais.reporting import stats
    from relais.reporting.models import ActivityMonthlyStat, ActivityThemeMonthlyStat
    from relais.reporting.rollup import refresh
    from relais.reporting.synthetic import generate

    sizes = [int(s) for s in os.environ.get("BENCH_STATS_SIZES", "1000000,10000000").split(",")]
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    sections, checks, export = [], [], None
    try:
        for size in sizes:
            have = Activity.objects.count()
            gen_s = generate(size - have, seed=size, log=lambda m: print("  " + m))["seconds"]
            start = time.perf_counter()
            refresh(full=True)
            refresh_s = time.perf_counter() - start
            # Steady state: the next timer run, 10 minutes later, with nothing modified since.
            from relais.reporting.models import StatsRefresh
            from relais.reporting.rollup import OVERLAP

            StatsRefresh.objects.filter(pk=1).update(
                watermark=Activity.objects.latest("updated_at").updated_at + OVERLAP
            )
            start = time.perf_counter()
            refresh()
            incremental_s = time.perf_counter() - start
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE reporting_activitymonthlystat")
                cursor.execute("VACUUM ANALYZE reporting_activitythememonthlystat")
            rollup_rows = ActivityMonthlyStat.objects.count()
            theme_rows = ActivityThemeMonthlyStat.objects.count()
            combos = _combos(today)
            folder = Path(tempfile.mkdtemp(prefix="relais-duck-"))
            parquet_s = _to_parquet(folder)
            con = duckdb.connect()
            con.execute(f"CREATE VIEW a AS SELECT * FROM '{folder}/activities.parquet'")
            con.execute(f"CREATE VIEW t AS SELECT * FROM '{folder}/themes.parquet'")
            rows, pg_all, duck_all = [], [], []
            for name, f in combos:
                pg = _time(lambda f=f: stats.dashboard(f))
                duck = _time(lambda f=f, con=con: _duckdb_dashboard(con, f))
                check = _duckdb_dashboard(con, f)["totals"]
                ours = stats.totals(f)
                assert (check[0] or 0, check[1] or 0) == (ours.activities, ours.accompaniments), (
                    name, check[:2], ours.activities, ours.accompaniments)  # fmt: skip
                assert (check[4] or 0) == ours.new_beneficiaries, name
                pg_all += pg
                duck_all += duck
                rows.append((name, statistics.median(pg), _pct(pg, 0.95),
                             statistics.median(duck), _pct(duck, 0.95)))  # fmt: skip
            p95, duck_p95 = _pct(pg_all, 0.95), _pct(duck_all, 0.95)
            checks.append((f"dashboard p95 at {size:,}".replace(",", " "), f"{p95:.1f} ms",
                           f"≤ {TARGETS['p95_ms']:.0f} ms", p95 <= TARGETS["p95_ms"]))  # fmt: skip
            checks.append((f"faster than DuckDB at {size:,}".replace(",", " "),
                           f"{p95:.1f} ms vs {duck_p95:.1f} ms (p95)", "PostgreSQL < DuckDB",
                           p95 < duck_p95))  # fmt: skip
            sections.append((size, gen_s, refresh_s, incremental_s, rollup_rows, theme_rows,
                             parquet_s, rows, p95, duck_p95))  # fmt: skip
            print(json.dumps((*sections[-1][:7], p95, duck_p95), default=str))
            if export is None and size >= EXPORT_ROWS:
                first = Activity.objects.order_by("pk").values_list("pk", flat=True).first()
                export = _export_memory(first + EXPORT_ROWS)
                for fmt, m in export.items():
                    checks.append((f"export {fmt.upper()} 1 M rows, peak RSS",
                                   f"{m['peak_mib']:.0f} MiB",
                                   f"≤ {TARGETS['export_rss_mib']:.0f} MiB",
                                   m["peak_mib"] <= TARGETS["export_rss_mib"]))  # fmt: skip
                print(json.dumps(export))
    finally:
        connection.close()
        _drop(url)
    _write(sections, checks, export)
    return 0 if all(ok for *_, ok in checks) else 1


def _write(sections, checks, export) -> None:
    lines = [
        "## Statistics (`make bench-stats`)",
        "",
        "Synthetic data (`relais generate-synthetic`, loaded with COPY) in a throw-away "
        "PostgreSQL database; the dashboard (`relais.reporting.stats.dashboard`: totals, 8 "
        f"breakdowns, 12-month series — 7 queries) timed {REPEAT} times per filter combination "
        "after a warm-up, read from the monthly roll-ups (`relais refresh-stats`). Reference: "
        "DuckDB computing the same aggregates (totals with the breakdown columns, places, "
        "communes, themes, 12-month series) over the same rows exported to Parquet "
        "(derived columns — partner, commune, first visit — precomputed, its best case). "
        "Totals checked equal between the two.",
        "",
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, PostgreSQL (fsync off), DuckDB "
        f"{__import__('duckdb').__version__}",
        "",
        "### Targets",
        "",
        "| measure | measured | target | met |",
        "|---|---|---|---|",
        *[f"| {n} | {v} | {t} | {'yes' if ok else '**NO**'} |" for n, v, t, ok in checks],
        "",
    ]
    for size, gen_s, refresh_s, inc_s, rollup, themes, parquet_s, rows, p95, duck in sections:
        lines += [
            f"### {size:,} activities".replace(",", " "),
            "",
            f"- generate-synthetic (up to this size): {gen_s:.0f} s; `refresh-stats --full`: "
            f"{refresh_s:.0f} s; incremental run with nothing modified (count check only): "
            f"{inc_s:.1f} s",
            f"- roll-up rows: {rollup:,} monthly, {themes:,} monthly × theme".replace(",", " "),
            f"- Parquet export for DuckDB: {parquet_s:.0f} s",
            "",
            "| filters | PostgreSQL p50 | p95 | DuckDB p50 | p95 |",
            "|---|---|---|---|---|",
            *[
                f"| {n} | {a:.1f} ms | {b:.1f} ms | {c:.1f} ms | {d:.1f} ms |"
                for n, a, b, c, d in rows
            ],
            f"| **all** | | **{p95:.1f} ms** | | **{duck:.1f} ms** |",
            "",
        ]
    if export:
        lines += [
            "### Export memory (1 M activities, separate process)",
            "",
            "| format | peak RSS | RSS after start-up | time | file |",
            "|---|---|---|---|---|",
            *[
                f"| {fmt.upper()} | {m['peak_mib']:.0f} MiB | {m['base_mib']:.0f} MiB | "
                f"{m['seconds']:.0f} s | {m['mib']:.0f} MiB |"
                for fmt, m in export.items()
            ],
            "",
            "CSV and ODS are streamed to the browser as they are written; XLSX is written to "
            "a temporary file first (openpyxl's write-only mode), then sent. Statistics "
            "exports are small in every format.",
            "",
        ]
    write_section("stats", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
