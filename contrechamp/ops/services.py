"""The scheduler of periodic jobs: each job declared in `settings.PERIODIC_JOBS` is queued
once per period, however many schedulers run and however often they restart."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import Task, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from django_tasks_db.backend import DatabaseBackend

from contrechamp.lib.personal import contacts_masked
from contrechamp.ops.models import PeriodicJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks `Task` taking no argument
    every: timedelta

    def slot(self, now: datetime) -> int:
        """The number of the period `now` falls in, counted from the epoch (UTC): the
        same for every scheduler, whenever it started."""
        return int(now.timestamp() // self.every.total_seconds())

    def slot_start(self, slot: int) -> datetime:
        return datetime.fromtimestamp(slot * self.every.total_seconds(), tz=UTC)

    def slot_seconds(self, now: datetime) -> int:
        """When the slot of `now` started, in seconds since the epoch: what is stored. A
        slot's number depends on the period, its start does not, so a job whose period
        is changed in settings goes on (with numbers, a longer period stayed below the
        number stored and the job never ran again)."""
        return int(self.slot(now) * self.every.total_seconds())


def periodic_jobs() -> list[Job]:
    """The jobs declared in settings, checked: a task path that does not import, or a
    period under a second, is an error at start rather than a job that never runs."""
    jobs = []
    for name, spec in settings.PERIODIC_JOBS.items():
        every, path = spec["every"], spec["task"]
        if not isinstance(every, timedelta) or every.total_seconds() < 1:
            raise ValueError(f"PERIODIC_JOBS[{name!r}]: 'every' must be a timedelta ≥ 1 s")
        if not isinstance(path, str) or not isinstance(import_string(path), Task):
            raise ValueError(f"PERIODIC_JOBS[{name!r}]: {path!r} is not a task")
        jobs.append(Job(name=name, task=path, every=every))
    return jobs


def job_claim_and_enqueue(job: Job, *, now: datetime) -> str | None:
    """Queue `job` for the slot of `now` unless some scheduler already did. Returns the id
    of the task queued, or None.

    The slot is claimed and the task queued in one transaction: with the database task
    backend both rows commit together, so a crash between them neither loses the slot
    nor queues it twice."""
    slot = job.slot(now)
    start = job.slot_seconds(now)
    PeriodicJob.objects.get_or_create(name=job.name)
    with transaction.atomic():
        # On PostgreSQL a second scheduler's UPDATE waits for the first to commit, then
        # finds last_slot already moved; on SQLite writes are serialised outright.
        won = PeriodicJob.objects.filter(name=job.name, last_slot__lt=start).update(
            last_slot=start, last_enqueued_at=now
        )
        if not won:
            return None
        result = import_string(job.task).enqueue()
        PeriodicJob.objects.filter(name=job.name).update(last_task_id=str(result.id)[:64])
    logger.info("periodic job %s queued for %s", job.name, job.slot_start(slot).isoformat())
    return str(result.id)


def jobs_enqueue_due(jobs: list[Job], *, now: datetime | None = None) -> list[str]:
    """Queue every job whose current slot no scheduler has queued yet. Returns their
    names."""
    now = now or timezone.now()
    return [job.name for job in jobs if job_claim_and_enqueue(job, now=now) is not None]


def seconds_to_next_slot(jobs: list[Job], *, now: datetime | None = None) -> float:
    """How long until the earliest job enters its next slot."""
    now = now or timezone.now()
    if not jobs:
        return 3600.0
    waits = [(job.slot_start(job.slot(now) + 1) - now).total_seconds() for job in jobs]
    return max(0.0, min(waits))


# --- what the administrators' page of periodic jobs shows ---------------------------------

# A job is late once its last queueing is older than this many periods: one period late
# is a slot being claimed right now, two mean a scheduler (or a worker) is not running.
LATE_AFTER_PERIODS = 2
# The longest error line shown: the page says what failed, the admin's task results keep
# the whole traceback.
ERROR_LINE_LENGTH = 300


@dataclass(frozen=True)
class JobState:
    """One periodic job as the administrators' page shows it.

    `state` is "never" (no scheduler ever queued it), "waiting" (queued, no worker took
    it yet), "running", "finished", "failed", or "unknown" (its result is no longer kept:
    the queue's rows are pruned after a week). `late` names what is not running:
    "scheduler" when no slot was queued for LATE_AFTER_PERIODS periods (or ever), "worker"
    when a task of the job has waited that long for a worker."""

    name: str
    every: timedelta
    last_enqueued_at: datetime | None
    state: str
    finished_at: datetime | None = None
    error: str = ""
    late: tuple[str, ...] = ()


def error_line(exception_class_path: str, traceback: str) -> str:
    """The first line of a failed task's error, "ValueError: the message", with the
    e-mail addresses, phone numbers and IBANs it holds masked: a message often quotes
    the value that failed (a recipient refused by the mail server), and this line is
    shown on a page. Never a line of the traceback's code or paths."""
    name = exception_class_path.rsplit(".", 1)[-1] or exception_class_path
    # As `traceback.format_exception` writes it: the module, unless builtins.
    written = [exception_class_path, name] if exception_class_path else []
    message = ""
    for line in reversed(traceback.splitlines()):
        found = next((w for w in written if line == w or line.startswith(w + ":")), None)
        if found is not None:
            message = line[len(found) + 1 :].strip()
            break
    text = f"{name}: {message}" if message else name
    return contacts_masked(text)[:ERROR_LINE_LENGTH]


def _task_result(job: Job, task_id: str) -> Any | None:
    """The task's result as its backend keeps it, or None when it keeps none (pruned, or
    a backend that keeps no results)."""
    try:
        return import_string(job.task).get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError, ValueError):
        return None


def _oldest_waiting(job: Job) -> datetime | None:
    """When the oldest task of `job` still waiting for a worker was queued. The scheduler
    queues a new task every period whether or not a worker runs, so the last task alone
    is always recent: the queue's table tells a worker that stopped. Read with the
    database backend only (the one `serve` and the worker run); None with another."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .filter(task_path=job.task)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return oldest


def jobs_states(jobs: list[Job], *, now: datetime | None = None) -> list[JobState]:
    """The state of each job declared (in the order of settings), read from what the
    scheduler recorded and from the task backend's result of the last task queued."""
    now = now or timezone.now()
    recorded = {
        row.name: row for row in PeriodicJob.objects.filter(name__in=[j.name for j in jobs])
    }
    states = []
    for job in jobs:
        row = recorded.get(job.name)
        if row is None or row.last_enqueued_at is None:
            states.append(JobState(job.name, job.every, None, "never", late=("scheduler",)))
            continue
        overdue = now - row.last_enqueued_at > LATE_AFTER_PERIODS * job.every
        result = _task_result(job, row.last_task_id) if row.last_task_id else None
        state, finished_at, error = "unknown", None, ""
        if result is not None:
            states_by_status: dict[str, str] = {
                TaskResultStatus.READY: "waiting",
                TaskResultStatus.RUNNING: "running",
                TaskResultStatus.SUCCESSFUL: "finished",
                TaskResultStatus.FAILED: "failed",
            }
            state = states_by_status.get(str(result.status), "unknown")
            finished_at = result.finished_at
            if state == "failed" and result.errors:
                last = result.errors[-1]
                error = error_line(last.exception_class_path, last.traceback)
        late: tuple[str, ...] = ("scheduler",) if overdue else ()
        waiting_since = _oldest_waiting(job)
        if waiting_since is not None and now - waiting_since > LATE_AFTER_PERIODS * job.every:
            late += ("worker",)
        states.append(
            JobState(job.name, job.every, row.last_enqueued_at, state, finished_at, error, late)
        )
    return states
