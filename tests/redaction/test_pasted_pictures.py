"""A resident's letter pasted as a large picture beside a typed paragraph (an
administration's answer to an access-to-documents request): the page has a text layer,
so it was never OCR'd, and the letter's words were read by nothing. They are now read by
OCR after the layer's text (`Page.ocr_from`): found by search for those who may read the
original, seen by the detectors, and published only as redacted.

Each attack is made the way a careless reviewer or a curious visitor would: searching the
site and the API for a name before and after publication, reading the API's page text
and the published file's own text layer, with both extractors."""

from __future__ import annotations

import pymupdf
import pypdfium2
import pytest
from django.test import Client

from contrechamp.documents import files
from contrechamp.documents.models import Entity, Page
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    REDACTION_MARK,
    document_publish,
    redaction_draw,
    redactions_suggest,
)
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

TYPED = (
    "Commune de Saint-Étienne. Direction de la tranquillité publique. Réponse à votre "
    "demande de communication de documents administratifs relative au dispositif de "
    "vidéoprotection du quartier de Tarentaize. Vous trouverez ci-dessous la copie du "
    "courrier reçu en mairie au sujet de l'installation des caméras."
)
LETTER = (
    "Courrier de Monsieur Jean Dupont<br>"
    "12 rue des Lilas 42000 Saint-Étienne<br>"
    "Téléphone : 06 12 34 56 78<br>"
    "Objet : caméra devant mon domicile<br>"
    "Je refuse que la caméra filme mes fenêtres et mon jardin.<br>"
    "La société Briefcam a facturé ce logiciel 35 000 euros."
)
# Only the letter holds these words (none is in the typed paragraph).
PICTURE_ONLY = ("fenêtres", "jardin", "Briefcam")
PRIVATE = ("Dupont", "06 12 34 56 78", "Lilas")
PICTURE = pymupdf.Rect(0, 236, 595, 842)


def _answer_with_a_pasted_letter() -> bytes:
    """A typed paragraph (its own text layer, well over 200 characters) and below it the
    picture of a letter, drawn from text by PyMuPDF and pasted as pixels: no text of the
    page lies on it, and it covers some seventy per cent of the page."""
    letter = pymupdf.open()
    sheet = letter.new_page(width=595, height=842)
    sheet.insert_htmlbox(pymupdf.Rect(56, 56, 539, 786), f"<p style='font-size:14pt'>{LETTER}</p>")
    pixels = sheet.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(56, 40, 539, 230), TYPED, fontsize=11)
    page.insert_image(PICTURE, pixmap=pixels, keep_proportion=False)
    return pdf.tobytes()


def _search(client: Client, word: str) -> list[dict]:
    return client.get("/api/v1/search", {"q": word}).json()["results"]


def _layers(data: bytes) -> str:
    """The text layer of a PDF as PyMuPDF and pdfium read it, both."""
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        shown = "".join(page.get_text() for page in pdf)
    document = pypdfium2.PdfDocument(data)
    other = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    return shown + "\n" + other


@pytest.fixture
def answer(tesseract):
    return add(_answer_with_a_pasted_letter(), "reponse-videoprotection.pdf")


def test_it_reads_the_pasted_letter_after_the_typed_text_for_the_readers_of_originals(
    answer, client, reviewer
):
    page = answer.pages.get()
    assert page.method == "text"  # its layer is still the page's text, unchanged
    assert page.text.startswith("Commune de Saint-Étienne. Direction")
    for word in (*PICTURE_ONLY, "Dupont", "Lilas"):
        assert word in page.text, page.text
    # After the layer's text, where `ocr_from` says.
    assert page.ocr_from is not None and "Tarentaize" in page.text[: page.ocr_from]
    assert all(word in page.text[page.ocr_from :] for word in (*PICTURE_ONLY, "Dupont"))
    # Every word read has its box on the picture, in PDF points.
    assert page.words and all(PICTURE.contains(pymupdf.Rect(w[:4])) for w in page.words)

    # A visitor finds nothing of a document not yet published: neither the letter's
    # words, nor the typed paragraph's; the API gives no page of it.
    for word in (*PICTURE_ONLY, "Dupont", "Tarentaize"):
        assert _search(client, word) == [], word
    assert client.get(f"/api/v1/documents/{answer.id}/pages/1").status_code == 404
    # A reviewer finds the letter by a word only its picture holds, and reads it.
    client.force_login(reviewer)
    for word in (*PICTURE_ONLY, "Dupont"):
        assert [hit["document"]["id"] for hit in _search(client, word)] == [answer.id], word
    text = client.get(f"/api/v1/documents/{answer.id}/pages/1").json()["text"]
    assert "Dupont" in text and "fenêtres" in text


def test_the_detectors_see_the_letter_s_words_with_their_boxes_on_the_picture(answer):
    page = answer.pages.get()
    # Entity suggestions: the letter's vendor and amount, where the picture's text is.
    found = set(Entity.objects.filter(page=page).values_list("kind", "text", "start"))
    assert any("Briefcam" in text for _kind, text, _start in found), found
    assert any(kind == "amount" and "35 000" in text for kind, text, _start in found), found
    assert all(start >= page.ocr_from for _kind, text, start in found if "Briefcam" in text)
    # Personal data: the name, the address and the phone number, each suggested with
    # its box on the picture (not only the picture's box as a whole).
    redactions_suggest(document=answer)
    suggested = {
        row.text: row
        for row in Redaction.objects.of(answer).filter(status="suggested")
        if row.kind not in ("photo", "signature")
    }
    for secret in PRIVATE:
        row = next((r for text, r in suggested.items() if secret in text), None)
        assert row is not None, (secret, sorted(suggested))
        assert row.rects and all(PICTURE.contains(pymupdf.Rect(r)) for r in row.rects)
    # The picture is still suggested whole too, for the reviewer to decide.
    boxes = Redaction.objects.of(answer).filter(kind__in=["photo", "signature"])
    assert list(boxes.values_list("rects", flat=True)) == [[[0.0, 236.0, 595.0, 842.0]]]


def test_the_published_copy_is_found_by_the_letter_s_words_but_never_by_redacted_ones(
    answer, client
):
    """The reviewer keeps the picture and redacts the letter's personal data one by one:
    visitors find the letter by its other words, and the name, the address and the phone
    number nowhere: search, snippet, the API's text, the published file's layer."""
    for word in ("fenêtres", "Dupont"):  # before publication: nothing
        assert _search(client, word) == []
    redactions_suggest(document=answer)
    Redaction.objects.of(answer).filter(kind__in=["photo", "signature"]).update(status="rejected")
    Redaction.objects.of(answer).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=answer)
    assert publication.accepted, publication.reasons

    hits = _search(client, "fenêtres")
    assert [hit["document"]["id"] for hit in hits] == [answer.id]
    assert "fenêtres" in hits[0]["snippet"]
    for secret in ("Dupont", "Lilas", "0612345678", "06 12 34 56 78"):
        assert _search(client, secret) == [], secret
    for hit in _search(client, "jardin") + _search(client, "caméra"):
        assert not any(s in hit["snippet"] for s in ("Dupont", "Lilas", "34 56"))
    text = client.get(f"/api/v1/documents/{answer.id}/pages/1").json()["text"]
    assert "fenêtres" in text and "Tarentaize" in text
    # One mark for each of the three redactions, each a line of the picture (the OCR's
    # word boxes of the address, whose tops differ, made two).
    assert text.count(REDACTION_MARK) == 3, text
    assert "Courrier de Monsieur [X]\n" in text
    published = files.published_file(answer)
    layer = _layers(published)
    assert "fenêtres" in layer and "Briefcam" in layer
    for secret in ("Dupont", "Lilas", "34 56", "345678"):
        assert secret not in text and secret not in layer, secret
    # And the pixels of the name are gone from the picture kept.
    name = next(r for r in Redaction.objects.of(answer) if "Dupont" in r.text)
    with pymupdf.open(stream=published, filetype="pdf") as pdf:
        for rect in name.rects:
            pixels = pdf[0].get_pixmap(dpi=100, clip=pymupdf.Rect(rect), colorspace="gray")
            assert max(pixels.samples) < 40


def test_a_picture_redacted_whole_gives_visitors_not_one_of_its_words(answer, client, reviewer):
    """Everything accepted, the picture's own box with it: the letter's words are read
    (a reviewer finds them), yet no visitor finds one, in search or in the API's text,
    and the published file has no layer of them."""
    redactions_suggest(document=answer)
    Redaction.objects.of(answer).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=answer)
    assert publication.accepted, publication.reasons
    assert [hit["document"]["id"] for hit in _search(client, "Tarentaize")] == [answer.id]
    text = client.get(f"/api/v1/documents/{answer.id}/pages/1").json()["text"]
    layer = _layers(files.published_file(answer))
    for word in (*PICTURE_ONLY, *PRIVATE, "domicile"):
        assert _search(client, word) == [], word
        assert word not in text and word not in layer, word
    client.force_login(reviewer)
    assert [hit["document"]["id"] for hit in _search(client, "jardin")] == [answer.id]


def test_a_box_drawn_by_hand_on_the_letter_removes_its_words_from_the_published_layer(
    answer, client, reviewer
):
    """Every suggestion kept (a careless review), one box drawn by hand over the
    letter's second line (the address): the box records the words it covers, and the
    published copy has neither their pixels nor their text."""
    redactions_suggest(document=answer)
    Redaction.objects.of(answer).filter(status="suggested").update(status="rejected")
    page: Page = answer.pages.get()
    assert page.words, "the letter was not read: no box of its words"
    line = [w for w in page.words if w[4] in ("Lilas", "42000")]
    box = pymupdf.Rect(line[0][:4]) | pymupdf.Rect(line[-1][:4])
    drawn = redaction_draw(page=page, rect=[40, box.y0 - 1, 560, box.y1 + 1], user=reviewer)
    assert "Lilas" in drawn.text
    publication = document_publish(document=answer)
    assert publication.accepted, publication.reasons
    layer = _layers(files.published_file(answer))
    assert "fenêtres" in layer and "Lilas" not in layer and "42000" not in layer
    assert _search(client, "Lilas") == [] and _search(client, "42000") == []
    assert [hit["document"]["id"] for hit in _search(client, "jardin")] == [answer.id]
