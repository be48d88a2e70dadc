"""/journal/taches/: administrators see when each periodic job last ran, how its task
ended, and a warning when the scheduler or the worker is not running."""

import datetime as dt
import re
import smtplib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contrechamp.ops.models import PeriodicJob
from contrechamp.ops.services import Job, job_claim_and_enqueue

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PAGE = "/journal/taches/"
DAILY = settings.PERIODIC_JOBS["access-daily"]["task"]
SIX_HOURS = dt.timedelta(hours=6)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _queued(name="access-daily", *, ago=dt.timedelta(minutes=5)) -> DBTaskResult:
    """The task of `name` queued by the scheduler `ago`, as the worker finds it."""
    spec = settings.PERIODIC_JOBS[name]
    job = Job(name=name, task=spec["task"], every=spec["every"])
    task_id = job_claim_and_enqueue(job, now=timezone.now() - ago)
    assert task_id is not None
    result = DBTaskResult.objects.get(id=task_id)
    DBTaskResult.objects.filter(id=task_id).update(enqueued_at=timezone.now() - ago)
    return result


def _row(body: str, name: str) -> str:
    match = re.search(rf'<tr id="job-{name}".*?</tr>', body, re.S)
    assert match, name
    return match.group(0)


def test_the_address_is_the_one_documented():
    assert reverse("periodic-jobs") == PAGE


def test_contributors_and_reviewers_are_refused(client, contributor, reviewer):
    _queued()
    for person in (contributor, reviewer):
        client.force_login(person)
        response = client.get(PAGE)
        assert response.status_code == 403
        assert "access-daily" not in response.content.decode()


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_every_declared_job_is_listed_with_its_period(admin_client, english):
    body = admin_client.get(PAGE).content.decode()
    for name in settings.PERIODIC_JOBS:
        assert f'id="job-{name}"' in body
    assert "every 6 hours" in _row(body, "access-daily")
    assert "every 10 minutes" in _row(body, "documents-resume")


def test_a_job_that_never_ran_says_so_and_blames_the_scheduler(admin_client, english):
    """A fresh instance whose scheduler was never started: every job never ran."""
    PeriodicJob.objects.all().delete()
    body = admin_client.get(PAGE).content.decode()
    assert "never" in _row(body, "watch-fetch")
    assert "late" in _row(body, "watch-fetch")
    assert "The scheduler is not running" in body


def test_a_job_queued_on_time_and_finished_is_not_late(admin_client, english):
    result = _queued()
    result.set_successful(3)
    body = admin_client.get(PAGE).content.decode()
    row = _row(body, "access-daily")
    assert "finished" in row and "late" not in row


def test_a_job_not_queued_for_two_periods_is_late(admin_client, english):
    result = _queued(ago=2 * SIX_HOURS + dt.timedelta(minutes=1))
    result.set_successful(0)
    body = admin_client.get(PAGE).content.decode()
    assert "late" in _row(body, "access-daily")
    assert "The scheduler is not running" in body
    # One period late is a slot being claimed, not a stopped scheduler.
    PeriodicJob.objects.filter(name="access-daily").update(
        last_enqueued_at=timezone.now() - SIX_HOURS - dt.timedelta(minutes=1)
    )
    assert "late" not in _row(admin_client.get(PAGE).content.decode(), "access-daily")


def test_tasks_left_waiting_for_two_periods_blame_the_worker(admin_client, english):
    """The scheduler runs (the last task is recent) but no worker took the older ones."""
    _queued(ago=3 * SIX_HOURS)
    PeriodicJob.objects.filter(name="access-daily").update(last_slot=-1)
    _queued(ago=dt.timedelta(minutes=1))
    response = admin_client.get(PAGE)
    body = response.content.decode()
    row = _row(body, "access-daily")
    assert "waiting for a worker" in row and "late" in row
    assert "No worker is running" in body
    assert response.context["worker_late"] == ["access-daily"]
    assert "access-daily" not in response.context["scheduler_late"]


def test_a_failed_task_shows_its_error_without_the_address_it_quotes(admin_client, english):
    """A mail server refused a recipient: the exception quotes her address and the
    traceback carries it on several lines. The page says what failed, never to whom."""
    result = _queued()
    try:
        raise smtplib.SMTPRecipientsRefused(
            {"jeanne.martin@example.org": (550, b"mailbox unavailable, call 06 12 34 56 78")}
        )
    except smtplib.SMTPRecipientsRefused as error:
        result.set_failed(error)
    assert "jeanne.martin@example.org" in DBTaskResult.objects.get(id=result.id).traceback
    body = admin_client.get(PAGE).content.decode()
    row = _row(body, "access-daily")
    assert "failed" in row
    assert "SMTPRecipientsRefused" in row
    assert not EMAIL.search(body), EMAIL.search(body)
    assert "06 12 34 56 78" not in body
    # The first line of the error, not the traceback's code and paths.
    assert "Traceback" not in body and 'File "' not in body and "site-packages" not in body


def test_a_task_whose_result_was_pruned_says_so(admin_client, english):
    result = _queued()
    DBTaskResult.objects.filter(id=result.id).delete()
    row = _row(admin_client.get(PAGE).content.decode(), "access-daily")
    assert "no longer recorded" in row


def test_the_audit_log_links_to_the_page(admin_client):
    assert f'href="{PAGE}"' in admin_client.get(reverse("audit-log")).content.decode()
