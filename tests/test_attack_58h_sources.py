"""Walk 58h: a deployment's source citing one of the site's own library documents by its
address ("/documents/4/", an unpublished upload). The form took it, the queue showed it
with no warning, and visitors of the published deployment, the API and the dump got a
link answering "not found". Each test fails on the code before the fix."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse

from contrechamp.api.serializers import source_url
from contrechamp.documents.models import Document
from contrechamp.registry.models import Deployment, Source
from contrechamp.registry.proposals import deployment_submit
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field

pytestmark = pytest.mark.django_db
SITE = "https://contrechamp.example.org"


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _document(title: str = "Convention VSA (brouillon)", *, public: bool = False) -> Document:
    return Document.objects.create(
        sha256=hashlib.sha256(title.encode()).hexdigest(),
        size=1,
        filename="convention.pdf",
        title=title,
        is_public=public,
        origin="other",
        status="done",
    )


def _citing(url: str, title: str = "Convention avec le prestataire") -> dict:
    return {
        "source": {"title": title, "publisher": "Ville", "url": url, "published_on": ""},
        "quote": "",
        "locator": "",
        "accessed_on": None,
    }


def _published_citing(url: str, reviewer, title: str = "Caméras citant la bibliothèque"):
    return deployment_create(
        data=deployment_data(title=title, citations=[_citing(url)]), author=reviewer
    )


def _source_of(deployment: Deployment) -> Source:
    return deployment.citations.get().source


def test_a_relative_address_of_a_library_document_is_accepted_and_known(reviewer):
    """Typed as the address bar shows it on the site, it was refused as "not a web
    address"; typed whole it was kept as a plain link to whatever host SITE_URL named."""
    private = _document()
    relative = _published_citing(f"/documents/{private.id}/", reviewer, title="Relative")
    whole = _published_citing(f"{SITE}/documents/{private.id}/?page=2#x", reviewer, title="Whole")
    assert _source_of(relative).url == f"/documents/{private.id}/"
    # Stored relative to the site: SITE_URL may change, the library stays.
    assert _source_of(whole).url == f"/documents/{private.id}/?page=2"
    assert _source_of(relative).site_document.number == private.id


@pytest.mark.parametrize(
    "typed",
    [
        "https://contrechamp.example.org.evil.test/documents/{n}/",
        "https://contrechamp.example.org@evil.test/documents/{n}/",
        "https://evil.test/documents/{n}/",
        "//evil.test/documents/{n}/",
        "ftp://contrechamp.example.org/documents/{n}/",
        "https://contrechamp.example.org:8443/documents/{n}/",
    ],
)
def test_another_host_is_no_library_document(typed, reviewer):
    private = _document()
    from contrechamp.registry.sitelinks import site_document

    url = typed.format(n=private.id)
    assert site_document(url) is None
    if not url.startswith("//") and not url.startswith("ftp"):
        # Kept as the other site's address it is.
        assert _source_of(_published_citing(url, reviewer)).url == url


@pytest.mark.parametrize(
    "typed",
    [
        # Any page of the document names it, and is stored as its page.
        "/documents/{n}/corriger/",
        "/documents/{n}/pages/3.png",
        "https://CONTRECHAMP.example.org:443/documents/{n}",
        "http://contrechamp.example.org/documents/{n}/original/",
        # Read as the server and the browser read it.
        "/documents/{encoded}/",
        "/documents/999999/../{n}/",
        "/documents/{n}/./",
    ],
)
def test_trailing_parts_and_disguises_still_name_the_document(typed, client, reviewer):
    private = _document()
    encoded = "".join(f"%{ord(c):02X}" for c in str(private.id))
    deployment = _published_citing(typed.format(n=private.id, encoded=encoded), reviewer)
    source = _source_of(deployment)
    assert source.site_document is not None and source.site_document.number == private.id
    assert source.url.startswith(f"/documents/{private.id}/")
    # Whatever the disguise, visitors get no link to the private document.
    html = _source_html(client.get(deployment.get_absolute_url()).content.decode())
    assert "<a " not in html


def _source_html(html: str) -> str:
    start = html.index('id="source-1"')
    return html[start : html.index("</li>", start)]


def test_visitors_see_no_dead_link_and_the_link_lives_once_published(client, reviewer):
    private = _document()
    deployment = _published_citing(f"{SITE}/documents/{private.id}/", reviewer)
    html = _source_html(client.get(deployment.get_absolute_url()).content.decode())
    assert "<a " not in html
    assert "document not yet published" in html or "pas encore publié" in html
    api = client.get(f"/api/v1/deployments/{deployment.slug}").json()
    assert api["citations"][0]["source"]["url"] is None
    assert source_url(_source_of(deployment).url, None, None) is None

    Document.objects.filter(id=private.id).update(is_public=True)
    html = _source_html(client.get(deployment.get_absolute_url()).content.decode())
    assert f'href="/documents/{private.id}/"' in html
    assert "pas encore publié" not in html and "not yet published" not in html
    api = client.get(f"/api/v1/deployments/{deployment.slug}").json()
    assert api["citations"][0]["source"]["url"] == f"{SITE}/documents/{private.id}/"


def test_the_list_api_and_the_csv_give_no_address_of_a_private_document(client, reviewer):
    private = _document()
    deployment = _published_citing(f"/documents/{private.id}/", reviewer)
    page = client.get("/api/v1/deployments", {"q": deployment.title}).json()
    mine = [d for d in page["results"] if d["slug"] == deployment.slug]
    assert mine and mine[0]["citations"][0]["source"]["url"] is None
    csv = b"".join(client.get(reverse("export-csv")).streaming_content).decode()
    row = next(line for line in csv.splitlines() if deployment.slug in line)
    assert f"/documents/{private.id}/" not in row
    assert "Convention avec le prestataire" in row


def test_the_dump_gives_no_address_of_a_private_document(reviewer, tmp_path):
    from django.core.management import call_command

    private = _document()
    deployment = _published_citing(f"/documents/{private.id}/", reviewer)
    out = tmp_path / "dump.json"
    call_command("dump", "--output", str(out))
    text = out.read_text()
    assert deployment.slug in text
    assert f"/documents/{private.id}/" not in text


@pytest.mark.parametrize("case", ["deleted", "never"])
def test_a_deleted_or_missing_document_is_no_link_and_says_the_same(case, client, reviewer):
    """A missing and a private document are told alike: the words would otherwise tell
    anyone which numbers are private uploads."""
    gone = _document("Note supprimée")
    number = gone.id if case == "deleted" else gone.id + 1000
    deployment = _published_citing(f"/documents/{number}/", reviewer)
    if case == "deleted":
        Document.objects.filter(id=gone.id).delete()
    html = _source_html(client.get(deployment.get_absolute_url()).content.decode())
    assert "<a " not in html
    assert "document not yet published" in html or "pas encore publié" in html
    api = client.get(f"/api/v1/deployments/{deployment.slug}").json()
    assert api["citations"][0]["source"]["url"] is None


def test_the_form_warns_beside_the_source_and_after_saving(client, contributor):
    private = _document()
    client.force_login(contributor)
    url = reverse("deployment-create")
    fields = form_fields(client.get(url).content.decode())
    for name, value in {
        "title": "Caméras de la gare",
        "communes": "69123",
        "technologies": "vsa",
        "status": "deployed",
        "citations-0-source_title": "Convention",
        "citations-0-url": f"/documents/{private.id}/",
    }.items():
        set_field(fields, name, value)
    response = client.post(url, fields, follow=True)
    assert response.status_code == 200
    deployment = Deployment.objects.get(title="Caméras de la gare")
    html = response.content.decode()
    assert f"document {private.id}" in html and ("not published" in html or "pas publié" in html)
    edit = client.get(reverse("deployment-edit", args=[deployment.slug])).content.decode()
    assert 'class="notice unpublished-document"' in edit


def test_the_queue_warns_of_a_source_citing_a_private_document(client, newcomer, reviewer):
    private = _document()
    draft = deployment_create(
        data=deployment_data(
            title="Proposé par Noa",
            is_published=False,
            citations=[_citing(f"{SITE}/documents/{private.id}/")],
        ),
        author=newcomer,
    )
    deployment_submit(deployment=draft, author=newcomer)
    client.force_login(reviewer)
    html = client.get(reverse("moderation-queue")).content.decode()
    assert "warning-unpublished_document" in html
    # Published meanwhile: nothing left to warn about.
    Document.objects.filter(id=private.id).update(is_public=True)
    html = client.get(reverse("moderation-queue")).content.decode()
    assert "warning-unpublished_document" not in html
    assert json.dumps("Proposé par Noa")[1:-1] in html or "Proposé par Noa" in html
