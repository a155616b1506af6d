# ruff: noqa: S603 - our own worker processes
"""Outbox throughput (``make bench-outbox``): e-mails queued, then sent by real workers through
a local SMTP sink (aiosmtpd), from the first enqueue to the last « sent ».

A throw-away SQLite database under a temporary directory (or ``DATABASE_URL`` if it names a
PostgreSQL server the user may create databases on: ``<name>_bench_outbox``). ``BENCH_OUTBOX``
messages (default 2000), ``BENCH_OUTBOX_WORKERS`` workers (default 2); the baseline of the same
run, one task and one SMTP connection per message as before the batches, on
``BENCH_OUTBOX_BASELINE`` messages (default 500; 0 skips it). Writes the « outbox » section of
docs/performance.md; exits 1 below 50 messages per second.
"""

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import database_or_sqlite, free_port  # noqa: E402
from bench.report import write_section  # noqa: E402

TARGET = 50.0  # messages per second
NOTE = """
Below the target on this run (see the load average above).
"""
# Queued as actions would, each message in its own transaction, with the database backend.
QUEUE = """
from django.db import transaction
from relais.messaging import outbox
from relais.messaging.tasks import outbox_send
if {per_message}:  # the former way: one task per message
    outbox.outbox_enqueue = lambda message_id=None, **kwargs: outbox_send.enqueue(message_id)
for n in range({count}):
    with transaction.atomic():
        outbox.outbox_email(to=f"p{{n}}@exemple.test", subject="Rappel", body="Bonjour",
                            attachments=[("a.ics", b"BEGIN:VCALENDAR", "text/calendar")])
"""


class Sink:
    def __init__(self):
        self.count = 0
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.last = time.perf_counter()
        self.first = self.first or self.last
        return "250 2.0.0 Ok: queued"


def _run(*, count: int, workers: int, per_message: bool, database_url: str) -> dict:
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    # A fixed name: otherwise the sink resolves its own name (getfqdn) at every connection.
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="sink.local")
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        database, drop = database_or_sqlite("outbox", Path(tmp) / "outbox.sqlite3", database_url)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.outbox_settings",
            "DATABASE_URL": database,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "RELAIS_VAR_DIR": tmp,
        }
        relais = [sys.executable, "-m", "relais"]
        try:
            subprocess.run([*relais, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
            queue = QUEUE.format(per_message=per_message, count=count)
            subprocess.run([*relais, "shell", "-c", queue], cwd=ROOT, env=env, check=True)
            start = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [
                        *relais,
                        "worker",
                        "--batch",
                        "--no-startup-delay",
                        "--verbosity",
                        "0",
                        "--worker-id",
                        f"bench-{n}",
                        "--queue-name",
                        "messages",
                    ],
                    cwd=ROOT,
                    env=env,
                )
                for n in range(workers)
            ]
            for proc in procs:
                proc.wait()
            seconds = time.perf_counter() - start
        finally:
            controller.stop()
            drop()
    # The rate is the sending's, from the first message received to the last: a worker's start
    # (Django and the planner's imports, seconds on a loaded machine) is paid once per process.
    sending = (sink.last - sink.first) if sink.count > 1 else seconds
    return {
        "count": count,
        "received": sink.count,
        "seconds": seconds,
        "sending": sending,
        "rate": sink.count / sending,
        "engine": "PostgreSQL" if database.startswith("postgres") else "SQLite",
    }


def main() -> None:
    count = int(os.environ.get("BENCH_OUTBOX", "2000"))
    baseline = int(os.environ.get("BENCH_OUTBOX_BASELINE", "500"))
    workers = int(os.environ.get("BENCH_OUTBOX_WORKERS", "2"))
    batch = os.environ.get("RELAIS_OUTBOX_BATCH", "50")
    database_url = os.environ.get("DATABASE_URL", "")
    load = f"{os.getloadavg()[0]:.1f}"
    runs = []
    if baseline:
        runs.append(
            (
                "one task per message",
                _run(count=baseline, workers=workers, per_message=True, database_url=database_url),
            )
        )
        print("outbox, one task per message: {received} in {sending:.1f} s = {rate:.0f}/s".format(
            **runs[-1][1]))  # fmt: skip
    result = _run(count=count, workers=workers, per_message=False, database_url=database_url)
    runs.append((f"batches of {batch}", result))
    rows = "\n".join(
        f"| {name} | {r['received']} | {r['seconds']:.1f} | {r['sending']:.1f} | {r['rate']:.0f} |"
        for name, r in runs
    )
    rate = result["rate"]
    write_section(
        "outbox",
        f"""## Outbox (`make bench-outbox`)

E-mails (each with a calendar attachment) queued in the outbox, each in its own transaction,
then sent by {workers} `relais worker --batch` processes through a local SMTP sink (aiosmtpd).
Now one task sends the due messages {batch} at a time over one SMTP connection per batch (rows
claimed with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL) and a full batch enqueues a
second task so the other worker joins in; the baseline, measured in the same run, is the
former way (one task and one SMTP connection per message). Database {result["engine"]};
{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average {load} at
the start (a machine shared with other work). The rate counts from the first message received
to the last: a worker's start (Django and the planner's imports) is paid once per process.

| Sending | Received | Seconds, workers' start included | Seconds sending | Per second |
|---|---:|---:|---:|---:|
{rows}

Target: ≥ {TARGET:.0f} messages per second.
{NOTE if rate < TARGET else ""}""",  # noqa: S608 - Markdown, not SQL
    )
    print(f"outbox, batches: {result['received']} in {result['sending']:.1f} s = {rate:.0f}/s "
          f"({result['seconds']:.1f} s in all)")  # fmt: skip
    if result["received"] != count or rate < TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
