"""Publication leaks nothing that a person could read: not the pixels of a scanned word
around its box, not a layer switched off, text placed off the page or invisible text; and
the gate proves it on the file itself (pixels and every layer, unlimited clip)."""

from __future__ import annotations

import shutil
import subprocess

import pymupdf
import pypdfium2
import pytest

from contrechamp.documents import files
from contrechamp.redaction import services
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    gate,
    redactions_accept_all,
    redactions_suggest,
)
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

SCAN_LINES = [
    "Objet : vidéoprotection du parc Montsouris",
    "Affaire suivie par Mme Claire Dubois",
    "Courriel : claire.dubois@mairie-exemple.fr",
    "Téléphone : 06 12 34 56 78",
    "La commune confirme l'installation de caméras.",
]
SECRETS = ["Claire Dubois", "claire.dubois@mairie-exemple.fr", "06 12 34 56 78"]
DPI = 200


def scanned_letter() -> tuple[bytes, dict[str, list[pymupdf.Rect]]]:
    """A letter as a scanner gives it (one grey image per page, no text at all), and
    where each secret's glyphs are on it (full font height, from the page it was drawn
    from)."""
    source = pymupdf.open()
    page = source.new_page(width=595, height=842)
    page.insert_htmlbox(
        pymupdf.Rect(56, 56, 539, 786),
        "<p style='font-size:14pt'>" + "<br>".join(SCAN_LINES) + "</p>",
    )
    pymupdf.TOOLS.set_small_glyph_heights(False)
    where = {secret: page.search_for(secret) for secret in SECRETS}
    pixmap = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    sheet = scan.new_page(width=595, height=842)
    sheet.insert_image(sheet.rect, pixmap=pixmap)
    return scan.tobytes(), where


def _glyph_pixels(pixmap: pymupdf.Pixmap, core: pymupdf.Rect) -> set[tuple[int, int]]:
    """Every pixel of the glyphs (8-connected dark pixels of the original page) that
    reach into `core` (the middle of a word's line): the whole letters, tops and
    bottoms and accents included, and nothing of the lines around."""
    scale = DPI / 72

    def dark(x: int, y: int) -> bool:
        return 0 <= x < pixmap.width and 0 <= y < pixmap.height and pixmap.pixel(x, y)[0] < 200

    seeds = [
        (x, y)
        for y in range(int(core.y0 * scale), int(core.y1 * scale) + 1)
        for x in range(int(core.x0 * scale), int(core.x1 * scale) + 1)
        if dark(x, y)
    ]
    glyphs: set[tuple[int, int]] = set(seeds)
    todo = list(seeds)
    while todo:
        x, y = todo.pop()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                neighbour = (x + dx, y + dy)
                if neighbour not in glyphs and dark(*neighbour):
                    glyphs.add(neighbour)
                    todo.append(neighbour)
    return glyphs


def test_a_scanned_letter_keeps_no_pixel_of_the_redacted_words(tesseract):
    data, where = scanned_letter()
    document = add(data, "lettre-scannee.pdf")
    assert document.pages.get().method == "ocr"
    redactions_suggest(document=document)
    texts = " ".join(
        Redaction.objects.filter(page__document=document).values_list("text", flat=True)
    )
    for secret in ("Dubois", "claire.dubois@mairie-exemple.fr", "06 12 34 56 78"):
        assert secret in texts, texts
    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons

    published_data = files.read(files.derived_path(document, "published.pdf"))
    published = pymupdf.open(stream=published_data)
    original = pymupdf.open(stream=data).load_page(0).get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    rendered = published[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    checked = 0
    for secret, rects in where.items():
        for rect in rects:
            # The middle of the line: its letters and nothing of the lines around.
            core = pymupdf.Rect(
                rect.x0, rect.y0 + 0.4 * rect.height, rect.x1, rect.y1 - 0.4 * rect.height
            )
            glyphs = _glyph_pixels(original, core)
            assert len(glyphs) > 200
            # Every pixel of every letter of the word is now the fill: no top or bottom
            # of a letter is left to read.
            left = [(x, y) for x, y in glyphs if rendered.pixel(x, y)[0] > 16]
            assert not left, (secret, len(left), len(glyphs), left[:5])
            checked += 1
    assert checked >= 3
    text = published[0].get_text()
    assert "caméras" in text or "cameras" in text  # the rest stays searchable
    assert "Dubois" not in text and "06 12" not in text


def test_the_gate_refuses_a_scan_whose_boxes_leave_the_tops_of_the_letters(tesseract):
    data, _where = scanned_letter()
    document = add(data, "lettre-scannee.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    # The old geometry: a band through the middle of each OCR word box.
    pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
    for redaction in Redaction.objects.filter(page__document=document):
        for x0, y0, x1, y1 in redaction.rects:
            height = y1 - y0
            pdf[0].add_redact_annot(
                pymupdf.Rect(x0, y0 + 0.3 * height, x1, y1 - 0.3 * height), fill=(0, 0, 0)
            )
    pdf[0].apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS)
    report = gate(document, pdf.tobytes(garbage=4))
    assert not report.accepted
    assert report.checks["remnants"], report.checks
    assert any(r["code"] == "remnants" for r in report.findings)


def test_boxes_of_a_scanned_word_cover_its_whole_glyphs(tesseract):
    data, _where = scanned_letter()
    document = add(data, "lettre-scannee.pdf")
    page = document.pages.get()
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    boxes = [box for box, _kind in services.applied_boxes(document)[1]]
    words = [pymupdf.Rect(w[:4]) for w in page.words if "Dubois" in str(w[4])]
    assert words
    for word in words:
        assert any(box.contains(word) and box != word for box in boxes), (word, boxes)


# --- hidden content -------------------------------------------------------------------

HIDDEN_SECRETS = [
    "marc.secret@example.org",  # in a layer switched off
    "Jean Horspage",  # above the page
    "06 11 22 33 44",
    "droite.cachee@example.org",  # right of the page
    "note interne confidentielle",  # invisible text
    "brouillon transparent",  # drawn fully transparent
    "lea.roux@mairie-exemple.fr",  # visible, drawn one character at a time
]


def hidden_pdf() -> bytes:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Rapport sur les caméras de la commune.", fontsize=12)
    layer = pdf.add_ocg("Calque masqué", on=False)
    page.insert_text((72, 140), "Contact : marc.secret@example.org", fontsize=12, oc=layer)
    signature = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 150, 40), False)
    signature.clear_with(30)  # a dark picture (a scanned signature) in the hidden layer
    page.insert_image(pymupdf.Rect(300, 600, 450, 640), pixmap=signature, oc=layer)
    page.insert_text((72, -300), "Hors page : Jean Horspage 06 11 22 33 44", fontsize=12)
    page.insert_text((700, 400), "A droite : droite.cachee@example.org", fontsize=12)
    x = 72.0
    page.insert_text((x - 60, 200), "Courriel :", fontsize=12)
    # One character at a time, in reverse order: no run of the content holds the word.
    positions = []
    for character in "lea.roux@mairie-exemple.fr":
        positions.append((x, character))
        x += pymupdf.get_text_length(character, fontsize=12)
    for x, character in reversed(positions):
        page.insert_text((x, 200), character, fontsize=12)
    page.insert_text((72, 240), "La vidéoprotection est active.", fontsize=12)
    page.insert_text((300, 240), "note interne confidentielle", fontsize=12, render_mode=3)
    page.insert_htmlbox(pymupdf.Rect(72, 300, 400, 330), "<p>brouillon transparent</p>", opacity=0)
    return pdf.tobytes()


def _every_extraction(data: bytes) -> str:
    """The text of the file by every extractor, every layer on, no clip."""
    texts = []
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        ocgs = list(pdf.get_ocgs())
        if ocgs:
            pdf.set_layer(-1, on=ocgs)
        flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_MEDIABOX_CLIP
        texts += [p.get_text(flags=flags, clip=pymupdf.INFINITE_RECT()) for p in pdf]
    texts += [p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(data)]
    if shutil.which("pdftotext"):
        big = ["-x", "-2000", "-y", "-2000", "-W", "6000", "-H", "6000"]
        texts.append(
            subprocess.run(
                ["pdftotext", *big, "-", "-"], input=data, capture_output=True, check=True
            ).stdout.decode()
        )
    return "\n".join(texts)


def test_the_fixture_hides_what_it_says():
    everything = _every_extraction(hidden_pdf())
    for secret in HIDDEN_SECRETS:
        assert secret in everything


def test_hidden_layers_off_page_and_invisible_text_are_not_published():
    document = add(hidden_pdf(), "rapport-cache.pdf")
    redactions_suggest(document=document)
    suggested = set(
        Redaction.objects.filter(page__document=document).values_list("text", flat=True)
    )
    assert "lea.roux@mairie-exemple.fr" in suggested  # the visible one, drawn char by char
    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    data = files.read(files.derived_path(document, "published.pdf"))
    everything = _every_extraction(data)
    for secret in HIDDEN_SECRETS:
        assert secret not in everything, secret
    for word in ("lea.roux", "mairie-exemple", "Horspage", "marc.secret", "confidentielle"):
        assert word not in everything
    assert "Rapport sur les caméras" in everything and "vidéoprotection est active" in everything
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        assert not pdf.get_ocgs()
        assert b"/OCProperties" not in data
        # The hidden picture is not shown now that no layer hides it: blank, or gone.
        pixels = pdf[0].get_pixmap(clip=pymupdf.Rect(310, 610, 440, 630), colorspace=pymupdf.csGRAY)
        assert min(pixels.samples) > 200


def _gate_findings(document, data: bytes) -> set[str]:
    return {finding["code"] for finding in gate(document, data).findings}


def test_the_gate_refuses_a_layer_switched_off():
    document = add(_plain(), "plain.pdf")
    pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
    layer = pdf.add_ocg("Off", on=False)
    pdf[0].insert_text((72, 300), "marc.secret@example.org", fontsize=12, oc=layer)
    assert "hidden" in _gate_findings(document, pdf.tobytes())


def test_the_gate_refuses_text_off_the_page():
    document = add(_plain(), "plain.pdf")
    pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
    pdf[0].insert_text((72, 900), "Jean Horspage", fontsize=12)
    assert "hidden" in _gate_findings(document, pdf.tobytes())


def test_the_gate_refuses_invisible_text_on_a_page_that_is_no_scan():
    document = add(_plain(), "plain.pdf")
    pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
    pdf[0].insert_text((72, 500), "note interne", fontsize=12, render_mode=3)
    assert "invisible" in _gate_findings(document, pdf.tobytes())


def test_a_clean_file_passes_the_gate():
    document = add(_plain(), "plain.pdf")
    redactions_suggest(document=document)
    assert gate(document, files.rendition(document)).findings == []


def _plain() -> bytes:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Rapport sur les caméras de la commune.", fontsize=12)
    return pdf.tobytes()


def test_a_scan_with_its_scanners_ocr_layer_keeps_the_layer_without_the_redacted_words():
    """A scanner's own OCR: the page image with its text drawn invisibly over it. The
    invisible text is its searchable layer: kept, less the redacted words; the boxes
    cover whole letters of the picture."""
    data, where = scanned_letter()
    pdf = pymupdf.open(stream=data, filetype="pdf")
    pdf[0].insert_htmlbox(
        pymupdf.Rect(56, 56, 539, 786),
        "<p style='font-size:14pt'>" + "<br>".join(SCAN_LINES) + "</p>",
        opacity=0,
    )
    document = add(pdf.tobytes(), "scanner.pdf")
    assert document.pages.get().method == "text"
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    published = files.read(files.derived_path(document, "published.pdf"))
    text = _every_extraction(published)
    assert "caméras" in text and "Montsouris" in text
    for secret in ("Dubois", "claire.dubois", "06 12 34 56 78"):
        assert secret not in text
    original = pymupdf.open(stream=data).load_page(0).get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    rendered = (
        pymupdf.open(stream=published).load_page(0).get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    )
    for rects in where.values():
        for rect in rects:
            core = pymupdf.Rect(
                rect.x0, rect.y0 + 0.4 * rect.height, rect.x1, rect.y1 - 0.4 * rect.height
            )
            glyphs = _glyph_pixels(original, core)
            assert not [p for p in glyphs if rendered.pixel(*p)[0] > 16]


def test_a_text_pages_bar_is_as_tall_as_the_letters_it_hides():
    """A new user's walk (session 37) read the bars of a page of text as strikethroughs:
    the box filled was the middle of the line (4 points of a 10-point line), the text
    removed, the tops and bottoms of the line left white. The bar now covers the name's
    whole box; the text under it is still removed by the middle band only."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Rapport sur les caméras de la commune.", fontsize=10)
    page.insert_text(
        (72, 115), "Affaire suivie par Mme Claire Dubois, Téléphone : 06 12 34 56 78", fontsize=10
    )
    page.insert_text((72, 130), "La commune confirme l'installation de caméras.", fontsize=10)
    document = add(pdf.tobytes(), "letter.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    published = files.read(files.derived_path(document, "published.pdf"))
    text = _every_extraction(published)
    assert "Dubois" not in text and "06 12 34 56 78" not in text
    assert "Rapport sur les caméras" in text and "confirme l'installation" in text
    rendered = pymupdf.open(stream=published).load_page(0).get_pixmap(dpi=DPI)
    scale = DPI / 72
    accepted = Redaction.objects.filter(page__document=document, status="accepted")
    assert accepted.exists()
    for redaction in accepted:
        for x0, y0, x1, y1 in redaction.rects:
            # A row 15 % from the top and one 15 % from the bottom of the box, each dark
            # over most of the box's width (the band alone left them white).
            for y in (y0 + 0.15 * (y1 - y0), y1 - 0.15 * (y1 - y0)):
                row = [
                    rendered.pixel(int(x * scale), int(y * scale))[0]
                    for x in [x0 + (x1 - x0) * i / 20 for i in range(1, 20)]
                ]
                assert sum(v < 60 for v in row) >= 17, (redaction.text, y, row)
