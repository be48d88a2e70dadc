"""The API fuzzed against its OpenAPI document by schemathesis, at more examples than the
test suite's run (tests/api/test_fuzz.py), on a live server on 127.0.0.1.

    .venv/bin/python benchmarks/fuzz_api.py                    # 200 examples per operation
    .venv/bin/python benchmarks/fuzz_api.py --max-examples 1000 --seed 1

It builds a site with the places and the demo data (a temporary folder, SQLite, or the
PostgreSQL database of DATABASE_URL with `_fuzz` appended), starts `contrechamp web` with
the rate limits raised (one address sends everything), and runs `schemathesis run` with
every check but `positive_data_acceptance` (opaque cursors and dates checked by the
endpoints are strings the schema allows and the API rightly refuses with a documented
400). Its summary, with the count of test cases generated and failures, is printed as is.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(workdir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir}/fuzz.sqlite3"
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") + "_fuzz"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="contrechamp-fuzz-"))
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(workdir),
        "DATABASE_URL": _database(workdir),
        "RATE_LIMIT_API": "100000000/m",
        "RATE_LIMIT_SEARCH": "100000000/m",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = [sys.executable, "-m", "contrechamp"]
    for command in (["migrate", "-v", "0"], ["places", "load"], ["demo", "load"]):
        subprocess.run([*run, *command], env=env, check=True, cwd=ROOT)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*run, "web", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        started = time.perf_counter()
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                str(ROOT / "docs" / "openapi.json"),
                "--url",
                base,
                "--max-examples",
                str(args.max_examples),
                "--seed",
                str(args.seed),
                "--exclude-checks",
                "positive_data_acceptance",
                "--no-color",
            ],
            cwd=workdir,
        )
        print(f"\n{time.perf_counter() - started:.0f} s; data in {workdir}")
    finally:
        server.terminate()
        server.wait(20)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
