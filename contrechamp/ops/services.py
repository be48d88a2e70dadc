"""The scheduler of periodic jobs: each job declared in `settings.PERIODIC_JOBS` is queued
once per period, however many schedulers run and however often they restart."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

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
