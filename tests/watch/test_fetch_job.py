"""The watch's daily fetch: the queue's page said "a daily cron keeps the queue fed" while
nothing scheduled one, and a new instance's queue stayed empty for ever (a new user's
walk). The worker now fetches the sources named in WATCH_FETCH, none by default (no
request leaves the machine unless the administrator says so), and the page says which."""

import pytest

from contrechamp.ops.services import periodic_jobs
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.tasks import watch_fetch
from tests.watch.test_boamp import NOTICES, api, page  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_job_is_scheduled_and_fetches_only_the_sources_named(settings, api):  # noqa: F811
    assert "contrechamp.watch.tasks.watch_fetch" in {job.task for job in periodic_jobs()}
    settings.WATCH_FETCH = []
    assert watch_fetch.call() == {}
    ordered = sorted(NOTICES, key=lambda n: n["dateparution"])
    server = api([page(ordered[:2]), page(ordered[2:]), page([])])
    settings.WATCH_FETCH = ["boamp"]
    assert watch_fetch.call() == {"boamp": 4}
    assert server.calls and WatchRecord.objects.filter(source="boamp").count() == 4


def test_a_source_that_fails_is_logged_and_the_others_go_on(settings, api, caplog):  # noqa: F811
    settings.WATCH_TED_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.WATCH_HTTP_TIMEOUT = 0.5
    ordered = sorted(NOTICES, key=lambda n: n["dateparution"])
    api([page(ordered), page([])])
    settings.WATCH_FETCH = ["ted", "boamp"]
    done = watch_fetch.call()
    assert done["boamp"] == 4 and done["ted"] <= 0
    assert "watch fetch ted" in caplog.text


def test_the_page_tells_the_administrator_what_is_fetched(client, administrator, settings):
    client.force_login(administrator)
    settings.WATCH_FETCH = []
    html = client.get("/veille/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing is fetched automatically" in html and "a daily cron" not in html
    settings.WATCH_FETCH = ["boamp", "ted"]
    html = client.get("/veille/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The worker fetches BOAMP, TED every day" in html


def test_a_contributor_refused_the_watch_reads_why_and_where_its_findings_go(client, contributor):
    """A new user's walk: a group's organiser met a bare "Not allowed" on /veille/."""
    client.force_login(contributor)
    response = client.get("/veille/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "its candidates name buyers and amounts nobody has checked" in response.content.decode()
    # Other refusals keep the general message.
    assert "This page is not open to your account" not in response.content.decode()
