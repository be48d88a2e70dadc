"""Hostile review 54: the CADA referral file and the proofs kept with a request.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import datetime as dt

import pymupdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.test_referral_proofs import _refused
from tests.documents import samples

pytestmark = pytest.mark.django_db

PROOFS = {
    # The receipt as the post office's site gives it, opened with a password.
    "protected": samples.encrypted_pdf(),
    # A download cut short.
    "truncated": samples.text_pdf(["Avis de réception 1A 234"])[:400],
    # Something that starts as a PDF and is not one.
    "broken": b"%PDF-1.7\n" + b"\x00garbage" * 50,
}


@pytest.mark.parametrize("proof", list(PROOFS))
def test_one_unreadable_proof_does_not_take_the_referral_file_down(contributor_client, proof):
    """A requester keeps a proof of receipt that the site accepts (it is sniffed as a
    PDF, never opened) but that cannot be read. From then on the CADA referral file —
    which must reach the CADA within two months of the refusal — answers 500 to the
    requester and to every reviewer, and no page can remove the proof (there is no
    delete for proofs). The written refusal is joined with a note when it cannot be
    read (`_join_decision`); a proof is not."""
    request = _refused(contributor_client)
    response = contributor_client.post(
        f"/demandes/{request.id}/preuves/",
        {"file": SimpleUploadedFile("ar.pdf", PROOFS[proof]), "kind": "receipt"},
    )
    assert response.status_code == 302
    kept = request.attachments.count()
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        response = contributor_client.get(f"/demandes/{request.id}/saisine.pdf")
    # Kept, and named in the file in its place: the rest of the file comes.
    assert kept == 1
    assert response.status_code == 200, response.status_code
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        text = " ".join(" ".join(page.get_text().split()) for page in pdf)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "La pièce « ar.pdf » (preuve de réception) n’a pas pu être jointe" in text
    assert "Saisine de la CADA" in text or "CADA" in text
