"""Latency and throughput of the registry's pages, API and exports over a synthetic
registry of 50,000 deployments spread over all communes.

    .venv/bin/python benchmarks/registry.py                     # SQLite
    DATABASE_URL=postgres://u:p@127.0.0.1/contrechamp .venv/bin/python benchmarks/registry.py
    .venv/bin/python benchmarks/registry.py --workdir /tmp/bench --runs 3 --only list

It builds its own database (a file in a temporary folder, or `<name>_bench` on
PostgreSQL; `--workdir` keeps it for the next run), starts `contrechamp serve` on a free
port, and measures from another process: median and p95 latency of sequential requests,
then requests/s with 8 client threads. The floor is a static file served by the same
server in the same pass (what a request costs before any Django view runs); ratios are
to its median and p95. With `--runs N`, N passes over the same server and a table of
their medians. The last column is the server's CPU time per request (user + system,
read from /proc), which the load of other programs hardly changes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (
    "caméras vidéosurveillance algorithmique reconnaissance faciale capteurs sonores "
    "drones police prédictive hypervision centre supervision urbain expérimentation "
    "marché public délibération conseil municipal préfecture financement sécurité "
    "quartier gare lycée tramway parking stade plaques immatriculation émotion "
    "signalement application réseau sociaux observatoire données"
).split()


def _database(workdir: Path, pg_name: str | None = None) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir}/bench.sqlite3"
    import psycopg

    parsed = urlparse(url)
    name = pg_name or f"{parsed.path.lstrip('/')}_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def build(n: int) -> None:
    """Fill the database named by the environment with `n` synthetic deployments."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from contrechamp.lib.textsearch import fts5_document
    from contrechamp.places.models import Commune
    from contrechamp.places.services import places_load
    from contrechamp.registry.models import (
        Citation,
        Deployment,
        Funding,
        Organisation,
        Source,
        Technology,
    )

    call_command("migrate", verbosity=0)
    places_load()
    rng = random.Random(42)
    communes = list(Commune.objects.values_list("id", "name"))
    technologies = list(Technology.objects.values_list("id", "name_fr"))
    statuses = [s for s, _ in Deployment.STATUSES]
    with transaction.atomic():
        vendors = Organisation.objects.bulk_create(
            [
                Organisation(name=f"Fournisseur {i}", slug=f"fournisseur-{i}", kind="vendor")
                for i in range(300)
            ]
        )
        funders = Organisation.objects.bulk_create(
            [Organisation(name=f"Fonds {i}", slug=f"fonds-{i}", kind="funder") for i in range(30)]
        )
        sources = Source.objects.bulk_create(
            [
                Source(
                    title=f"Délibération {i}",
                    url=f"https://example.org/{i}",
                    published_on=f"{rng.randint(2010, 2025)}",
                )
                for i in range(5000)
            ]
        )
        rows, places, techs, supplied, texts = [], [], [], [], []
        for i in range(n):
            commune_id, commune_name = rng.choice(communes)
            tech = rng.sample(technologies, rng.randint(1, 2))
            vendor = rng.choice(vendors)
            start = rng.randint(2010, 2025)
            title = f"{tech[0][1]} à {commune_name} n°{i}"
            description = " ".join(rng.choices(WORDS, k=40))
            # The text the search indexes: what `deployment_search_text` would give.
            text = "\n".join([title, description, commune_name, vendor.name, *[t[1] for t in tech]])
            rows.append(
                Deployment(
                    title=title,
                    slug=f"bench-{i}",
                    status=rng.choice(statuses),
                    start_date=f"{start}-{rng.randint(1, 12):02d}",
                    end_date=str(start + rng.randint(0, 4)) if rng.random() < 0.3 else "",
                    description=description,
                    search_text=text,
                )
            )
            places.append(commune_id)
            techs.append([t[0] for t in tech])
            supplied.append(vendor.id)
            texts.append(text)
        Deployment.objects.bulk_create(rows, batch_size=2000)
        ids = list(
            Deployment.objects.filter(slug__startswith="bench-")
            .order_by("id")
            .values_list("id", flat=True)
        )
        Deployment.communes.through.objects.bulk_create(
            [
                Deployment.communes.through(deployment_id=d, commune_id=c)
                for d, c in zip(ids, places, strict=True)
            ],
            batch_size=5000,
        )
        Deployment.technologies.through.objects.bulk_create(
            [
                Deployment.technologies.through(deployment_id=d, technology_id=t)
                for d, ts in zip(ids, techs, strict=True)
                for t in ts
            ],
            batch_size=5000,
        )
        Deployment.vendors.through.objects.bulk_create(
            [
                Deployment.vendors.through(deployment_id=d, organisation_id=v)
                for d, v in zip(ids, supplied, strict=True)
            ],
            batch_size=5000,
        )
        Funding.objects.bulk_create(
            [
                Funding(
                    deployment_id=d,
                    funder=rng.choice(funders),
                    amount_eur=rng.randint(1, 900) * 1000,
                )
                for d in ids
                if rng.random() < 0.4
            ],
            batch_size=5000,
        )
        Citation.objects.bulk_create(
            [Citation(deployment_id=d, source=rng.choice(sources), quote="…") for d in ids],
            batch_size=5000,
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO registry_deployment_fts(rowid, body) VALUES (%s, %s)",
                    [(d, fts5_document(t)) for d, t in zip(ids, texts, strict=True)],
                )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(conn: http.client.HTTPConnection, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "fr"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200 or not body:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed, body


def _get(conn: http.client.HTTPConnection, path: str) -> float:
    return _fetch(conn, path)[0]


def _percentile(sorted_times: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with `fraction` of samples at or below."""
    rank = max(1, math.ceil(fraction * len(sorted_times)))
    return sorted_times[rank - 1]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the process `pid` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    port: int, path: str, repeat: int, seconds: float, threads: int, pid: int | None = None
) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _ in range(3):
        _get(conn, path)  # warm-up: caches of the server and of the database
    # The server's own CPU time per request: unlike latency, other programs running on
    # the machine hardly change it, so it compares runs made under different loads.
    cpu = _cpu_seconds(pid) if pid else 0.0
    times = sorted(_get(conn, path) for _ in range(repeat))
    cpu = (_cpu_seconds(pid) - cpu) / repeat if pid else 0.0
    conn.close()
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < stop:
            _get(c, path)
            done[k] += 1
        c.close()

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": _percentile(times, 0.95) * 1000,
        "rps": sum(done) / (time.perf_counter() - started) if seconds > 0 else 0.0,
        "cpu_ms": cpu * 1000,
    }


def _cursor_at(port: int, path: str, pages: int) -> str:
    """Follow the API's `next` links `pages` times from `path`; return that page's path.

    Cursors are opaque: the benchmark walks to them as a client would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    cursor = None
    for _ in range(pages):
        page = path + (f"&cursor={quote(cursor)}" if cursor else "")
        nxt = json.loads(_fetch(conn, page)[1])["next"]
        if not nxt:
            break
        cursor = nxt
    conn.close()
    if not cursor:
        raise RuntimeError(f"{path}: no second page to measure a cursor on")
    return path + f"&cursor={quote(cursor)}"


def _workdir(path: str | None, n: int, pg_name: str | None) -> tuple[Path, str, bool]:
    """The folder and database to use, and whether they already hold `n` deployments.

    With --workdir, a database built by an earlier run is reused (building takes a
    minute); the marker file records what was built, into which database."""
    workdir = Path(path) if path else Path(tempfile.mkdtemp(prefix="contrechamp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    marker = workdir / "built.json"
    url = os.environ.get("DATABASE_URL", "")
    if marker.exists():
        built = json.loads(marker.read_text())
        same_backend = built["database_url"].startswith("postgres") == url.startswith("postgres")
        if built["deployments"] == n and same_backend:
            return workdir, built["database_url"], True
    return workdir, _database(workdir, pg_name), False


CASES = [
    ("floor: static file", "/static/css/site.css"),
    ("list page", "/dispositifs/"),
    ("list page, deep page (800)", "/dispositifs/?page=800"),
    ("list page, filters", "/dispositifs/?technology=vsa&status=deployed"),
    ("list page, department, deep page", "/dispositifs/?department=62&page=20"),
    ("list page, search + filter", "/dispositifs/?q=reconnaissance+faciale&department=13"),
    ("list page, common word", "/dispositifs/?q=cam%C3%A9ras"),
    ("API list", "/api/v1/deployments?limit=100"),
    ("API list, cursor (row 40,000)", "cursor:/api/v1/deployments?limit=500:80:100"),
    ("API list, filters", "/api/v1/deployments?technology=vsa&status=deployed&limit=100"),
    (
        "API list, filters, cursor",
        "cursor:/api/v1/deployments?technology=vsa&status=deployed&limit=100:3:",
    ),
    ("API list, search", "/api/v1/deployments?q=capteurs+sonores&limit=100"),
    ("commune page (Marseille)", "/communes/13055/"),
    ("department page (Bouches-du-Rhône)", "/departements/13/"),
    ("intercommunality page (Aix-Marseille-Provence)", "/intercommunalites/200054807/"),
    ("GeoJSON export, one department", "/exports/dispositifs.geojson?department=13"),
]


def _resolve(port: int, path: str) -> str:
    """`cursor:<path>:<pages>:<limit>`: the page reached after `pages` hops (with the
    final page's limit set to `limit` when given); any other path as is."""
    if not path.startswith("cursor:"):
        return path
    base, pages, limit = path.removeprefix("cursor:").rsplit(":", 2)
    page = _cursor_at(port, base, int(pages))
    return page.replace("limit=500", f"limit={limit}") if limit else page


def _table(title: str, rows: list[tuple[str, dict]]) -> None:
    floor = rows[0][1]
    # The machine's load says how far the figures can be trusted (2 shared cores).
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{title} (load average {load})\n")
    print(
        "| request | median ms | p95 ms | req/s | median / floor | p95 / floor p95 "
        "| server CPU ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in rows:
        rps = f"{r['rps']:.0f}" if r["rps"] else "—"
        print(
            f"| {name} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {rps} "
            f"| {r['median_ms'] / floor['median_ms']:.0f} "
            f"| {r['p95_ms'] / floor['p95_ms']:.0f} | {r['cpu_ms']:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deployments", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=60, help="sequential requests per case")
    parser.add_argument("--seconds", type=float, default=8, help="of 8-thread load per case")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1, help="measurement passes, one server")
    parser.add_argument("--only", default="", help="cases whose name contains this text")
    parser.add_argument("--workdir", help="keep the database here and reuse it next time")
    parser.add_argument("--pg-name", help="PostgreSQL database to build (<name>_bench)")
    parser.add_argument("--full-export", action="store_true", help="also the full GeoJSON")
    args = parser.parse_args()

    workdir, database_url, built = _workdir(args.workdir, args.deployments, args.pg_name)
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(workdir),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    }
    if not built:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--build", str(args.deployments)], env=env, check=True
        )
        (workdir / "built.json").write_text(
            json.dumps({"deployments": args.deployments, "database_url": database_url})
        )
        print(
            f"built {args.deployments} deployments in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    else:
        # Same data, but the code may have new migrations (indexes) since it was built.
        subprocess.run(
            [sys.executable, "-m", "contrechamp", "migrate", "-v", "0"], env=env, check=True
        )
    subprocess.run(
        [sys.executable, "-m", "contrechamp", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "contrechamp",
            "serve",
            "--port",
            str(port),
            "--no-worker",
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cases = [CASES[0]] + [c for c in CASES[1:] if args.only in c[0]]
        cases = [(name, _resolve(port, path)) for name, path in cases]
        backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        head = f"{backend}, {args.deployments} deployments, {args.threads} client threads"
        print(f"\n{head}; {args.repeat} sequential requests per case for median and p95")
        for name, path in cases[1:]:
            print(f"- {name}: `{path}`")
        runs: list[list[tuple[str, dict]]] = []
        for k in range(args.runs):
            # The floor is measured in every pass, beside the pages it is compared with.
            rows = [
                (name, measure(port, path, args.repeat, args.seconds, args.threads, server.pid))
                for name, path in cases
            ]
            runs.append(rows)
            _table(f"Run {k + 1} of {args.runs}", rows)
        if args.runs > 1:
            summary = [
                (
                    name,
                    {
                        key: statistics.median(run[i][1][key] for run in runs)
                        for key in ("median_ms", "p95_ms", "rps", "cpu_ms")
                    },
                )
                for i, (name, _) in enumerate(cases)
            ]
            _table(f"Median of the {args.runs} runs", summary)
        if args.full_export:
            full = measure(port, "/exports/dispositifs.geojson", 3, 0, 1)
            floor = runs[-1][0][1]["median_ms"]
            print(
                f"\nGeoJSON export, all {args.deployments}: median {full['median_ms']:.0f} ms, "
                f"{full['median_ms'] / floor:.0f} × the floor"
            )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(int(sys.argv[2]))
    else:
        main()
