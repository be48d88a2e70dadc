"""Hostile review 56: what a photo's EXIF keeps when its JPEG is wrapped in a second
filter inside a PDF (a tip's file, a published copy).

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import zlib

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.documents.models import Document
from tests.documents.conftest import library  # noqa: F401
from tests.tips import samples
from tests.tips.helpers import send

pytestmark = pytest.mark.django_db


def _photo_page_pdf() -> bytes:
    """A page of text with a phone photo of a camera, the photo's JPEG (EXIF: camera,
    author, GPS position; an XMP creator; a comment) stored with two filters,
    [/FlateDecode /DCTDecode] -- a JPEG compressed once more, as some producers and
    optimisers write it, and as anyone can. Every reader shows it as the same photo."""
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "Photo prise place du marché, caméra dôme.", fontsize=11)
    xref = page.insert_image(
        pymupdf.Rect(72, 100, 272, 300), stream=samples.jpeg_with_gps_and_xmp()
    )
    raw = pdf.xref_stream_raw(xref)
    pdf.update_stream(xref, zlib.compress(raw), compress=False)
    pdf.xref_set_key(xref, "Filter", "[/FlateDecode /DCTDecode]")
    return pdf.tobytes()


def _jpeg_leaks(data: bytes) -> list[bytes]:
    """The planted EXIF/XMP values in the JPEG pictures of `data`, their Flate layer
    undone (what anyone who saves the picture from the PDF gets)."""
    found = set()
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for xref in range(1, pdf.xref_length()):
            if "DCTDecode" not in pdf.xref_get_key(xref, "Filter")[1]:
                continue
            raw = pdf.xref_stream_raw(xref)
            try:
                raw = zlib.decompress(raw)
            except zlib.error:
                pass
            found |= {value for value in samples.SECRET_VALUES if value in raw}
    return sorted(found)


def test_a_tipsters_photo_in_a_pdf_loses_its_exif_whatever_its_filters(client):
    """`clean_pdf` strips the APP segments of a picture whose Filter is exactly
    /DCTDecode or [/DCTDecode]; a JPEG under [/FlateDecode /DCTDecode] keeps its EXIF
    (the tipster's phone, its serial, the GPS position where the photo was taken) and
    XMP, stored in the library as "cleaned" for every reviewer -- the tip promises
    that the metadata of its files is removed, or the file refused."""
    data = _photo_page_pdf()
    assert _jpeg_leaks(data)
    response, code = send(client, files=[("photo.pdf", data, "application/pdf")])
    assert code, response.content.decode()[:500]
    stored = files.original(Document.objects.get())
    assert _jpeg_leaks(stored) == []
