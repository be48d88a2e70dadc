"""Hostile review 52c: the CADA referral file now joins, for the requester, the
originals of the decisions they filed. A file the library accepted but cannot read
(a damaged or password-protected PDF: answer_attach only sniffs its type) now breaks
the whole referral file for that requester: a 500 instead of the letter and proofs."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.access.models import AccessRequest
from tests.documents import samples

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "usual": ["0"],
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


@pytest.fixture
def sent(contributor_client):
    response = contributor_client.post("/demandes/nouvelle/", DRAFT)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    request.sent_on = dt.date(2026, 3, 10)
    request.received_on = dt.date(2026, 3, 12)
    request.status = "sent"
    request.save()
    return request


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.4\n" + b"\x00garbage" * 400 + b"\n%%EOF\n", id="damaged"),
        pytest.param(samples.encrypted_pdf(), id="password"),
    ],
)
def test_an_unreadable_refusal_filed_by_the_requester_does_not_break_their_referral_file(
    sent, contributor_client, data
):
    response = contributor_client.post(
        f"/demandes/{sent.id}/reponse/",
        {
            "files": [SimpleUploadedFile("refus.pdf", data)],
            "kind": "refusal",
            "date": "2026-04-05",
        },
    )
    # Accepted at filing (its type alone is checked there): the referral file is reached.
    assert response.status_code == 302 and sent.events.filter(kind="refusal").exists()
    contributor_client.raise_request_exception = False
    response = contributor_client.get(f"/demandes/{sent.id}/saisine.pdf")
    # The letter, the request and the proofs come whatever the refusal's file: a file
    # that cannot be joined is left out (or named), the rest is served.
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    import io

    import pymupdf

    with pymupdf.open(stream=io.BytesIO(response.content), filetype="pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
    # Said, for the requester to join their own copy.
    assert "5 avril 2026" in text and "n’a pas pu être jointe" in text
