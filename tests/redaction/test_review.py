"""Redaction review as a reviewer does it, and what everyone else then reads: only the
published copy, in pages, images, search, API and citations."""

import pymupdf
import pytest

from contrechamp.documents.models import Document, Entity, Page, Publication
from contrechamp.places.models import Commune
from contrechamp.redaction.models import PublicFigure, Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

LETTER = [
    "Affaire suivie par : Mme Claire Dubois\n"
    "Courriel : claire.dubois@mairie-exemple.fr, téléphone 04 77 12 34 56.\n"
    "La commune confirme l'installation de capteurs sonores dans le quartier Bellevue.\n"
    "Le maire, Gaël Perdriau, a signé la convention avec la société Serenicity.",
    "Annexe : le quartier Bellevue reçoit trois capteurs.\n"
    "Réponse à adresser à Mme Claire Dubois, 12 rue des Tilleuls, 42000 Saint-Étienne.",
]


@pytest.fixture
def letter(reviewer):
    saint_etienne = Commune.objects.get(code="42218")
    PublicFigure.objects.create(name="Gaël Perdriau", role="maire", commune=saint_etienne)
    return add(samples.text_pdf(LETTER), "courrier.pdf", places=[saint_etienne])


def _review_and_publish(client, reviewer, letter, title):
    """The letter's two pages detected, every suggestion accepted, published as `title`."""
    client.force_login(reviewer)
    client.post(f"/documents/{letter.id}/caviardage/detecter/", {"page": "1"})
    client.post(f"/documents/{letter.id}/caviardage/detecter/", {"page": "2"})
    client.post(f"/documents/{letter.id}/caviardage/tout-accepter/")
    client.post(f"/documents/{letter.id}/publier/", {"title": title})
    letter.refresh_from_db()


def _page(client, document, number=1):
    return client.get(f"/documents/{document.id}/caviardage/?page={number}").content.decode()


@pytest.mark.parametrize("who, status", [("visitor", 404), ("contributor", 404)])
def test_only_reviewers_open_the_review_screen(request, client, letter, who, status):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get(f"/documents/{letter.id}/caviardage/").status_code == status
    assert client.post(f"/documents/{letter.id}/publier/").status_code == status
    assert client.post(f"/documents/{letter.id}/caviardage/detecter/").status_code == status
    assert not Redaction.objects.exists() and not Publication.objects.exists()


def test_a_reviewer_redacts_page_by_page_and_publishes(client, reviewer, letter):
    client.force_login(reviewer)
    assert "Detect personal data" in _page(client, letter) or "Détecter" in _page(client, letter)
    client.post(f"/documents/{letter.id}/caviardage/detecter/", {"page": "1"})
    page = _page(client, letter)
    suggested = Redaction.objects.filter(page__document=letter, page__number=1)
    assert {r.kind for r in suggested} == {"person", "email", "phone"}
    for redaction in suggested:
        assert f'data-redaction="{redaction.id}"' in page  # its box on the page image
        assert "box-suggested" in page

    # The mayor acts as such: he stays readable, for every document of the place.
    assert not suggested.filter(text__contains="Perdriau").exists()

    # Accept e-mail and phone with their reason, keep nothing else unreviewed.
    for redaction in suggested.filter(kind__in=["email", "phone"]):
        client.post(
            f"/caviardages/{redaction.id}/",
            {"decision": "accept", "reason": "CRPA L311-6 1°", "seen": redaction.status},
        )
    assert set(suggested.filter(kind="email").values_list("reason", flat=True)) == {
        "CRPA L311-6 1°"
    }

    # "Every occurrence" for the name, on both pages.
    response = client.post(
        f"/documents/{letter.id}/caviardage/occurrences/",
        {"text": "Claire Dubois", "reason": "", "page": "1"},
    )
    assert response.status_code == 302
    every = Redaction.objects.filter(page__document=letter, kind="text")
    assert sorted(every.values_list("page__number", flat=True)) == [1, 2]
    person = suggested.get(kind="person")
    client.post(f"/caviardages/{person.id}/", {"decision": "reject", "seen": person.status})

    # A box drawn by hand over the neighbourhood's name on page 2.
    page_two = Page.objects.get(document=letter, number=2)
    pdf = pymupdf.open(stream=samples.text_pdf(LETTER), filetype="pdf")
    (hit,) = pdf[1].search_for("Bellevue")
    client.post(
        f"/documents/{letter.id}/caviardage/dessiner/",
        {"page": "2", "x0": hit.x0 - 1, "y0": hit.y0, "x1": hit.x1 + 1, "y1": hit.y1},
    )
    drawn = Redaction.objects.get(page=page_two, kind="manual")
    assert drawn.status == "accepted" and drawn.text == "Bellevue"

    # Bad boxes are explained and create nothing.
    response = client.post(
        f"/documents/{letter.id}/caviardage/dessiner/",
        {"page": "2", "x0": "a", "y0": "0", "x1": "1", "y1": "1"},
        follow=True,
    )
    assert "four numbers" in response.content.decode() or "quatre" in response.content.decode()
    # Numbers no page holds (a hand-made form; "1e309" answered 500).
    for huge in ("1e309", "inf", "nan", "-1e300"):
        response = client.post(
            f"/documents/{letter.id}/caviardage/dessiner/",
            {"page": "2", "x0": "0", "y0": "0", "x1": huge, "y1": "100"},
            follow=True,
        )
        assert response.status_code == 200, huge
        assert "hors de la page" in response.content.decode(), huge
    assert Redaction.objects.filter(kind="manual").count() == 1

    # The address on page 2 is still only suggested; accept everything left.
    client.post(f"/documents/{letter.id}/caviardage/tout-accepter/")
    response = client.post(
        f"/documents/{letter.id}/publier/", {"title": "Courrier de la mairie"}, follow=True
    )
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.is_public and letter.title == "Courrier de la mairie"
    publication = Publication.objects.get(document=letter)
    assert publication.accepted, publication.reasons

    # What a visitor reads now.
    client.logout()
    one = client.get(f"/documents/{letter.id}/?page=1").content.decode()
    two = client.get(f"/documents/{letter.id}/?page=2").content.decode()
    assert "capteurs sonores" in one and "Perdriau" in one
    for secret in ("Dubois", "claire.dubois", "04 77 12 34 56", "Tilleuls"):
        assert secret not in one + two
    assert "Bellevue" in one and "Bellevue" not in two  # drawn on page 2 only
    image = client.get(f"/documents/{letter.id}/pages/2.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    published = client.get(f"/documents/{letter.id}/publie.pdf")
    assert published.status_code == 200 and published["Content-Type"] == "application/pdf"
    with pymupdf.open(stream=published.content, filetype="pdf") as pdf:
        assert "Dubois" not in "".join(p.get_text() for p in pdf)
    assert client.get(f"/documents/{letter.id}/original/").status_code == 404

    api = client.get(f"/api/v1/documents/{letter.id}/pages/2").json()
    assert "capteurs" in api["text"] and "Tilleuls" not in api["text"]
    hits = client.get("/api/v1/search", {"q": "capteurs"}).json()["results"]
    assert {h["document"]["id"] for h in hits} == {letter.id}
    assert client.get("/api/v1/search", {"q": "Tilleuls"}).json()["results"] == []
    assert client.get("/api/v1/search", {"q": "Dubois"}).json()["results"] == []


def test_a_public_figure_added_on_the_screen_leaves_the_suggestions(client, reviewer, letter):
    client.force_login(reviewer)
    redactions_suggest(document=letter)
    assert Redaction.objects.filter(text="Claire Dubois", status="suggested").exists()
    client.post(
        f"/documents/{letter.id}/caviardage/personnalites/",
        {"name": "Claire Dubois", "role": "adjointe au maire", "scope": "document"},
    )
    assert PublicFigure.objects.get(document=letter).role == "adjointe au maire"
    assert not Redaction.objects.filter(text__contains="Dubois", kind="person").exists()
    response = client.post(
        f"/documents/{letter.id}/caviardage/personnalites/",
        {"name": "X", "scope": "99999"},
        follow=True,
    )
    assert PublicFigure.objects.filter(name="X").count() == 0
    assert response.status_code == 200


def test_a_refused_publication_shows_why_and_keeps_the_document_private(
    client, reviewer, letter, monkeypatch
):
    from contrechamp.documents import files
    from contrechamp.redaction import services

    client.force_login(reviewer)
    redactions_suggest(document=letter)
    client.post(f"/documents/{letter.id}/caviardage/tout-accepter/")
    monkeypatch.setattr(services, "redacted_pdf", lambda document: files.rendition(document))
    page = client.post(f"/documents/{letter.id}/publier/", follow=True).content.decode()
    assert 'id="publication-findings"' in page  # the findings, in the reader's language
    letter.refresh_from_db()
    assert not letter.is_public
    client.logout()
    assert client.get(f"/documents/{letter.id}/").status_code == 404


def test_withdrawing_a_publication_makes_the_document_private_again(client, reviewer, letter):
    redactions_suggest(document=letter)
    Redaction.objects.update(status="accepted")
    assert document_publish(document=letter).accepted
    assert client.get(f"/documents/{letter.id}/").status_code == 200
    client.force_login(reviewer)
    client.post(f"/documents/{letter.id}/depublier/")
    client.logout()
    assert client.get(f"/documents/{letter.id}/").status_code == 404
    assert client.get(f"/documents/{letter.id}/publie.pdf").status_code == 404
    assert client.get("/api/v1/search", {"q": "capteurs"}).json()["results"] == []
    assert Page.objects.filter(document=letter).exclude(published_text="").count() == 0


def test_the_uploader_sees_the_redacted_version_once_it_exists(client, contributor, reviewer):
    document = add(samples.text_pdf(LETTER), "courrier.pdf", uploaded_by=contributor)
    client.force_login(contributor)
    page = client.get(f"/documents/{document.id}/").content.decode()
    # Her own original's text meanwhile, and why she sees it.
    assert 'id="own-original"' in page and "quartier Bellevue" in page
    redactions_suggest(document=document)
    Redaction.objects.update(status="accepted")
    document_publish(document=document)
    page = client.get(f"/documents/{document.id}/").content.decode()
    assert "capteurs sonores" in page and "claire.dubois" not in page
    # Her own original stays hers to download (tests/documents/test_own_original.py).
    assert client.get(f"/documents/{document.id}/original/").status_code == 200


def test_an_email_is_published_from_its_pdf_rendition(tesseract):
    message = samples.eml(
        "Bonjour,\nVeuillez trouver la délibération sur la vidéoprotection.\n"
        "Jean-Marc Vasseur\nService juridique, 06 12 34 56 78\njm.vasseur@mairie.example.fr",
        samples.text_pdf(["Délibération : caméras de vidéoprotection."]),
    )
    document = add(message, "reponse.eml")
    assert document.kind == "email"
    redactions_suggest(document=document)
    texts = set(Redaction.objects.filter(page__document=document).values_list("text", flat=True))
    assert {"06 12 34 56 78", "jm.vasseur@mairie.example.fr"} <= texts
    Redaction.objects.update(status="accepted")
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    published = " ".join(document.pages.values_list("published_text", flat=True))
    assert "vidéoprotection" in published
    assert "06 12 34 56 78" not in published and "vasseur" not in published.lower()
    assert document.pages.filter(published_text="").count() == 0


def test_an_office_document_is_published_from_its_rendition():
    document = add(
        samples.odt(["Note du service : joindre M. Paul Verlaine au 01 23 45 67 89."]),
        "note.odt",
    )
    redactions_suggest(document=document)
    Redaction.objects.update(status="accepted")
    assert document_publish(document=document).accepted
    text = document.pages.get().published_text
    assert "Note du service" in text and "01 23 45 67 89" not in text


def test_pictures_on_a_page_of_text_are_suggested_as_photos_or_signatures():
    pdf = pymupdf.open(stream=samples.text_pdf(["Courrier signé du directeur."]), filetype="pdf")
    portrait = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 80), False)
    portrait.clear_with(120)
    pdf[0].insert_image(pymupdf.Rect(400, 100, 460, 180), pixmap=portrait)
    signature = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 150, 40), False)
    signature.clear_with(30)
    pdf[0].insert_image(pymupdf.Rect(300, 700, 450, 740), pixmap=signature)
    document = add(pdf.tobytes(), "signe.pdf")
    redactions_suggest(document=document)
    kinds = sorted(Redaction.objects.filter(page__document=document).values_list("kind", flat=True))
    assert kinds == ["photo", "signature"]
    Redaction.objects.update(status="accepted")
    assert document_publish(document=document).accepted
    published = pymupdf.open(stream=document_published_bytes(document), filetype="pdf")
    # Pixels under the boxes are gone: the pictures are blanked out.
    pixmap = published[0].get_pixmap(clip=pymupdf.Rect(410, 110, 450, 170))
    assert len(set(pixmap.samples)) <= 2  # a flat fill, not the picture


def document_published_bytes(document: Document) -> bytes:
    from contrechamp.documents.files import published_file

    data = published_file(document)
    assert data is not None
    return data


def test_a_citation_quote_taken_from_a_document_masks_personal_data(client, reviewer):
    document = add(
        samples.text_pdf(
            [
                "Délibération du conseil municipal. Mme Claire Dubois "
                "(claire.dubois@mairie-exemple.fr) confirme que la ville de Saint-Étienne "
                "installe des capteurs sonores."
            ]
        ),
        "courrier.pdf",
    )
    client.force_login(reviewer)
    commune = Entity.objects.get(page__document=document, kind="commune")
    client.post(f"/suggestions/{commune.id}/accepter/", {"deployment": "new"})
    commune.refresh_from_db()
    quote = commune.citation.quote
    assert "Saint-Étienne" in quote and "Mme [X] ([X]) confirme" in quote
    assert "claire.dubois" not in quote and "Dubois" not in quote


def test_the_commands_publish_with_a_title_and_unpublish(letter):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    redactions_suggest(document=letter)
    Redaction.objects.update(status="accepted")
    call_command(
        "redaction", "publish", str(letter.id), "--title", "Courrier public", stdout=StringIO()
    )
    letter.refresh_from_db()
    assert letter.is_public and letter.title == "Courrier public"
    out = StringIO()
    call_command("redaction", "unpublish", str(letter.id), stdout=out)
    letter.refresh_from_db()
    assert not letter.is_public and "private again" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("redaction", "unpublish", "999999", stdout=StringIO())


def test_a_tab_left_open_cannot_make_readable_what_another_has_redacted(client, reviewer, letter):
    """A new user's walk: in two tabs of the review screen, tab A redacted a name; tab B,
    which still showed it suggested, pressed "Keep readable": the name was made readable
    again, without a word."""
    redactions_suggest(document=letter)
    person = Redaction.objects.filter(page__document=letter, kind="person").first()
    assert person is not None and person.status == "suggested"
    client.force_login(reviewer)
    tab_a = _page(client, letter)
    tab_b = _page(client, letter)
    assert 'name="seen" value="suggested"' in tab_a
    client.post(f"/caviardages/{person.id}/", {"decision": "accept", "seen": "suggested"})
    person.refresh_from_db()
    assert person.status == "accepted"
    # Tab B's "Keep readable", sent from the page it still shows: the screen comes back
    # at its top, where the warning is (not scrolled to the page, out of its sight).
    response = client.post(
        f"/caviardages/{person.id}/", {"decision": "reject", "seen": "suggested"}
    )
    assert response.status_code == 302 and "#" not in response["Location"]
    response = client.get(response["Location"])
    person.refresh_from_db()
    assert person.status == "accepted"
    page = response.content.decode()
    assert "a été décidé entre-temps" in page and "accepté" in page
    assert f'id="redaction-{person.id}" class="redaction-suggested"' in tab_b
    # A form without the status it showed decides nothing either.
    response = client.post(f"/caviardages/{person.id}/", {"decision": "reject"}, follow=True)
    person.refresh_from_db()
    assert person.status == "accepted"
    assert "La page n’était plus à jour" in response.content.decode()
    # Decided again on the page as it is now, it is applied.
    client.post(f"/caviardages/{person.id}/", {"decision": "reject", "seen": "accepted"})
    person.refresh_from_db()
    assert person.status == "rejected"


def test_a_redaction_made_after_publication_says_the_published_copy_is_out_of_date(
    client, reviewer, letter
):
    """A new user's walk: after publication, "Occulter partout" on a name said it was
    redacted, the page still read "Publié", and visitors kept reading the name until
    someone thought of publishing again."""
    _review_and_publish(client, reviewer, letter, "Courrier de la mairie")
    assert letter.is_public
    assert 'id="publication-outdated"' not in _page(client, letter)
    # A box drawn then kept readable: nothing published changes, nothing said.
    Redaction.objects.create(
        page=letter.pages.get(number=1), kind="manual", text="Bellevue", status="rejected"
    )
    assert 'id="publication-outdated"' not in _page(client, letter)
    # The neighbourhood's name, readable in the published copy, redacted afterwards.
    client.post(
        f"/documents/{letter.id}/caviardage/occurrences/",
        {"text": "Bellevue", "reason": "", "page": "1"},
    )
    page = _page(client, letter)
    assert 'id="publication-outdated"' in page
    assert "les visiteurs lisent toujours la copie publiée" in page
    client.logout()
    assert "Bellevue" in client.get(f"/documents/{letter.id}/?page=1").content.decode()
    # Published again: the notice goes, and visitors read the new copy.
    client.force_login(reviewer)
    client.post(f"/documents/{letter.id}/publier/", {"title": "Courrier de la mairie"})
    assert 'id="publication-outdated"' not in _page(client, letter)
    client.logout()
    assert "Bellevue" not in client.get(f"/documents/{letter.id}/?page=1").content.decode()


def test_a_published_title_keeps_no_invisible_character(client, reviewer, letter):
    _review_and_publish(client, reviewer, letter, "\u202eCourrier\u202c de la mairie")
    assert letter.is_public and letter.title == "Courrier de la mairie"


def test_the_count_of_suggestions_waits_for_detection(client, reviewer):
    """The summary read "Suggested 0" before detection had run, as if it had found
    nothing (a new user's walk)."""
    from contrechamp.redaction.services import redactions_suggest
    from tests.documents import samples
    from tests.documents.conftest import add

    document = add(samples.text_pdf(["Compte rendu du conseil, sans nom ni adresse."]), "cr.pdf")
    client.force_login(reviewer)
    url = f"/documents/{document.id}/caviardage/"
    summary = client.get(url).content.decode().split('id="count-suggested">', 1)[1][:60]
    assert summary.startswith(("la détection", "detection not run")), summary
    redactions_suggest(document=document)
    summary = client.get(url).content.decode().split('id="count-suggested">', 1)[1][:60]
    assert summary.startswith("0<"), summary
