import pytest
from django.core.cache import caches

# The library's own fixture: files and the search index of each test in their own folder.
from tests.documents.conftest import library  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_limits(request, settings):
    """Rate-limit counters start at zero in each test (the cache may be a table)."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    caches[settings.RATE_LIMIT_CACHE].clear()
    yield
    caches[settings.RATE_LIMIT_CACHE].clear()
