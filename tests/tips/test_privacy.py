"""Nothing that identifies the sender is kept: not the address (nor a forwarded one),
not the browser, not the account, not the time of day, not the receipt code in clear;
and no log line carries them."""

import logging
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contrechamp.audit.models import AuditEntry
from contrechamp.documents.models import Document
from contrechamp.tips.models import Tip
from contrechamp.tips.services import receipt_normalise
from tests.tips import samples
from tests.tips.helpers import database_text, process_all, send

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 TipSenderSpecial/9.31"
HEADERS = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": f"{FORWARDED}, 192.0.2.9",
    "HTTP_X_REAL_IP": FORWARDED,
    "HTTP_USER_AGENT": AGENT,
    "HTTP_REFERER": "https://example.org/TipSenderSpecial",
}
TRACES = (ADDRESS, FORWARDED, "192.0.2.9", "TipSenderSpecial")


def tip_audit_entries(tip: Tip) -> list[AuditEntry]:
    documents = [str(i) for i in tip.documents.values_list("id", flat=True)]
    return list(
        AuditEntry.objects.filter(target_app="tips")
        | AuditEntry.objects.filter(target_app="documents", target_id__in=documents)
    )


@pytest.mark.django_db(transaction=True)
def test_no_address_agent_or_account_is_kept_in_the_database_nor_logged(
    client, contributor, caplog
):
    client.force_login(contributor)
    caplog.set_level(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        response, code = send(
            client,
            files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")],
            **HEADERS,
        )
        assert code
        follow = client.post(reverse("tip-follow"), {"code": code}, **HEADERS)
        assert follow.status_code == 200
        # A wrong code and a refused file write their own lines, if any.
        client.post(reverse("tip-follow"), {"code": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}, **HEADERS)
        send(client, files=[("x.html", b"<html><body>x</body></html>", "text/html")], **HEADERS)
    # What the requests wrote in the audit log, before the worker processes the file.
    from_requests = set(AuditEntry.objects.values_list("id", flat=True))
    process_all()
    dump = database_text()
    assert "Des cameras VSA" in dump  # the dump does read the tables
    for trace in TRACES:
        assert trace not in dump, trace
        assert trace not in caplog.text, trace
    tip = Tip.objects.get()
    # The day only.
    assert not hasattr(tip, "created_at")
    (document,) = tip.documents.all()
    assert document.uploaded_by is None
    # The audit log records the tip and its document, without actor nor origin.
    entries = tip_audit_entries(tip)
    assert entries, "the tip's writes are in the audit log"
    assert all(e.actor_id is None and e.origin == "" for e in entries)
    # The day only there too, the worker's processing of the file included (it came a few
    # minutes after the tip and told its time to an administrator: a new user's walk).
    assert {e.id for e in entries} > (from_requests & {e.id for e in entries})
    assert [
        (e.action, e.target_model, timezone.localtime(e.when).time())
        for e in entries
        if timezone.localtime(e.when).time() != time(0, 0)
    ] == []
    # And in the file's own row and its processing steps (durations stay).
    document.refresh_from_db()
    times = [document.created_at, document.updated_at, document.processed_at]
    for step in document.steps.all():
        times += [t for t in (step.started_at, step.finished_at) if t is not None]
        assert step.duration_ms is not None
    assert {timezone.localtime(t).time() for t in times} == {time(0, 0)}
    assert not AuditEntry.objects.filter(actor_id=contributor.id, target_app="tips").exists()
    # Nor in clear, nor normalised, is the receipt code anywhere.
    assert code not in dump and receipt_normalise(code) not in dump


@pytest.mark.django_db
def test_a_logged_in_contributor_is_not_linked_to_the_tip_they_send(
    contributor_client, contributor
):
    response, code = send(
        contributor_client,
        files=[("a.pdf", samples.pdf_with_metadata(), "application/pdf")],
    )
    assert code
    document = Document.objects.get()
    assert document.uploaded_by is None
    # Their own list of documents does not show it (it would if it were theirs).
    listing = contributor_client.get(reverse("document-list"))
    assert document.title not in listing.content.decode()
    assert contributor_client.get(document.get_absolute_url()).status_code == 404
    # Still logged in: the form did not log them out, and it says the tip is not linked.
    response = contributor_client.get(reverse("tip-create"))
    assert response.wsgi_request.user == contributor


@pytest.mark.usefixtures("english")
@pytest.mark.django_db
def test_the_form_asks_for_no_email_and_says_an_account_is_not_linked(client):
    with translation.override("en"):
        page = client.get(reverse("tip-create")).content.decode()
    assert 'type="email"' not in page and 'name="email"' not in page
    assert "not linked to your account" in page
    assert 'enctype="multipart/form-data"' in page and "multiple" in page


@pytest.mark.django_db
def test_the_pages_of_the_sender_are_not_cached(client):
    response, code = send(client)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    follow = client.post(reverse("tip-follow"), {"code": code})
    assert "no-store" in follow["Cache-Control"] or "private" in follow["Cache-Control"]


@pytest.mark.django_db
def test_every_page_links_to_the_tip_form_from_its_footer(client):
    for url in ("/", reverse("document-list"), reverse("deployment-list")):
        page = client.get(url).content.decode()
        footer = page[page.index("<footer") :]
        assert f'href="{reverse("tip-create")}"' in footer, url


@pytest.mark.django_db(transaction=True)
def test_the_queue_and_the_disk_keep_the_day_only_of_a_tips_file(client, settings, tmp_path):
    """A new user's walk read the minute a tip was sent in the admin's task results (the
    queue's row of its file: queued, started, finished) and on the disk (the file's time,
    kept in the backup's archive)."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from contrechamp.documents import files

    settings.MEDIA_ROOT = str(tmp_path)
    response, code = send(client, files=[("a.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")])
    assert code
    document = Document.objects.get()
    (queued,) = DBTaskResult.objects.all()
    assert timezone.localtime(queued.enqueued_at).time() == time(0, 0)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    document.refresh_from_db()
    assert document.status == "done"
    times = [
        (row.enqueued_at, row.started_at, row.finished_at) for row in DBTaskResult.objects.all()
    ]
    assert times == [], "the queue keeps the minute of a tip's file"
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    from django.core.files.storage import default_storage

    paths = [files.original_path(document.sha256)]
    folder = files.derived_folder(document.sha256)
    paths += [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
    assert len(paths) > 1, paths
    import os

    assert {os.stat(default_storage.path(p)).st_mtime for p in paths} == {midnight.timestamp()}


@pytest.mark.django_db(transaction=True)
def test_other_tasks_rows_stay_until_pruned(settings, tmp_path):
    """The rows of other tasks stay (why a task failed can be read), a week at most."""
    import datetime as dt

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from contrechamp.documents.services import document_ingest
    from contrechamp.ops.tasks import task_results_prune

    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.base import ContentFile

    document_ingest(
        data=ContentFile(samples.pdf_with_metadata(), name="a.pdf"), filename="a.pdf", title="A"
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (row,) = DBTaskResult.objects.all()
    assert row.finished_at is not None
    assert task_results_prune.call() == 0
    DBTaskResult.objects.update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert task_results_prune.call() == 1 and not DBTaskResult.objects.exists()
