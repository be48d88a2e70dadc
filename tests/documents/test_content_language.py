"""On the English page of a document, its title and its text are marked as French (the
language of what people send: `CONTENT_LANGUAGE`), as the deployments' pages mark what
people wrote (a new user's walk)."""

import pytest
from django.test import Client, override_settings

from contrechamp.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import add, publish
from tests.html_lang import unmarked

pytestmark = pytest.mark.django_db

TEXT = "Délibération du conseil municipal sur les capteurs sonores de Saint-Étienne."
TITLE = "Délibération sur les capteurs sonores"


@pytest.fixture
def published(contributor, reviewer) -> Document:
    document = add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)
    publish(document, reviewer)
    Document.objects.filter(id=document.id).update(title=TITLE)
    return document


def test_an_english_document_page_marks_its_title_and_text_french(published, reviewer):
    for client in (Client(), Client()):
        html = client.get(
            f"/documents/{published.id}/?page=1", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert '<html lang="en"' in html and "capteurs sonores de Saint" in html
        assert unmarked(html, [TITLE, "capteurs sonores de Saint"]) == []
        client.force_login(reviewer)  # the second, a reviewer's page


@override_settings(CONTENT_LANGUAGE="en")
def test_a_text_in_the_pages_language_is_not_marked(published):
    html = Client().get(f"/documents/{published.id}/?page=1", HTTP_ACCEPT_LANGUAGE="en")
    main = html.content.decode().split("<main", 1)[1]
    assert "capteurs sonores de Saint" in main and ' lang="fr"' not in main
