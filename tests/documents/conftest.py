import pytest

from contrechamp.documents.models import Document
from contrechamp.documents.services import document_ingest, document_process
from tests.conftest import have, require


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    """Files and the search index of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return tmp_path


@pytest.fixture
def tesseract():
    require(have("tesseract"), "Tesseract OCR (apt-get install tesseract-ocr tesseract-ocr-fra)")


def add(data: bytes, filename: str = "file", **options) -> Document:
    """Ingest and process a file here, as the worker would."""
    document = document_ingest(data=data, filename=filename, **options).document
    document = document_process(document=document)
    for child in document.children.all():
        document_process(document=child)
    document.refresh_from_db()
    return document


def review_for_publication(document: Document, reviewer) -> None:
    """Every redaction suggested on `document`, reviewed as accepted: ready to publish."""
    from contrechamp.redaction.models import Redaction
    from contrechamp.redaction.services import redactions_suggest

    redactions_suggest(document=document)
    Redaction.objects.filter(page__document=document, status="suggested").update(
        status="accepted", reviewed_by=reviewer
    )


def publish(document: Document, reviewer) -> object:
    """Review every redaction suggested on `document` as accepted and publish it, as a
    reviewer would; the publication, asserted accepted."""
    from contrechamp.redaction.services import document_publish

    review_for_publication(document, reviewer)
    publication = document_publish(document=document, user=reviewer, no_redactions=True)
    assert publication.accepted, publication.reasons
    document.refresh_from_db()
    return publication


def files_of(library, document: Document) -> list:
    """The files on disk (under the test's media folder) named by the document's hash."""
    return [p for p in (library / "media").rglob("*") if p.is_file() and document.sha256 in str(p)]
