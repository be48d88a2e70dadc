"""Hostile review 54: personal data that the redaction review never gets to see.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.documents.models import Document
from contrechamp.places.models import Commune
from contrechamp.redaction.models import PublicFigure, Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add, library, tesseract  # noqa: F401

pytestmark = pytest.mark.django_db

LETTER = (
    "Courrier de Monsieur Jean Dupont\n"
    "12 rue des Lilas 42000 Saint-Étienne\n"
    "Objet : vidéoprotection du quartier\n"
    "Le maire refuse."
)


def _suggested(document: Document) -> str:
    return " ".join(Redaction.objects.of(document).values_list("text", flat=True))


def _stamped_scan() -> bytes:
    """A scanned letter (one picture covering the page) on which the administration
    printed a line of text when it sent it, as many do ("Document communiqué le ...")."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=samples.page_image(LETTER))
    page.insert_text((40, 830), "Document communiqué le 12/03/2024 - réf. CADA", fontsize=8)
    return pdf.tobytes()


def test_a_scan_with_a_stamped_line_of_text_is_still_read_for_personal_data(tesseract):  # noqa: F811
    """A full-page scan carrying 20 characters of real text counts as a page of text
    (MIN_TEXT_CHARS): it is never OCR'd, so the name and address in its picture are never
    detected, never searchable, and `_image_regions` skips the picture as "a scan, read
    by OCR instead". The review shows zero suggestions; confirmed "nothing to redact",
    the gate accepts the copy and the published page shows "Monsieur Jean Dupont, 12 rue
    des Lilas" in its pixels (checked by OCR of the published page during the review)."""
    document = add(_stamped_scan(), "reponse-mairie.pdf")
    page = document.pages.get()
    redactions_suggest(document=document)
    assert "Dupont" in page.text or "Dupont" in _suggested(document), (page.method, page.text)


def _shifted_glyphs() -> bytes:
    """A text PDF whose font lost its ToUnicode map, as many producers write them: the
    page shows the letter, its text layer reads "&RXUULHU\\x03GH\\x030RQVLHXU...". The
    text layer is not the text the page shows."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_font(fontname="dj", fontfile="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    y = 100
    for line in LETTER.split("\n"):
        page.insert_text((72, y), line, fontname="dj", fontsize=12)
        y += 24
    return without_unicode_maps(pdf.tobytes())


def without_unicode_maps(data: bytes) -> bytes:
    """The PDF `data` with its fonts' ToUnicode maps taken out: what it shows stays, its
    text layer reads shifted codes ("&RXUULHU" for "Courrier")."""
    pdf = pymupdf.open(stream=data, filetype="pdf")
    for xref in range(1, pdf.xref_length()):
        if pdf.xref_get_key(xref, "ToUnicode")[0] != "null":
            pdf.xref_set_key(xref, "ToUnicode", "null")
    return pdf.tobytes(garbage=3)


def test_a_page_whose_text_layer_is_not_what_it_shows_is_still_read_for_personal_data(
    tesseract,  # noqa: F811
):
    """The same letter with an unreadable text layer: more than 20 characters of it, so
    no OCR; detection reads gibberish, suggests nothing, search finds nothing, and the
    name is published as drawn."""
    assert_the_name_is_read(_shifted_glyphs())


def assert_the_name_is_read(data: bytes) -> None:
    """The letter `data` added: Jean Dupont is in its page's text or suggested."""
    document = add(data, "courrier.pdf")
    page = document.pages.get()
    redactions_suggest(document=document)
    assert "Dupont" in page.text or "Dupont" in _suggested(document), (page.method, page.text)


COMPLAINT = (
    "Commune de Saint-Étienne. Compte rendu de la commission de vidéoprotection.\n"
    "Le maire, M. Michel Dupont, présente le projet de caméras du quartier Tarentaize.\n"
    "La plainte de Mme Dupont, riveraine, qui demande le retrait de la caméra filmant "
    "ses fenêtres, est jointe au dossier.\n"
)


def test_a_resident_sharing_the_mayors_surname_is_still_suggested():
    """The reviewer lists the mayor, Michel Dupont, as a public figure of Saint-Étienne
    (every document of the place). `_is_public` then takes any name that ends with his
    surname for him: "Mme Dupont", the resident who complains, is never suggested, in
    this document and in every other of the commune. With "Martin" or "Bernard" as the
    mayor's name, every resident of that surname goes unseen."""
    commune = Commune.objects.get(code="42218")
    PublicFigure.objects.create(name="Michel Dupont", role="maire", commune=commune)
    document = add(samples.text_pdf([COMPLAINT]), "commission.pdf")
    document.places.add(commune)
    redactions_suggest(document=document)
    starts = {r.start for r in Redaction.objects.filter(page__document=document, kind="person")}
    page_text = document.pages.get().text
    resident = page_text.index("Mme Dupont") + len("Mme ")
    assert resident in starts, [
        (r.text, r.start) for r in Redaction.objects.filter(page__document=document)
    ]


def test_the_gate_passes_the_complainants_name_when_the_review_is_done():
    """The consequence of the previous test: every suggestion decided, the copy is
    accepted by the gate and the resident's name is on the public page."""
    commune = Commune.objects.get(code="42218")
    PublicFigure.objects.create(name="Michel Dupont", role="maire", commune=commune)
    document = add(samples.text_pdf([COMPLAINT]), "commission.pdf")
    document.places.add(commune)
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=document, no_redactions=True)
    document.refresh_from_db()
    published = document.pages.get().published_text if publication.accepted else ""
    assert "Mme Dupont" not in published, published


SOLE_TRADER = (
    "Délibération du conseil municipal de Saint-Étienne. Le marché de vidéoprotection est "
    "attribué à la société Durand Sécurité pour 45 000 € HT. Contact : M. Paul Durand, "
    "gérant, 06 12 34 56 78."
)


def test_a_name_redacted_everywhere_is_not_served_by_the_published_documents_entities(
    client, reviewer
):
    """A reviewer accepts the page's suggestions (the commune, the vendor "Durand
    Sécurité") and later, reading the page again, redacts "Durand" on every occurrence:
    the vendor is a sole trader, its name is the manager's. The gate accepts the copy
    (no "Durand" in it), but the document's page and /api/v1/documents/<id>/entities
    still give every visitor "Durand Sécurité" as an entity *of this page* — text read
    from the unredacted original, which no check of the publication looks at."""
    from contrechamp.redaction.services import redaction_every_occurrence

    document = sole_trader_accepted(SOLE_TRADER, reviewer)
    redaction_every_occurrence(document=document, text="Durand", user=reviewer)
    assert_published_without(client, document, reviewer, "Durand")


def sole_trader_accepted(text: str, reviewer) -> Document:
    """The page of `text`, its commune and its vendor (a sole trader: "Durand Sécurité")
    accepted into a deployment, its suggested redactions accepted."""
    from contrechamp.documents.models import Entity
    from contrechamp.documents.services import entities_accept

    document = add(samples.text_pdf([text]), "deliberation.pdf")
    commune = Entity.objects.get(page__document=document, kind="commune")
    vendor = Entity.objects.get(page__document=document, kind="organisation")
    assert "Durand" in vendor.text
    deployment = entities_accept(entities=[commune], user=reviewer)
    entities_accept(entities=[vendor], deployment=deployment, user=reviewer)
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    return document


def assert_published_without(client, document: Document, reviewer, name: str) -> None:
    """Published (the gate accepts it), `name` is in none of what a visitor reads: the
    published text, the document's entities in the API, its page."""
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    document.refresh_from_db()
    assert name not in document.pages.get().published_text
    served = client.get(f"/api/v1/documents/{document.id}/entities").content.decode()
    page = client.get(f"/documents/{document.id}/").content.decode()
    assert name not in served, served
    assert name not in page


def test_the_stamped_scan_is_published_without_the_names_it_shows(tesseract, reviewer):  # noqa: F811
    """The mend's end: the scan with a line printed on it is read by OCR, its name and
    address suggested, and once they are accepted the published page's pixels no longer
    show them (read back by OCR), while the stamp stays."""
    from contrechamp.documents import files
    from contrechamp.documents.ocr import recognise

    document = add(_stamped_scan(), "reponse-mairie.pdf")
    page = document.pages.get()
    assert page.method == "ocr"
    redactions_suggest(document=document)
    assert "Dupont" in _suggested(document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    published = files.published_file(Document.objects.get(id=document.id))
    with pymupdf.open(stream=published, filetype="pdf") as pdf:
        picture = pdf[0].get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png")
        layer = pdf[0].get_text()
    read = recognise(picture).text
    assert "Dupont" not in read and "Lilas" not in read, read
    assert "Dupont" not in layer
    assert "Objet" in read


def test_a_text_page_with_a_letterhead_picture_keeps_its_text_layer():
    """What the mend must not do: a page of real text (a council's minutes) with its
    logo, or printed over a full-page background, is read from its text layer, not by
    OCR."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=samples.page_image("FOND"))
    body = (
        "Le conseil municipal, après en avoir délibéré, approuve l'installation de douze "
        "caméras de vidéoprotection place de la Mairie et autorise le maire à solliciter "
        "les subventions du FIPD et de la Région pour ce programme d'équipement."
    )
    y = 100
    for start in range(0, len(body), 80):
        page.insert_text((60, y), body[start : start + 80], fontsize=10)
        y += 16
    document = add(pdf.tobytes(), "deliberation.pdf")
    assert document.pages.get().method == "text"


def test_a_page_of_unmapped_glyphs_is_published_as_a_searchable_picture(tesseract, reviewer):  # noqa: F811
    """The letter whose glyphs lost their map: read by OCR, its name redacted, published
    as a picture with the OCR's layer (searchable: "Objet" is found in it), without its
    unreadable layer and without the name."""
    from contrechamp.documents import files

    document = add(_shifted_glyphs(), "courrier.pdf")
    assert document.pages.get().method == "ocr"
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    published = files.published_file(Document.objects.get(id=document.id))
    with pymupdf.open(stream=published, filetype="pdf") as pdf:
        layer = pdf[0].get_text()
    assert "Objet" in layer
    assert "Dupont" not in layer and "\x03" not in layer and "&RXUULHU" not in layer


def test_a_page_of_capitals_is_read_again_but_keeps_its_own_text(tesseract, reviewer):  # noqa: F811
    """The mend's guard: a page of capitals has words without a lower-case vowel, like
    a font that lost its map; the OCR reads the same words, so its exact layer stays (a
    page of text), and it publishes."""
    capitals = (
        "ARRETE MUNICIPAL PORTANT AUTORISATION D'UN SYSTEME DE VIDEOPROTECTION "
        "PLACE DE LA MAIRIE ET RUE DU MARCHE A SAINT-ETIENNE"
    )
    document = add(samples.text_pdf([capitals]), "arrete.pdf")
    page = document.pages.get()
    assert page.method == "text"
    assert "VIDEOPROTECTION" in page.text
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=document, user=reviewer, no_redactions=True)
    assert publication.accepted, publication.reasons
