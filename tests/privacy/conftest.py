# The library's own fixtures: files and the search index of each test in its own folder.
from tests.documents.conftest import library  # noqa: F401
