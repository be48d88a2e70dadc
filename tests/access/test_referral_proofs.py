"""The referral letter lists the proofs of sending and receipt; a file without them says
so, on the page and in the PDF (a new user's walk: the letter promised proofs the file
did not hold). The receipt's date and the administration's acknowledgement are told
apart (the page said "Received: 2 October", then that no acknowledgement was recorded)."""

import datetime as dt

import pymupdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.access import services
from contrechamp.access.models import AccessRequest
from tests.access.test_requests import DRAFT
from tests.documents import samples

pytestmark = pytest.mark.django_db


def _refused(client, **sending) -> AccessRequest:
    client.post("/demandes/nouvelle/", DRAFT)
    request = AccessRequest.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        response = client.post(
            f"/demandes/{request.id}/envoi/",
            {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12", **sending},
        )
        assert response.status_code == 302
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    return request


def _file_text(client, request) -> str:
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        response = client.get(f"/demandes/{request.id}/saisine.pdf")
    assert response.status_code == 200
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        return " ".join(" ".join(page.get_text().split()) for page in pdf)


def test_a_file_without_proofs_says_which_to_join(contributor_client):
    request = _refused(contributor_client)
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    missing = page.split('id="missing-proofs">')[1].split("</p>")[0]
    assert "preuve d’envoi" in missing and "preuve de réception" in missing
    text = _file_text(contributor_client, request)
    assert "Pièces à joindre vous-même" in text and "preuve d’envoi ; preuve de réception" in text
    # The acknowledgement is the administration's letter, which a date does not replace.
    assert "Aucun accusé de réception de l’administration" in page


def test_a_file_with_its_proofs_says_nothing_missing(contributor_client):
    proof = SimpleUploadedFile("recommande.pdf", samples.text_pdf(["Preuve de dépôt 1A 234"]))
    request = _refused(contributor_client, proof=proof)
    contributor_client.post(
        f"/demandes/{request.id}/preuves/",
        {
            "file": SimpleUploadedFile("ar.pdf", samples.text_pdf(["Avis de réception 1A 234"])),
            "kind": "receipt",
        },
    )
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    assert 'id="referral-file"' in page and 'id="missing-proofs"' not in page
    text = _file_text(contributor_client, request)
    assert "Avis de réception 1A 234" in text and "Pièces à joindre" not in text
