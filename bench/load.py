# ruff: noqa: S603, S607 - our own child processes (gunicorn, wrk) and the bench's tables
"""Load benchmark (``make bench-load``, issue 19 §3): gunicorn as docs/operations.md runs it
(3 gthread workers × 4 threads, production settings) against PostgreSQL, and ``wrk`` (Debian's
package, a maintained C load generator) on 127.0.0.1 only.

In one run, on one server: the ceiling (a one-line view, ``bench/load_urls.py``, without and
with an adviser's session cookie), each page alone at 50 clients (place index, a place page,
the workshop catalogue, an adviser recording activities, a coordinator's home page), then
mixed traffic at 50 and 200 clients (public pages, advisers recording, coordinators on their
home page, all at once). Reports requests/s, p50/p95/p99, 5xx, and for the activities posted:
acknowledged (302 to the activity) = stored (rows in the database), none duplicated.

Two kinds of measure (docs/performance.md, « Under load », says why):

- **saturation**: each client sends its next request as soon as the answer arrives (wrk's
  closed loop). The server is kept busy, so the throughput is the ceiling of the stack and the
  latency only says how long a request queues: with N clients, mean latency = N / throughput.
  The throughput ratios to the one-line view are the figures of this kind; the recording's
  (against the one-line view with the adviser's cookie) is the median of ``BENCH_LOAD_ROUNDS``
  rounds of the pair in turns, the two swinging from run to run on a shared machine.
- **latency at an offered load**: each client is a person who pauses after every answer, a
  random ``BENCH_LOAD_PAUSE_MS`` ± 50 % (default 1 000 ms; the pause is not in the latency), so
  50 clients offer at most 50 requests/s; each request on its own connection, as nginx sends
  them to gunicorn. The p95 targets are judged on these. They are sent by ``bench/paced.py``
  (standard library threads), not by wrk: wrk's Lua ``delay()`` reports tails of 400–700 ms
  that the server does not have (docs/performance.md). The mixed traffic at 200 clients runs
  this way for ``BENCH_LOAD_MIXED_SECONDS`` (default 600: the issue's 10 minutes), each client
  pausing ``BENCH_LOAD_MIXED_PAUSE_MS`` (default 2 000 ms). A paced client waits for its last
  answer, so every post it sent is answered or counted as unanswered.

Requires ``DATABASE_URL`` (PostgreSQL; the benchmark creates and drops ``<name>_bench_load``)
and ``wrk`` (``apt-get install wrk``). Bounded: ``BENCH_LOAD_SECONDS`` per measure (default
15), ``BENCH_LOAD_ACTIVITIES`` of volume besides the demo (default 100 000). Residents
registering for workshops are not in the mix: the public forms' rate limit per address (issue
12) refuses one address sending hundreds per second, which is its purpose.
Writes the « load » section of docs/performance.md; exits 1 when a target is missed.

The seeded database (migrations, demo, volume, roll-ups rebuilt) is kept as a PostgreSQL
template, ``<name>_bench_load_seed_<key>``: the next run copies it in seconds instead of seeding
again. The key covers the volume, the day (the demo is dated from today), the migrations and
the seeding code; ``BENCH_LOAD_FRESH=1`` seeds again regardless. The template stays on the
server (one per volume: a new one replaces the older).

``BENCH_LOAD_ONLY=auth`` measures only the cost of a signed-in request (issue 19 §2), on the
demo without the volume: the one-line view without a cookie, with an adviser's cookie, and
with the same cookie on a second server that runs the former middlewares (Django's and
django-otp's, ``BENCH_LOAD_MIDDLEWARE=django`` in bench/load_settings.py), in turns,
``BENCH_LOAD_ROUNDS`` times (default 3; the median is reported: a shared machine). Writes the
« auth » section.
"""

import json
import os
import shutil
import signal
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
from bench import harness, paced  # noqa: E402
from bench.report import run_lines, targets_table, write_section  # noqa: E402

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", 15))
MIXED_SECONDS = int(os.environ.get("BENCH_LOAD_MIXED_SECONDS", 600))
PAUSE_MS = int(os.environ.get("BENCH_LOAD_PAUSE_MS", 1000))
MIXED_PAUSE_MS = int(os.environ.get("BENCH_LOAD_MIXED_PAUSE_MS", 2000))
FRESH = os.environ.get("BENCH_LOAD_FRESH") == "1"
# Bump when the seeding steps below change (part of the template's key).
SEED_STEPS = "migrate demo synthetic refresh-stats analyze v1"
ONLY_AUTH = os.environ.get("BENCH_LOAD_ONLY") == "auth"
VOLUME = 0 if ONLY_AUTH else int(os.environ.get("BENCH_LOAD_ACTIVITIES", 100_000))
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", 3))
GUNICORN = ["--workers", "3", "--worker-class", "gthread", "--threads", "4"]
TARGETS = {
    "public_ratio": 0.70,
    "public_p95_ms": 50.0,
    "record_p95_ms": 100.0,
    "record_ratio": 0.30,
    "mixed_p95_ms": 500.0,
}

# wrk's Lua: counts 5xx and 302 per thread, prints one JSON line at the end. A POST script
# draws a new idempotency key per request (each post is a new activity).
LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  c5xx, c302, n = 0, 0, 0
  math.randomseed(os.time() * 1000 + id * 7919)
end
function response(status, headers, body)
  if status >= 500 then c5xx = c5xx + 1 end
  if status == 302 then c302 = c302 + 1 end
end
function done(summary, latency, requests)
  local t5, t3 = 0, 0
  for _, t in ipairs(threads) do t5 = t5 + t:get("c5xx"); t3 = t3 + t:get("c302") end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"status_errors": %d, "socket_errors": %d, "c5xx": %d, "c302": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    t5, t3, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
"""
LUA_PATHS = r"""
local paths = {%(paths)s}
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {%(headers)s})
end
"""
LUA_POST = r"""
local hex = "0123456789abcdef"
local function uuid4()
  local s = string.gsub("xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx", "x", function()
    local r = math.random(1, 16)
    return string.sub(hex, r, r)
  end)
  return s
end
function request()
  return wrk.format("POST", "%(path)s", {%(headers)s}, "%(body)s&idempotency_key=" .. uuid4())
end
"""


def _session_cookie(email: str) -> str:
    """A signed-in, second-factor-verified session of ``email``, as the login would leave it."""
    _, client = harness.signed_in_client(email)
    return client.cookies["sessionid"].value


def _record_body() -> str:
    """What the adviser's form posts for an accompaniment at a place (key added per request)."""
    from relais.places.models import Place

    place = Place.objects.active().order_by("pk").first()
    return (
        f"date={datetime.now().date().isoformat()}&themes=email&duration=30&location_kind=place"
        f"&place={place.pk}&autonomy=guided&gender=unknown&age_bracket=unknown"
        f"&social_status=unknown&beneficiary=&beneficiary_q="
    )


def _wrk(base: str, script: str, clients: int, seconds: int) -> subprocess.Popen:
    """wrk with ``clients`` connections for ``seconds``, without pause (saturation)."""
    path = Path(tempfile.mkstemp(suffix=".lua", prefix="relais-wrk-")[1])
    path.write_text(LUA_COMMON + script, encoding="utf-8")
    threads = 2 if clients >= 2 else 1
    return subprocess.Popen(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(path), base],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    line = next((x for x in out.splitlines() if x.startswith('{"requests"')), None)
    if line is None:
        raise RuntimeError(out)
    data = json.loads(line)
    seconds = data["duration_us"] / 1e6
    return {
        "rps": data["requests"] / seconds,
        "requests": data["requests"],
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "5xx": data["c5xx"],
        "errors": data["status_errors"] + data["socket_errors"],
        "302": data["c302"],
        "socket": {key: data[key] for key in ("connect", "read", "write", "timeout")},
    }


def _headers(cookie: str = "", csrf: str = "") -> str:
    pairs = {"Host": "127.0.0.1"}
    if cookie:
        pairs["Cookie"] = f"sessionid={cookie}" + (f"; csrftoken={csrf}" if csrf else "")
    if csrf:
        pairs["X-CSRFToken"] = csrf
        pairs["Content-Type"] = "application/x-www-form-urlencoded"
    return ", ".join(f'["{k}"] = "{v}"' for k, v in pairs.items())


def _get_script(paths: list[str], cookie: str = "") -> str:
    return LUA_PATHS % {"paths": ", ".join(f'"{p}"' for p in paths), "headers": _headers(cookie)}


def _post_script(path: str, cookie: str, csrf: str, body: str) -> str:
    return LUA_POST % {"path": path, "headers": _headers(cookie, csrf), "body": body}


def main() -> int:
    if not shutil.which("wrk"):
        sys.exit("bench-load: wrk est absent (apt-get install wrk).")
    url = harness.postgres_database("load", "bench-load")
    template = _template_name(url)
    copied = not FRESH and _copy_template(url, template)
    tmp = Path(tempfile.mkdtemp(prefix="relais-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "SECRET_KEY": "bench-load-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # TLS ends at nginx in production; plain HTTP here
        "STATIC_ROOT": str(tmp / "static"),
        "RELAIS_VAR_DIR": str(tmp),
        "PYTHONPATH": str(ROOT),
        "RELAIS_JOURNAL_KEY": os.environ.get("RELAIS_JOURNAL_KEY") or os.urandom(32).hex(),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string

    from bench.synthetic import generate
    from relais.activities.models import Activity

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    if copied:
        print(f"bench-load: base copiée du modèle {template}", flush=True)
    else:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("demo", "--force", stdout=devnull)
        if VOLUME:
            generate(VOLUME, seed=19, log=lambda m: print("  " + m, flush=True))
            # A bulk load bypasses the writes that keep the roll-ups (ADR 0007): rebuilt as
            # docs/operations.md asks after one, so each recorded activity then pays for
            # keeping them exact, as in production.
            with open(os.devnull, "w") as devnull:
                call_command("refresh-stats", stdout=devnull)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()
        _save_template(url, template)
    setup = {"seconds": time.perf_counter() - started, "copied": copied, "template": template}
    adviser = _session_cookie("lea.pixel@demo.relais.test")
    coordinator = _session_cookie("coordination@demo.relais.test")
    csrf = _get_new_csrf_string()
    body = _record_body()
    from relais.places.models import Place

    slugs = list(Place.objects.active().order_by("pk").values_list("slug", flat=True)[:9])
    place_pages = [f"/permanences/{s}/" for s in slugs]
    connection.close()
    if ONLY_AUTH:
        try:
            _auth_only(env, adviser)
        finally:
            harness.drop_database(url)
            shutil.rmtree(tmp, ignore_errors=True)
        return 0

    base, server = _serve(env)
    try:
        _wait_until_served(base + "/bench/hello/")

        # The same traffic twice: wrk's scripts (saturation), bench.paced's targets (paced).
        scripts = {
            "hello": _get_script(["/bench/hello/"]),
            "hello, adviser's cookie": _get_script(["/bench/hello/"], adviser),
            "place index": _get_script(["/permanences/"]),
            "place page": _get_script(place_pages),
            "workshop catalogue": _get_script(["/ateliers/"]),
            "coordinator's home page": _get_script(["/"], coordinator),
            "record an activity": _post_script("/activites/nouveau/", adviser, csrf, body),
        }
        targets = {
            "hello": paced.Target(("/bench/hello/",)),
            "hello, adviser's cookie": paced.Target(("/bench/hello/",), adviser),
            "place index": paced.Target(("/permanences/",)),
            "place page": paced.Target(tuple(place_pages)),
            "workshop catalogue": paced.Target(("/ateliers/",)),
            "coordinator's home page": paced.Target(("/",), coordinator),
            "record an activity": paced.Target(("/activites/nouveau/",), adviser, csrf, body),
        }
        for script in scripts.values():  # warm every worker: imports, templates, connections
            _result(_wrk(base, script, 12, 5))
        _settle(base)  # the warm-up's last posts, still queued, must not count as this run's
        stored_before = _count(Activity)
        acknowledged, posting_clients = 0, 0
        alone, spaced = {}, {}
        for name, script in scripts.items():
            _settle(base)
            alone[name] = _result(_wrk(base, script, 50, SECONDS))
            print("saturation", name, alone[name], flush=True)
        # The recording ratio sets two measures against each other that swing from one run to
        # the next on a shared machine (docs/performance.md, « A signed-in request »): the pair
        # again, in turns, ROUNDS times in all; the median ratio is judged.
        record_rounds = [
            (alone["hello, adviser's cookie"]["rps"], alone["record an activity"]["rps"])
        ]
        for _round in range(ROUNDS - 1):
            _settle(base)
            cookie = _result(_wrk(base, scripts["hello, adviser's cookie"], 50, SECONDS))
            _settle(base)
            record = _result(_wrk(base, scripts["record an activity"], 50, SECONDS))
            acknowledged += record["302"]
            posting_clients += 50 + _unanswered(record)
            record_rounds.append((cookie["rps"], record["rps"]))
            print("round", record_rounds[-1], flush=True)
        for name, target in targets.items():
            _settle(base)
            spaced[name] = paced.start(
                base, target, clients=50, pause_ms=PAUSE_MS, seconds=SECONDS
            ).result()
            print(f"pause {PAUSE_MS} ms", name, spaced[name], flush=True)
        # wrk stops at its deadline with one post in flight per connection, stored but never
        # acknowledged; a paced client waits for its last answer (only the unanswered count).
        acknowledged += alone["record an activity"]["302"] + spaced["record an activity"]["302"]
        posting_clients += 50 + _unanswered(alone["record an activity"])
        posting_clients += _unanswered(spaced["record an activity"])
        mixed = {}
        for clients in (50, 200):
            _settle(base)
            runs = _mixed(base, scripts, clients, SECONDS)
            mixed[clients] = {name: _result(p) for name, p in runs.items()}
            acknowledged += mixed[clients]["record an activity"]["302"]
            posting_clients += _clients(clients, SHARES["record an activity"])
            posting_clients += _unanswered(mixed[clients]["record an activity"])
            print(clients, mixed[clients], flush=True)
        _settle(base)
        long_before = _count(Activity)
        runs = {
            name: paced.start(
                base,
                targets[name],
                clients=_clients(200, share),
                pause_ms=MIXED_PAUSE_MS,
                seconds=MIXED_SECONDS,
            )
            for name, share in SHARES.items()
        }
        long = {name: run.result() for name, run in runs.items()}
        print(f"200, pause {MIXED_PAUSE_MS} ms, {MIXED_SECONDS} s", long, flush=True)
        _settle(base)
        stored_after = _count(Activity)
        long_writes = {
            "acknowledged": long["record an activity"]["302"],
            "stored": stored_after - long_before,
            "in_flight": _unanswered(long["record an activity"]),
        }
        acknowledged += long_writes["acknowledged"]
        posting_clients += long_writes["in_flight"]
        writes = {
            "acknowledged": acknowledged,
            "stored": stored_after - stored_before,
            "in_flight": posting_clients,
            "duplicates": _duplicates(),
        }
    finally:
        _stop(server)
        connection.close()
        harness.drop_database(url)
        shutil.rmtree(tmp, ignore_errors=True)
    results = {
        "alone": alone,
        "paced": spaced,
        "mixed": mixed,
        "long": long,
        "record_rounds": record_rounds,
    }
    _write(setup, results, writes, long_writes)
    return 0 if all(ok for *_, ok in _checks(results, writes, long_writes)) else 1


# The mixed traffic: shares of the clients per class (public pages, advisers recording,
# coordinators on their home page).
SHARES = {"place page": 0.4, "place index": 0.1, "workshop catalogue": 0.1,
          "record an activity": 0.3, "coordinator's home page": 0.1}  # fmt: skip


def _unanswered(result: dict) -> int:
    """Posts whose answer never came (connection reset, the 10 s timeout): the server may
    have stored them — the client cannot know, which is what the idempotency key is for (the
    offline queue sends it again with the same key)."""
    return sum(result["socket"].values())


def _clients(clients: int, share: float) -> int:
    return max(1, round(clients * share))


def _mixed(base, scripts, clients, seconds) -> dict[str, subprocess.Popen]:
    """One wrk per class of the mix, all at once (saturation)."""
    return {
        name: _wrk(base, scripts[name], _clients(clients, share), seconds)
        for name, share in SHARES.items()
    }


def _template_name(url: str) -> str:
    return f"{urlparse(url).path.lstrip('/')}_seed_{VOLUME}_{_seed_key()}"


def _seed_key() -> str:
    """What the seeded data depends on: the volume, the day (the demo's permanences and the
    synthetic activities are dated from today), the schema (migrations) and the code that
    seeds (the demo's loaders, the synthetic generator, the roll-ups' rebuild, the steps
    above). Other code may change between two runs: the data it wrote stays valid."""
    import hashlib

    digest = hashlib.sha256(f"{VOLUME} {datetime.now().date()} {SEED_STEPS}".encode())
    relais = ROOT / "relais"
    files = [
        *relais.glob("*/migrations/*.py"),
        *relais.glob("*/demo.py"),
        relais / "core" / "management" / "commands" / "demo.py",
        relais / "reporting" / "management" / "commands" / "refresh-stats.py",
        relais / "reporting" / "rollup.py",
        relais / "reporting" / "models.py",  # the roll-ups' LAYOUT
        ROOT / "bench" / "synthetic.py",
    ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _admin(url: str):
    """A connection to the server's ``postgres`` database, where databases are made."""
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def _copy_template(url: str, template: str) -> bool:
    """Replace the (empty) benchmark database by a copy of ``template``, when it exists."""
    name = urlparse(url).path.lstrip("/")
    with _admin(url) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if not found:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return True


def _save_template(url: str, template: str) -> None:
    """Keep the freshly seeded database as ``template`` for the next runs; the templates of
    earlier keys for this volume are dropped (one copy of such data on the server at a time)."""
    name = urlparse(url).path.lstrip("/")
    with _admin(url) as conn:
        older = conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
            [f"{name}_seed_{VOLUME}_"],
        ).fetchall()
        for (old,) in older:
            conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')


def _serve(env: dict) -> tuple[str, subprocess.Popen]:
    port = harness.free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", *GUNICORN,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.load_settings"}, cwd=ROOT,
    )  # fmt: skip
    return f"http://127.0.0.1:{port}", server


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _auth_only(env: dict, adviser: str) -> None:
    """The one-line view without and with the adviser's cookie, and with the cookie on the
    former middlewares' server, in turns, ``ROUNDS`` times."""
    now, before = _serve(env), _serve({**env, "BENCH_LOAD_MIDDLEWARE": "django"})
    load_start = os.getloadavg()
    runs: dict[str, list[dict]] = {}
    try:
        for base, _ in (now, before):
            _wait_until_served(base + "/bench/hello/")
        variants = {
            "hello, no cookie": (now[0], _get_script(["/bench/hello/"])),
            "hello, adviser's cookie — user and device in one query (now)": (
                now[0], _get_script(["/bench/hello/"], adviser)),
            "hello, adviser's cookie — Django's and django-otp's middlewares (before)": (
                before[0], _get_script(["/bench/hello/"], adviser)),
        }  # fmt: skip
        for base, script in variants.values():  # warm every worker
            _result(_wrk(base, script, 12, 3))
        for round_ in range(ROUNDS):
            for name, (base, script) in variants.items():
                runs.setdefault(name, []).append(_result(_wrk(base, script, 50, SECONDS)))
                print(round_, name, runs[name][-1], flush=True)
    finally:
        _stop(now[1])
        _stop(before[1])
    in_process = _in_process(adviser)
    load_end = os.getloadavg()
    median = {
        name: {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p95")}
        for name, results in runs.items()
    }
    names = list(runs)
    lines = [
        "## A signed-in request (`BENCH_LOAD_ONLY=auth make bench-load`)",
        "",
        "Issue 19 §2. The stack of « Under load » (gunicorn 3 gthread workers × 4 threads, "
        "production settings, PostgreSQL, wrk with 50 clients on 127.0.0.1) on the demo's data, "
        "the one-line view only. Two servers run side by side: the current middlewares, and the "
        "former ones (Django's `AuthenticationMiddleware` then django-otp's `OTPMiddleware`) for "
        "the baseline; the three measures take turns, "
        f"{SECONDS} s each, {ROUNDS} rounds; the median is reported.",
        "",
        *run_lines(
            f"; load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} / "
            f"{load_end[1]:.1f} / {load_end[2]:.1f} at the end (a shared machine)"
        ),
        "- Queries per request (tests/accounts/test_request_cost.py): none without a cookie; "
        "with the adviser's cookie 2 now (the session; the device with its user), 3 before "
        "(the session, the user, the device)",
        "",
        "| traffic | requests/s, each round | median requests/s | median p50 | median p95 |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        each = ", ".join(f"{r['rps']:.0f}" for r in runs[name])
        m = median[name]
        lines.append(f"| {name} | {each} | {m['rps']:.0f} | {m['p50']:.0f} ms | "
                     f"{m['p95']:.0f} ms |")  # fmt: skip
    plain, after, former = (median[n]["rps"] for n in names)
    lines += [
        "",
        f"With the cookie, now: {after / plain:.0%} of the view without a cookie (before: "
        f"{former / plain:.0%}); now / before: × {after / former:.2f}.",
        "",
        AUTH_READING,
        "",
        "One request at a time, in the benchmark's process (Django's test client, no network, "
        f"the same database), {IN_PROCESS} requests per measure, the two stacks in turns, "
        f"{ROUNDS} rounds:",
        "",
        "| the one-line view | time per request, each round | median |",
        "|---|---|---|",
    ]
    for name, times in in_process.items():
        each = ", ".join(f"{t * 1000:.2f} ms" for t in times)
        lines.append(f"| {name} | {each} | {statistics.median(times) * 1000:.2f} ms |")
    write_section("auth", "\n".join(lines))


AUTH_READING = (
    "Reading: the view does nothing, so a signed-in request's cost is the session's read, the "
    "user's and the device's, and the middlewares around them; under wrk the database's "
    "round trips wait for a core among the machine's other jobs, so the throughput with the "
    "cookie swings from round to round — compare the medians of the same run, and the "
    "in-process times below, which are steadier. The session engine stays "
    "`django.contrib.sessions.backends.db`: `cached_db` over the default cache (the same "
    "database's table, ADR 0009) still reads one row per request and writes two at login; over "
    "a cache per process (`locmem://`) a logout or a password change seen by one worker would "
    "not reach the others, a signed-out session staying valid there — refused; over memcached "
    "or Redis (`CACHE_URL`) it would save the session's query, a service the recommended "
    "install does not have. Not done: an account without a device (partner staff or committee "
    "members who did not enrol) still pays a third query, the 2FA gate's « has a confirmed "
    "device? ». Measured on 2026-12-06 in three runs (load average 6–17): now / before "
    "× 1.21, × 0.92 and × 1.01 under wrk, and 31.0 / 35.7, 17.2 / 18.5 and 4.9 / 4.2 ms per "
    "request in process — one query fewer is within this machine's noise; a signed-in request "
    "still costs about eight times the one-line view in process, its two statements' round "
    "trips and ORM work. What would remove the session's statement — a session cache in "
    "memcached or Redis — is the service ADR 0009 chose not to require."
)
IN_PROCESS = int(os.environ.get("BENCH_LOAD_IN_PROCESS", 500))


def _in_process(adviser: str) -> dict[str, list[float]]:
    """Seconds per request of the one-line view through the whole middleware stack but no
    server: without a cookie, with the adviser's cookie now and with the former middlewares."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from bench.load_settings import former_middleware

    stacks = {
        "no cookie (the ceiling)": (settings.MIDDLEWARE, ""),
        "adviser's cookie, user and device in one query (now)": (settings.MIDDLEWARE, adviser),
        "adviser's cookie, Django's and django-otp's middlewares (before)": (
            former_middleware(settings.MIDDLEWARE), adviser),
    }  # fmt: skip
    results: dict[str, list[float]] = {}
    for _round in range(ROUNDS):
        for name, (middleware, cookie) in stacks.items():
            with override_settings(MIDDLEWARE=middleware):
                client = Client(HTTP_HOST="127.0.0.1")
                if cookie:
                    client.cookies["sessionid"] = cookie
                assert client.get("/bench/hello/").status_code == 200
                started = time.perf_counter()
                for _request in range(IN_PROCESS):
                    client.get("/bench/hello/")
                seconds = (time.perf_counter() - started) / IN_PROCESS
            results.setdefault(name, []).append(seconds)
    connection.close()
    return results


def _settle(base: str, seconds: float = 60) -> None:
    """Until the server is idle again: wrk stops at its deadline, but the requests it left
    queued are still served for a while (seconds of posts at saturation). Measured next, they
    would lengthen the next measure's latencies, and counted, blur which run stored what: so
    the one-line view must answer quickly twice in a row and the count of activities stay the
    same for two seconds (a free thread can answer while others still store queued posts)."""
    import urllib.request

    from relais.activities.models import Activity

    quick, deadline = 0, time.monotonic() + seconds
    while quick < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        with urllib.request.urlopen(base + "/bench/hello/", timeout=10) as response:  # noqa: S310
            response.read()
        quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
        time.sleep(0.2)
    count = _count(Activity)
    while time.monotonic() < deadline:
        time.sleep(2)
        count, before = _count(Activity), count
        if count == before:
            return


def _wait_until_served(url: str) -> None:
    """Until a worker answers (booting three workers takes seconds on a busy machine)."""
    import urllib.request

    for _ in range(240):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - ours
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn ne répond pas")


def _count(model) -> int:
    from django.db import connection

    count = model.objects.count()
    connection.close()
    return count


def _duplicates() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) - COUNT(DISTINCT idempotency_key) FROM activities_activity")
        return cursor.fetchone()[0]


def _checks(results: dict, writes: dict, long_writes: dict) -> list[tuple]:
    """The issue's targets: throughputs from the saturation measures, p95 from the measures
    at an offered load (the pause), the long mixed run's p95, errors and writes."""
    alone, paced, long = results["alone"], results["paced"], results["long"]
    hello = alone["hello"]
    rows = []
    for name in ("place index", "place page"):
        ratio = alone[name]["rps"] / hello["rps"]
        rows.append(
            (
                f"{name}: throughput / hello (saturation)",
                f"{ratio:.0%}",
                f"≥ {TARGETS['public_ratio']:.0%}",
                ratio >= TARGETS["public_ratio"],
            )
        )
        rows.append((f"{name}: p95 at 50 clients pausing {PAUSE_MS} ms",
                     f"{paced[name]['p95']:.0f} ms", f"≤ {TARGETS['public_p95_ms']:.0f} ms",
                     paced[name]["p95"] <= TARGETS["public_p95_ms"]))  # fmt: skip
    record = paced["record an activity"]
    rows.append((f"record an activity: p95 at 50 clients pausing {PAUSE_MS} ms",
                 f"{record['p95']:.0f} ms", f"≤ {TARGETS['record_p95_ms']:.0f} ms",
                 record["p95"] <= TARGETS["record_p95_ms"]))  # fmt: skip
    ratios = [record / cookie for cookie, record in results["record_rounds"]]
    ratio = statistics.median(ratios)
    rows.append((f"record an activity: throughput / hello with the adviser's cookie (saturation; "
                 f"median of {len(ratios)} rounds in turns: "
                 f"{', '.join(f'{r:.0%}' for r in ratios)})",
                 f"{ratio:.0%}", f"≥ {TARGETS['record_ratio']:.0%}",
                 ratio >= TARGETS["record_ratio"]))  # fmt: skip
    worst = max(long.values(), key=lambda r: r["p95"])
    worst_name = next(name for name, r in long.items() if r is worst)
    rows.append((f"mixed traffic, 200 clients pausing {MIXED_PAUSE_MS} ms, {MIXED_SECONDS} s: "
                 f"p95 of the worst class ({worst_name})", f"{worst['p95']:.0f} ms",
                 f"≤ {TARGETS['mixed_p95_ms']:.0f} ms",
                 worst["p95"] <= TARGETS["mixed_p95_ms"]))  # fmt: skip
    errors = sum(r["5xx"] for runs in _all_runs(results) for r in runs.values())
    rows.append(("5xx, whole run", str(errors), "0", errors == 0))
    # wrk stops at its deadline without waiting for the requests in flight: those are stored
    # but never counted as acknowledged, at most one per connection of each saturation run;
    # so may be the posts whose answer was lost (socket error, timeout: _unanswered). The
    # paced runs wait for every answer: there, stored = acknowledged unless one was lost.
    for label, w in ((f"the {MIXED_SECONDS} s mixed run", long_writes), ("whole run", writes)):
        ok = w["acknowledged"] <= w["stored"] <= w["acknowledged"] + w["in_flight"]
        rows.append((f"activities, {label}: acknowledged (302) ≤ stored ≤ acknowledged + in "
                     f"flight at wrk's stop or unanswered (≤ {w['in_flight']})",
                     f"{w['acknowledged']} / {w['stored']}", "within", ok))  # fmt: skip
    rows.append(("activities stored twice (same idempotency key)", str(writes["duplicates"]),
                 "0", writes["duplicates"] == 0))  # fmt: skip
    return rows


def _all_runs(results: dict) -> list[dict]:
    return [results["alone"], results["paced"], *results["mixed"].values(), results["long"]]


def _table(results: dict) -> list[str]:
    lines = ["| traffic | requests/s | p50 | p95 | p99 | 5xx | other errors |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, r in results.items():
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | "
                     f"{r['p99']:.0f} ms | {r['5xx']} | {r['errors'] - r['5xx']} |")  # fmt: skip
    return lines


def _reading(results: dict, load: tuple) -> str:
    """What the figures of this run say (computed from them: no number copied by hand)."""
    alone, paced = results["alone"], results["paced"]
    hello, record = alone["hello"], alone["record an activity"]
    home = alone["coordinator's home page"]
    return (
        "Reading. Two kinds of measure. **Saturation** (no pause): each client sends its next "
        "request as soon as the answer arrives, so the server is always busy and the latency "
        "is mostly queueing — with N clients, mean latency ≈ N / throughput (Little's law): 50 "
        f"clients recording at {record['rps']:.0f} requests/s wait about "
        f"{50 / max(record['rps'], 1) * 1000:.0f} ms on average, whatever the code does; a p95 "
        "of 100 ms at 50 busy clients would need about 500 writes/s from 2 cores shared with the "
        "load generator and PostgreSQL. Its useful figures are the throughputs and their ratios "
        f"to the one-line view of the same run (hello: {hello['rps']:.0f} requests/s). "
        f"**Offered load** (each client pauses {PAUSE_MS} ms ± 50 % after each answer, as a "
        "person between two actions, each request on a new connection as nginx sends them "
        "to gunicorn; sent by `bench/paced.py`, not wrk, whose Lua `delay()` invents tails): "
        "50 clients offer at most "
        f"{50 * 1000 / PAUSE_MS:.0f} requests/s of one page, and the latency is that of a "
        "request that meets a few others, not a queue (recording an activity: p95 "
        f"{paced['record an activity']['p95']:.0f} ms here, against "
        f"{record['p95']:.0f} ms at saturation). The model is far above real use: 50 "
        "advisers each recording an activity every second is about 180 000 activities an "
        "hour, where a département's advisers record a few dozen each per day; 200 people "
        f"acting every {MIXED_PAUSE_MS / 1000:g} s in the mixed run are about "
        f"{200 * 1000 / MIXED_PAUSE_MS:.0f} requests/s. The p95 targets are judged on these "
        "measures. The public pages are served from the page cache (ADR 0009). The "
        "coordinator's home page reads no activity (it showed the week's shortfalls through "
        "the coverage table, whose « held » half-days scanned the activity reports on every "
        f"visit): {home['rps']:.0f} requests/s at saturation in this run. Load average at the "
        f"end: {load[0]:.1f} — wrk, gunicorn and PostgreSQL share the machine's cores."
    )


def _write(setup: dict, results: dict, writes: dict, long_writes: dict) -> None:
    from relais.core import french

    load = os.getloadavg()
    checks = _checks(results, writes, long_writes)
    seeded = (
        f"copied from the template `{setup['template']}` seeded by an earlier run"
        if setup["copied"]
        else "migrate, demo, volume, roll-ups rebuilt; kept as the template "
        f"`{setup['template']}` for the next runs"
    )
    lines = [
        "## Under load (`make bench-load`)",
        "",
        "Issue 19 §3. gunicorn as in docs/operations.md (3 gthread workers × 4 threads, the "
        "production settings, PostgreSQL, the database cache), on 127.0.0.1 `wrk` without pause "
        "and `bench/paced.py` with pauses, the demo plus "
        f"{french.number(VOLUME)} synthetic activities. Each measure lasts {SECONDS} s, the "
        f"long mixed run {MIXED_SECONDS} s; the ceiling is a one-line view on the same stack "
        "(`bench/load_urls.py`), measured in the same run. Load generator and server share the "
        "machine's cores.",
        "",
        *run_lines(
            f"; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end (a shared "
            "machine: other jobs ran during the measures)"
        ),
        f"- Set-up: {setup['seconds']:.0f} s ({seeded})",
        "",
        *targets_table(checks, missed="**NOT met**"),
        "",
        _reading(results, load),
        "",
        "### Each page alone, 50 clients without pause (saturation)",
        "",
        *_table(results["alone"]),
        "",
        f"### Each page alone, 50 clients pausing {PAUSE_MS} ms ± 50 % (latency at an offered "
        "load)",
        "",
        *_table(results["paced"]),
    ]
    for clients, runs in results["mixed"].items():
        lines += ["", f"### Mixed traffic, {clients} clients at once without pause (saturation)",
                  "", *_table(runs)]  # fmt: skip
    lines += [
        "",
        f"### Mixed traffic, 200 clients pausing {MIXED_PAUSE_MS} ms ± 50 %, {MIXED_SECONDS} s",
        "",
        *_table(results["long"]),
        "",
        f"Activities in this run: {long_writes['acknowledged']} acknowledged, "
        f"{long_writes['stored']} stored.",
    ]
    write_section("load", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
