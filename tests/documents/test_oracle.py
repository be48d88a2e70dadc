"""No URL tells who may not read a document whether it exists: every per-document (and
per-page, per-suggestion, per-redaction) URL answers a visitor and a contributor the
same for a private document and for an id that was never used."""

import re

import pytest
from django.urls import get_resolver

from contrechamp.documents.models import Document, Entity, Page
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add
from tests.privacy.test_crawl import _routes

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Délibération confidentielle du conseil municipal : vidéoprotection algorithmique, "
    "dossier suivi par Mme Zéphyrine Quintal, joignable au 06 98 76 54 32."
)
PARAMETERS = ("document_id", "entity_id", "redaction_id", "page_id")


@pytest.fixture
def private(reviewer):
    document = add(samples.text_pdf([PRIVATE]), "prive.pdf", uploaded_by=reviewer)
    redactions_suggest(document=document)
    assert document.status == "done" and not document.is_public
    return document


def _answer(client, method: str, url: str) -> tuple[int, str]:
    response = getattr(client, method)(url)
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("who", ["visitor", "contributor"])
def test_private_and_missing_ids_get_the_same_404_everywhere(request, client, private, who):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    existing = {
        "document_id": private.id,
        "entity_id": Entity.objects.filter(page__document=private).values_list("id", flat=True)[0],
        "redaction_id": Redaction.objects.filter(page__document=private).values_list(
            "id", flat=True
        )[0],
        "page_id": Page.objects.filter(document=private).values_list("id", flat=True)[0],
    }
    missing = {name: value + 100_000 for name, value in existing.items()}
    checked = []
    for route in _routes(get_resolver()):
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not set(names) & set(PARAMETERS) or not set(names) <= {*PARAMETERS, "number"}:
            continue

        def url(values: dict[str, int], route: str = route) -> str:
            return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m[1], 1)), route)

        for method in ("get", "post"):
            forbidden = _answer(client, method, url(existing))
            absent = _answer(client, method, url(missing))
            assert forbidden == absent, f"{method.upper()} {url(existing)}: {forbidden} {absent}"
            # Never a login redirect or a 403: 404, or 405 for a method the URL never takes.
            assert forbidden[0] in (404, 405), f"{method.upper()} {url(existing)}: {forbidden}"
            checked.append(url(existing))
    expected = [
        f"/documents/{private.id}/",
        f"/documents/{private.id}/pages/1.png",
        f"/documents/{private.id}/original/",
        f"/documents/{private.id}/publie.pdf",
        f"/documents/{private.id}/caviardage/",
        f"/documents/{private.id}/publier/",
        f"/api/v1/documents/{private.id}",
        f"/api/v1/documents/{private.id}/pages/1",
    ]
    assert set(expected) <= set(checked), set(expected) - set(checked)


@pytest.mark.parametrize("who", ["visitor", "contributor"])
def test_a_published_documents_original_and_review_are_404_for_others(
    request, client, private, who
):
    Redaction.objects.filter(page__document=private).update(status="accepted")
    assert document_publish(document=private).accepted
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get(f"/documents/{private.id}/").status_code == 200
    assert client.get(f"/documents/{private.id}/publie.pdf").status_code == 200
    missing = Document.objects.order_by("-id").first().id + 1000
    for path in ("original/", "caviardage/"):
        assert client.get(f"/documents/{private.id}/{path}").status_code == 404
        assert client.get(f"/documents/{missing}/{path}").status_code == 404
    assert client.post(f"/documents/{private.id}/depublier/").status_code == 404
    assert client.post(f"/documents/{missing}/depublier/").status_code == 404


def test_a_reviewer_still_downloads_the_original(client, reviewer, private):
    client.force_login(reviewer)
    response = client.get(f"/documents/{private.id}/original/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
