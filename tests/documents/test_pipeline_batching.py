"""The pipeline's bookkeeping made light: one commit of the search index for many
documents (and an index still whole when a worker dies before that commit), the language
model loaded once per process, and `documents add --wait` saying when it loads it."""

import io

import pytest
from django.core.management import call_command

from contrechamp.documents import search, services
from contrechamp.documents.models import Document, Page, Step
from contrechamp.documents.search import Viewer, search_pages
from contrechamp.documents.services import document_ingest, document_process
from contrechamp.documents.tasks import document_process_task
from contrechamp.lib import text
from tests.documents import samples

pytestmark = pytest.mark.django_db

EVERYONE = Viewer(sees_all=True)


@pytest.fixture(autouse=True)
def tantivy(settings):
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_INDEX_BATCH_PAGES = 10_000
    settings.SEARCH_INDEX_BATCH_SECONDS = 3600


@pytest.fixture
def commits(monkeypatch):
    """How many times the index writer was opened (each ends with one commit)."""
    count = {"n": 0}
    real = search._Tantivy.writer

    def counting(self):
        count["n"] += 1
        return real(self)

    monkeypatch.setattr(search._Tantivy, "writer", counting)
    return count


@pytest.fixture
def without_entities(monkeypatch):
    monkeypatch.setattr(services, "STEPS", [s for s in services.STEPS if s[0] != "entities"])


def folder_of_minutes(tmp_path, count):
    folder = tmp_path / "minutes"
    folder.mkdir()
    for n in range(count):
        pages = [f"Séance {n} page {p} : délibération motclef{n} sur la voirie." for p in (1, 2)]
        (folder / f"minutes-{n}.pdf").write_bytes(samples.text_pdf(pages))
    return folder


def test_documents_added_together_are_indexed_in_one_commit(tmp_path, commits, without_entities):
    folder = folder_of_minutes(tmp_path, 4)
    search._tantivy().clear()
    commits["n"] = 0
    call_command("documents", "add", str(folder), "--wait", stdout=io.StringIO())
    assert commits["n"] == 1
    assert Document.objects.filter(status="done").count() == 4
    assert not Page.objects.filter(indexed=False).exists()
    for n in range(4):
        hits = search_pages(f"motclef{n}", viewer=EVERYONE)
        assert sorted(h.number for h in hits) == [1, 2]


def test_a_document_processed_on_its_own_is_found_at_once(commits, without_entities):
    data = samples.text_pdf(["Arrêté préfectoral autorisant les caméras piétons."])
    document = document_process(document=document_ingest(data=data, filename="a.pdf").document)
    assert document.status == "done"
    assert [h.number for h in search_pages("caméras piétons", viewer=EVERYONE)] == [1]


def test_a_worker_killed_before_the_commit_leaves_the_index_whole_and_resume_completes_it(
    monkeypatch, without_entities
):
    engine = search._tantivy()
    first = document_ingest(
        data=samples.text_pdf(["Premier arrêté : lecture automatisée des plaques.", "Annexe."]),
        filename="first.pdf",
    ).document
    second = document_ingest(
        data=samples.text_pdf(["Second arrêté : hypervision urbaine.", "Annexe bis."]),
        filename="second.pdf",
    ).document
    assert document_process(document=first, batch_index=True).status == "done"

    # The worker dies in the middle of the second document, after its index step: the
    # step after it is the last thing it does.
    def killed(document):
        raise SystemExit("killed")

    monkeypatch.setattr(services, "STEPS", [*services.STEPS, ("entities", killed)])
    with pytest.raises(SystemExit):
        document_process(document=second, batch_index=True)
    monkeypatch.setattr(services, "STEPS", services.STEPS[:-1])
    # What was waiting for the commit dies with the process.
    engine.pending.clear()
    assert Step.objects.get(document=second, name="index").status == "done"

    # Nothing half-written: neither document is in the index, no page is marked indexed.
    assert search_pages("arrêté", viewer=EVERYONE) == []
    assert not Page.objects.filter(indexed=True).exists()

    # The next worker starts by resuming: the second document is queued again, and the
    # pages of both reach the index, each page once.
    Document.objects.filter(id=second.id).update(lease_until=None)
    assert services.documents_resume() == 1
    hits = search_pages("arrêté", viewer=EVERYONE)
    assert sorted((h.document_id, h.number) for h in hits) == [(first.id, 1), (second.id, 1)]
    assert not Page.objects.filter(indexed=False).exists()
    second = document_process(document=Document.objects.get(id=second.id))
    assert second.status == "done"
    assert len(search_pages("annexe", viewer=EVERYONE)) == 2


def test_the_index_flush_reads_documents_as_they_are_at_the_commit(without_entities):
    document = document_ingest(
        data=samples.text_pdf(["Convention de financement du FIPD."]), filename="c.pdf"
    ).document
    document = document_process(document=document, batch_index=True)
    doomed = document_ingest(
        data=samples.text_pdf(["Convention supprimée avant le commit."]), filename="d.pdf"
    ).document
    document_process(document=doomed, batch_index=True)
    doomed.delete()  # deleted while it waited for the commit
    assert search.index_flush() == 1
    assert [h.document_id for h in search_pages("convention", viewer=EVERYONE)] == [document.id]


@pytest.fixture
def loads(monkeypatch):
    """spaCy pipelines loaded by this process from now on."""
    import spacy

    count = {"n": 0}
    real = spacy.load

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(spacy, "load", counting)
    monkeypatch.setattr(text, "_nlp", None)
    return count


def test_the_worker_loads_the_language_model_once_for_many_documents(loads):
    ids = [
        document_ingest(
            data=samples.text_pdf([f"Le conseil municipal de Nice, séance {n}."]),
            filename=f"{n}.pdf",
        ).document.id
        for n in range(2)
    ]
    for document_id in ids:
        assert document_process_task.call(document_id) == "done"
    assert loads["n"] == 1
    # The queue is empty after the last one: the index is committed.
    assert len(search_pages("conseil municipal", viewer=EVERYONE)) == 2


def test_add_wait_says_when_it_loads_the_language_model_and_only_then(tmp_path, loads):
    folder = folder_of_minutes(tmp_path, 1)
    err = io.StringIO()
    call_command("documents", "add", str(folder), "--wait", stdout=io.StringIO(), stderr=err)
    assert "Loading the language model" in err.getvalue()
    assert loads["n"] == 1

    second = tmp_path / "second.pdf"
    second.write_bytes(samples.text_pdf(["Une autre séance du conseil."]))
    err = io.StringIO()
    call_command("documents", "add", str(second), "--wait", stdout=io.StringIO(), stderr=err)
    assert "language model" not in err.getvalue()
    assert loads["n"] == 1
    assert Document.objects.filter(status="done").count() == 2


def test_add_wait_says_nothing_of_the_model_when_nothing_is_left_to_process(tmp_path, loads):
    folder = folder_of_minutes(tmp_path, 1)
    call_command("documents", "add", str(folder), stdout=io.StringIO())
    for document in Document.objects.all():
        document_process(document=document)
    loads["n"] = 0
    text._nlp = None
    err = io.StringIO()
    # The same file again: already in the library and processed.
    call_command("documents", "add", str(folder), "--wait", stdout=io.StringIO(), stderr=err)
    assert "language model" not in err.getvalue()
    assert loads["n"] == 0


def test_the_periodic_catch_up_reads_recent_documents_only(without_entities):
    from datetime import timedelta

    from django.utils import timezone

    from contrechamp.documents.tasks import documents_resume_task

    old = document_process(
        document=document_ingest(
            data=samples.text_pdf(["Ancien marché de vidéoprotection."]), filename="old.pdf"
        ).document,
        batch_index=True,
    )
    search._tantivy().pending.clear()  # its worker died before the commit, long ago
    Step.objects.filter(document=old, name="index").update(
        finished_at=timezone.now() - timedelta(days=3)
    )
    documents_resume_task.call()
    assert search_pages("marché", viewer=EVERYONE) == []
    # A worker starting reads the whole library.
    services.documents_resume()
    assert [h.document_id for h in search_pages("marché", viewer=EVERYONE)] == [old.id]
