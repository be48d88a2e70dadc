"""Hostile review 59: a source citing the site's own library document by its address
("/documents/4/", typed or pasted) rather than through the library's "cite" button.

The registry knows which document such a source names (it hides the link until the
document is published), but the citation's quote is shown whole to everyone: the quote
rule of a library document (`documents.quotes.public_quote`: nothing before the
document is published, afterwards only the passages its published copy holds) is applied
only to a source tied to the document by its foreign key. A contributor who copies a
sentence of a private upload (its original text, with the name of the resident that
redaction is there to remove) into the quote of a source typed as "/documents/4/"
publishes that sentence on the deployment's page, in the API and in the dump, before the
document is reviewed or published, and whatever its redaction later removes.

Each test fails on the code it was written against."""

from __future__ import annotations

import hashlib

import pytest

from contrechamp.documents.models import Document, Page
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db
SITE = "https://contrechamp.example.org"
# A sentence of the private original: a resident's name that redaction removes.
QUOTE = "Mme Sophie Leroy, riveraine, a vu installer la caméra VSA devant chez elle"


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _private_document() -> Document:
    document = Document.objects.create(
        sha256=hashlib.sha256(b"courrier-riveraine").hexdigest(),
        size=1,
        filename="courrier.pdf",
        title="Courrier d'une riveraine",
        is_public=False,
        origin="other",
        status="done",
    )
    Page.objects.create(document=document, number=1, text=QUOTE + ".", published_text="")
    return document


def _deployment(reviewer, source: dict):
    citation = {"source": source, "quote": QUOTE, "locator": "p. 1", "accessed_on": None}
    return deployment_create(
        data=deployment_data(title="Caméra VSA devant un immeuble", citations=[citation]),
        author=reviewer,
    )


@pytest.mark.parametrize(
    "address",
    [
        "/documents/{n}/",
        f"{SITE}/documents/{{n}}/?page=1",
        "http://contrechamp.example.org/documents/{n}/original/",
    ],
)
def test_the_quote_of_a_private_document_cited_by_its_address_is_not_public(
    client, reviewer, address
):
    private = _private_document()
    source = {
        "title": "Courrier",
        "publisher": "",
        "url": address.format(n=private.id),
        "published_on": "",
    }
    deployment = _deployment(reviewer, source)
    assert deployment.citations.get().source.site_document.number == private.id
    client.logout()
    page = client.get(deployment.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/deployments/{deployment.slug}").content.decode()
    leaked = [where for where, text in (("page", page), ("API", api)) if "Sophie Leroy" in text]
    assert leaked == [], leaked


def test_the_same_quote_cited_through_the_document_is_not_public(client, reviewer):
    """The rule the address form escapes: the same quote, cited by the document's own
    link (the 'cite' button), is shown to nobody but reviewers before publication. (This
    one passes: it is the comparison.)"""
    private = _private_document()
    source = {
        "title": "Courrier",
        "publisher": "",
        "url": "",
        "published_on": "",
        "document": private.id,
    }
    deployment = _deployment(reviewer, source)
    client.logout()
    page = client.get(deployment.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/deployments/{deployment.slug}").content.decode()
    assert "Sophie Leroy" not in page and "Sophie Leroy" not in api
