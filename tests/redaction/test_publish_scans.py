"""A scan that is not one picture covering the page (a scan cut into strips, a scan
placed on part of the page) under a scanner's text layer: the redacted words leave no
top or bottom of a letter in the pictures, as on a whole-page scan, and the gate
checks the edges of every box that lies on a picture."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction import services
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents.conftest import add
from tests.redaction.test_publish_leaks import DPI, SCAN_LINES, SECRETS, _glyph_pixels

pytestmark = pytest.mark.django_db

HTML = "<p style='font-size:14pt'>" + "<br>".join(SCAN_LINES) + "</p>"
TEXT_BOX = pymupdf.Rect(56, 56, 539, 786)


def _source() -> tuple[pymupdf.Document, dict[str, list[pymupdf.Rect]]]:
    source = pymupdf.open()
    page = source.new_page(width=595, height=842)
    page.insert_htmlbox(TEXT_BOX, HTML)
    pymupdf.TOOLS.set_small_glyph_heights(False)
    return source, {secret: page.search_for(secret) for secret in SECRETS}


def _strips() -> tuple[bytes, pymupdf.Matrix]:
    """The page scanned in eight strips, each its own picture, under an invisible layer."""
    source, _where = _source()
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    for i in range(8):
        band = pymupdf.Rect(0, 842 * i / 8, 595, 842 * (i + 1) / 8)
        strip = source[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, clip=band)
        page.insert_image(band, pixmap=strip)
    page.insert_htmlbox(TEXT_BOX, HTML, opacity=0)
    return pdf.tobytes(), pymupdf.Matrix(1, 1)


def _part_of_page() -> tuple[bytes, pymupdf.Matrix]:
    """The scan placed on 55 % of the page, under its invisible layer."""
    source, _where = _source()
    area = pymupdf.Rect(40, 40, 40 + 595 * 0.74, 40 + 842 * 0.74)
    layer = pymupdf.open()
    layer.new_page(width=595, height=842).insert_htmlbox(TEXT_BOX, HTML, opacity=0)
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(area, pixmap=source[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY))
    page.show_pdf_page(area, layer, 0)
    return pdf.tobytes(), pymupdf.Rect(0, 0, 595, 842).torect(area)


def _whole_page() -> tuple[bytes, pymupdf.Matrix]:
    source, _where = _source()
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=source[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY))
    page.insert_htmlbox(TEXT_BOX, HTML, opacity=0)
    return pdf.tobytes(), pymupdf.Matrix(1, 1)


LAYOUTS = {"strips": _strips, "part of the page": _part_of_page, "whole page": _whole_page}


def _publish(data: bytes) -> tuple[object, bytes]:
    document = add(data, "scan.pdf")
    assert document.pages.get().method == "text"  # the scanner's own layer is read
    redactions_suggest(document=document)
    for redaction in Redaction.objects.of(document).filter(status="suggested"):
        # The scan's pictures are not photos of people.
        redaction.status = "rejected" if redaction.kind in ("photo", "signature") else "accepted"
        redaction.save()
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    return document, files.read(files.derived_path(document, "published.pdf"))


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_no_pixel_of_a_redacted_word_stays_on_a_scan_of_any_shape(layout: str) -> None:
    data, matrix = LAYOUTS[layout]()
    _document, published = _publish(data)
    _source_, where = _source()
    original = pymupdf.open(stream=data).load_page(0).get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    rendered = pymupdf.open(stream=published)[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    for secret, rects in where.items():
        for rect in rects:
            rect = rect * matrix
            core = pymupdf.Rect(
                rect.x0, rect.y0 + 0.4 * rect.height, rect.x1, rect.y1 - 0.4 * rect.height
            )
            glyphs = _glyph_pixels(original, core)
            assert len(glyphs) > 100
            left = [(x, y) for x, y in glyphs if rendered.pixel(x, y)[0] > 16]
            # A few anti-aliased pixels at the very edge of a letter, not a letter's top.
            assert len(left) <= 0.01 * len(glyphs), (layout, secret, len(left), len(glyphs))


@pytest.mark.parametrize("layout", ["strips", "part of the page"])
def test_every_box_on_a_picture_is_checked_for_cut_letters(layout: str) -> None:
    data, _matrix = LAYOUTS[layout]()
    document = add(data, "scan.pdf")
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").exclude(
        kind__in=["photo", "signature"]
    ).update(status="accepted")
    boxes = services.applied_boxes(document)[1]
    assert boxes and all(scan for _box, scan in boxes), boxes
