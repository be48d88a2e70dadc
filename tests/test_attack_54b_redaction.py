"""Hostile review 54b: the mends of review 54 (OCR of stamped scans and unmapped glyphs,
flattened publication, entities hidden under a redaction).

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents.conftest import add, library, tesseract  # noqa: F401
from tests.test_attack_54_redaction import (
    _suggested,
    assert_published_without,
    assert_the_name_is_read,
    sole_trader_accepted,
    without_unicode_maps,
)

pytestmark = pytest.mark.django_db

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LETTER = (
    "Courrier de Monsieur Jean Dupont\n"
    "Rue des Lilas a Saint-Etienne\n"
    "Objet : videoprotection du quartier\n"
    "Le maire refuse la demande."
)


def _unmapped_words() -> bytes:
    """The letter of review 54 whose font lost its ToUnicode map, written as most
    producers write it: word by word, spaces made by positioning, not by a drawn space
    glyph (Word, LaTeX, most report generators). Its text layer reads
    "&RXUULHU GH 0RQVLHXU -HDQ 'XSRQW": gibberish, but of printable characters."""
    font = pymupdf.Font(fontfile=DEJAVU)
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_font(fontname="dj", fontfile=DEJAVU)
    y = 100
    for line in LETTER.split("\n"):
        x = 72.0
        for word in line.split(" "):
            page.insert_text((x, y), word, fontname="dj", fontsize=12)
            x += font.text_length(word + " ", fontsize=12)
        y += 24
    return without_unicode_maps(pdf.tobytes())


def test_unmapped_glyphs_without_drawn_spaces_are_still_read_for_personal_data(
    tesseract,  # noqa: F811
):
    """`garbled` counts control characters: with glyphs drawn word by word the only
    ones of review 54's sample (the space glyph, \\x03) are gone, the layer is printable
    gibberish, the page stays "text", the name is never suggested nor searchable and is
    published as drawn."""
    assert_the_name_is_read(_unmapped_words())


SOLE_TRADER = (
    "Délibération du conseil municipal de Saint-Étienne. Le marché de vidéoprotection est "
    "attribué à la société Durand Sécurité pour 45 000 € HT. Le conseil autorise le maire "
    "à signer le marché."
)


def test_a_name_under_a_box_drawn_by_hand_is_not_served_as_an_entity(client, reviewer):
    """The reviewer hides the sole trader's name by drawing a box over it (the tool for
    what detection did not find as text). The box has no start nor end, and `unredacted`
    compares offsets only: "Durand Sécurité" is still served to every visitor by the
    published page and /api/v1/documents/<id>/entities, though the copy shows a black
    box where it was (the gate accepts it)."""
    from contrechamp.documents import files
    from contrechamp.redaction.services import redaction_draw

    document = sole_trader_accepted(SOLE_TRADER, reviewer)
    with pymupdf.open(stream=files.rendition(document), filetype="pdf") as pdf:
        (hit,) = pdf[0].search_for("Durand Sécurité")
    redaction_draw(
        page=document.pages.get(),
        rect=[hit.x0 - 1, hit.y0 - 1, hit.x1 + 1, hit.y1 + 1],
        user=reviewer,
    )
    assert_published_without(client, document, reviewer, "Durand")


def _texture(*, base: int, spread: int, tint: tuple[int, int, int] = (2, 3, 4)) -> pymupdf.Pixmap:
    """A grainy picture (granite, recycled paper, a photo's sky): what a designer puts
    behind a cover page or a poster."""
    import random

    rnd = random.Random(1)
    data = bytearray()
    for _ in range(850 * 600):
        n = rnd.randint(0, spread)
        data += bytes((base + n // tint[0], base + n // tint[1], base + n // tint[2]))
    return pymupdf.Pixmap(pymupdf.csRGB, 600, 850, bytes(data), False)


def _cover(background: pymupdf.Pixmap, colour: tuple[float, float, float], footer: str) -> bytes:
    """A legitimate text PDF: a cover page, its title and a press contact drawn as text
    (under 200 characters) over a full-page picture. Not a scan: its text layer is
    exactly what it shows."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=background)
    page.insert_text((50, 200), "Vidéoprotection urbaine", fontsize=30, color=colour)
    page.insert_text(
        (50, 240), "Bilan annuel 2024 - Ville de Saint-Étienne", fontsize=16, color=colour
    )
    page.insert_text((50, 800), footer, fontsize=9, color=colour)
    return pdf.tobytes()


WHITE, BLACK = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)


def _dark() -> pymupdf.Pixmap:
    return _texture(base=30, spread=90, tint=(3, 2, 1))


def test_a_cover_page_keeps_the_address_it_shows_suggested_for_redaction(
    tesseract,  # noqa: F811
    reviewer,
):
    """Under 200 characters of text over a picture covering the page: `_stamped_scan`
    takes a cover page (white letters over a dark picture) for a scan with a stamp. Its
    exact text layer is thrown away for Tesseract's reading, "jean.dupont@orange:fr":
    the address, suggested from the text layer before, is found by nothing (the phone
    number is). The reviewer keeps the press office's number; the copy is published
    flattened, as a picture that shows the address, with an OCR layer the gate compares
    with the same OCR: accepted."""
    footer = "Contact presse : jean.dupont@orange.fr - 06 12 34 56 78"
    document = add(_cover(_dark(), WHITE, footer), "bilan-2024.pdf")
    page = document.pages.get()
    redactions_suggest(document=document)
    suggested = _suggested(document)
    if "jean.dupont@orange.fr" not in suggested:
        Redaction.objects.of(document).filter(status="suggested").update(status="rejected")
        publication = document_publish(document=document, user=reviewer, no_redactions=True)
        raise AssertionError(
            f"address not suggested ({page.method}: {page.text!r}); "
            f"the copy showing it published: {publication.accepted}"
        )


def test_a_cover_page_over_a_grainy_picture_keeps_its_text_and_can_be_published(
    tesseract,  # noqa: F811
    reviewer,
):
    """Black letters over a grainy picture (granite, recycled paper): OCR reads nothing
    of it, the page becomes "empty" (text ""): its title is lost to search and to the
    entities (the commune is no longer suggested), the address is never suggested. And
    the reviewer who keeps everything readable (a press contact) can no longer publish
    it: "empty" pages are not flattened, the page keeps its text layer, and the gate
    finds letters the stored page "did not have" ("hidden"), for good."""
    from contrechamp.documents.models import Entity

    footer = "Contact presse : jean.dupont@orange.fr - 06 12 34 56 78"
    document = add(_cover(_texture(base=120, spread=120), BLACK, footer), "bilan.pdf")
    page = document.pages.get()
    communes = list(Entity.objects.filter(page=page, kind="commune").values_list("text", flat=True))
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="rejected")
    publication = document_publish(document=document, user=reviewer, no_redactions=True)
    assert "Vidéoprotection" in page.text and communes and publication.accepted, (
        page.method,
        page.text,
        communes,
        publication.reasons,
    )


def test_a_letter_of_unmapped_glyphs_read_before_the_mend_is_not_published_as_drawn(
    tesseract,  # noqa: F811
    reviewer,
):
    """Review 54's letter of unmapped glyphs, as the library holds it when it was added
    before the mend: a "text" page whose stored text is the control-character layer.
    Nothing reads such pages again (no migration, no command: `document_reprocess` is
    called by nothing, and would delete the reviewers' decisions with the pages), and
    neither the review nor the gate looks at `garbled`: nothing is suggested, the
    reviewer confirms "nothing to redact", and the gate publishes Jean Dupont's letter
    as drawn."""
    from contrechamp.documents.models import Page
    from contrechamp.documents.services import garbled
    from contrechamp.lib.text import stored_text
    from tests.test_attack_54_redaction import _shifted_glyphs

    data = _shifted_glyphs()
    document = add(data, "courrier.pdf")
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        layer = stored_text(pdf[0].get_text("text"))
    assert garbled(layer)
    # As extracted before ba8450c.
    Page.objects.filter(document=document).update(
        method="text", text=layer, words=None, ocr_confidence=None, needs_ocr=False
    )
    redactions_suggest(document=document)
    publication = document_publish(document=document, user=reviewer, no_redactions=True)
    assert not publication.accepted, "published with its name: the gate never asks garbled()"
