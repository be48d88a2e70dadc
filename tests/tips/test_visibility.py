"""A tip and its documents are the reviewers' alone: visitors and contributors find
them nowhere (list, search, document pages, originals, API), reviewers do."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.documents.models import Document
from tests.conftest import TwoFactorClient
from tests.tips import samples
from tests.tips.helpers import process_all, send

WORD = "videosurveillance"


def probes(document: Document) -> dict[str, str]:
    return {
        "list": reverse("document-list"),
        "search": reverse("search") + f"?q={WORD}",
        "detail": document.get_absolute_url(),
        "original": reverse("document-original", args=[document.id]),
        "api-list": "/api/v1/documents",
        "api-detail": f"/api/v1/documents/{document.id}",
        "api-search": f"/api/v1/search?q={WORD}",
    }


def seen(client: Client, document: Document) -> list[str]:
    found = []
    for name, url in probes(document).items():
        response = client.get(url)
        if response.streaming:
            raw = b"".join(response.streaming_content)  # type: ignore[arg-type]
        else:
            raw = response.content
        body = raw.decode("utf-8", "replace") if response.status_code == 200 else ""
        if document.title in body or f'"id": {document.id}' in body or "lot 2" in body:
            found.append(name)
        if name in ("detail", "original", "api-detail") and response.status_code == 200:
            found.append(name)
    return sorted(set(found))


@pytest.mark.django_db
def test_visitors_and_contributors_find_a_tips_documents_nowhere(
    client, contributor_client, reviewer
):
    send(client, files=[("contrat.pdf", samples.pdf_with_metadata(), "application/pdf")])
    process_all()
    document = Document.objects.get()
    assert document.status == "done" and document.pages.get().indexed
    assert seen(Client(), document) == []
    assert seen(contributor_client, document) == []
    staff = TwoFactorClient()
    staff.force_login(reviewer)
    # The probes can see: a reviewer finds it in the list, search, page and original.
    assert {"list", "search", "detail", "original"} <= set(seen(staff, document))
    for visitor in (Client(), contributor_client):
        assert visitor.get(reverse("tip-queue")).status_code == 404
