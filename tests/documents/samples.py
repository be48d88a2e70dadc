"""Files of every kind the library accepts (and refuses), built in code so the tests say
exactly what they contain."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from email.message import EmailMessage

import pymupdf

SCAN_TEXT = (
    "Commune de Saint-Étienne\n\n"
    "Le conseil municipal approuve l'installation de capteurs sonores\n"
    "dans le quartier de Tarentaize pour un montant de 45 000 euros."
)


def text_pdf(pages: list[str], *, title: str = "") -> bytes:
    document = pymupdf.open()
    for text in pages:
        page = document.new_page(width=595, height=842)
        page.insert_htmlbox(
            pymupdf.Rect(56, 56, 539, 786), "<p>" + text.replace("\n", "<br>") + "</p>"
        )
    if title:
        document.set_metadata({"title": title, "creationDate": "D:20190312000000"})
    return document.tobytes()


def page_image(text: str, *, dpi: int = 200) -> pymupdf.Pixmap:
    """A page of text as pixels, as a scanner would give it."""
    source = pymupdf.open()
    page = source.new_page(width=595, height=842)
    page.insert_htmlbox(
        pymupdf.Rect(56, 56, 539, 786),
        "<p style='font-size:14pt'>" + text.replace("\n", "<br>") + "</p>",
    )
    return page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)


def scanned_pdf(texts: list[str]) -> bytes:
    """Pages that are only images: no text layer at all."""
    document = pymupdf.open()
    for text in texts:
        pixmap = page_image(text)
        page = document.new_page(width=595, height=842)
        page.insert_image(page.rect, pixmap=pixmap)
    return document.tobytes()


def mixed_pdf(text_page: str, scanned_page: str) -> bytes:
    document = pymupdf.open(stream=text_pdf([text_page]), filetype="pdf")
    page = document.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=page_image(scanned_page))
    return document.tobytes()


def png(text: str) -> bytes:
    return page_image(text).tobytes("png")


def jpeg(text: str) -> bytes:
    return page_image(text).tobytes("jpg")


def tiff(texts: list[str]) -> bytes:
    """A multi-page TIFF (uncompressed 8-bit grey, one strip per page)."""
    frames = [page_image(t, dpi=150) for t in texts]
    out = io.BytesIO()
    out.write(b"II*\x00")
    offset_position = out.tell()
    out.write(b"\x00\x00\x00\x00")
    for frame in frames:
        pixels = frame.samples
        data_offset = out.tell()
        out.write(pixels)
        if out.tell() % 2:
            out.write(b"\x00")
        ifd_offset = out.tell()
        out.seek(offset_position)
        out.write(struct.pack("<I", ifd_offset))
        out.seek(ifd_offset)
        entries = [
            (256, 4, 1, frame.width),
            (257, 4, 1, frame.height),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, data_offset),
            (277, 3, 1, 1),
            (278, 4, 1, frame.height),
            (279, 4, 1, len(pixels)),
        ]
        out.write(struct.pack("<H", len(entries)))
        for tag, kind, count, value in entries:
            out.write(struct.pack("<HHII", tag, kind, count, value))
        offset_position = out.tell()
        out.write(b"\x00\x00\x00\x00")
    return out.getvalue()


def eml(
    body: str,
    attachment: bytes,
    *,
    filename: str = "deliberation.pdf",
    subject: str = "Réponse à votre demande CADA",
) -> bytes:
    message = EmailMessage()
    message["From"] = "Mairie <courrier@mairie.example.fr>"
    message["To"] = "collectif@example.org"
    message["Subject"] = subject
    message["Date"] = "Tue, 12 Mar 2019 10:00:00 +0100"
    message.set_content(body)
    message.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes()


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxml'
        f'formats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def odt(paragraphs: list[str]) -> bytes:
    body = "".join(f"<text:p>{_xml(p)}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
        'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
        f'opendocument:xmlns:text:1.0"><office:body><office:text>{body}</office:text>'
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return out.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encrypted_pdf() -> bytes:
    document = pymupdf.open(stream=text_pdf(["Document confidentiel"]), filetype="pdf")
    return document.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="secret"
    )


def page_count_bomb() -> bytes:
    """A PDF whose page tree claims a billion pages."""
    raw = pymupdf.open(stream=text_pdf(["x" * 40]), filetype="pdf").tobytes(deflate=False)
    return re.sub(rb"/Count 1\b", b"/Count 999999999", raw)


def page_size_bomb() -> bytes:
    """A PDF with one page nine million points wide (rendering it would need terabytes)."""
    raw = text_pdf(["x" * 40])
    raw = pymupdf.open(stream=raw, filetype="pdf").tobytes(deflate=False)
    return re.sub(rb"/MediaBox\s*\[0 0 595 842\]", b"/MediaBox [0 0 9000000 9000000]", raw)
