"""Start the web server (waitress) and the task worker together."""

import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# How often the daily pass of requests is queued (implicit refusals, reminders); it sends
# at most one e-mail per user and day.
REMINDER_EVERY_SECONDS = 6 * 3600


def _queue_daily(stopped: threading.Event) -> None:
    """Queue the daily pass of requests now and every few hours, for the worker."""
    from django.db import close_old_connections

    from contrechamp.access.tasks import daily

    while not stopped.is_set():
        try:
            daily.enqueue()
        finally:
            close_old_connections()
        stopped.wait(REMINDER_EVERY_SECONDS)


class Command(BaseCommand):
    help = "Serve the site and run the background task worker until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        from waitress import serve

        from contrechamp.wsgi import application

        worker = None
        if not options["no_worker"]:
            from django.db import connection

            from contrechamp.documents.services import documents_resume

            # Documents left half-processed by a worker that was stopped or killed. On
            # SQLite this is the only worker there can be: its leases are released now.
            resumed = documents_resume(release_leases=connection.vendor == "sqlite")
            if resumed:
                self.stdout.write(f"{resumed} unfinished documents queued again.")
            worker = subprocess.Popen(
                [sys.executable, "-m", "contrechamp", "db_worker", "--interval", "1"]
            )
        stopped = threading.Event()
        if worker:
            threading.Thread(target=_queue_daily, args=(stopped,), daemon=True).start()

        def stop(*_: object) -> None:
            stopped.set()
            if worker:
                worker.terminate()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Contrechamp at http://{options['host']}:{options['port']}/")
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="contrechamp",
                # Refused on its Content-Length, before the body is read (waitress
                # refuses a length at or above this).
                max_request_body_size=settings.UPLOAD_MAX_BYTES + 1,
            )
        finally:
            if worker:
                worker.terminate()
                worker.wait(10)
