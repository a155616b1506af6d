"""An independent check of ``bench.load``'s paced measures: N clients, each pausing PAUSE ± 50 %
between two GETs on a new connection, timed from the request's start to the answer's last
byte (the connection's set-up included). Written with the standard library only, without wrk,
to tell the server's latency from the load generator's.

    python -m bench.paced http://127.0.0.1:8000/permanences/ --clients 50 --pause-ms 1000
    python -m bench.paced http://127.0.0.1:8000/activites/nouveau/ --session S --csrf T \
        --post "date=…&themes=email&…"   # a new idempotency key is added to each POST

Found with it (docs/performance.md, « Under load »): wrk's ``delay()`` reports tails of
400–700 ms that the server does not have.
"""

import argparse
import http.client
import random
import threading
import time
import uuid
from urllib.parse import urlsplit


def measure(
    url: str,
    *,
    clients: int,
    pause_ms: int,
    seconds: float,
    session: str = "",
    csrf: str = "",
    post: str = "",
) -> tuple[list[float], dict[int, int]]:
    """Latencies in ms of every answered request, and the count of each status."""
    parts = urlsplit(url)
    path = parts.path or "/"
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    headers = {"Connection": "close", "Host": parts.hostname}
    if session:
        headers["Cookie"] = f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")
    if csrf:
        headers["X-CSRFToken"] = csrf
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    end = time.monotonic() + seconds

    def client() -> None:
        rng = random.Random()  # noqa: S311 - pauses, not secrets
        while time.monotonic() < end:
            time.sleep(rng.uniform(pause_ms / 2, pause_ms * 1.5) / 1000)
            started = time.perf_counter()
            connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
            if post:
                body = f"{post}&idempotency_key={uuid.uuid4()}"
                connection.request("POST", path, body=body, headers=headers)
            else:
                connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), statuses


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
    lat, statuses = measure(
        args.url,
        clients=args.clients,
        pause_ms=args.pause_ms,
        seconds=args.seconds,
        session=args.session,
        csrf=args.csrf,
        post=args.post,
    )
    n = len(lat)
    if not n:
        raise SystemExit("aucune réponse")
    pick = {q: lat[min(n - 1, int(n * q))] for q in (0.5, 0.9, 0.95, 0.99)}
    print(
        f"{n} requests, {n / args.seconds:.1f}/s: p50 {pick[0.5]:.1f} ms, p90 {pick[0.9]:.1f} "
        f"ms, p95 {pick[0.95]:.1f} ms, p99 {pick[0.99]:.1f} ms; statuses {statuses}"
    )


if __name__ == "__main__":
    main()
