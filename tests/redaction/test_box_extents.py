"""A redaction box covers the name it redacts, exactly: the civility before it and the
words around it stay readable in the published file.

Boxes were found by searching the page for the name and taking the n-th box PyMuPDF
returned for its n-th occurrence; PyMuPDF returns one box per stretch of a hit without a
wide gap, so on a justified line ("Jean Martin" with wide spaces: two boxes) the n-th box
was not the n-th occurrence: "Jean" was boxed and "Martin" published, or another
occurrence's word (a civility, "et Mme") boxed instead. They are now the boxes of the
name's own characters."""

from collections import Counter

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    redactions_accept_all,
    redactions_suggest,
)
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

NAMES = ["Jean", "Martin", "Claire", "Petit"]
TEXT = (
    "Étaient présents à la séance publique du conseil M. Jean Martin et Mme Claire "
    "Petit, riverains de la place du marché. Mme Claire Petit a demandé la parole et "
    "M. Jean Martin a répondu au maire sur les caméras."
)


def _pdf(align: int, width: float) -> bytes:
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(72, 72, 72 + width, 800), TEXT, fontsize=11, align=align)
    return document.tobytes()


def _words(data: bytes) -> list[tuple[pymupdf.Rect, str]]:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return [(pymupdf.Rect(w[:4]), w[4]) for w in pdf[0].get_text("words")]


def _under(word: pymupdf.Rect, box: list[float]) -> bool:
    """Whether a box reaches into a word of its line."""
    x0, y0, x1, y1 = box
    middle = (word.y0 + word.y1) / 2
    return min(word.x1, x1) - max(word.x0, x0) > 0.5 and y0 - 2 < middle < y1 + 2


@pytest.mark.parametrize(
    "align, width",
    [(pymupdf.TEXT_ALIGN_JUSTIFY, 230), (pymupdf.TEXT_ALIGN_LEFT, 230)],
    ids=["justified", "left"],
)
def test_the_box_covers_the_name_and_nothing_else(reviewer, align, width):
    data = _pdf(align, width)
    document = add(data, "pv.pdf")
    redactions_suggest(document=document)
    # Each box holds the words of its name, whole, and no other word.
    words = _words(data)
    for redaction in Redaction.objects.of(document):
        covered = [
            word.strip(",.") for rect, word in words for box in redaction.rects if _under(rect, box)
        ]
        assert " ".join(covered) == " ".join(redaction.text.split()), (redaction.text, covered)
    redactions_accept_all(document=document, user=reviewer)
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons

    # The published file: no word of a name, and every other word as it was (the
    # civilities, "et", the punctuation after a name).
    published = [word for _rect, word in _words(files.read(files.published_path(document)))]
    original = [word for _rect, word in words]
    expected = Counter(w for w in original if w.strip(",.") not in NAMES)
    expected.update("," for w in original if w == "Petit,")
    assert Counter(published) == expected
    assert Counter(published)["M."] == 2 and Counter(published)["Mme"] == 2
