"""The processes as an operator starts them: `serve` runs the web server, the worker and
the scheduler and takes them all down with it; `worker` picks up a document left
half-processed."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import prepared_database, query_database
from tests.documents import samples

DAILY = settings.PERIODIC_JOBS["access-daily"]["task"]
TASKS = "django_tasks_database_dbtaskresult"


def _site(tmp_path, suffix):
    url = prepared_database(tmp_path, suffix)
    env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(tmp_path), "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "contrechamp"]
    return url, env, command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError, ValueError):
            continue
    return {child: line.decode() for child, line in found.items()}


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


def _serving(base: str) -> bool:
    try:
        return urllib.request.urlopen(base + "/", timeout=2).status == 200
    except OSError:
        return False


@pytest.fixture
def served(tmp_path):
    url, env, command = _site(tmp_path, "serve")
    port = _free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        [*command, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    try:
        _wait(lambda: _serving(f"http://127.0.0.1:{port}"), 90, "the site did not answer")
        yield serve, url
    finally:
        if serve.poll() is None:
            serve.kill()
        for child in _children(serve.pid):
            os.kill(child, signal.SIGKILL)
        serve.wait(10)
        log.close()


def _roles(serve) -> dict[str, int]:
    roles = {}
    for pid, line in _children(serve.pid).items():
        for role in ("web", "worker", "scheduler"):
            if f"contrechamp {role}" in line:
                roles[role] = pid
    return roles


def test_serve_runs_web_worker_and_scheduler_and_stops_them_on_sigterm(served):
    serve, url = served
    roles = _roles(serve)
    assert set(roles) == {"web", "worker", "scheduler"}, _children(serve.pid)
    # The scheduler queued the daily pass at start, the worker ran it.
    _wait(
        lambda: (
            query_database(url, f"SELECT status FROM {TASKS} WHERE task_path = ?", (DAILY,))
            == [("SUCCESSFUL",)]
        ),
        60,
        "the daily pass was not queued once and run",
    )
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(30) == 0
    assert [role for role, pid in roles.items() if _alive(pid)] == []


def test_a_serve_killed_outright_leaves_no_process_behind(served):
    serve, _ = served
    roles = _roles(serve)
    assert len(roles) == 3
    serve.send_signal(signal.SIGKILL)
    serve.wait(10)
    _wait(
        lambda: not any(_alive(pid) for pid in roles.values()),
        30,
        f"orphans: {[r for r, p in roles.items() if _alive(p)]}",
    )


def test_a_worker_that_dies_is_started_again_and_the_site_stays_up(served):
    # A document that crashes the worker outright must not take the site down with it
    # (under `make run` nothing would start it again).
    serve, _ = served
    roles = _roles(serve)
    os.kill(roles["worker"], signal.SIGKILL)
    _wait(
        lambda: _roles(serve).get("worker") not in (None, roles["worker"]),
        30,
        f"the worker was not started again: {_children(serve.pid)}",
    )
    assert serve.poll() is None
    again = _roles(serve)
    assert again["web"] == roles["web"] and again["scheduler"] == roles["scheduler"]
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(30) == 0
    assert [pid for pid in again.values() if _alive(pid)] == []


def test_when_the_web_server_dies_serve_stops_the_others_and_fails(served):
    # A supervisor (systemd's Restart=on-failure) then starts the whole again.
    serve, _ = served
    roles = _roles(serve)
    os.kill(roles["web"], signal.SIGKILL)
    assert serve.wait(30) == 1
    assert [role for role, pid in roles.items() if _alive(pid)] == []


def test_the_worker_resumes_a_document_left_half_processed(tmp_path):
    url, env, command = _site(tmp_path, "resume")
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(samples.text_pdf(["Délibération : vidéoprotection à Saint-Étienne."]))
    added = subprocess.run(
        [*command, "documents", "add", str(pdf), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    document = json.loads(added.stdout)["id"]
    # What a worker killed in the middle leaves: its task taken (RUNNING for ever), the
    # document in processing, the lease it held run out.
    query_database(url, f"UPDATE {TASKS} SET status = 'RUNNING'")
    query_database(
        url,
        "UPDATE documents_document SET status = 'processing', "
        "lease_until = '2020-01-01 00:00:00' WHERE id = ?",
        (document,),
    )
    worker = subprocess.run(
        [*command, "worker", "--batch"], env=env, capture_output=True, text=True, timeout=300
    )
    assert worker.returncode == 0, worker.stderr
    assert "1 unfinished documents queued again." in worker.stdout
    status, pages = query_database(
        url, "SELECT status, page_count FROM documents_document WHERE id = ?", (document,)
    )[0]
    assert (status, pages) == ("done", 1)
