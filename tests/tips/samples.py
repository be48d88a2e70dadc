"""Files that carry identifying metadata, built byte by byte so each test knows exactly
which values must be gone from what is stored. Every planted value contains SECRET."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import pymupdf

SECRET_VALUES = (
    b"Jean SECRET",
    b"SECRETCAM",
    b"SECRET-PHONE",
    b"SECRET comment",
    b"SECRET xmp",
    b"SECRET png",
)


def _pixmap() -> pymupdf.Pixmap:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 48, 32), False)
    pix.set_rect(pix.irect, (200, 120, 40))
    return pix


def _exif() -> bytes:
    """A little-endian TIFF structure: IFD0 with Make, Model, Artist and a GPS IFD with
    latitude and longitude."""

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")

    make, model, artist = b"SECRETCAM\0", b"SECRET-PHONE\0", b"Jean SECRET\0"
    ifd0_count, gps_count = 4, 4
    ifd0_size = 2 + 12 * ifd0_count + 4
    gps_size = 2 + 12 * gps_count + 4
    data_start = 8 + ifd0_size + gps_size
    blobs = bytearray()

    def place(blob: bytes) -> bytes:
        offset = data_start + len(blobs)
        blobs.extend(blob)
        return struct.pack("<I", offset)

    gps_offset = 8 + ifd0_size
    ifd0 = struct.pack("<H", ifd0_count)
    ifd0 += entry(0x010F, 2, len(make), place(make))
    ifd0 += entry(0x0110, 2, len(model), place(model))
    ifd0 += entry(0x013B, 2, len(artist), place(artist))
    ifd0 += entry(0x8825, 4, 1, struct.pack("<I", gps_offset))
    ifd0 += struct.pack("<I", 0)
    latitude = struct.pack("<6I", 48, 1, 51, 1, 2934, 100)
    longitude = struct.pack("<6I", 2, 1, 17, 1, 4012, 100)
    gps = struct.pack("<H", gps_count)
    gps += entry(0x0001, 2, 2, b"N\0")
    gps += entry(0x0002, 5, 3, place(latitude))
    gps += entry(0x0003, 2, 2, b"E\0")
    gps += entry(0x0004, 5, 3, place(longitude))
    gps += struct.pack("<I", 0)
    return b"Exif\0\0" + b"II*\0" + struct.pack("<I", 8) + ifd0 + gps + bytes(blobs)


XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>SECRET xmp</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def jpeg_with_gps_and_xmp() -> bytes:
    """A JPEG with an EXIF block (camera, author, GPS position), an XMP packet naming a
    creator, and a comment."""
    plain = _pixmap().tobytes("jpeg")
    assert plain[:2] == b"\xff\xd8"
    segments = (
        _segment(0xE1, _exif())
        + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP)
        + _segment(0xFE, b"SECRET comment")
    )
    return plain[:2] + segments + plain[2:]


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_with_text() -> bytes:
    """A PNG with tEXt (Author), iTXt (XMP) and zTXt chunks before its image data."""
    plain = _pixmap().tobytes("png")
    head, rest = plain[:33], plain[33:]  # signature and IHDR
    extra = (
        _chunk(b"tEXt", b"Author\0Jean SECRET")
        + _chunk(b"tEXt", b"Comment\0SECRET png")
        + _chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP)
    )
    return head + extra + rest


def _text_pdf() -> pymupdf.Document:
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "Contrat de videosurveillance algorithmique, lot 2.")
    page.insert_text((72, 96), "Montant: 120 000 euros. Camera intelligente.")
    return pdf


def pdf_with_metadata() -> bytes:
    """A text PDF whose Info dictionary names an author and creator, with XMP, a
    document-level JavaScript and an attached file."""
    pdf = _text_pdf()
    pdf.set_metadata(
        {
            "author": "Jean SECRET",
            "creator": "SECRETCAM Writer",
            "producer": "SECRET-PHONE",
            "title": "Contrat",
        }
    )
    pdf.set_xml_metadata(XMP.decode())
    pdf.embfile_add("notes.txt", b"SECRET comment", filename="notes.txt")
    catalog = pdf.pdf_catalog()
    js = pdf.get_new_xref()
    pdf.update_object(js, "<< /S /JavaScript /JS (app.alert\\('SECRET comment'\\);) >>")
    pdf.xref_set_key(catalog, "OpenAction", f"{js} 0 R")
    return pdf.tobytes()


def pdf_with_incremental_metadata() -> bytes:
    """A clean PDF, then an incremental update that adds the author and the XMP stream:
    a reader that takes the first revision only would miss them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "update.pdf"
        path.write_bytes(_text_pdf().tobytes())
        with pymupdf.open(path) as pdf:
            pdf.set_metadata({"author": "Jean SECRET", "creator": "SECRETCAM Writer"})
            pdf.set_xml_metadata(XMP.decode())
            pdf.saveIncr()
        data = path.read_bytes()
    assert data.count(b"%%EOF") == 2
    return data


def _zip(members: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, members[first], compress_type=zipfile.ZIP_STORED)
        for name, payload in members.items():
            if name != first:
                archive.writestr(name, payload, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_creator() -> bytes:
    """A Word document whose core properties name a creator and last editor, whose app
    properties name a company, with a comment and tracked changes by named authors."""
    return _zip(
        {
            "[Content_Types].xml": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                b'package.relationships+xml"/>'
                b'<Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/word/document.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                b'<Override PartName="/word/comments.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                b'<Override PartName="/docProps/core.xml" ContentType="application/'
                b'vnd.openxmlformats-package.core-properties+xml"/>'
                b'<Override PartName="/docProps/app.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                b"</Types>"
            ),
            "_rels/.rels": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                b'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/extended-properties" '
                b'Target="docProps/app.xml"/>'
                b"</Relationships>"
            ),
            "word/_rels/document.xml.rels": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/comments" Target="comments.xml"/>'
                b"</Relationships>"
            ),
            "word/document.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                "<w:p><w:r><w:t>Note interne sur les cameras intelligentes du marche.</w:t>"
                "</w:r></w:p>"
                '<w:p><w:ins w:id="5" w:author="Jean SECRET" w:date="2025-03-12T09:14:00Z">'
                "<w:r><w:t>Ajout du lot 3.</w:t></w:r></w:ins>"
                '<w:del w:id="6" w:author="SECRET-PHONE"><w:r><w:delText>x</w:delText></w:r>'
                "</w:del></w:p>"
                '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Montant 80 000 euros.</w:t>'
                '</w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
                "</w:p></w:body></w:document>"
            ).encode(),
            "word/comments.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><w:comments {_W}>'
                '<w:comment w:id="0" w:author="Jean SECRET" w:initials="JS">'
                "<w:p><w:r><w:t>A verifier</w:t></w:r></w:p></w:comment></w:comments>"
            ).encode(),
            "docProps/core.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                b"<dc:creator>Jean SECRET</dc:creator>"
                b"<cp:lastModifiedBy>SECRET-PHONE</cp:lastModifiedBy>"
                b"</cp:coreProperties>"
            ),
            "docProps/app.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'extended-properties"><Company>SECRETCAM</Company></Properties>'
            ),
        }
    )


def odt_with_author() -> bytes:
    """An OpenDocument text whose meta.xml names its initial creator and last editor,
    with a comment by a named author."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    text = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                b'manifest:1.0" manifest:version="1.2">'
                b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                b'vnd.oasis.opendocument.text"/>'
                b'<manifest:file-entry manifest:full-path="content.xml" '
                b'manifest:media-type="text/xml"/>'
                b'<manifest:file-entry manifest:full-path="meta.xml" '
                b'manifest:media-type="text/xml"/>'
                b"</manifest:manifest>"
            ),
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} '
                f'{text} office:version="1.2"><office:body><office:text>'
                "<text:p>Compte rendu: capteurs audio installes place du marche."
                '<office:annotation xmlns:dc="http://purl.org/dc/elements/1.1/">'
                "<dc:creator>SECRET comment</dc:creator><dc:date>2025-03-12T09:14:00</dc:date>"
                "<text:p>A verifier</text:p></office:annotation></text:p>"
                "</office:text></office:body></office:document-content>"
            ).encode(),
            "meta.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {office} '
                'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">'
                "<office:meta><meta:initial-creator>Jean SECRET</meta:initial-creator>"
                "<dc:creator>SECRET-PHONE</dc:creator>"
                "<meta:generator>SECRETCAM Office</meta:generator>"
                "</office:meta></office:document-meta>"
            ).encode(),
        },
        first="mimetype",
    )


def leaks(data: bytes) -> list[bytes]:
    """The planted values still found in `data`, raw or inside a compressed zip member
    or PDF stream."""
    haystacks = [data]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            haystacks += [archive.read(name) for name in archive.namelist()]
    if b"%PDF" in data[:1024]:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            for xref in range(1, pdf.xref_length()):
                if pdf.xref_is_stream(xref):
                    try:
                        haystacks.append(pdf.xref_stream(xref) or b"")
                    except Exception:
                        haystacks.append(pdf.xref_stream_raw(xref) or b"")
                haystacks.append((pdf.xref_object(xref) or "").encode("latin-1", "replace"))
            haystacks.append(str(pdf.metadata).encode())
    return sorted({value for value in SECRET_VALUES for hay in haystacks if value in hay})
