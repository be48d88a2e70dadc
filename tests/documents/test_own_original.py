"""A contributor opens the original of a document she uploaded herself (its file, its
pages' images and text), and no other: another contributor, a member of her group, a
visitor, someone who sent the same file again, her own account once deleted or disabled,
a guessed id, the page images' addresses, the API and what a cache kept all stay shut.
The tests that she opens it failed on the code before (originals were the reviewers'
only)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.accounts.services import account_delete
from contrechamp.documents import files, permissions
from contrechamp.documents.models import Document
from contrechamp.groups import services as groups
from contrechamp.places.models import Commune
from tests.conftest import TwoFactorClient
from tests.documents import samples
from tests.documents.conftest import add, publish

pytestmark = pytest.mark.django_db

NAME = "Jean-Baptiste Vautrin"
TEXT = f"Courrier de M. {NAME}, 12 rue des Lilas, sur les caméras du marché de Brignoles."
OTHER_TEXT = "Note interne sur les capteurs sonores du quartier de Tarentaize."


def _client(user: User | None) -> TwoFactorClient:
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client


def _urls(document_id: int) -> list[str]:
    return [
        f"/documents/{document_id}/original/",
        f"/documents/{document_id}/pages/1.png",
        f"/documents/{document_id}/pages/1.png?version=published",
        f"/api/v1/documents/{document_id}",
        f"/api/v1/documents/{document_id}/pages/1",
    ]


def _answer(client, url: str) -> tuple[int, str, str]:
    """What tells one answer from another without its address: status, type, redirect."""
    response = client.get(url)
    return response.status_code, response.get("Content-Type", ""), response.get("Location", "")


@pytest.fixture
def letter(contributor):
    """Camille's own upload, not published: a letter that names a private person."""
    return add(samples.text_pdf([TEXT]), "courrier.pdf", uploaded_by=contributor)


@pytest.fixture
def others(other_contributor):
    """Dominique's upload, not published, sent right after Camille's (the next id)."""
    return add(samples.text_pdf([OTHER_TEXT]), "note.pdf", uploaded_by=other_contributor)


def test_the_uploader_opens_and_downloads_her_own_original_and_its_pages(
    contributor, letter, english
):
    client = _client(contributor)
    assert permissions.may_download_original(contributor, letter)
    assert permissions.owns_original(contributor, letter)
    original = client.get(f"/documents/{letter.id}/original/")
    assert original.status_code == 200
    assert original["Content-Disposition"].startswith("attachment")
    assert b"".join(original.streaming_content) == files.original(letter)
    # Neither kept by the browser on a shared computer nor by a cache on the way.
    assert original["Cache-Control"] == "private, no-store"
    image = client.get(f"/documents/{letter.id}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert image["Cache-Control"] == "private, no-store"
    answer = client.get(f"/documents/{letter.id}/?page=1")
    assert answer["Cache-Control"] == "private, no-store"  # her original's text on it
    page = answer.content.decode()
    # Her pages, their text and the download, and why she sees them.
    assert NAME in page and f"/documents/{letter.id}/pages/1.png" in page
    assert f"/documents/{letter.id}/original/" in page
    assert 'id="own-original"' in page and "because you uploaded" in page
    assert 'id="awaiting-publication"' not in page


def test_the_page_says_in_french_why_she_sees_it(contributor, letter):
    client = _client(contributor)
    page = client.get(f"/documents/{letter.id}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "parce que vous avez envoyé ce document" in page
    assert "parce que vous l’avez envoyé" in page


def test_nobody_else_but_reviewers_opens_it(
    contributor, other_contributor, newcomer, reviewer, administrator, letter, others
):
    """Another contributor, a member of the same group, a visitor: the 404 of an id that
    does not exist, on every address of the original (page, image, file, API)."""
    lyon = groups.group_create(
        creator=contributor, name="Technopolice Lyon", communes=[Commune.objects.get(code="69123")]
    )
    asked = groups.membership_request(group=lyon, user=newcomer)
    groups.membership_approve(membership=asked, by=contributor)
    missing = Document.objects.order_by("-id").first().id + 1000
    for user in (other_contributor, newcomer, None):
        client = _client(user)
        viewer = user or AnonymousUser()
        assert not permissions.may_download_original(viewer, letter)
        for url, absent in zip(_urls(letter.id), _urls(missing), strict=True):
            assert _answer(client, url)[0] == 404, (user, url)
            assert _answer(client, url)[0] == _answer(client, absent)[0]
        detail = client.get(f"/documents/{letter.id}/?page=1")
        assert detail.status_code == 404 and NAME not in detail.content.decode()
    for user in (reviewer, administrator):
        assert _client(user).get(f"/documents/{letter.id}/original/").status_code == 200


def test_her_own_uploads_open_no_one_elses_by_a_guessed_id(contributor, letter, others):
    """The next id is Dominique's upload: Camille gets what an id that does not exist
    gives, on every address."""
    assert others.id == letter.id + 1
    client = _client(contributor)
    missing = Document.objects.order_by("-id").first().id + 1000
    for url, absent in zip(_urls(others.id), _urls(missing), strict=True):
        assert _answer(client, url) == _answer(client, absent), url
    assert OTHER_TEXT not in client.get(f"/documents/{others.id}/?page=1").content.decode()


def test_sending_the_same_file_again_does_not_make_her_its_uploader(
    contributor, other_contributor, letter
):
    """Dominique uploads the very bytes of Camille's letter: the library keeps one
    document, Camille's; Dominique learns it is there, never its id, and opens nothing."""
    client = _client(other_contributor)
    data = files.original(letter)
    response = client.post(
        "/documents/envoi/",
        {"files": [SimpleUploadedFile("copie.pdf", data)], "origin": "other"},
        HTTP_ACCEPT="application/json",
    )
    [result] = response.json()["results"]
    assert result["duplicate"] and "id" not in result
    letter.refresh_from_db()
    assert letter.uploaded_by_id == contributor.id
    assert not permissions.may_download_original(other_contributor, letter)
    assert client.get(f"/documents/{letter.id}/original/").status_code == 404


@pytest.mark.parametrize("how", ["deleted", "disabled"])
def test_her_account_deleted_or_disabled_opens_nothing_even_what_was_cached(
    contributor, letter, how
):
    """The image of her page was rendered and kept on the server's disk for her; then her
    account is deleted (its row stays, named as the uploader) or disabled by an
    administrator. A session left open on another computer, or the account object
    itself, opens nothing any more."""
    client = _client(contributor)
    assert client.get(f"/documents/{letter.id}/pages/1.png").status_code == 200
    if how == "deleted":
        account_delete(user=contributor)
    else:
        User.objects.filter(id=contributor.id).update(is_active=False)
    account = User.objects.select_related("profile").get(id=contributor.id)
    assert Document.objects.get(id=letter.id).uploaded_by_id == account.id
    assert not permissions.may_download_original(account, letter)
    assert not permissions.owns_original(account, letter)
    for url in _urls(letter.id):
        assert client.get(url).status_code == 404, url
    # Even logged in again as that row (a session forced on it): nothing.
    forced = TwoFactorClient()
    forced.force_login(account)
    for url in _urls(letter.id)[:3]:
        assert forced.get(url).status_code == 404, url


def test_a_reviewer_made_contributor_again_keeps_her_own_and_loses_the_others(reviewer, letter):
    own = add(
        samples.text_pdf(["Compte rendu de la commission vidéoprotection."]),
        "cr.pdf",
        uploaded_by=reviewer,
    )
    reviewer.profile.role = "contributor"
    reviewer.profile.save(update_fields=["role"])
    demoted = User.objects.get(id=reviewer.id)
    client = _client(demoted)
    assert client.get(f"/documents/{own.id}/original/").status_code == 200
    assert client.get(f"/documents/{letter.id}/original/").status_code == 404
    assert client.get(f"/documents/{letter.id}/pages/1.png").status_code == 404


def test_once_published_others_get_the_redacted_copy_and_she_her_original(
    contributor, other_contributor, reviewer, letter
):
    """Published with the name redacted: Dominique's image, text and API are the
    published copy's (the name nowhere). Camille's page shows it as everyone reads it
    (what she checks), and says her original is still hers: she downloads it and opens
    its pages' images."""
    publish(letter, reviewer)
    assert letter.is_public
    page = letter.pages.get(number=1)
    assert NAME in page.text and NAME not in page.published_text
    camille, dominique = _client(contributor), _client(other_contributor)
    theirs = dominique.get(f"/documents/{letter.id}/pages/1.png")
    published = camille.get(f"/documents/{letter.id}/pages/1.png?version=published")
    hers = camille.get(f"/documents/{letter.id}/pages/1.png")
    assert theirs.status_code == published.status_code == hers.status_code == 200
    assert theirs.content == published.content != hers.content
    assert theirs["Cache-Control"] == "private, max-age=3600"
    assert hers["Cache-Control"] == "private, no-store"
    theirs_page = dominique.get(f"/documents/{letter.id}/?page=1").content.decode()
    assert NAME not in theirs_page and f"/documents/{letter.id}/original/" not in theirs_page
    page = camille.get(f"/documents/{letter.id}/?page=1").content.decode()
    assert NAME not in page and 'id="own-original"' in page
    assert f"/documents/{letter.id}/pages/1.png?version=published" in page
    assert f"/documents/{letter.id}/original/" in page
    assert dominique.get(f"/documents/{letter.id}/original/").status_code == 404
    api = dominique.get(f"/api/v1/documents/{letter.id}/pages/1").json()
    assert NAME not in api["text"]
    assert dominique.get(f"/api/v1/documents/{letter.id}").json()["sha256"] is None
    assert camille.get(f"/documents/{letter.id}/original/").status_code == 200
