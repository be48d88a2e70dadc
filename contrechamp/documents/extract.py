"""From the bytes of an original to a PDF whose pages can be read, rendered and OCR'd.

The type is decided from the content, never from the file name. A PDF is its own
rendition; images become a PDF page per frame; e-mails, word-processor files, HTML and
plain text are laid out as an A4 PDF from their text, so every document has pages with
the same numbering in the viewer, the search index and the citations.

Every failure a person can act on is a `DocumentError` with a message that says what is
wrong with the file; anything else is a bug and is reported as such by the caller.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import html
import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import IO
from xml.etree import ElementTree

import pymupdf

from contrechamp.documents.reasons import Reasoned

# Limits on what a file may make the worker build. Each is checked while reading, before
# the thing it limits is built: a 668-byte .odt may declare a hundred million spaces, a
# 400 kB PNG four billion pixels, a 50 kB zip member a gigabyte of XML.
# Markup (a word-processor part once decompressed, an HTML page) larger than this is
# refused; what is read of it is parsed as a stream, paragraph by paragraph.
MAX_XML_BYTES = 50 * 1024 * 1024
# Text of one document, all pages together (a 1,500-page report is ~5 million characters).
MAX_TEXT_CHARS = 5_000_000
# One run of repeated spaces (ODF `text:s text:c`): writers use it for indentation, never
# for more than a line's worth; longer runs are shortened, not refused.
MAX_REPEAT = 1_000
# Elements of one paragraph (runs, tabs, breaks, notes...) and nesting of elements: a real
# paragraph has hundreds at most; the whole paragraph is held in memory while it is read.
MAX_PARAGRAPH_ELEMENTS = 100_000
MAX_XML_DEPTH = 256
# Entries of a ZIP archive and size of its central directory (a .docx holds tens of
# entries, a few thousand with many images); read before the directory is parsed.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
# Pixels of one image frame, read from its header before it is decoded: up to 320 MB
# once decoded in RGBA; an A1 plan scanned at 300 dpi (70 million) still fits.
MAX_IMAGE_PIXELS = 80_000_000
# Pages of a rendition laid out from text (the same default as DOCUMENT_MAX_PAGES).
DEFAULT_MAX_PAGES = 5000
_CHUNK = 1024 * 1024


class DocumentError(Reasoned):
    """A problem with the file itself, explained for the person who sent it: one of
    `reasons.REASONS` (`str()` in English, `translated()` in the reader's language)."""


class _Budget:
    """Characters a document may still produce; spent as text is built, so a file that
    declares more stops at the limit instead of after building it."""

    def __init__(self, limit: int = MAX_TEXT_CHARS) -> None:
        self.left = limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise DocumentError("too_much_text")


@dataclass
class Attachment:
    filename: str
    data: bytes


@dataclass
class Sniffed:
    kind: str
    mime: str


@dataclass
class Rendition:
    pdf: bytes | None  # None when the original is itself the PDF to read
    date: date | None = None
    attachments: list[Attachment] = field(default_factory=list)
    title: str = ""


_EMAIL_HEADERS = re.compile(
    rb"^(received|from|to|subject|date|message-id|mime-version|return-path|delivered-to|"
    rb"x-[a-z0-9-]+|reply-to|cc|content-type|dkim-signature|arc-[a-z-]+|"
    rb"authentication-results|thread-topic|thread-index|in-reply-to|references)\s*:",
    re.IGNORECASE,
)


def is_blank(data: bytes) -> bool:
    """Whether `data` holds nothing but white space and byte-order marks: an empty file,
    which the library refuses (`services.document_ingest`)."""
    return not data.replace(b"\xef\xbb\xbf", b"").strip()


def sniff(data: bytes) -> Sniffed:
    """The kind of document from its first bytes."""
    if not data.strip():
        raise DocumentError("empty")
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return Sniffed("pdf", "application/pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed("image", "image/tiff")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc, .xls, .ppt, .msg
        raise DocumentError("old_office")
    if head.startswith(b"{\\rtf"):
        raise DocumentError("rtf")
    text = _decode(head)
    if text is None or _mostly_control(text):
        raise DocumentError("unknown_binary")
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html")) or re.search(
        r"<(html|body|head)[\s>]", stripped[:1024]
    ):
        return Sniffed("html", "text/html")
    lines = data.lstrip().split(b"\n", 30)[:30]
    header_lines = [line for line in lines if _EMAIL_HEADERS.match(line)]
    if lines and _EMAIL_HEADERS.match(lines[0]) and len(header_lines) >= 3:
        return Sniffed("email", "message/rfc822")
    return Sniffed("text", "text/plain")


# What reading a damaged archive raises: a member raises what its decompressor raises
# (zlib.error, an OSError of bz2, lzma.LZMAError), an encrypted one RuntimeError.
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)


# Control characters no text holds (white space aside): a binary file without a zero
# byte decodes as Windows-1252 or Latin-1 all the same, and showed as pages of garbage.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


def _mostly_control(text: str) -> bool:
    return len(_CONTROL.findall(text)) > 0.05 * max(len(text), 1)


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with _zip(data) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Sniffed(
                    "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            if "mimetype" in names:
                # Only the first bytes: the member may be a decompression bomb.
                with archive.open("mimetype") as handle:
                    mimetype = handle.read(100).decode("ascii", "replace").strip()
                if mimetype == "application/vnd.oasis.opendocument.text":
                    return Sniffed("odt", mimetype)
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    raise DocumentError("spreadsheet")  # .ods, .odp, .odg
            if names & {"xl/workbook.xml", "ppt/presentation.xml"}:
                raise DocumentError("spreadsheet")
    except _ZIP_DAMAGE as error:
        raise DocumentError("archive_damaged", error=error) from error
    raise DocumentError("other_archive")


def _zip(data: bytes) -> zipfile.ZipFile:
    """The archive, once its central directory is known to be of a sane size: `zipfile`
    builds an object per entry as it opens the archive, so the count is read first from
    the end-of-directory record."""
    declared: list[tuple[int, int]] = []
    # A ZIP64 archive's own end record, which `zipfile` trusts over the classic one.
    end64 = data.rfind(b"PK\x06\x06", max(0, len(data) - 65_557 - 56))
    if end64 >= 0 and len(data) >= end64 + 48:
        declared.append(struct.unpack("<QQ", data[end64 + 32 : end64 + 48]))
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end >= 0 and len(data) >= end + 16:
        # ZIP64 archives put 0xFFFF / 0xFFFFFFFF here: beyond the limits too.
        declared.append(struct.unpack("<HI", data[end + 10 : end + 16]))
    for entries, directory in declared:
        if entries > MAX_ZIP_ENTRIES or directory > MAX_ZIP_DIRECTORY_BYTES:
            raise DocumentError(
                "archive_entries", entries=entries, directory=directory, limit=MAX_ZIP_ENTRIES
            )
    return zipfile.ZipFile(io.BytesIO(data))


def _decode(data: bytes) -> str | None:
    """Text in UTF-8, or in Windows-1252 as administrations often send; None for binary."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of a sample is still UTF-8.
            if encoding == "utf-8" and error.start >= len(data) - 3:
                return data[: error.start].decode("utf-8")
    return data.decode("latin-1")


def _encoding(data: bytes) -> str:
    """UTF-8 if the whole file is valid UTF-8, else Windows-1252, else Latin-1: checked
    a chunk at a time, so no string of the whole file is ever built."""
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            for start in range(0, len(data), _CHUNK):
                decoder.decode(data[start : start + _CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _text_chunks(data: bytes) -> Iterator[str]:
    """The text of `data`, decoded a chunk at a time; nothing for binary content."""
    if b"\x00" in data:
        return
    decoder = codecs.getincrementaldecoder(_encoding(data))("replace")
    for start in range(0, len(data), _CHUNK):
        yield decoder.decode(data[start : start + _CHUNK])
    yield decoder.decode(b"", final=True)


def _plain_blocks(chunks: Iterator[str] | list[str]) -> list[tuple[str, str]]:
    """Paragraphs of plain text, refused as soon as it passes the text limit."""
    budget = _Budget()
    parts = []
    for chunk in chunks:
        budget.spend(len(chunk))
        parts.append(chunk)
    return [("p", part) for part in re.split(r"\n\s*\n", "".join(parts)) if part.strip()]


def render(
    kind: str,
    data: bytes,
    *,
    max_attachments: int,
    max_pages: int = DEFAULT_MAX_PAGES,
    attachments_withheld: str = "",
) -> Rendition:
    """The PDF to read for a document of `kind`, with what else the original carries.
    With `attachments_withheld` (the reason), an e-mail's attachments are listed but not
    returned, and the reason is written in the rendition."""
    if kind == "pdf":
        return Rendition(pdf=None)
    if kind == "image":
        return Rendition(pdf=_image_pdf(data, max_frames=max_pages))
    if kind == "email":
        return _email(
            data,
            max_attachments=max_attachments,
            max_pages=max_pages,
            withheld=attachments_withheld,
        )
    if kind == "docx":
        return Rendition(pdf=text_pdf(_docx_blocks(data), max_pages=max_pages))
    if kind == "odt":
        return Rendition(pdf=text_pdf(_odt_blocks(data), max_pages=max_pages))
    if kind == "html":
        if len(data) > MAX_XML_BYTES:
            raise _too_large_markup(len(data))
        return Rendition(pdf=text_pdf(_html_chunks_blocks(_text_chunks(data)), max_pages=max_pages))
    if kind == "text":
        return Rendition(pdf=text_pdf(_plain_blocks(_text_chunks(data)), max_pages=max_pages))
    raise DocumentError("not_handled")


def _too_large_markup(size: int) -> DocumentError:
    return DocumentError(
        "too_much_markup", size=f"{size / 1048576:.0f}", limit=MAX_XML_BYTES // 1048576
    )


def open_pdf(data: bytes, *, max_pages: int, max_side: float) -> pymupdf.Document:
    """Open a PDF and refuse what cannot or should not be processed."""
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
        needs_password = document.needs_pass or document.is_encrypted
        pages = 0 if needs_password else document.page_count
    except Exception as error:  # PyMuPDF raises its own types and RuntimeError
        if "number of pages" in str(error):
            raise DocumentError("pdf_impossible_pages") from error
        raise DocumentError("pdf_damaged", error=error) from error
    if needs_password:
        raise DocumentError("pdf_password")
    if pages == 0:
        raise DocumentError("pdf_no_page")
    if pages > max_pages:
        raise DocumentError("pdf_too_many_pages", pages=pages, limit=max_pages)
    for number in range(document.page_count):
        try:
            page = document[number]  # loaded once for its size and its images
            rect = page.rect
        except Exception as error:
            raise DocumentError("pdf_page_damaged", page=number + 1, error=error) from error
        if rect.width > max_side or rect.height > max_side or rect.is_empty:
            raise DocumentError(
                "pdf_page_size",
                page=number + 1,
                width=f"{rect.width:.0f}",
                height=f"{rect.height:.0f}",
                limit=f"{max_side:.0f}",
            )
        # Images are decoded whole when a page is rendered or OCR'd: their declared
        # size is read from the page's resources before anything is decoded.
        try:
            images = page.get_images(full=True)
        except Exception:
            images = []
        for image in images:
            width, height = int(image[2]), int(image[3])
            if width * height > MAX_IMAGE_PIXELS:
                raise DocumentError(
                    "pdf_page_image",
                    page=number + 1,
                    width=width,
                    height=height,
                    limit=MAX_IMAGE_PIXELS // 1_000_000,
                )
    return document


def _image_pdf(data: bytes, *, max_frames: int) -> bytes:
    # Decompression bombs: the pixel count comes from the file's own header (MuPDF's page
    # size is divided by the declared resolution, so a 4,800 dpi claim would hide a
    # 60,000-pixel side), checked before any frame is decoded.
    frames = image_frames(data, limit=max_frames + 1)
    if len(frames) > max_frames:
        raise DocumentError("image_frames_declared", limit=max_frames)
    for number, (width, height) in enumerate(frames, 1):
        if width * height > MAX_IMAGE_PIXELS:
            raise DocumentError(
                "image_frame_declared",
                frame=number,
                width=width,
                height=height,
                limit=MAX_IMAGE_PIXELS // 1_000_000,
            )
    try:
        image = pymupdf.open(stream=data)
        if image.page_count > max_frames:
            raise DocumentError("image_frames", limit=max_frames)
        for number in range(image.page_count):
            rect = image[number].rect
            if rect.width * rect.height > MAX_IMAGE_PIXELS:
                raise DocumentError(
                    "image_frame",
                    frame=number + 1,
                    width=f"{rect.width:.0f}",
                    height=f"{rect.height:.0f}",
                )
        pdf: bytes = image.convert_to_pdf()
    except DocumentError:
        raise
    except Exception as error:
        raise DocumentError("image_damaged", error=error) from error
    return pdf


def image_frames(data: bytes, *, limit: int) -> list[tuple[int, int]]:
    """(width, height) in pixels of each frame of a PNG, JPEG or TIFF, from its header
    (at most `limit` frames); empty when the header cannot be read (MuPDF then says
    what is wrong)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return [struct.unpack(">II", data[16:24])]
    if data.startswith(b"\xff\xd8"):
        return _jpeg_frames(data)
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return _tiff_frames(data, limit=limit)
    return []


def _jpeg_frames(data: bytes) -> list[tuple[int, int]]:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return []
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            at += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            if not height or not width:
                raise DocumentError("jpeg_no_size")
            return [(width, height)]
        if marker == 0xDA:  # image data before any frame header
            return []
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return []


def _tiff_frames(data: bytes, *, limit: int) -> list[tuple[int, int]]:
    order = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", data[4:8])
    frames: list[tuple[int, int]] = []
    seen: set[int] = set()
    while offset and offset not in seen and offset + 2 <= len(data) and len(frames) < limit:
        seen.add(offset)
        (count,) = struct.unpack(order + "H", data[offset : offset + 2])
        if count > 1000:  # real directories have tens of entries
            raise DocumentError("tiff_directory")
        size = {256: 0, 257: 0}
        for index in range(count):
            entry = data[offset + 2 + 12 * index : offset + 14 + 12 * index]
            if len(entry) < 12:
                break
            tag, kind = struct.unpack(order + "HH", entry[:4])
            if tag in size:
                size[tag] = (
                    struct.unpack(order + "H", entry[8:10])[0]
                    if kind == 3
                    else struct.unpack(order + "I", entry[8:12])[0]
                )
        frames.append((size[256], size[257]))
        after = offset + 2 + 12 * count
        offset = (
            struct.unpack(order + "I", data[after : after + 4])[0] if after + 4 <= len(data) else 0
        )
    return frames


def _email(data: bytes, *, max_attachments: int, max_pages: int, withheld: str) -> Rendition:
    try:
        return _email_parts(
            data, max_attachments=max_attachments, withheld=withheld, max_pages=max_pages
        )
    except RecursionError as error:
        # The e-mail package walks nested MIME parts recursively.
        raise DocumentError("email_nested") from error


def _email_parts(data: bytes, *, max_attachments: int, max_pages: int, withheld: str) -> Rendition:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    headers = []
    for name, label in (("From", "De"), ("To", "À"), ("Cc", "Cc"), ("Date", "Date")):
        value = message.get(name)
        if value:
            headers.append(f"{label} : {value}")
    subject = str(message.get("Subject") or "").strip()
    sent: date | None = None
    try:
        if message.get("Date"):
            sent = parsedate_to_datetime(str(message["Date"])).date()
    except (TypeError, ValueError):
        sent = None
    body = message.get_body(preferencelist=("plain", "html"))
    blocks: list[tuple[str, str]] = [("h1", subject or "(sans objet)")]
    blocks += [("meta", line) for line in headers]
    if body is not None:
        content = body.get_content()
        if body.get_content_subtype() == "html":
            blocks += html_blocks(content)
        else:
            blocks += _plain_blocks([content])
    attachments: list[Attachment] = []
    names: list[str] = []
    empty: list[str] = []
    for part in message.iter_attachments():
        if len(names) >= max_attachments:
            raise DocumentError("email_attachments", limit=max_attachments)
        if part.get_content_type() == "message/rfc822":
            name = part.get_filename() or "message.eml"
        else:
            name = part.get_filename() or "attachment"
        names.append(name[:255])
        if withheld:
            continue
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else part.get_payload()
            payload = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        else:
            payload = part.get_payload(decode=True) or b""
        if not is_blank(payload):
            attachments.append(Attachment(filename=name[:255], data=payload))
        else:
            # Named on the e-mail's page, not stored: the library refuses an empty file.
            empty.append(name[:255])
    if withheld and names:
        blocks.append(("meta", f"Pièces jointes non extraites ({withheld}) : {', '.join(names)}"))
    elif attachments or empty:
        listed = ", ".join([*(a.filename for a in attachments), *(f"{n} (vide)" for n in empty)])
        blocks.append(("meta", f"Pièces jointes : {listed}"))
    return Rendition(
        pdf=text_pdf(blocks, max_pages=max_pages), date=sent, attachments=attachments, title=subject
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class _Capped(io.RawIOBase):
    """A zip member that refuses to yield more than `limit` bytes, whatever its header
    declared."""

    def __init__(self, handle: IO[bytes], limit: int) -> None:
        self.handle, self.left = handle, limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(_CHUNK if size is None or size < 0 else size)
        self.left -= len(data)
        if self.left < 0:
            raise DocumentError("decompressed")
        return data


def _paragraphs(
    data: bytes, member: str, is_paragraph: Callable[[ElementTree.Element], bool]
) -> Iterator[ElementTree.Element]:
    """Each outermost paragraph of an XML member of the archive, once it is complete.
    The member is parsed as a stream and what has been read is dropped from the tree,
    so memory holds one paragraph, never the document (a 50 kB member may inflate to
    millions of elements)."""
    try:
        with _zip(data) as archive:
            info = archive.getinfo(member)
            if info.file_size > MAX_XML_BYTES:
                raise DocumentError("decompressed")
            with archive.open(info) as raw:
                stack: list[ElementTree.Element] = []
                depth = 0  # paragraphs open
                elements = 0  # elements of the outermost paragraph open
                events = ElementTree.iterparse(_Capped(raw, MAX_XML_BYTES), ("start", "end"))
                for event, element in events:
                    if event == "start":
                        stack.append(element)
                        if len(stack) > MAX_XML_DEPTH:
                            raise DocumentError("xml_depth")
                        if depth:
                            elements += 1
                            if elements > MAX_PARAGRAPH_ELEMENTS:
                                raise DocumentError(
                                    "paragraph_elements", limit=MAX_PARAGRAPH_ELEMENTS
                                )
                        if is_paragraph(element):
                            depth += 1
                        continue
                    stack.pop()
                    if is_paragraph(element):
                        depth -= 1
                    if depth == 0:
                        if is_paragraph(element):
                            yield element
                            elements = 0
                        if stack:
                            # Read: drop it (it is its parent's last child).
                            stack[-1].remove(element)
    except (KeyError, ElementTree.ParseError, *_ZIP_DAMAGE) as error:
        raise DocumentError("document_damaged", error=error) from error


def _docx_blocks(data: bytes) -> list[tuple[str, str]]:
    budget = _Budget()
    blocks = []
    for outer in _paragraphs(data, "word/document.xml", lambda e: e.tag == f"{_W}p"):
        # Nested paragraphs (text boxes) are read with the paragraph that holds them and
        # again on their own, as before streaming.
        for paragraph in outer.iter(f"{_W}p"):
            parts = []
            for node in paragraph.iter():
                if node.tag == f"{_W}t" and node.text:
                    part = node.text
                elif node.tag == f"{_W}tab":
                    part = "\t"
                elif node.tag in (f"{_W}br", f"{_W}cr"):
                    part = "\n"
                else:
                    continue
                budget.spend(len(part))
                parts.append(part)
            style = paragraph.find(f"{_W}pPr/{_W}pStyle")
            heading = style is not None and "heading" in (style.get(f"{_W}val") or "").lower()
            text = "".join(parts)
            if text.strip():
                blocks.append(("h2" if heading else "p", text))
    return blocks


def _repeat(value: str | None) -> int:
    """A repeat count from the file, within 1..MAX_REPEAT whatever it says."""
    try:
        return max(1, min(int(value or "1"), MAX_REPEAT))
    except ValueError:
        return 1


def _odt_blocks(data: bytes) -> list[tuple[str, str]]:
    budget = _Budget()

    def text_of(node: ElementTree.Element) -> str:
        parts: list[str] = []

        def add(piece: str) -> None:
            budget.spend(len(piece))
            parts.append(piece)

        add(node.text or "")
        for child in node:
            if child.tag == f"{_TEXT}s":
                add(" " * _repeat(child.get(f"{_TEXT}c")))
            elif child.tag == f"{_TEXT}tab":
                add("\t")
            elif child.tag == f"{_TEXT}line-break":
                add("\n")
            elif child.tag not in (f"{_TEXT}note",):
                parts.append(text_of(child))  # spent piece by piece inside
            add(child.tail or "")
        return "".join(parts)

    paragraph_tags = (f"{_TEXT}h", f"{_TEXT}p")
    blocks = []
    for outer in _paragraphs(data, "content.xml", lambda e: e.tag in paragraph_tags):
        for node in outer.iter():
            if node.tag in paragraph_tags:
                text = text_of(node)
                if text.strip():
                    blocks.append(("h2" if node.tag == f"{_TEXT}h" else "p", text))
    return blocks


class _HtmlText(HTMLParser):
    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "header",
        "footer",
    }
    SKIP = {"script", "style", "head", "title", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = _Budget()
        self.blocks: list[tuple[str, str]] = []
        self.current: list[str] = []
        self.tag = "p"
        self.skipping = 0

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append((self.tag, text))
        self.current = []
        self.tag = "p"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.flush()
            if tag in ("h1", "h2", "h3"):
                self.tag = "h2"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.budget.spend(len(data))
            self.current.append(data)
        elif not self.skipping and data:
            self.current.append(" ")


def html_blocks(markup: str) -> list[tuple[str, str]]:
    """Paragraphs and headings of an HTML page; scripts, styles and remote content
    are dropped, nothing is fetched."""
    if len(markup) > MAX_XML_BYTES:
        raise _too_large_markup(len(markup))
    return _html_chunks_blocks(
        markup[start : start + _CHUNK] for start in range(0, len(markup), _CHUNK)
    )


def _html_chunks_blocks(chunks: Iterator[str]) -> list[tuple[str, str]]:
    parser = _HtmlText()
    for chunk in chunks:
        parser.feed(chunk)
    parser.close()
    parser.flush()
    return parser.blocks


_CSS = """
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 15pt; margin: 0 0 8pt 0; }
h2 { font-size: 12.5pt; margin: 10pt 0 4pt 0; }
p { margin: 0 0 6pt 0; white-space: pre-wrap; }
p.meta { color: #444444; margin: 0 0 2pt 0; }
"""


_UNBREAKABLE_SPACE = re.compile(
    r"(?<=\d)[ \t](?=\d{3}(?!\d))|(?<=\d)[ \t](?=(?:€|%|euros?\b|EUR\b|[kM]€))", re.I
)


def text_pdf(blocks: list[tuple[str, str]], *, max_pages: int = DEFAULT_MAX_PAGES) -> bytes:
    """Lay text blocks out on A4 pages (the rendition of documents that are not PDFs),
    refused as soon as it passes `max_pages` (a text of blank lines makes a page of
    every sixty characters)."""
    total = 0
    parts = []
    for tag, text in blocks:
        text = text.strip("\n")
        if not text.strip():
            continue
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise DocumentError("too_much_text")
        # A number's groups, and a number and its unit, are not broken across two lines:
        # "1 245 000 €" laid out as "de 1" then "245 000 €" was read as 245 000 € (a new
        # user's walk). Their spaces become no-break spaces.
        text = _UNBREAKABLE_SPACE.sub("\u00a0", text)
        escaped = html.escape(text)
        if tag == "meta":
            parts.append(f'<p class="meta">{escaped}</p>')
        elif tag in ("h1", "h2"):
            parts.append(f"<{tag}>{escaped}</{tag}>")
        else:
            parts.append(f"<p>{escaped}</p>")
    if not parts:
        raise DocumentError("no_text")
    story = pymupdf.Story(html="<body>" + "".join(parts) + "</body>", user_css=_CSS)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    mediabox = pymupdf.paper_rect("a4")
    where = mediabox + (56, 56, -56, -56)
    more = True
    pages = 0
    while more:
        pages += 1
        if pages > max_pages:
            raise DocumentError("laid_out_pages", limit=max_pages)
        device = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    return buffer.getvalue()
