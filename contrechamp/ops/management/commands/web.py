"""`contrechamp web`: the web server (waitress), and nothing else."""

import gc
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from waitress import serve

from contrechamp.lib.text import nlp
from contrechamp.ops.checks import start_warnings
from contrechamp.wsgi import application


class Command(BaseCommand):
    help = "Serve the site with waitress until stopped (no task worker, no scheduler)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--threads", type=int, default=8, help="Requests served at once (default 8)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def stop(*_: object) -> None:
            raise SystemExit(0)

        # SIGTERM (systemd, `serve`) ends the server as Ctrl+C does.
        signal.signal(signal.SIGTERM, stop)
        # What is loaded by now (Django, the URL configuration, the API's schemas) lives as
        # long as the process: kept out of the collector's full passes, which otherwise walk
        # it every few requests (150-300 ms each at the p95 of the API list). Young objects
        # are collected less often: a page of 100 deployments allocates tens of thousands.
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        if settings.WEB_PRELOAD_LANGUAGE_MODEL:
            # While the server already answers: a request that needs the model before it
            # is loaded waits for this load rather than starting its own.
            threading.Thread(target=nlp, name="language-model", daemon=True).start()
        for warning in start_warnings():
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(f"Contrechamp at http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="contrechamp",
            # Refused on its Content-Length, before the body is read (waitress refuses a
            # length at or above this).
            max_request_body_size=settings.UPLOAD_MAX_BYTES + 1,
        )
