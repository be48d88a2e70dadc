"""What people wrote (French) is marked as French on the English pages: a screen reader
read "Caméras augmentées" with an English voice, and a browser offered no translation of
the one part it needed (the walk of the thirty-third session)."""

import re

import pytest
from django.test import Client, override_settings

from contrechamp.registry.models import Deployment

pytestmark = pytest.mark.django_db

SAINT_ETIENNE = "/dispositifs/soft-capteurs-sonores-a-tarentaize-beaubrun-couriot/"


def _page(path: str, language: str) -> str:
    return Client().get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_an_english_deployment_page_marks_its_title_description_and_sources_french():
    html = _page(SAINT_ETIENNE, "en")
    assert '<html lang="en"' in html
    assert re.search(r'<h1 lang="fr">[^<]*Tarentaize', html)
    assert '<div class="description" lang="fr">' in html
    assert '<ol class="sources" lang="fr">' in html
    # The interface around it stays English, unmarked.
    assert re.search(r"<h2 id=\"sources\">Sources</h2>", html)


def test_a_french_page_marks_nothing():
    html = _page(SAINT_ETIENNE, "fr")
    assert '<html lang="fr"' in html
    assert re.search(r"<h1>[^<]*Tarentaize", html)
    assert 'lang="fr"' not in html.split("<main", 1)[1].split('class="page-text"')[0]


def test_the_lists_and_search_mark_titles_on_english_pages():
    title = Deployment.objects.published().get(slug=SAINT_ETIENNE.split("/")[2]).title
    listing = _page("/dispositifs/?q=capteurs", "en")
    assert re.search(r'<h3 lang="fr"><a href="[^"]+">' + re.escape(title), listing)
    home = _page("/", "en")
    assert ' lang="fr">' in home


@override_settings(CONTENT_LANGUAGE="en")
def test_content_in_the_pages_language_is_not_marked():
    html = _page(SAINT_ETIENNE, "en")
    assert re.search(r"<h1>[^<]*Tarentaize", html)
    assert '<h1 lang="fr">' not in html
