"""The tantivy index is written after the database commits: a transaction that indexes
and then fails leaves nothing findable, one that commits is found."""

import pytest
from django.db import transaction

from contrechamp.documents import search
from contrechamp.documents.models import Document
from contrechamp.documents.search import (
    SearchFilters,
    Viewer,
    document_index,
    document_unindex,
    search_pages,
)
from contrechamp.documents.services import document_ingest, document_process
from contrechamp.lib.textsearch import query_words
from tests.documents import samples

pytestmark = pytest.mark.django_db

REVIEWER = Viewer(sees_all=True)
VISITOR = Viewer(sees_all=False)


@pytest.fixture(autouse=True)
def tantivy(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.SEARCH_BACKEND = "tantivy"


def _found(text, viewer=REVIEWER):
    return {h.document_id for h in search_pages(text, viewer=viewer, filters=SearchFilters())}


def _raw(text):
    """The index's own answer, before the rows are read."""
    hits, _words = search._tantivy().search(
        query_words(text),
        every=False,
        group=None,
        viewer=REVIEWER,
        filters=SearchFilters(),
        limit=10,
        offset=0,
    )
    return hits


class Boom(Exception):
    pass


def test_it_leaves_no_entry_when_the_transaction_rolls_back():
    with pytest.raises(Boom), transaction.atomic():
        document = document_ingest(
            data=samples.text_pdf(["Un drone de surveillance au-dessus du marché."]),
            filename="drone.pdf",
        ).document
        document_process(document=document)
        document_id = document.id
        raise Boom
    assert not Document.objects.filter(id=document_id).exists()
    assert _found("drone") == set()
    assert _raw("drone") == []  # nothing left in the index itself
    # On SQLite the rolled-back ids are given again: an entry left behind would now
    # point at this other document's page.
    other = document_ingest(
        data=samples.text_pdf(["Compte rendu du conseil municipal."]), filename="cr.pdf"
    ).document
    document_process(document=other)
    assert _found("drone") == set()
    assert _found("conseil") == {other.id}


def test_it_indexes_once_the_transaction_commits(django_capture_on_commit_callbacks):
    document = document_ingest(
        data=samples.text_pdf(["Des capteurs sonores sur la place du marché."]),
        filename="capteurs.pdf",
    ).document
    with django_capture_on_commit_callbacks(execute=False) as pending:
        with transaction.atomic():
            document_process(document=document)
        assert _found("capteurs") == set()  # not before the commit
    for callback in pending:
        callback()
    assert _found("capteurs") == {document.id}


def test_a_publication_rolled_back_is_not_searchable_by_visitors():
    document = document_ingest(
        data=samples.text_pdf(["Reconnaissance faciale au stade, note de Mme Dupont."]),
        filename="note.pdf",
    ).document
    document_process(document=document)
    with pytest.raises(Boom), transaction.atomic():
        document.pages.update(published_text="Reconnaissance faciale au stade, note de […].")
        Document.objects.filter(id=document.id).update(is_public=True)
        document.refresh_from_db()
        document_index(document)
        raise Boom
    assert _found("reconnaissance", viewer=VISITOR) == set()
    assert _found("reconnaissance") == {document.id}  # reviewers still find the original


def test_an_unindexing_rolled_back_keeps_the_entry():
    document = document_ingest(
        data=samples.text_pdf(["Vidéoprotection algorithmique à la gare."]),
        filename="gare.pdf",
    ).document
    document_process(document=document)
    with pytest.raises(Boom), transaction.atomic():
        document_unindex(document.id)
        raise Boom
    assert _found("gare") == {document.id}


def test_visitors_never_see_an_entry_the_rows_do_not_make_public():
    # An index written, then a withdrawal committed whose index write never happened
    # (the process died between the two): the rows decide.
    document = document_ingest(
        data=samples.text_pdf(["Caméras piétons de la police municipale."]),
        filename="pietons.pdf",
    ).document
    document_process(document=document)
    document.pages.update(published_text="Caméras piétons de la police municipale.")
    Document.objects.filter(id=document.id).update(is_public=True)
    document.refresh_from_db()
    document_index(document)
    assert _found("piétons", viewer=VISITOR) == {document.id}
    Document.objects.filter(id=document.id).update(is_public=False)
    assert _found("piétons", viewer=VISITOR) == set()
