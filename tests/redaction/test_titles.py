"""Titles of documents (file names, e-mail subjects) are read for personal data like
pages, the reviewer decides each suggestion, and the published title never carries what
was redacted: not on the document's page, in the list, in search or in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contrechamp.documents.models import Document
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, public_title, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

SUBJECT = "RE: Plainte de Mme Nadia Belkacem — caméra rue de la Buffa"


@pytest.fixture
def complaint() -> Document:
    return add(
        samples.text_pdf(["La caméra de la rue de la Buffa filme des fenêtres."]),
        "plainte.pdf",
        title=SUBJECT,
    )


def _titles(document: Document):
    return Redaction.objects.filter(title_of=document)


def test_it_suggests_what_the_title_holds(complaint):
    redactions_suggest(document=complaint)
    assert [(r.kind, r.text, r.status) for r in _titles(complaint)] == [
        ("person", "Nadia Belkacem", "suggested")
    ]
    (name,) = _titles(complaint)
    assert SUBJECT[name.start : name.end] == "Nadia Belkacem" and name.rects == []


def test_a_file_name_is_a_title_too():
    document = add(
        samples.text_pdf(["Dépôt sauvage signalé boulevard de l'Ariane."]),
        "signalement_Karim_Benali_0671234590.pdf",
    )
    redactions_suggest(document=document)
    assert ("phone", "0671234590") in {(r.kind, r.text) for r in _titles(document)}


def test_the_reviewer_decides_and_the_published_title_is_redacted(client, reviewer, complaint):
    client.force_login(reviewer)
    client.post(f"/documents/{complaint.id}/caviardage/detecter/", {"page": "1"})
    (name,) = _titles(complaint)
    screen = client.get(f"/documents/{complaint.id}/caviardage/").content.decode()
    assert f'id="redaction-{name.id}"' in screen and "Nadia Belkacem" in screen

    response = client.post(f"/caviardages/{name.id}/", {"decision": "accept", "seen": name.status})
    assert response.status_code == 302
    name.refresh_from_db()
    assert name.status == "accepted"
    # The public title offered for publication is already redacted.
    screen = client.get(f"/documents/{complaint.id}/caviardage/").content.decode()
    assert 'value="RE: Plainte de Mme […] — caméra rue de la Buffa"' in screen

    # Even a reviewer who types the title again, in other capitals, publishes it redacted.
    response = client.post(
        f"/documents/{complaint.id}/publier/",
        {"title": "Plainte de Mme nadia  BELKACEM, caméra rue de la Buffa"},
    )
    complaint.refresh_from_db()
    assert complaint.is_public, complaint.publications.first().reasons
    assert complaint.title == "Plainte de Mme […], caméra rue de la Buffa"

    client.logout()
    for path in (
        f"/documents/{complaint.id}/",
        "/documents/",
        f"/api/v1/documents/{complaint.id}",
        "/api/v1/search?q=Buffa",
        "/api/v1/search?q=Belkacem",
    ):
        page = client.get(path).content.decode()
        assert "Belkacem" not in page and "BELKACEM" not in page, path
    assert "Buffa" in client.get(f"/documents/{complaint.id}/").content.decode()


def test_an_undecided_suggestion_on_the_title_holds_the_publication_back(complaint):
    redactions_suggest(document=complaint)
    with translation.override("en"), pytest.raises(ValidationError, match="title"):
        document_publish(document=complaint, no_redactions=True)
    complaint.refresh_from_db()
    assert not complaint.is_public and complaint.title == SUBJECT


def test_a_name_redacted_on_a_page_is_redacted_in_the_title_too():
    document = add(
        samples.text_pdf(["Réponse à Mme Nadia Belkacem au sujet de la caméra."]),
        "reponse-belkacem.pdf",
        title="Réponse à Nadia Belkacem",
    )
    redactions_suggest(document=document)
    _titles(document).delete()  # nothing suggested on the title: the page decides
    Redaction.objects.filter(page__document=document).update(status="accepted")
    assert public_title(document) == "Réponse à […]"
    assert public_title(document, "Réponse à  NADIA belkacem (2025)") == "Réponse à […] (2025)"


def test_a_title_suggestion_kept_readable_stays_in_the_title(complaint):
    redactions_suggest(document=complaint)
    _titles(complaint).update(status="rejected")
    publication = document_publish(document=complaint, no_redactions=True)
    assert publication.accepted, publication.reasons
    complaint.refresh_from_db()
    assert complaint.title == SUBJECT


def test_decisions_on_the_title_survive_a_new_detection_and_accept_all_takes_the_title(
    client, reviewer, complaint
):
    redactions_suggest(document=complaint)
    redactions_suggest(document=complaint)
    assert _titles(complaint).count() == 1
    _titles(complaint).update(status="rejected")
    redactions_suggest(document=complaint)
    assert [r.status for r in _titles(complaint)] == ["rejected"]

    _titles(complaint).delete()
    redactions_suggest(document=complaint)
    client.force_login(reviewer)
    client.post(f"/documents/{complaint.id}/caviardage/tout-accepter/")
    assert [r.status for r in _titles(complaint)] == ["accepted"]
