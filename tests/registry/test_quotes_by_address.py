"""A quote of a library document cited by the document's address ("/documents/4/", typed
or pasted in any of the forms a browser opens) obeys the library's quote rule exactly as
a quote cited through the "cite" button: nothing outside the readers of originals before
the document is published, afterwards only the passages its published (redacted) copy
holds, nothing again once it is withdrawn or deleted. Hostile review 59: by address, the
private original's sentence, with a resident's name, was public on the deployment's
page, its history, the API and the dump."""

from __future__ import annotations

import hashlib
import re

import pytest

from contrechamp.documents.models import Document, Page
from contrechamp.documents.services import document_delete
from contrechamp.redaction.services import (
    document_publish,
    document_unpublish,
    redactions_accept_all,
    redactions_suggest,
)
from contrechamp.registry.models import Citation
from contrechamp.registry.quotes import citation_quote
from contrechamp.registry.services import deployment_create
from contrechamp.registry.sitelinks import site_document
from tests.documents import samples
from tests.documents.conftest import add
from tests.factories import deployment_data
from tests.redaction.test_source_titles import _public_places

pytestmark = pytest.mark.django_db
SITE = "https://contrechamp.example.org"
NAME = "Sophie Leroy"
# A sentence of the private original: a resident's name, which redaction removes.
QUOTE = f"Mme {NAME}, riveraine, a vu installer la caméra VSA devant chez elle"


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = SITE
    # The site's other names: a "www." name, and every subdomain of an old domain.
    settings.ALLOWED_HOSTS = [
        "contrechamp.example.org",
        "www.contrechamp.example.org",
        ".ancien-contrechamp.example",
        "testserver",
    ]
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


def _citing(url: str, reviewer, quote: str = QUOTE, locator: str = "p. 1"):
    citation = {
        "source": {"title": "Courrier", "publisher": "", "url": url, "published_on": ""},
        "quote": quote,
        "locator": locator,
        "accessed_on": None,
    }
    return deployment_create(
        data=deployment_data(title="Caméra VSA devant un immeuble", citations=[citation]),
        author=reviewer,
    )


def _leaks(places: dict[str, str], words: str = NAME) -> list[str]:
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    return [where for where, text in places.items() if re.search(pattern, text, re.I)]


ADDRESSES = [
    # The reviewer's forms.
    "/documents/{n}/",
    SITE + "/documents/{n}/?page=1",
    "http://contrechamp.example.org/documents/{n}/original/",
    # Percent-encoded: the path, the host.
    "/documents/{encoded}/",
    "https://contrechamp%2Eexample%2Eorg/documents/{n}/",
    # Another host name of the site (ALLOWED_HOSTS), and a subdomain of a ".domain" one.
    "https://www.contrechamp.example.org/documents/{n}/",
    "https://WWW.Contrechamp.Example.org./documents/{n}/?page=1",
    "https://observatoire.ancien-contrechamp.example/documents/{n}/",
    # A trailing fragment.
    "/documents/{n}/#page=1",
    SITE + "/documents/{n}/?page=1#:~:text=Sophie",
    # Backslashes, which a browser reads as slashes.
    "https://www.contrechamp.example.org\\documents\\{n}\\",
]


@pytest.mark.parametrize("typed", ADDRESSES)
def test_a_private_documents_quote_cited_by_any_address_is_shown_to_nobody(typed, client, reviewer):
    private = _private_document()
    encoded = "".join(f"%{ord(c):02X}" for c in str(private.id))
    deployment = _citing(typed.format(n=private.id, encoded=encoded), reviewer)
    source = deployment.citations.get().source
    # Known as the site's document, whatever the form, and stored as its page.
    assert source.url.startswith(f"/documents/{private.id}/"), source.url
    places = _public_places(deployment)
    assert _leaks(places) == []
    assert "installer la caméra" not in places[deployment.get_absolute_url()]
    # The page says a passage is withheld, rather than nothing.
    assert "withheld" in places[deployment.get_absolute_url()]
    # A reviewer reads the quote whole, as for a quote cited through the button.
    client.force_login(reviewer)
    assert NAME in client.get(deployment.get_absolute_url()).content.decode()


def test_a_contributor_editing_it_reads_the_quote_withheld_and_keeps_it(
    client, reviewer, contributor
):
    """The edit form showed the quote whole to any contributor; it now shows what they
    may read of it, read-only, and saving the form gives the stored quote back."""
    private = _private_document()
    deployment = _citing(f"/documents/{private.id}/", reviewer)
    client.force_login(contributor)
    form = client.get(f"{deployment.get_absolute_url()}modifier/").content.decode()
    assert NAME not in form
    assert "quote_kept" in form


@pytest.mark.parametrize("other", ["https://autre-observatoire.example/documents/{n}/"])
def test_a_site_answering_to_any_host_takes_no_other_sites_document_for_its_own(
    other, settings, reviewer
):
    """ALLOWED_HOSTS = "*": another observatory's published document is its own link,
    and its quote is shown as typed."""
    settings.ALLOWED_HOSTS = ["*"]
    private = _private_document()
    url = other.format(n=private.id)
    assert site_document(url) is None
    deployment = _citing(url, reviewer)
    assert deployment.citations.get().source.url == url
    assert citation_quote(None, deployment.citations.get()) == QUOTE
    # Nor another port of the site's host: another service.
    assert (
        site_document(f"https://www.contrechamp.example.org:8443/documents/{private.id}/") is None
    )


LETTER = (
    "Courrier au maire de Lyon.\n"
    "Mme Sophie Leroy, riveraine, a vu installer la caméra VSA devant chez elle.\n"
    "La caméra filme la rue Garibaldi depuis le mois de mars."
)


def test_after_publication_only_passages_of_the_redacted_copy_are_shown(reviewer, contributor):
    """Published with the resident's name redacted: the passage naming her is never
    shown, the one the published copy holds is; withdrawn, or deleted, neither is."""
    letter = add(samples.text_pdf([LETTER]), "courrier.pdf", uploaded_by=contributor)
    named = _citing(f"{SITE}/documents/{letter.id}/?page=1", reviewer)
    plain = _citing(
        f"/documents/{letter.id}/#page=1",
        reviewer,
        quote="La caméra filme la rue Garibaldi depuis le mois de mars.",
    )
    assert _leaks(_public_places(named)) == []
    assert _leaks(_public_places(plain), "rue Garibaldi") == []

    redactions_suggest(document=letter)
    redactions_accept_all(document=letter, user=reviewer)
    publication = document_publish(document=letter, user=reviewer)
    assert publication.accepted, publication.reasons
    assert NAME not in " ".join(letter.pages.values_list("published_text", flat=True))
    assert _leaks(_public_places(named)) == []
    assert _leaks(_public_places(plain), "rue Garibaldi") != []

    document_unpublish(document=letter)
    assert _leaks(_public_places(plain), "rue Garibaldi") == []

    # A source by address does not hold the document: its deletion goes on, and the
    # quote is no more shown than the document it came from.
    document_delete(document=Document.objects.get(id=letter.id), user=reviewer)
    assert not Document.objects.filter(id=letter.id).exists()
    for deployment in (named, plain):
        citation = Citation.objects.get(deployment=deployment)
        assert citation_quote(None, citation) == ""
    assert _leaks(_public_places(plain), "rue Garibaldi") == []
    assert _leaks(_public_places(named)) == []
