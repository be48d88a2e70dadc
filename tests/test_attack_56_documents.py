"""Hostile review 56: documents and redaction.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add, library, tesseract  # noqa: F401

pytestmark = pytest.mark.django_db

INTRO = (
    "Commune de Saint-Étienne. Direction de la tranquillité publique. Réponse à votre "
    "demande de communication de documents administratifs relative au dispositif de "
    "vidéoprotection du quartier de Tarentaize. Vous trouverez ci-dessous la copie du "
    "courrier reçu en mairie au sujet de l'installation des caméras rue des Lilas."
)
PASTED = (
    "Courrier de Monsieur Jean Dupont\n"
    "12 rue des Lilas 42000 Saint-Étienne\n"
    "jean.dupont@orange.fr - 06 12 34 56 78\n"
    "Objet : caméra devant mon domicile\n"
    "Je refuse que la caméra filme mes fenêtres."
)


def _text_page_with_a_pasted_letter() -> bytes:
    """A page of typed text (a paragraph, well over the 200 characters of a "stamped
    scan") with, below it, the picture of a resident's letter pasted in as the answers
    of administrations often are: the picture covers about two thirds of the page."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(56, 40, 539, 230), INTRO, fontsize=11)
    picture = samples.page_image(PASTED, dpi=150)
    page.insert_image(pymupdf.Rect(0, 236, 595, 842), pixmap=picture, keep_proportion=False)
    return pdf.tobytes()


def test_a_letter_pasted_as_a_large_picture_on_a_page_of_text_is_read_for_personal_data(
    tesseract,  # noqa: F811
):
    """The page has a text layer of some 350 characters, so it is not OCR'd (neither
    "no text", nor garbled, nor a stamped scan: that needs fewer than 200 characters);
    and `_image_regions` suggests a box only for a picture of less than 60% of the page,
    taking a larger one for "a scanned page, read by OCR instead" -- which it was not.
    The resident's name, address, e-mail and phone number in the picture are neither
    read nor suggested: the review shows nothing on the page, the search never finds
    them, and the published copy shows them in its pixels."""
    document = add(_text_page_with_a_pasted_letter(), "reponse-videoprotection.pdf")
    page = document.pages.get()
    assert page.method == "text"  # the typed paragraph is there
    redactions_suggest(document=document)
    suggested = list(Redaction.objects.of(document).values_list("kind", "text"))
    read = "Dupont" in page.text or any("Dupont" in text for _k, text in suggested)
    boxed = any(kind in ("photo", "signature") for kind, _t in suggested)
    assert read or boxed, (page.method, page.text[:80], suggested)


def test_a_box_drawn_while_the_copy_is_being_written_leaves_the_copy_said_outdated(
    reviewer, django_user_model
):
    """Two reviewers on one document. Renée publishes; while her copy is being written
    (PyMuPDF redacts and the gate re-reads every page: seconds on a long document),
    Bruno draws a box over a resident's name the suggestions missed. The copy does not
    have his box (it was made before), but `document_publish` takes the fingerprint of
    the redactions *after* the gate, so it records Bruno's box as applied: the review
    page never says "the published copy is out of date, publish again", and the name
    stays readable in the public copy with nothing telling anyone so."""
    from contrechamp.documents.models import Page
    from contrechamp.redaction import services as redaction_services
    from contrechamp.redaction.services import (
        document_publish,
        published_copy_outdated,
        redaction_draw,
    )

    text = (
        "Commune de Saint-Étienne\n\nLe conseil municipal approuve les caméras.\n"
        "Témoin entendu : Gaspard Lenoir, riverain."
    )
    document = add(samples.text_pdf([text]), "deliberation.pdf")
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="rejected")
    page: Page = document.pages.get()
    pdf = pymupdf.open(stream=samples.text_pdf([text]), filetype="pdf")
    box = pdf[0].search_for("Gaspard Lenoir")[0]
    bruno = django_user_model.objects.create_user("bruno", "bruno@example.org", "x")

    real_gate = redaction_services.gate

    def gate_while_bruno_draws(doc, data):
        report = real_gate(doc, data)
        # Bruno's box, saved in his own request while Renée's copy is being checked.
        redaction_draw(page=page, rect=[box.x0, box.y0, box.x1, box.y1], user=bruno)
        return report

    redaction_services.gate = gate_while_bruno_draws
    try:
        publication = document_publish(document=document, user=reviewer, no_redactions=True)
    finally:
        redaction_services.gate = real_gate
    assert publication.accepted, publication.reasons
    document.refresh_from_db()
    published = pymupdf.open(stream=files.published_file(document), filetype="pdf")
    assert "Lenoir" in published[0].get_text()  # the copy was made before the box
    assert published_copy_outdated(document, publication)


def test_the_pasted_letter_s_box_covers_the_picture_and_a_scanners_layer_gets_none(
    tesseract,  # noqa: F811
):
    """The fix suggests the pasted picture whole (the reviewer decides; accepted, the
    published copy shows none of its pixels), and only where no text of the page lies
    on the picture: a scan carrying its scanner's invisible text layer is read by that
    layer, and gets no box over the whole page."""
    document = add(_text_page_with_a_pasted_letter(), "reponse-videoprotection.pdf")
    redactions_suggest(document=document)
    boxes = [
        rects
        for kind, rects in Redaction.objects.of(document).values_list("kind", "rects")
        if kind in ("photo", "signature")
    ]
    assert boxes == [[[0.0, 236.0, 595.0, 842.0]]]
    from contrechamp.redaction.services import document_publish, redactions_accept_all

    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    with pymupdf.open(stream=files.published_file(document), filetype="pdf") as published:
        sheet = published[0]
        assert "Tarentaize" in sheet.get_text()  # the typed paragraph stays
        letter = sheet.get_pixmap(dpi=50, clip=pymupdf.Rect(4, 240, 591, 836))
        assert max(letter.samples) < 40  # the picture's pixels are gone

    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=samples.page_image(PASTED, dpi=100))
    page.insert_textbox(pymupdf.Rect(40, 40, 555, 800), PASTED * 3, fontsize=11, render_mode=3)
    scan = add(pdf.tobytes(), "scan-avec-ocr.pdf")
    assert scan.pages.get().method == "text"
    redactions_suggest(document=scan)
    assert not Redaction.objects.of(scan).filter(kind__in=["photo", "signature"]).exists()
    assert Redaction.objects.of(scan).filter(text__contains="Dupont").exists()
