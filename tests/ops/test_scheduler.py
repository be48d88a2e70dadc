"""Periodic jobs are declared in settings and queued once per slot: by one scheduler or
several at once, restarted or not."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from contrechamp.ops.models import PeriodicJob
from contrechamp.ops.services import Job, jobs_enqueue_due, periodic_jobs
from tests.conftest import prepared_database, query_database

DAILY = settings.PERIODIC_JOBS["access-daily"]["task"]


def test_every_declared_job_is_a_task_and_the_daily_pass_is_one():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["access-daily"].task == "contrechamp.access.tasks.daily"
    assert jobs["access-daily"].every == dt.timedelta(hours=6)
    assert "documents-resume" in jobs


def test_a_bad_declaration_is_refused(settings):
    settings.PERIODIC_JOBS = {"x": {"task": "contrechamp.access.tasks.nothing", "every": 60}}
    with pytest.raises((ValueError, ImportError)):
        periodic_jobs()


@pytest.mark.django_db
def test_a_job_is_queued_once_per_slot_across_restarts():
    job = Job(name="access-daily", task=DAILY, every=dt.timedelta(hours=6))
    start = dt.datetime(2026, 3, 2, 6, 0, 1, tzinfo=dt.UTC)
    assert jobs_enqueue_due([job], now=start) == ["access-daily"]
    assert jobs_enqueue_due([job], now=start + dt.timedelta(hours=5, minutes=59)) == []
    # A scheduler started again in the same slot (a new list of jobs, same database).
    again = Job(name="access-daily", task=DAILY, every=dt.timedelta(hours=6))
    assert jobs_enqueue_due([again], now=start + dt.timedelta(hours=1)) == []
    assert jobs_enqueue_due([again], now=start + dt.timedelta(hours=6)) == ["access-daily"]
    assert DBTaskResult.objects.filter(task_path=DAILY).count() == 2
    assert PeriodicJob.objects.get(name="access-daily").last_slot == job.slot_seconds(
        start + dt.timedelta(hours=6)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "before, after",
    [
        (dt.timedelta(hours=6), dt.timedelta(days=1)),
        (dt.timedelta(minutes=10), dt.timedelta(hours=1)),
    ],
)
def test_a_job_whose_period_changes_goes_on_running(before, after):
    """An administrator who makes a job rarer must not stop it for good: with slots counted
    in periods, a longer period gave smaller numbers than the one stored, forever below."""
    start = dt.datetime(2026, 3, 2, 18, 0, 1, tzinfo=dt.UTC)
    assert jobs_enqueue_due([Job("access-daily", DAILY, before)], now=start) == ["access-daily"]
    rarer = Job("access-daily", DAILY, after)
    # Already run in the current longer period: not again before the next one starts...
    next_start = rarer.slot_start(rarer.slot(start) + 1)
    assert jobs_enqueue_due([rarer], now=next_start - dt.timedelta(seconds=1)) == []
    # ...and then once per period, as declared.
    assert jobs_enqueue_due([rarer], now=next_start) == ["access-daily"]
    assert jobs_enqueue_due([rarer], now=next_start + after) == ["access-daily"]
    # Made more frequent again: the next shorter slot runs.
    often = Job("access-daily", DAILY, before)
    assert jobs_enqueue_due([often], now=next_start + after + before) == ["access-daily"]


def _site(tmp_path, suffix, **extra):
    url = prepared_database(tmp_path, suffix)
    env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(tmp_path), "DATABASE_URL": url, **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    command = [sys.executable, "-m", "contrechamp"]
    return url, env, command


def _queued(url, task_path):
    return query_database(
        url,
        "SELECT enqueued_at FROM django_tasks_database_dbtaskresult WHERE task_path = ? "
        "ORDER BY enqueued_at",
        (task_path,),
    )


def test_two_schedulers_started_at_once_queue_each_job_once(tmp_path):
    url, env, command = _site(tmp_path, "schedulers")
    both = [
        subprocess.Popen([*command, "scheduler", "--once", "-v", "0"], env=env) for _ in range(2)
    ]
    assert [p.wait(60) for p in both] == [0, 0]
    for name, spec in settings.PERIODIC_JOBS.items():
        assert len(_queued(url, spec["task"])) == 1, name


def test_two_schedulers_running_together_queue_one_task_per_slot(tmp_path):
    # A job every 2 seconds, declared in a settings module of the site's own.
    job = f"{{'access-daily': {{'task': {DAILY!r}, 'every': timedelta(seconds=2)}}}}"
    (tmp_path / "fast_settings.py").write_text(
        "from datetime import timedelta\n"
        "from contrechamp.settings import *  # noqa: F403\n"
        f"PERIODIC_JOBS = {job}\n"
    )
    url, env, command = _site(
        tmp_path,
        "schedulers2",
        PYTHONPATH=f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        DJANGO_SETTINGS_MODULE="fast_settings",
        LOG_LEVEL="INFO",  # each scheduler says which slot it queued
    )
    schedulers = [
        subprocess.Popen(
            [*command, "scheduler", "-v", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        # Each says its jobs once its signal handlers are in place: both running, however
        # slowly a busy machine starts them.
        for scheduler in schedulers:
            assert scheduler.stdout.readline(), scheduler.communicate(timeout=20)[1].decode()
        # Then four slots at least, whatever the machine's pace.
        deadline = time.monotonic() + 120
        while len(_queued(url, DAILY)) < 4:
            assert time.monotonic() < deadline, _queued(url, DAILY)
            time.sleep(0.2)
    finally:
        # Stopped even when the test fails: a scheduler left running would go on
        # queueing tasks in whatever database bears its database's name.
        for scheduler in schedulers:
            scheduler.send_signal(signal.SIGTERM)
        errors = [s.communicate(timeout=60)[1].decode() for s in schedulers]
    assert [s.returncode for s in schedulers] == [0, 0], errors
    times = [_as_datetime(row[0]) for row in _queued(url, DAILY)]
    assert len(times) >= 4, times
    # Which slot each task was queued for, as the two schedulers logged it: a slot queued
    # twice would be named twice. (The time a task was written says less: on a busy
    # machine a slot's task can be written after the next slot has begun.)
    slots = re.findall(r"periodic job access-daily queued for (\S+)", "".join(errors))
    assert len(slots) == len(times), errors
    assert len(set(slots)) == len(slots), slots


def _as_datetime(value):
    # SQLite keeps UTC without a zone, PostgreSQL gives an aware datetime.
    value = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
