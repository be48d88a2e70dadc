"""Sending a file the library already holds tells the sender nothing they may not know
(not the id nor the address of someone else's private document) and changes nothing
of that document: an e-mail that attaches a copy of it does not take it over."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contrechamp.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

TEXT = "Compte rendu du conseil municipal de Nice : extension de la vidéoprotection."
# Made once: the same bytes each time they are sent.
PDF = samples.text_pdf([TEXT])
DRONES = samples.text_pdf(["Délibération : drones."])


@pytest.fixture
def private(other_contributor) -> Document:
    return add(PDF, "cr.pdf", uploaded_by=other_contributor)


def _upload(client: Client, data: bytes, **headers: str):
    return client.post(
        "/documents/envoi/",
        {"files": SimpleUploadedFile("copie.pdf", data), "origin": "other"},
        **headers,
    )


def test_a_copy_of_someone_elses_private_document_reveals_nothing(client, contributor, private):
    client.force_login(contributor)
    response = _upload(client, PDF, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    (result,) = response.json()["results"]
    body = response.content.decode()
    assert "id" not in result and "url" not in result, result
    assert f"/documents/{private.id}/" not in body and str(private.id) not in result.values()
    assert result["duplicate"] is True and result["message"]
    # Still stored once: the content hash keeps deduplicating.
    assert Document.objects.count() == 1

    response = _upload(client, PDF, follow=True)
    assert f"/documents/{private.id}/" not in response.content.decode()


def test_a_copy_of_a_document_one_may_read_links_to_it(client, other_contributor, private):
    client.force_login(other_contributor)
    (result,) = _upload(client, PDF, HTTP_ACCEPT="application/json").json()["results"]
    assert result == {
        "file": "copie.pdf",
        "id": private.id,
        "url": f"/documents/{private.id}/",
        "duplicate": True,
    }


def test_an_email_attaching_an_existing_document_does_not_take_it_over(
    client, contributor, private
):
    mail = add(
        samples.eml("voir pièce jointe", PDF, filename="cr.pdf"),
        "fwd.eml",
        uploaded_by=contributor,
    )
    private.refresh_from_db()
    assert private.parent_id is None
    assert not mail.children.exists()
    assert Document.objects.count() == 2

    # One already attached to an e-mail keeps that e-mail as its parent.
    first = add(
        samples.eml("premier envoi", DRONES),
        "first.eml",
    )
    (child,) = first.children.all()
    add(
        samples.eml("second envoi", DRONES),
        "second.eml",
        uploaded_by=contributor,
    )
    child.refresh_from_db()
    assert child.parent_id == first.id


def test_a_copy_sent_with_a_place_does_not_rewrite_someone_elses_document(
    client, contributor, other_contributor, reviewer, private
):
    """A new user's walk sent a deliberation of Grenoble again with Nice as its place:
    the document became Grenoble's and Nice's, and its review offered Nice's
    deployments. Another person's copy changes nothing; the first sender's and a
    reviewer's add their place, as before."""
    from contrechamp.places.models import Commune

    Document.objects.filter(id=private.id).update(is_public=True)  # one they may read
    private.places.add(Commune.objects.get(code="06088"))

    def send(user, place):
        client.force_login(user)
        return client.post(
            "/documents/envoi/",
            {"files": SimpleUploadedFile("copie.pdf", PDF), "origin": "other", "place": place},
            HTTP_ACCEPT="application/json",
        )

    assert send(contributor, "38185").status_code == 200
    assert sorted(private.places.values_list("code", flat=True)) == ["06088"]
    send(other_contributor, "69123")
    send(reviewer, "13055")
    assert sorted(private.places.values_list("code", flat=True)) == ["06088", "13055", "69123"]


def test_a_place_added_by_sending_a_file_again_is_said(client, other_contributor, private):
    """A walk sent a deliberation of Grenoble again with Toulouse as its place: Toulouse
    was added, and the answer said only "already in the library"."""
    client.force_login(other_contributor)  # the first sender: their place is added

    def send(place, **headers):
        return client.post(
            "/documents/envoi/",
            {"files": SimpleUploadedFile("copie.pdf", PDF), "origin": "other", "place": place},
            **headers,
        )

    (result,) = send("31555", HTTP_ACCEPT="application/json").json()["results"]
    assert result["places_added"] == "Toulouse" and "Toulouse" in result["message"]
    assert list(private.places.values_list("code", flat=True)) == ["31555"]
    # Sent again with the same place: nothing added, nothing said of it.
    (result,) = send("31555", HTTP_ACCEPT="application/json").json()["results"]
    assert "places_added" not in result and "message" not in result
    # The form without its script: the message says it too.
    page = send("69123", follow=True).content.decode()
    assert "Lyon a été ajouté à ses lieux" in page.replace("\u2019", "'")


def test_the_confirmation_names_the_document_by_the_title_typed(client, contributor):
    """A walk typed a title and read "deliberation-nice-lapi.pdf ajouté": the title is
    what the uploader will look for in the library."""
    client.force_login(contributor)
    response = client.post(
        "/documents/envoi/",
        {
            "files": SimpleUploadedFile("deliberation-nice-lapi.pdf", DRONES),
            "origin": "other",
            "title": "Délibération sur les drones",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    body = response.content.decode()
    assert "« Délibération sur les drones » (deliberation-nice-lapi.pdf) ajouté" in body.replace(
        "\u00a0", " "
    ).replace("&laquo;", "«").replace("&raquo;", "»")
