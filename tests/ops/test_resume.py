"""`documents_resume` decides from the documents' own rows what to queue again: never from
the task queue's tables, never twice for a document whose task is waiting, never one a
live worker holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contrechamp.documents import services
from contrechamp.documents.models import Document
from contrechamp.documents.services import document_ingest, document_process, documents_resume
from tests.documents import samples

pytestmark = pytest.mark.django_db

TASK = "contrechamp.documents.tasks.document_process_task"


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _document(text="Vidéoprotection au marché.") -> Document:
    return document_ingest(data=samples.text_pdf([text]), filename="a.pdf").document


def _tasks(document: Document) -> int:
    return sum(
        1
        for args in DBTaskResult.objects.filter(task_path=TASK).values_list(
            "args_kwargs", flat=True
        )
        if args["args"] == [document.id]
    )


def test_it_never_reads_the_task_queue_tables():
    _document()
    with CaptureQueriesContext(connection) as queries:
        documents_resume(release_leases=True)
    read = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert read and not [sql for sql in read if DBTaskResult._meta.db_table in sql]


def test_a_document_whose_task_waits_is_not_queued_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document()
    assert _tasks(document) == 1
    assert documents_resume() == 0
    assert documents_resume(release_leases=True) == 0  # a waiting task is no dead worker
    assert _tasks(document) == 1


def test_a_document_whose_task_was_lost_is_queued_again_once():
    document = _document()  # its enqueue never ran (the commit hook of the test is dropped)
    assert _tasks(document) == 0
    assert documents_resume() == 1
    assert documents_resume() == 0
    assert _tasks(document) == 1
    # Long after, the queue's hold ran out: queued again (a spare task does nothing).
    Document.objects.filter(id=document.id).update(lease_until=timezone.now())
    assert documents_resume() == 1


def test_a_document_held_by_a_live_worker_is_left_alone():
    document = _document()
    Document.objects.filter(id=document.id).update(
        status="processing", lease_until=timezone.now() + services.lease()
    )
    assert documents_resume() == 0
    # Only the machine's single worker may say the holder is dead.
    assert documents_resume(release_leases=True) == 1
    assert document_process(document=document).status == "done"


def test_a_spare_task_cannot_take_a_document_from_its_worker():
    document = _document()
    documents_resume()
    # A worker takes it; a second task for the same document arrives meanwhile.
    assert services._claim(document)
    assert document_process(document=document).status == "processing"
    assert not document.pages.exists()
