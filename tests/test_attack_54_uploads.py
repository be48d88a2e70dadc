"""Hostile review 54: uploads and the library's processing.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.documents import services as document_services
from contrechamp.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import library  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = samples.text_pdf(["Compte rendu du conseil municipal de Nice : vidéoprotection."])


def test_two_people_sending_the_same_file_at_once_both_get_an_answer(
    client, contributor, other_contributor, monkeypatch
):
    """Two contributors send the same council minutes at the same moment (they were
    mailed to the whole collective). Both check the library, find nothing, and store the
    file; the second `Document.objects.create` hits the unique content hash. The worker
    of the second answers 500 (IntegrityError) instead of "already in the library", and
    in a batch of several files the ones after it are lost.

    The interleaving is made deterministic: the other person's upload lands between the
    check for an existing copy and the creation of the row (where `files.touch` runs)."""
    real_touch = document_services.files.touch
    raced = []

    def touch(path):
        if not raced:
            raced.append(True)
            # The other person's request, committed meanwhile.
            document_services.document_ingest(
                data=PDF, filename="cr-conseil.pdf", uploaded_by=other_contributor
            )
        return real_touch(path)

    monkeypatch.setattr(document_services.files, "touch", touch)
    client.force_login(contributor)
    response = client.post(
        "/documents/envoi/",
        {"files": SimpleUploadedFile("copie.pdf", PDF), "origin": "other"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["duplicate"] is True
    assert Document.objects.count() == 1
