"""The paced measures of ``make bench-load`` (latency at an offered load): N clients, each
pausing PAUSE ± 50 % after every answer, as a person between two actions, each request on a new
connection as nginx sends them to gunicorn; timed from the request's start to the answer's last
byte (the connection's set-up included). Standard library only.

Why not wrk: its Lua ``delay()`` reports tails of 400–700 ms that the server does not have
(docs/performance.md, « Under load »: the same pages measured both ways). Saturation (no pause)
stays with wrk, whose throughput figures are sound.

    python -m bench.paced http://127.0.0.1:8000/permanences/ --clients 50 --pause-ms 1000
    python -m bench.paced http://127.0.0.1:8000/activites/nouveau/ --session S --csrf T \
        --post "date=…&themes=email&…"   # a new idempotency key is added to each POST
"""

import argparse
import http.client
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Target:
    """What one class of clients asks: one of ``paths`` at random, signed in with ``session``
    when given, posting ``post`` (plus a fresh idempotency key) when given."""

    paths: tuple[str, ...]
    session: str = ""
    csrf: str = ""
    post: str = ""

    def headers(self, host: str) -> dict[str, str]:
        headers = {"Connection": "close", "Host": host}
        if self.session:
            headers["Cookie"] = f"sessionid={self.session}" + (
                f"; csrftoken={self.csrf}" if self.csrf else ""
            )
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers


@dataclass
class Run:
    """Clients at work in threads until their deadline; ``result()`` waits for them."""

    seconds: float
    threads: list[threading.Thread] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    socket: dict[str, int] = field(
        default_factory=lambda: {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def result(self) -> dict:
        """The figures ``bench.load`` reports for a wrk run, from this one."""
        for thread in self.threads:
            thread.join()
        latencies = sorted(self.latencies)
        n = len(latencies)

        def pick(q: float) -> float:
            return latencies[min(n - 1, int(n * q))] if n else 0.0

        errors = sum(count for status, count in self.statuses.items() if status >= 400)
        return {
            "rps": n / self.seconds,
            "requests": n,
            "p50": pick(0.50),
            "p95": pick(0.95),
            "p99": pick(0.99),
            "5xx": sum(count for status, count in self.statuses.items() if status >= 500),
            "errors": errors + sum(self.socket.values()),
            "302": self.statuses.get(302, 0),
            "socket": dict(self.socket),
        }


def start(base: str, target: Target, *, clients: int, pause_ms: int, seconds: float) -> Run:
    """``clients`` threads asking ``target`` of the server at ``base`` for ``seconds``."""
    parts = urlsplit(base)
    host, port = parts.hostname, parts.port or 80
    headers = target.headers(host)
    run = Run(seconds=seconds)
    end = time.monotonic() + seconds

    def ask(rng: random.Random) -> None:
        path = rng.choice(target.paths)
        started = time.perf_counter()
        stage = "connect"
        try:
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.connect()
            stage = "write"
            if target.post:
                body = f"{target.post}&idempotency_key={uuid.uuid4()}"
                connection.request("POST", path, body=body, headers=headers)
            else:
                connection.request("GET", path, headers=headers)
            stage = "read"
            response = connection.getresponse()
            response.read()
            connection.close()
        except TimeoutError:
            with run.lock:
                run.socket["timeout"] += 1
            return
        except (OSError, http.client.HTTPException):
            with run.lock:
                run.socket[stage] += 1
            return
        elapsed = (time.perf_counter() - started) * 1000
        with run.lock:
            run.latencies.append(elapsed)
            run.statuses[response.status] = run.statuses.get(response.status, 0) + 1

    def client() -> None:
        rng = random.Random()  # noqa: S311 - pauses and paths, not secrets
        while True:
            pause = rng.uniform(pause_ms / 2, pause_ms * 1.5) / 1000
            if time.monotonic() + pause >= end:
                return  # no request left unanswered at the deadline
            time.sleep(pause)
            ask(rng)

    run.threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in run.threads:
        thread.start()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pause-ms", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--session", default="", help="the sessionid cookie's value")
    parser.add_argument("--csrf", default="", help="a CSRF token (cookie and header)")
    parser.add_argument("--post", default="", help="a form body: POST instead of GET")
    args = parser.parse_args()
    parts = urlsplit(args.url)
    target = Target(
        paths=(parts.path or "/",), session=args.session, csrf=args.csrf, post=args.post
    )
    result = start(
        f"{parts.scheme}://{parts.netloc}",
        target,
        clients=args.clients,
        pause_ms=args.pause_ms,
        seconds=args.seconds,
    ).result()
    if not result["requests"]:
        raise SystemExit("aucune réponse")
    print(
        f"{result['requests']} requests, {result['rps']:.1f}/s: p50 {result['p50']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms; 5xx {result['5xx']}, "
        f"302 {result['302']}, errors {result['errors']}"
    )


if __name__ == "__main__":
    main()
