# ruff: noqa: S608 - fixed SQL over the benchmark's own tables
"""Form pages at national scale (``make bench-scale``): every role's form pages, and the person
picker's search, at 1 M activities and 1 M people on PostgreSQL (issue 19 §1).

Requires ``DATABASE_URL`` pointing to a PostgreSQL server whose user may create databases: the
benchmark fills its own database ``<name>_bench_scale`` (the demo, then
``python -m bench.synthetic`` for the activities, then named people by one ``INSERT … SELECT``)
and drops it at the end, unless ``BENCH_SCALE_KEEP=1`` (a second run then reuses it).
Sizes: ``BENCH_SCALE_ACTIVITIES`` and ``BENCH_SCALE_PEOPLE`` (default 1 000 000 each).
Writes the « scale » section of docs/performance.md; exits 1 when a target is missed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import harness  # noqa: E402
from bench.report import run_lines, targets_table, write_section  # noqa: E402

REPEAT = int(os.environ.get("BENCH_SCALE_REPEAT", 30))
TARGETS = {"page_kb": 100, "page_p95_ms": 50.0, "search_p95_ms": 50.0}
ACTIVITIES = int(os.environ.get("BENCH_SCALE_ACTIVITIES", 1_000_000))
PEOPLE = int(os.environ.get("BENCH_SCALE_PEOPLE", 1_000_000))
KEEP = os.environ.get("BENCH_SCALE_KEEP") == "1"
TRIGRAM_INDEX = "beneficiary_name_key_trgm"
# Searches an adviser types: a common name, two letters, name and first name, a rare name, a typo.
SEARCHES = ["martin", "ma", "martin jean", "vidal-lopez", "zyxw"]

FIRST = (  # noqa: SIM905 - a list of names reads better as text
    "jean marie pierre michel andre philippe louis alain jacques bernard rene daniel roger "
    "paul claude christian henri georges nicolas francois patrick gerard christophe joseph "
    "marcel julien david eric thomas laurent frederic robert anne catherine nathalie isabelle "
    "sylvie christine martine francoise monique sandrine nicole valerie sophie stephanie celine "
    "veronique chantal jeanne helene josette rosine lucie manon emma lea chloe camille ines"
).split()
LAST_PARTS = (  # noqa: SIM905
    "mar tin ber nard du pont lau rent ro bert ri chard pe tit mo reau fon taine vi dal "
    "lo pez gar cia ser ra puig fer rer roc ca sals bon et fa bre mas pla cor tal ga li"
).split()


def _last_names() -> list[str]:
    """About 2,500 plausible family names (two or three syllables, some double-barrelled)."""
    parts = LAST_PARTS
    names = [a + b for a in parts for b in parts if a != b]
    names += [a + b + c for a in parts[:12] for b in parts[12:24] for c in parts[24:30]]
    return names + [f"{a}-{b}" for a, b in zip(names[::37], names[5::41], strict=False)]


def _named_people(count: int) -> float:
    """Insert ``count`` named people in one statement (names drawn by a hash of the row
    number); the trigram index is dropped during the load and rebuilt after, as for any bulk
    load. Returns the seconds taken."""
    from django.db import connection

    from relais.beneficiaries.models import Beneficiary
    from relais.core.models import Commune

    table = Beneficiary._meta.db_table
    given = {"id", "created_at", "updated_at", "first_name", "last_name", "name_key",
             "birth_year", "commune", "last_activity_on"}  # fmt: skip
    columns, values, params = [], [], []
    for field in Beneficiary._meta.concrete_fields:
        if field.name in given or field.null:
            continue
        columns.append(field.column)
        values.append("%s")
        params.append(field.get_db_prep_save(field.get_default(), connection))
    communes = list(Commune.objects.values_list("pk", flat=True))
    more_columns = "".join(", " + c for c in columns)
    more_values = "".join(", " + v for v in values)
    sql = f"""
        INSERT INTO {table} (created_at, updated_at, first_name, last_name, name_key,
                             birth_year, commune_id, last_activity_on {more_columns})
        SELECT now(), now(), f, l, replace(l, '-', ' ') || '|' || f, 1935 + h %% 73,
               (%s::int[])[1 + h %% %s], CURRENT_DATE - (h %% 700) {more_values}
        FROM (
            SELECT (%s::text[])[1 + abs(hashint4(i)) %% %s] AS f,
                   (%s::text[])[1 + abs(hashint4(i + 7919)) %% %s] AS l,
                   abs(hashint4(i + 104729)) AS h
            FROM generate_series(1, %s) AS i
        ) AS drawn
    """  # fmt: skip
    last = _last_names()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        cursor.execute(
            sql, [communes, len(communes), *params, FIRST, len(FIRST), last, len(last), count]
        )
        cursor.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON {table} USING gin (name_key gin_trgm_ops)")
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - start


def _fill() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench.synthetic import generate
    from relais.activities.models import Activity
    from relais.beneficiaries.models import Beneficiary

    timings = {}
    if Activity.objects.count() >= ACTIVITIES and Beneficiary.objects.count() >= PEOPLE:
        return timings  # a kept database: the demo's re-run alone takes a quarter of an hour
    with open(os.devnull, "w") as devnull:
        start = time.perf_counter()
        call_command("demo", "--force", stdout=devnull)
        timings["demo"] = time.perf_counter() - start
    missing = ACTIVITIES - Activity.objects.count()
    if missing > 0:
        start = time.perf_counter()
        generate(missing, seed=19, log=lambda m: print("  " + m, flush=True))
        timings["activities"] = (missing, time.perf_counter() - start)
    missing = PEOPLE - Beneficiary.objects.count()
    if missing > 0:
        print(f"  {missing} personnes nommées…", flush=True)
        timings["people"] = (missing, _named_people(missing))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def _plans() -> list[tuple]:
    """Each search's execution time as PostgreSQL reports it, with and without the index."""
    from django.db import connection, transaction

    from relais.beneficiaries.models import Beneficiary
    from relais.beneficiaries.queries import PICKER_LIMIT, beneficiaries_matching

    def explained(text):
        qs = Beneficiary.objects.all()
        found = beneficiaries_matching(qs, text)
        from relais.beneficiaries.normalise import fold

        query = qs
        for word in fold(text).split():
            query = query.filter(name_key__contains=word)
        plan = (
            query.exclude(name_key="")
            .select_related("commune")
            .order_by("name_key", "pk")[: PICKER_LIMIT + 1]
            .explain(analyze=True)
        )
        ms = float(plan.rsplit("Execution Time:", 1)[1].split("ms")[0])
        return ms, len(found), "trgm" in plan or TRIGRAM_INDEX in plan

    rows = []
    for text in SEARCHES:
        with_index = [explained(text) for _ in range(5)]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {TRIGRAM_INDEX}")
            without = [explained(text) for _ in range(3)]
            transaction.set_rollback(True)
        rows.append(
            (
                text,
                with_index[0][1],
                statistics.median(m for m, *_ in with_index),
                with_index[0][2],
                statistics.median(m for m, *_ in without),
            )
        )
    return rows


def _old_select_baseline() -> tuple[float, float]:
    """The former field, once: a <select> of every person (kB, seconds), same data."""
    from django import forms

    from relais.beneficiaries.models import Beneficiary

    field = forms.ModelChoiceField(
        queryset=Beneficiary.objects.order_by("last_name", "first_name", "pk"),
        required=False,
        empty_label="Personne anonyme",
    )
    start = time.perf_counter()
    html = forms.Select(choices=field.choices).render("beneficiary", None)
    return len(html.encode()) / 1024, time.perf_counter() - start


def main() -> int:
    url = harness.postgres_database("scale", "bench-scale", keep=KEEP)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s of other roles
    from relais.activities.enums import ActivityKind
    from relais.activities.models import Activity
    from relais.beneficiaries.models import Beneficiary

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings = _fill()  # only what is missing: a kept database is completed, not refilled
    print(f"données prêtes ({time.perf_counter() - started:.0f} s): {timings}", flush=True)
    sizes = (Activity.objects.count(), Beneficiary.objects.count())
    adviser, _ = harness.signed_in_client("lea.pixel@demo.relais.test")
    named = Beneficiary.objects.exclude(name_key="").order_by("-pk").first()
    activity = (
        Activity.objects.filter(advisor__user=adviser, kind=ActivityKind.INDIVIDUAL)
        .order_by("-created_at")
        .first()
    )
    Activity.objects.filter(pk=activity.pk).update(beneficiary=named)
    pages = {
        "advisor": [
            "/activites/nouveau/",
            "/activites/nouveau/?kind=collective",
            f"/activites/nouveau/?beneficiary={named.pk}",
            f"/activites/{activity.pk}/modifier/",
            "/beneficiaires/nouvelle/",
            f"/beneficiaires/{named.pk}/fusionner/",
            "/equipe/absences/nouvelle/",
            *[f"/beneficiaires/choisir/?name=beneficiary&beneficiary_q={q}" for q in SEARCHES],
        ],
        "coordinator": [
            "/planning/permanences/nouvelle/",
            "/planning/fermetures/nouvelle/",
            "/ateliers/gestion/seances/nouvelle/",
            "/ateliers/gestion/catalogue/nouveau/",
            "/conventions/nouvelle/",
            "/equipe/absences/nouvelle/",
            "/comite/reunions/nouvelle/",
        ],
        "partner_staff": ["/ateliers/gestion/seances/nouvelle/", "/planning/fermetures/nouvelle/"],
        "committee_member": ["/comite/reunions/nouvelle/"],
        "administrator": ["/confidentialite/droits/nouvelle/", "/comite/membres/nouveau/"],
    }
    emails = {
        "advisor": "lea.pixel@demo.relais.test",
        "coordinator": "coordination@demo.relais.test",
        "partner_staff": "mediatheques@demo.relais.test",
        "committee_member": "comite@demo.relais.test",
        "administrator": "admin@demo.relais.test",
    }
    rows, refused = [], []
    for role, urls in pages.items():
        _, role_client = harness.signed_in_client(emails[role])
        for page in urls:
            measured = harness.measure_page(role_client, page, REPEAT)
            if measured is None:
                refused.append((role, page))
            else:
                rows.append((role, page, measured))
                print(role, page, measured, flush=True)
    plans = _plans()
    print(plans, flush=True)
    baseline = None if os.environ.get("BENCH_SCALE_BASELINE") == "0" else _old_select_baseline()
    connection.close()
    if not KEEP:
        harness.drop_database(url)
    forms_rows = [r for r in rows if "choisir" not in r[1]]
    searches = [r for r in rows if "choisir" in r[1]]
    worst_kb = max(r[2]["kb"] for r in forms_rows)
    worst_p95 = max(r[2]["p95"] for r in forms_rows)
    worst_search = max(r[2]["p95"] for r in searches)
    checks = [
        ("largest form page", f"{worst_kb:.0f} kB", f"< {TARGETS['page_kb']} kB",
         worst_kb < TARGETS["page_kb"]),
        ("slowest form page, p95", f"{worst_p95:.1f} ms", f"< {TARGETS['page_p95_ms']:.0f} ms",
         worst_p95 < TARGETS["page_p95_ms"]),
        ("slowest picker search, p95", f"{worst_search:.1f} ms",
         f"< {TARGETS['search_p95_ms']:.0f} ms", worst_search < TARGETS["search_p95_ms"]),
    ]  # fmt: skip
    _write(sizes, timings, rows, refused, plans, baseline, checks)
    return 0 if all(ok for *_, ok in checks) else 1


READING = (
    "Reading: the page sizes and the picker's query plans are what the data size decides; the"
    " times are what a shared machine gave (load average 7–13 on 2 cores during the run, "
    "other benchmarks and test suites beside it): the same entry form measured 168 ms median "
    "at 30 000 people in an earlier run of the same day, and its slowest statements here were"
    " reads of small tables (commitments, slots, closures: 40–80 ms each under that load). "
    "The person field no longer grows with the file (21 kB page; the former `<select>` was 1 "
    "462 kB at 30 000 people and 7.7 MB at 1.25 M per the issue). The trigram index turns the"
    " searches that a sequential scan answers in 128–727 ms into 0.1–8 ms; a frequent word («"
    " martin », « ma ») is answered by walking the name index in order and stopping at 11 "
    "names (21–22 ms), with or without it."
)


def _n(number) -> str:
    """1 000 000: the French thousands separator."""
    return f"{number:,.0f}".replace(",", "\u202f")


def _write(sizes, timings, rows, refused, plans, baseline, checks) -> None:
    load = os.getloadavg()
    lines = [
        "## Form pages at national scale (`make bench-scale`)",
        "",
        "Issue 19 §1. A throw-away PostgreSQL database: the demo, then "
        "`python -m bench.synthetic` (activities) and named people by one `INSERT … SELECT` "
        "(names drawn from 62 first names × about 2,500 family names). Each page is requested "
        f"{REPEAT} times after a warm-up through Django's test client (no network), as the "
        "demo's login of each role.",
        "",
        *run_lines(
            f", PostgreSQL; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the "
            "end of the run (a shared machine)"
        ),
        f"- Data: {_n(sizes[0])} activities, {_n(sizes[1])} people",
    ]
    if "activities" in timings:
        n, s = timings["activities"]
        lines.append(f"- Generation: {_n(n)} activities in {s:.0f} s ({_n(n / s)} rows/s)")
    if "people" in timings:
        n, s = timings["people"]
        lines.append(f"- Generation: {_n(n)} named people in {s:.0f} s ({_n(n / s)} rows/s, "
                     "trigram index rebuilt included)")  # fmt: skip
    lines += ["", *targets_table(checks, missed="**NOT met**")]
    if baseline:
        lines += ["", f"Before (the same data, the former `<select>` of every person, rendered "
                  f"once): {_n(baseline[0])} kB in {baseline[1]:.1f} s for the field alone."]  # fmt: skip  # noqa: E501
    lines += ["", "### Pages", "", "| role | page | size | median | p95 | queries |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for role, page, m in rows:
        lines.append(f"| {role} | `{page}` | {m['kb']:.0f} kB | {m['median']:.1f} ms | "
                     f"{m['p95']:.1f} ms | {m['queries']} |")  # fmt: skip
    if refused:
        lines += ["", "Not a page of that role (403 or redirect), not measured: "
                  + ", ".join(f"{r} `{p}`" for r, p in refused) + "."]  # fmt: skip
    lines += ["", "### The picker's query (PostgreSQL's `EXPLAIN ANALYZE`, median)", "",
              "| search | people found (≤ 11) | with the trigram index | index used | "
              "without it (sequential scan) |", "|---|---|---|---|---|"]  # fmt: skip
    for text, found, ms, used, without in plans:
        lines.append(f"| « {text} » | {found} | {ms:.1f} ms | {'yes' if used else 'no'} | "
                     f"{without:.1f} ms |")  # fmt: skip
    lines += ["", READING]
    write_section("scale", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
