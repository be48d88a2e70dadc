"""`contrechamp worker`: the background task worker (django-tasks-db's `db_worker`), after
queueing again the documents a previous worker left half-processed."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from contrechamp.documents.services import documents_resume


class Command(BaseCommand):
    help = "Run background tasks until stopped, resuming unfinished documents first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default 1).",
        )
        parser.add_argument(
            "--queue-name", default="default", help="Queues to run, comma-separated ('*': all)."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )
        parser.add_argument(
            "--release-leases",
            action="store_true",
            help="Free at once the documents held by a dead worker: only when no other "
            "worker can be running (one machine). Otherwise their lease expires on its own.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = documents_resume(release_leases=options["release_leases"])
        if resumed:
            self.stdout.write(f"{resumed} unfinished documents queued again.")
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "queue_name": options["queue_name"],
            "batch": options["batch"],
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
