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
