import binascii
import zlib

import pymupdf
import pytest

from contrechamp.lib.jpeg import jpeg_without_segments, pdf_pictures_without_metadata
from tests.tips import samples


def test_it_drops_exif_xmp_and_comments_and_keeps_the_picture():
    data = samples.jpeg_with_gps_and_xmp()
    bare = jpeg_without_segments(data)
    assert samples.leaks(data) and samples.leaks(bare) == []
    before, after = pymupdf.Pixmap(data), pymupdf.Pixmap(bare)
    assert (before.width, before.height, before.samples) == (
        after.width,
        after.height,
        after.samples,
    )


def test_what_is_not_a_jpeg_comes_back_as_it_is():
    assert jpeg_without_segments(b"%PDF-1.4 Jean SECRET") == b"%PDF-1.4 Jean SECRET"
    broken = b"\xff\xd8\xff\xe1\x00\x10Jean SECRET" + b"\x00" * 3 + b"junk"
    assert jpeg_without_segments(broken) == broken


def _pdf_with_photo(wrap, filters: str, parms: str | None = None) -> tuple[bytes, int]:
    pdf = pymupdf.open()
    page = pdf.new_page()
    xref = page.insert_image(
        pymupdf.Rect(72, 100, 272, 300), stream=samples.jpeg_with_gps_and_xmp()
    )
    pdf.update_stream(xref, wrap(pdf.xref_stream_raw(xref)), compress=False)
    pdf.xref_set_key(xref, "Filter", filters)
    if parms is not None:
        pdf.xref_set_key(xref, "DecodeParms", parms)
    return pdf.tobytes(), xref


def _png_of(data: bytes) -> bytes:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return pdf[0].get_pixmap(dpi=36).tobytes("png")


@pytest.mark.parametrize(
    "wrap, filters, parms",
    [
        (lambda raw: raw, "/DCTDecode", None),
        (zlib.compress, "[/FlateDecode /DCTDecode]", None),
        (lambda raw: zlib.compress(binascii.hexlify(raw)), "[/Fl /AHx /DCT]", None),
        # A chain this module does not undo (a predictor): re-encoded from its pixels.
        (zlib.compress, "[/FlateDecode /DCTDecode]", "[<</Predictor 1>> null]"),
        (lambda raw: raw, "[/DCTDecode /ASCIIHexDecode]", None),
    ],
    ids=["alone", "flate", "flate-hex", "predictor", "jpeg-first"],
)
def test_a_pdfs_photo_loses_its_exif_whatever_filters_wrap_it(wrap, filters, parms):
    data, xref = _pdf_with_photo(wrap, filters, parms)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        raw = pdf.xref_stream_raw(xref)
    peeled = raw if raw[:2] == b"\xff\xd8" else zlib.decompress(raw)
    peeled = peeled if peeled[:2] == b"\xff\xd8" else binascii.unhexlify(peeled)
    assert all(value in peeled for value in samples.SECRET_VALUES[:2])
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        pdf_pictures_without_metadata(pdf)
        assert pdf.xref_get_key(xref, "Filter") == ("name", "/DCTDecode")
        for value in samples.SECRET_VALUES:
            assert value not in pdf.xref_stream_raw(xref)
        cleaned = pdf.tobytes()
    assert samples.leaks(cleaned) == []
    # Still a picture every reader shows (the same, or nearly once re-encoded).
    with pymupdf.open(stream=cleaned, filetype="pdf") as pdf:
        picture = pymupdf.Pixmap(pdf, xref)
        assert (picture.width, picture.height) == (48, 32)


def test_a_picture_that_cannot_be_decoded_is_refused_or_blanked():
    """A JPEG 2000 (or anything under a picture filter) MuPDF cannot decode: its
    metadata cannot be removed with certainty, so it is not kept as it is."""
    data, xref = _pdf_with_photo(lambda raw: b"\x00\x00\x00\x0cjP  SECRET", "/JPXDecode")
    with pymupdf.open(stream=data, filetype="pdf") as pdf, pytest.raises(ValueError):
        pdf_pictures_without_metadata(pdf)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        pdf_pictures_without_metadata(pdf, blank_undecodable=True)
        assert b"SECRET" not in pdf.tobytes()
        assert pymupdf.Pixmap(pdf, xref).width == 1


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
