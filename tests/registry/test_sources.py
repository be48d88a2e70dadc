"""A source tied to a library document is reached only through that document: typing
its title and publisher on another citation makes a separate source, so nobody links a
claim to a private document they cannot read, and a page never meets a citation it
cannot show."""

import hashlib

import pytest
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.registry.models import Citation, Deployment, Source
from contrechamp.registry.services import camera_count_create, deployment_create
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _document(title: str, *, public: bool) -> Document:
    return Document.objects.create(
        sha256=hashlib.sha256(title.encode()).hexdigest(),
        size=1,
        filename="note.pdf",
        title=title,
        is_public=public,
        origin="other",
        status="done",
    )


def _cites(document: Document) -> dict:
    return {
        "source": {
            "document": document.id,
            "title": document.title,
            "publisher": "Préfecture",
            "url": "",
            "published_on": "",
        },
        "quote": "extrait",
        "locator": "p. 1",
        "accessed_on": None,
    }


def _typed(title: str, publisher: str = "Préfecture") -> dict:
    return {
        "source": {"title": title, "publisher": publisher, "url": "", "published_on": ""},
        "quote": "recopié",
        "locator": "",
        "accessed_on": None,
    }


def test_it_never_links_a_typed_title_and_publisher_to_a_library_document(reviewer):
    private = _document("Note interne préfecture VSA", public=False)
    deployment_create(
        data=deployment_data(title="brouillon", is_published=False, citations=[_cites(private)]),
        author=reviewer,
    )
    # Typed as the document's source reads, whatever title it gives the document.
    title = Source.objects.get(document=private).title
    typed = deployment_create(
        data=deployment_data(title="Autre", citations=[_typed(title)]), author=None
    )
    count = camera_count_create(
        commune_code="06088", count=3, date="2024", citations=[_typed(title)], author=None
    )
    assert typed.citations.get().source.document_id is None
    assert count.citations.get().source.document_id is None
    assert Source.objects.filter(document=private).count() == 1
    # Two typed citations of the same title and publisher still share one source.
    assert typed.citations.get().source_id == count.citations.get().source_id


def test_a_contributor_typing_a_private_documents_title_does_not_cite_it(
    client, contributor, reviewer
):
    private = _document("Note interne préfecture VSA", public=False)
    deployment_create(
        data=deployment_data(title="brouillon", is_published=False, citations=[_cites(private)]),
        author=reviewer,
    )
    title = Source.objects.get(document=private).title
    published = Deployment.objects.published().first()
    client.force_login(contributor)
    url = reverse("deployment-edit", args=[published.slug])
    fields = form_fields(client.get(url).content.decode())
    n = int(fields["citations-TOTAL_FORMS"][0])
    i = next(k for k in range(n) if not fields.get(f"citations-{k}-source_title", [""])[0])
    set_field(fields, f"citations-{i}-source_title", title)
    set_field(fields, f"citations-{i}-publisher", "Préfecture")
    set_field(fields, f"citations-{i}-quote", "n'importe quoi")
    assert client.post(url, fields).status_code == 302
    assert Citation.objects.filter(deployment=published, source__title=title).exists()
    assert not Citation.objects.filter(deployment=published, source__document=private).exists()


def test_nor_a_typed_url_to_a_library_documents_source(reviewer):
    private = _document("Note interne", public=False)
    cited = _cites(private)
    cited["source"]["url"] = "https://example.org/note"
    deployment_create(
        data=deployment_data(title="brouillon", is_published=False, citations=[cited]),
        author=reviewer,
    )
    typed = _typed("Note")
    typed["source"]["url"] = "https://example.org/note"
    other = deployment_create(data=deployment_data(title="Autre", citations=[typed]), author=None)
    assert other.citations.get().source.document_id is None
