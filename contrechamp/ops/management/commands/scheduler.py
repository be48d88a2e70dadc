"""`contrechamp scheduler`: queue the periodic jobs of `settings.PERIODIC_JOBS` when due.

Safe to run on several machines at once: each job is queued once per period (see
`contrechamp.ops.services`). The tasks themselves run in a worker."""

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from contrechamp.ops.services import jobs_enqueue_due, periodic_jobs, seconds_to_next_slot

logger = logging.getLogger(__name__)

# A scheduler wakes at least this often (seconds), so a clock change or a database that
# was away costs at most this much delay.
MAX_SLEEP = 60.0


class Command(BaseCommand):
    help = "Queue the periodic jobs declared in settings when they are due, until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Queue what is due now, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_jobs()
        stopped = threading.Event()

        def stop(*_: object) -> None:
            stopped.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if options["verbosity"]:
            for job in jobs:
                self.stdout.write(f"{job.name}: {job.task} every {job.every}")
            self.stdout.flush()
        while not stopped.is_set():
            failed = False
            try:
                jobs_enqueue_due(jobs)  # each job queued is logged
            except Exception:
                if options["once"]:
                    raise
                # The database away for a moment: a slot missed now is queued at the
                # next wake-up, as long as it is still the current one.
                logger.exception("periodic jobs could not be queued")
                failed = True
            finally:
                close_old_connections()
            if options["once"]:
                break
            # A little past the boundary, so this scheduler's clock is surely in the slot;
            # after a failure, again soon, while the missed slot is still current.
            wait = MAX_SLEEP if failed else seconds_to_next_slot(jobs) + 0.05
            stopped.wait(min(MAX_SLEEP, wait))
