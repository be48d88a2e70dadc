"""The application segments of a JPEG, where cameras and editors write EXIF (camera,
GPS position, dates, thumbnail), XMP, IPTC and comments. Used by the redaction app on
the pictures of a published copy and by tips on the pictures inside a PDF."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

import pymupdf


def jpeg_without_segments(data: bytes) -> bytes:
    """A JPEG without its comments and application segments but APP14 (Adobe: how
    its colours are stored). The picture is the same; the text a camera or an editor
    wrote in it (names, places, dates) is gone. Returned as it is if it cannot be read."""
    bare = _without_segments(data)
    return data if bare is None else bare


def _without_segments(data: bytes) -> bytes | None:
    """`jpeg_without_segments`, or None for what cannot be read as a JPEG."""
    if data[:2] != b"\xff\xd8":
        return None
    out = bytearray(data[:2])
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            out += data[position:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[position : position + 2]
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and marker != 0xEE):
            pass  # a comment or an application segment
        else:
            out += segment
        position += 2 + length
    return None


# The filters a picture's JPEG may be wrapped in before its DCTDecode (a JPEG compressed
# once more, as some producers and optimisers write it), that are undone here to reach
# its segments. Their short names are those of inline images, which readers accept too.
def _undo_flate(data: bytes) -> bytes:
    return zlib.decompress(data)


def _undo_hex(data: bytes) -> bytes:
    text = re.sub(rb"\s", b"", data).split(b">", 1)[0]
    return binascii.unhexlify(text + b"0" * (len(text) % 2))


def _undo_a85(data: bytes) -> bytes:
    text = re.sub(rb"\s", b"", data).removeprefix(b"<~").split(b"~>", 1)[0]
    return base64.a85decode(text)


def _undo_run_length(data: bytes) -> bytes:
    out, position = bytearray(), 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            out += data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            out += data[position + 1 : position + 2] * (257 - length)
            position += 2
    return bytes(out)


_UNDO = {
    "FlateDecode": _undo_flate,
    "Fl": _undo_flate,
    "ASCIIHexDecode": _undo_hex,
    "AHx": _undo_hex,
    "ASCII85Decode": _undo_a85,
    "A85": _undo_a85,
    "RunLengthDecode": _undo_run_length,
    "RL": _undo_run_length,
}
_JPEG = ("DCTDecode", "DCT")
# Pictures whose own encoding can carry text: a JPEG (EXIF, XMP, IPTC, comments) and a
# JPEG 2000 (XML and UUID boxes, comments in its codestream).
_WITH_METADATA = {*_JPEG, "JPXDecode"}


def _filters(pdf: pymupdf.Document, xref: int) -> list[str]:
    kind, value = pdf.xref_get_key(xref, "Filter")
    if kind == "name":
        return [value.lstrip("/")]
    if kind == "array":
        return re.findall(r"/([^\s/\[\]]+)", value)
    return []


def _decode_parms(pdf: pymupdf.Document, xref: int, count: int) -> list[str]:
    """The DecodeParms of each of the `count` filters ("null" where it has none)."""
    kind, value = pdf.xref_get_key(xref, "DecodeParms")
    if kind == "null":
        return ["null"] * count
    if kind == "array":
        items = re.findall(r"<<.*?>>|null", value, flags=re.S)
        return items if len(items) == count else []
    return [value] if count == 1 else []


def pdf_pictures_without_metadata(
    pdf: pymupdf.Document, *, blank_undecodable: bool = False
) -> None:
    """Remove, in place, the text a camera or an editor wrote inside the pictures of
    `pdf`. A JPEG, under /DCTDecode alone or at the end of a chain of filters undone
    here ([/FlateDecode /DCTDecode]...), loses its comments and application segments
    and is stored under /DCTDecode alone: the same picture, not re-encoded. Any other
    picture with a JPEG or a JPEG 2000 in its filters (a chain with /LZWDecode or a
    predictor, /JPXDecode, a JPEG that cannot be read) is re-encoded from its pixels as
    a plain JPEG: some quality, and a JPEG 2000's own transparency, are lost, the price
    of being sure (a JPEG 2000's boxes and codestream comments are not parsed here).
    A picture that cannot be decoded at all raises ValueError, for the caller to refuse
    the file rather than keep it as it is, or with `blank_undecodable` becomes a white
    one of a pixel."""
    for xref in range(1, pdf.xref_length()):
        if not pdf.xref_is_stream(xref) or pdf.xref_get_key(xref, "Subtype")[1] != "/Image":
            continue
        filters = _filters(pdf, xref)
        if not _WITH_METADATA.intersection(filters):
            continue
        parms = _decode_parms(pdf, xref, len(filters))
        bare = _jpeg_of(pdf, xref, filters, parms)
        if bare is None:
            try:
                _reencode(pdf, xref)
            except ValueError:
                if not blank_undecodable:
                    raise
                _reencode(pdf, xref, blank=True)
        elif len(filters) > 1 or bare != pdf.xref_stream_raw(xref):
            pdf.update_stream(xref, bare, compress=False)
            pdf.xref_set_key(xref, "Filter", "/DCTDecode")
            pdf.xref_set_key(xref, "DecodeParms", parms[-1])


def _jpeg_of(
    pdf: pymupdf.Document, xref: int, filters: list[str], parms: list[str]
) -> bytes | None:
    """The JPEG of picture `xref` without its segments, its other filters undone; None
    when it is not a JPEG last behind filters undone here, or cannot be read."""
    if filters[-1] not in _JPEG or len(parms) != len(filters):
        return None
    # A predictor (the DecodeParms of a Flate filter) is not undone here.
    if any(
        name not in _UNDO or parm != "null"
        for name, parm in zip(filters[:-1], parms[:-1], strict=True)
    ):
        return None
    raw = pdf.xref_stream_raw(xref)
    try:
        for name in filters[:-1]:
            raw = _UNDO[name](raw)
    except (zlib.error, binascii.Error, ValueError):
        return None
    return _without_segments(raw)


def _reencode(pdf: pymupdf.Document, xref: int, *, blank: bool = False) -> None:
    """The picture `xref` replaced by a JPEG written from its pixels, in the colours
    MuPDF decodes it to (grey, RGB or CMYK); by a white pixel if `blank`."""
    try:
        if blank:
            pixmap = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 1, 1), 0)
            pixmap.clear_with(255)
        else:
            pixmap = pymupdf.Pixmap(pdf, xref)
        if pixmap.alpha:
            pixmap = pymupdf.Pixmap(pixmap, 0)
        if pixmap.n not in (1, 3, 4):
            pixmap = pymupdf.Pixmap(pymupdf.csRGB, pixmap)
        data = pixmap.tobytes("jpeg", jpg_quality=92)
    except Exception as error:  # MuPDF's errors for a picture it cannot decode
        raise ValueError(f"picture {xref} cannot be decoded") from error
    spaces = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}
    pdf.update_stream(xref, data, compress=False)
    pdf.xref_set_key(xref, "Filter", "/DCTDecode")
    for key in ("DecodeParms", "SMaskInData", "Decode"):
        pdf.xref_set_key(xref, key, "null")
    pdf.xref_set_key(xref, "ColorSpace", spaces[pixmap.n])
    pdf.xref_set_key(xref, "BitsPerComponent", "8")
    pdf.xref_set_key(xref, "Width", str(pixmap.width))
    pdf.xref_set_key(xref, "Height", str(pixmap.height))
