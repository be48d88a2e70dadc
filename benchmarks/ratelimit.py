"""What the rate limit costs per request: median time of the API's deployment list with
and without RateLimitMiddleware, in the same run, and of one `ratelimit.hit()` alone.

    .venv/bin/python benchmarks/ratelimit.py                    # SQLite (the default cache)
    DATABASE_URL=postgres://u:p@127.0.0.1/contrechamp .venv/bin/python benchmarks/ratelimit.py
    .venv/bin/python benchmarks/ratelimit.py --requests 600 --cache locmem://

It builds its own database (a temporary SQLite file, or `<name>_ratelimit_bench` on
PostgreSQL) with the reference places and the demo data, then sends the requests through
Django's test client in this process (no HTTP server: the difference is what matters),
alternating blocks with and without the middleware so that the machine's other load falls
on both alike. The cache is the configured one (`CACHE_URL`, by default the database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _database(workdir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir}/bench.sqlite3"
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_ratelimit_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values) * 1000:6.2f} ms   p95 {p95 * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per configuration")
    parser.add_argument("--block", type=int, default=50, help="requests per alternation")
    parser.add_argument("--cache", default=None, help="CACHE_URL for this run")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ratelimit-bench-"))
    os.environ["CONTRECHAMP_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = _database(workdir)
    if args.cache:
        os.environ["CACHE_URL"] = args.cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, RequestFactory
    from django.test.utils import override_settings

    from contrechamp.lib import ratelimit
    from contrechamp.places.services import places_load
    from contrechamp.registry.demo import demo_load

    call_command("migrate", verbosity=0)
    places_load()
    demo_load()
    # High enough never to refuse: the check runs in full, nothing is turned away.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "1000000000/m"}
    middleware = "contrechamp.lib.ratelimit.RateLimitMiddleware"
    without = [m for m in settings.MIDDLEWARE if m != middleware]
    url = "/api/v1/deployments"

    def run(client: Client, count: int, sink: list[float]) -> None:
        for i in range(count):
            start = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"192.0.2.{i % 200}")
            sink.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code

    with_client = Client()
    with override_settings(MIDDLEWARE=without):
        without_client = Client()
        run(without_client, 20, [])  # warm-up (middleware chain, caches, connection)
    run(with_client, 20, [])
    timings: dict[str, list[float]] = {"with": [], "without": []}
    done = 0
    while done < args.requests:
        block = min(args.block, args.requests - done)
        run(with_client, block, timings["with"])
        with override_settings(MIDDLEWARE=without):
            run(without_client, block, timings["without"])
        done += block

    request = RequestFactory().get(url, REMOTE_ADDR="192.0.2.1")
    hits: list[float] = []
    for _ in range(args.requests):
        start = time.perf_counter()
        ratelimit.hit(request, "api")
        hits.append(time.perf_counter() - start)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database {engine}, cache {cache}, {args.requests} requests per configuration")
    print(f"GET {url} without the middleware: {_ms(timings['without'])}")
    print(f"GET {url} with the middleware:    {_ms(timings['with'])}")
    difference = statistics.median(timings["with"]) - statistics.median(timings["without"])
    print(f"difference of medians: {difference * 1000:+.2f} ms")
    print(f"ratelimit.hit() alone:              {_ms(hits)}")


if __name__ == "__main__":
    main()
