"""The data page tells a reader who wants the full dump where to ask, and what the
procurement watch publishes (a walk found a dead end: "ask the administrator", with no
contact anywhere, and the watch behind a log-in without a word)."""

import pytest

pytestmark = pytest.mark.django_db


def test_without_a_contact_the_data_page_points_to_the_legal_notice(client, settings):
    settings.CONTACT_EMAIL = ""
    page = client.get("/a-propos/donnees/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'id="no-contact"' in page and 'href="/mentions-legales/"' in page
    assert 'id="watch-not-public"' in page and "DECP" in page


def test_with_a_contact_it_gives_the_address(client, settings):
    settings.CONTACT_EMAIL = "observatoire@example.org"
    page = client.get("/a-propos/donnees/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "mailto:observatoire@example.org" in page and 'id="no-contact"' not in page
    assert "are sorted by reviewers and are not published as such" in page


def test_the_data_page_says_what_the_codes_mean(client):
    """A walk found `unlawful`, `experimenting` and `lapi` in the CSV and no page saying
    what they mean."""
    page = client.get("/a-propos/donnees/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="codes"' in page
    assert "<code>unlawful</code></td><td>ruled unlawful</td>" in page
    assert "<code>lapi</code>" in page and "<code>videosurveillance</code>" in page
    french = client.get("/a-propos/donnees/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<code>unlawful</code></td><td>jugé illégal" in french
