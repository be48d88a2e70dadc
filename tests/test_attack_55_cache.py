"""Hostile review 55: an original's page image in the browser's cache (failed on the
code before its mending)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_image_of_an_originals_page_is_not_kept_in_the_reviewers_browser_cache(
    client, reviewer, settings, tmp_path
):
    """Every page made for a signed-in person is `private, no-store` (the security
    middleware: "nor shown again by the back button after log-out on a shared
    computer"), and the original's download too. The rendered page of an original,
    which shows every name before redaction, is sent `private, max-age=3600`: kept on
    the shared computer's disk an hour after the reviewer logged out, at the same
    address the public image has."""
    from tests.documents import samples
    from tests.documents.conftest import add

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    private = add(
        samples.text_pdf(["Courrier de M. Jean-Baptiste Vautrin, 12 rue des Lilas, Brignoles."]),
        filename="courrier.pdf",
    )
    assert not private.is_public
    client.force_login(reviewer)
    response = client.get(f"/documents/{private.id}/pages/1.png")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]
