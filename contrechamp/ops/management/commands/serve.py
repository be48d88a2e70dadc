"""`contrechamp serve`: everything one machine needs, the web server, the task worker and
the scheduler, each in its own process, started and stopped together."""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

# How long the processes have to finish what they are doing once asked to stop (the
# worker ends its current task) before they are killed.
STOP_TIMEOUT = 8.0
# A worker or scheduler that ends on its own (a document that crashes the worker outright,
# a lost database) is started again, so the site stays up; this many times in a minute
# means it cannot run, and serve stops with a failure instead.
RESTARTS_PER_MINUTE = 5


def _die_with_parent() -> None:
    """In the child, before it runs: the kernel sends it SIGTERM if `serve` dies, even
    by SIGKILL, so no worker or scheduler is left running alone (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Command(BaseCommand):
    help = (
        "Serve the site, run the task worker and the scheduler of periodic jobs, each in its "
        "own process, until interrupted: everything one machine needs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--threads", type=int, default=8, help="Requests served at once (default 8)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="The web server only (no task worker, no scheduler).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["no_worker"]:
            # The web server alone: in this process, nothing to supervise.
            call_command(
                "web", host=options["host"], port=options["port"], threads=options["threads"]
            )
            return
        command = [sys.executable, "-m", "contrechamp"]
        web = [
            "web",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--threads",
            str(options["threads"]),
        ]
        # On SQLite this is the only worker there can be: the leases of a dead one are
        # released at once rather than when they expire.
        worker = ["worker"] + (["--release-leases"] if connection.vendor == "sqlite" else [])
        roles = {"web": web, "worker": worker, "scheduler": ["scheduler"]}
        children: dict[str, subprocess.Popen[bytes]] = {}
        restarts: dict[str, list[float]] = {"worker": [], "scheduler": []}
        stopping = False
        failed = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        def start(role: str) -> None:
            # A session of their own: Ctrl-C in a terminal reaches `serve` alone, which
            # passes one SIGTERM on (a second signal makes the worker drop its task).
            children[role] = subprocess.Popen(
                command + roles[role], preexec_fn=_die_with_parent, start_new_session=True
            )

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            for role in roles:
                start(role)
            # Until a signal. The web server ending on its own stops everything, and the
            # exit status tells a supervisor to start again; the worker or the scheduler
            # is started again in place, unless it keeps ending.
            while not stopping and not failed:
                time.sleep(0.2)
                if children["web"].poll() is not None:
                    failed = True
                for role, times in restarts.items():
                    status = children[role].poll()
                    if status is None or stopping or failed:
                        continue
                    now = time.monotonic()
                    times[:] = [t for t in times if now - t < 60] + [now]
                    if len(times) > RESTARTS_PER_MINUTE:
                        self.stderr.write(f"The {role} keeps ending (status {status}): stopping.")
                        failed = True
                    else:
                        self.stderr.write(f"The {role} ended (status {status}): started again.")
                        start(role)
        finally:
            self._stop(list(children.values()))
        if failed:
            raise SystemExit(1)

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
