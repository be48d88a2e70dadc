"""An anonymous visitor walks every URL pattern the site exposes, with the ids of private
documents, of a published one, of their pages, redactions and entities: no response
holds a byte of an original or a word of unredacted text."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from contrechamp.documents import files
from contrechamp.documents.models import Entity, Page
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Délibération confidentielle. Le dossier de Mme Zéphyrine Quintal-Barbezieux, "
    "joignable au 06 98 76 54 32, porte sur la vidéoprotection du marché Xylophone."
)
PUBLISHED = (
    "Délibération du conseil municipal sur les capteurs sonores.\n"
    "Affaire suivie par : M. Anatole Vercingétorix, anatole.vercingetorix@mairie.example.fr."
)
SECRETS = [
    "Zéphyrine",
    "Quintal-Barbezieux",
    "06 98 76 54 32",
    "Xylophone",
    "Vercingétorix",
    "vercingetorix",
    "anatole.",
]


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route as a path() string ('documents/<int:document_id>/'); regular-expression
    routes without parameters are turned into their literal text."""
    found = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        text = str(pattern)
        if hasattr(pattern, "_regex"):  # a regular expression route
            text = text.lstrip("^").rstrip("$").replace("\\Z", "")
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", text)
            if re.search(r"[()\[\]\\*+?|]", text):
                continue
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + text)
        elif isinstance(entry, URLPattern):
            found.append(prefix + text)
    return found


def _urls(route: str, values: dict[str, list[str]]) -> set[str]:
    """The route with each parameter replaced by every value we hold for it."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    urls = {"/" + route}
    for name in names:
        candidates = values.get(name) or values["*"]
        urls = {
            re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            for url in urls
            for value in candidates
        }
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_an_anonymous_crawl_finds_no_original_and_no_unredacted_text(client, contributor):
    private = add(samples.text_pdf([PRIVATE]), "prive.pdf", uploaded_by=contributor)
    mail = add(
        samples.eml(PRIVATE, samples.text_pdf([PRIVATE + " Annexe."]), filename="annexe.pdf"),
        "reponse.eml",
    )
    published = add(samples.text_pdf([PUBLISHED, "Seconde page."]), "publie.pdf")
    redactions_suggest(document=published)
    Redaction.objects.filter(page__document=published).update(status="accepted")
    assert document_publish(document=published).accepted
    redactions_suggest(document=private)  # suggestions on a private document too

    documents = [private, mail, *mail.children.all(), published]
    ids = [str(d.id) for d in documents]
    originals = [files.original(d) for d in documents]
    values = {
        "document_id": ids,
        "object_id": ids,
        "pk": ids,
        "id": ids,
        "number": ["1", "2"],
        "entity_id": [str(i) for i in Entity.objects.values_list("id", flat=True)],
        "redaction_id": [str(i) for i in Redaction.objects.values_list("id", flat=True)],
        "page_id": [str(i) for i in Page.objects.values_list("id", flat=True)],
        "*": ids + ["x"],
    }
    suffixes = ["", "?page=1", "?page=2", "?version=published", "?format=json"]
    seen = 0
    for route in _routes(get_resolver()):
        for url in _urls(route, values):
            for suffix in suffixes:
                response = client.get(url + suffix)
                body = _body(response)
                seen += 1
                text = body.decode("utf-8", "replace")
                for secret in SECRETS:
                    assert secret not in text, f"{url + suffix} shows “{secret}”"
                for original in originals:
                    assert original not in body, f"{url + suffix} serves an original"
            # Posts (the review screen's writes among them) are refused or redisplay a
            # form; they show nothing either.
            response = client.post(url)
            assert response.status_code < 500, url
            for secret in SECRETS:
                assert secret not in _body(response).decode("utf-8", "replace"), url
    assert seen > 500
    # The published document was visible to the crawl, redacted.
    page = client.get(f"/documents/{published.id}/").content.decode()
    assert "capteurs sonores" in page
    # Nothing was written by the anonymous posts.
    assert not Redaction.objects.filter(kind="manual").exists()
    private.refresh_from_db()
    assert not private.is_public
