# The library's own fixtures: files and the search index in the test's folder, Tesseract.
from tests.documents.conftest import library, tesseract  # noqa: F401
