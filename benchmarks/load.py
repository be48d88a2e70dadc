"""Load test: concurrent visitors and editors against `contrechamp serve` on 127.0.0.1,
for a bounded time, then a check that no acknowledged edit was lost.

    .venv/bin/python benchmarks/load.py                          # SQLite, 60 s
    DATABASE_URL=postgres://u:p@127.0.0.1/contrechamp .venv/bin/python benchmarks/load.py
    .venv/bin/python benchmarks/load.py --seconds 20 --workdir /tmp/load

It builds a registry of `--deployments` synthetic deployments with benchmarks/registry.py's
builder (in a temporary folder, or `<name>_load` on PostgreSQL; `--workdir` keeps it),
creates `--editors` trusted contributors (no reviewers: those need a second factor; not
trusted, their edits would wait for review), starts `contrechamp serve` (web, worker,
scheduler) and runs for `--seconds`:

- `--visitors` threads, each fetching one page after another at random: home, the list
  of deployments, filtered, a commune page, a search, the API list, a static file;
- `--editors` threads, each opening the edit form of one of a few deployments shared by
  all of them, changing its description, and saving it with the version the form held.
  Two editors often save the same version: one is saved, the other gets the conflict
  page (409), which is counted and never retried blindly.

Then it reports p50/p95/p99 latency and errors per kind of request, and checks in the
database that every edit acknowledged by a redirect is a revision whose snapshot holds
what was sent, and that no edit answered by a conflict was saved.

The rate limits per address (search, API) would refuse most of one address's traffic:
they are raised through the environment for the run (RATE_LIMIT_*), and any 429 left is
counted apart. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
RUN = os.urandom(3).hex()  # in every edit's comment: a database reused holds earlier runs
CSRF = "L" * 32  # a token of the client's choosing, sent as cookie and header alike
RAISED_LIMITS = {
    "RATE_LIMIT_SEARCH": "1000000/m",
    "RATE_LIMIT_API": "1000000/m",
    "RATE_LIMIT_UPLOADS": "1000000/m",
}

EDITORS = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import user_create
from contrechamp.registry.models import Deployment
from contrechamp.places.models import Commune
from django.contrib.auth import get_user_model

count, shared = int(sys.argv[1]), int(sys.argv[2])
sessions = []
for n in range(count):
    name = f"editeur-{n}"
    user = get_user_model().objects.filter(username=name).first() or user_create(
        username=name, email=f"{name}@example.org", password="load test password 0" + name
    )
    Profile.objects.filter(user=user).update(trust="trusted")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend a password log-in records (the lockout backend only refuses).
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
slugs = list(Deployment.objects.filter(is_published=True).order_by("id")
             .values_list("slug", flat=True)[:shared])
communes = list(Commune.objects.filter(deployments__isnull=False).distinct()
                .values_list("code", flat=True)[:200])
print(json.dumps({"sessions": sessions, "slugs": slugs, "communes": communes}))
"""


class FormFields(HTMLParser):
    """The fields of the form holding `marker` (an input name), as a browser would send
    them: inputs (checkboxes only when checked), the selected options, textareas."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms: list[list[tuple[str, str]]] = []
        self.current: list[tuple[str, str]] | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = []
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.current.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if tag == "textarea" and self.textarea is not None:
            self.current.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.current.append((self.select, self.select_first))
            self.select = None
        elif tag == "form":
            self.forms.append(self.current)
            self.current = None

    def fields(self) -> list[tuple[str, str]]:
        for form in self.forms:
            if any(name == self.marker for name, _ in form):
                return form
        raise ValueError(f"no form with a field {self.marker!r}")


def form_fields(html: str, marker: str) -> list[tuple[str, str]]:
    parser = FormFields(marker)
    parser.feed(html)
    return parser.fields()


class Client:
    """One person's requests to 127.0.0.1 (a new connection each, as browsers behind
    proxies often do), with their session."""

    def __init__(self, port: int, session: str = "", timeout: float = 30) -> None:
        self.port, self.session, self.timeout = port, session, timeout

    def request(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None
    ) -> tuple[int, bytes, float]:
        headers = {"Accept-Language": "fr"}
        cookies = [f"csrftoken={CSRF}"]
        if self.session:
            cookies.append(f"sessionid={self.session}")
        headers["Cookie"] = "; ".join(cookies)
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = CSRF
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            return response.status, data, time.perf_counter() - started
        finally:
            conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql, params).fetchall()


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.failures: dict[str, int] = defaultdict(int)  # no answer at all
        self.saved: list[tuple[str, str]] = []  # (slug, marker) acknowledged
        self.conflicts: list[tuple[str, str]] = []

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status] += 1


def visitor(
    port: int, stop: threading.Event, results: Results, communes: list[str], think: float = 0.0
) -> None:
    """Pages one after another; with `think`, a pause of 0 to 2 × think seconds between
    two (a person reading), else none (the server saturated)."""
    client = Client(port)
    rng = random.Random()
    words = ["caméras", "reconnaissance faciale", "drones", "capteurs sonores", "vidéo"]
    while not stop.is_set():
        kind = rng.choice(
            ["home", "list", "filters", "place", "search", "api", "api filters", "static"]
        )
        path = {
            "home": "/",
            "list": f"/dispositifs/?page={rng.randint(1, 20)}",
            "filters": "/dispositifs/?technology=vsa&status=deployed",
            "place": f"/communes/{rng.choice(communes)}/" if communes else "/",
            "search": "/dispositifs/?" + urlencode({"q": rng.choice(words)}),
            "api": "/api/v1/deployments?limit=50",
            "api filters": "/api/v1/deployments?technology=vsa&status=deployed&limit=50",
            "static": "/static/css/site.css",
        }[kind]
        try:
            status, _, seconds = client.request("GET", path)
        except OSError:
            with results.lock:
                results.failures[kind] += 1
            continue
        results.record(kind, status, seconds)
        if think:
            stop.wait(rng.uniform(0, 2 * think))


def editor(
    port: int, session: str, name: str, slugs: list[str], stop: threading.Event, results: Results
) -> None:
    client = Client(port, session)
    rng = random.Random(name)
    n = 0
    while not stop.is_set():
        slug = rng.choice(slugs)
        path = f"/dispositifs/{slug}/modifier/"
        try:
            status, body, seconds = client.request("GET", path)
            results.record("edit form", status, seconds)
            if status != 200:
                continue
            fields = form_fields(body.decode(), "version")
            n += 1
            marker = f"load {RUN} {name} {n}"
            fields = [(k, v) for k, v in fields if k not in ("description", "comment")]
            fields += [("description", f"Modifié par {marker}."), ("comment", marker)]
            # A person reads the page before saving: others save meanwhile.
            stop.wait(rng.uniform(0.05, 0.5))
            status, body, seconds = client.request("POST", path, fields)
        except OSError:
            with results.lock:
                results.failures["edit save"] += 1
            continue
        results.record("edit save", status, seconds)
        with results.lock:
            if status == 302:
                results.saved.append((slug, marker))
            elif status == 409:
                results.conflicts.append((slug, marker))


def _check(url: str, results: Results) -> list[str]:
    """What went wrong with the edits, read from the database."""
    problems = []
    revisions = _query(
        url,
        "SELECT comment, snapshot, version, object_id FROM registry_revision "
        "WHERE kind = 'deployment' AND comment LIKE ?",
        (f"load {RUN} %",),
    )
    by_comment = {}
    for comment, snapshot, version, object_id in revisions:
        data = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
        by_comment[comment] = (data, version, object_id)
    for slug, marker in results.saved:
        if marker not in by_comment:
            problems.append(f"acknowledged edit lost: {marker} on {slug}")
        elif marker not in by_comment[marker][0].get("description", ""):
            problems.append(f"acknowledged edit saved without its text: {marker}")
    for _slug, marker in results.conflicts:
        if marker in by_comment:
            problems.append(f"edit answered by a conflict was saved anyway: {marker}")
    pairs = [(object_id, version) for _, version, object_id in by_comment.values()]
    if len(pairs) != len(set(pairs)):
        problems.append("two revisions with one version number")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deployments", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--editors", type=int, default=10)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause of a visitor between pages (s)"
    )
    parser.add_argument("--shared", type=int, default=5, help="deployments the editors share")
    parser.add_argument("--threads", type=int, default=16, help="server threads")
    parser.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 is accepted")
    parser.add_argument("--workdir", help="keep the database here and reuse it next time")
    args = parser.parse_args()
    if args.host not in LOCAL_HOSTS:
        parser.error("the load test runs against 127.0.0.1 only")
    if not 0 < args.seconds <= 600:
        parser.error("--seconds: between 1 and 600")

    sys.path.insert(0, str(ROOT))
    from benchmarks import registry

    pg_name = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pg_name = urlparse(os.environ["DATABASE_URL"]).path.lstrip("/") + "_load"
    workdir, url, built = registry._workdir(args.workdir, args.deployments, pg_name)
    env = {
        **os.environ,
        **{k: os.environ.get(k, v) for k, v in RAISED_LIMITS.items()},
        "CONTRECHAMP_DATA_DIR": str(workdir),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    }
    run = [sys.executable, "-m", "contrechamp"]
    if not built:
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "registry.py"), "--build"]
            + [str(args.deployments)],
            env=env,
            check=True,
        )
        (workdir / "built.json").write_text(
            json.dumps({"deployments": args.deployments, "database_url": url})
        )
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*run, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    made = subprocess.run(
        [sys.executable, "-c", EDITORS, str(args.editors), str(args.shared)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    setup = json.loads(made.stdout.strip().splitlines()[-1])

    port = _free_port()
    log = open(Path(tempfile.gettempdir()) / f"contrechamp-load-{port}.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--threads", str(args.threads)],
        env=env,
        stdout=log,
        stderr=log,
    )
    results = Results()
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(port).request("GET", "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        threads = [
            threading.Thread(
                target=visitor, args=(port, stop, results, setup["communes"], args.think)
            )
            for _ in range(args.visitors)
        ] + [
            threading.Thread(
                target=editor,
                args=(port, session, f"e{n}", setup["slugs"], stop, results),
            )
            for n, session in enumerate(setup["sessions"])
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    total = sum(len(t) for t in results.times.values())
    print(
        f"\n{backend}, {args.deployments} deployments, {args.visitors} visitors and "
        f"{args.editors} editors for {elapsed:.0f} s, {args.threads} server threads "
        f"(load average {load}): {total} requests, {total / elapsed:.0f}/s\n"
    )
    print("| request | count | p50 ms | p95 ms | p99 ms | statuses | no answer |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for kind in sorted(results.times):
        times = results.times[kind]
        statuses = ", ".join(f"{s}: {c}" for s, c in sorted(results.statuses[kind].items()))
        print(
            f"| {kind} | {len(times)} | {statistics.median(times) * 1000:.0f} "
            f"| {_percentile(times, 0.95) * 1000:.0f} | {_percentile(times, 0.99) * 1000:.0f} "
            f"| {statuses} | {results.failures.get(kind, 0)} |"
        )
    problems = _check(url, results)
    print(
        f"\nEdits: {len(results.saved)} saved, {len(results.conflicts)} answered by a "
        f"conflict (409); checked in the revisions: "
        + ("no lost update." if not problems else f"{len(problems)} problems:")
    )
    for problem in problems[:20]:
        print(f"- {problem}")
    errors = sum(
        count
        for statuses in results.statuses.values()
        for status, count in statuses.items()
        if status >= 500
    )
    sys.exit(1 if problems or errors else 0)


if __name__ == "__main__":
    main()
