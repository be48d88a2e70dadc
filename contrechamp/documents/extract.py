"""From the bytes of an original to a PDF whose pages can be read, rendered and OCR'd.

The type is decided from the content, never from the file name. A PDF is its own
rendition; images become a PDF page per frame; e-mails, word-processor files, HTML and
plain text are laid out as an A4 PDF from their text, so every document has pages with
the same numbering in the viewer, the search index and the citations.

Every failure a person can act on is a `DocumentError` with a message that says what is
wrong with the file; anything else is a bug and is reported as such by the caller.
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from xml.etree import ElementTree

import pymupdf

# Word-processor parts larger than this once decompressed are refused (zip bombs).
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000


class DocumentError(Exception):
    """A problem with the file itself, explained for the person who sent it."""


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


def sniff(data: bytes) -> Sniffed:
    """The kind of document from its first bytes."""
    if not data.strip():
        raise DocumentError("The file is empty.")
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
    if head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise DocumentError(
            "Old Word (.doc) and RTF files are not handled; save the file as .docx, .odt "
            "or PDF and send it again."
        )
    text = _decode(head)
    if text is None:
        raise DocumentError("This type of file is not handled (binary content of unknown type).")
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


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Sniffed(
                    "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype == "application/vnd.oasis.opendocument.text":
                    return Sniffed("odt", mimetype)
    except zipfile.BadZipFile as error:
        raise DocumentError(f"The archive is damaged ({error}).") from error
    raise DocumentError(
        "This type of file is not handled (a ZIP archive that is neither .docx nor .odt); "
        "send the files it contains one by one."
    )


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


def render(kind: str, data: bytes, *, max_attachments: int) -> Rendition:
    """The PDF to read for a document of `kind`, with what else the original carries."""
    if kind == "pdf":
        return Rendition(pdf=None)
    if kind == "image":
        return Rendition(pdf=_image_pdf(data))
    if kind == "email":
        return _email(data, max_attachments=max_attachments)
    if kind == "docx":
        return Rendition(pdf=text_pdf(_docx_blocks(data)))
    if kind == "odt":
        return Rendition(pdf=text_pdf(_odt_blocks(data)))
    if kind == "html":
        blocks = html_blocks(_decode(data) or "")
        return Rendition(pdf=text_pdf(blocks))
    if kind == "text":
        text = _decode(data) or ""
        return Rendition(pdf=text_pdf([("p", part) for part in re.split(r"\n\s*\n", text)]))
    raise DocumentError("This type of file is not handled.")


def open_pdf(data: bytes, *, max_pages: int, max_side: float) -> pymupdf.Document:
    """Open a PDF and refuse what cannot or should not be processed."""
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
        needs_password = document.needs_pass or document.is_encrypted
        pages = 0 if needs_password else document.page_count
    except Exception as error:  # PyMuPDF raises its own types and RuntimeError
        if "number of pages" in str(error):
            raise DocumentError(
                "The PDF claims an impossible number of pages; it is refused as a probable "
                "malicious or broken file."
            ) from error
        raise DocumentError(f"The PDF cannot be read: it is damaged ({error}).") from error
    if needs_password:
        raise DocumentError(
            "The PDF is protected by a password; ask the sender for an unprotected copy."
        )
    if pages == 0:
        raise DocumentError("The PDF has no readable page: it is damaged or empty.")
    if pages > max_pages:
        raise DocumentError(
            f"The PDF claims {pages} pages, more than the limit of {max_pages}; it is "
            "refused as a probable malicious or broken file."
        )
    for number in range(document.page_count):
        try:
            rect = document[number].rect
        except Exception as error:
            raise DocumentError(f"Page {number + 1} of the PDF is damaged ({error}).") from error
        if rect.width > max_side or rect.height > max_side or rect.is_empty:
            raise DocumentError(
                f"Page {number + 1} measures {rect.width:.0f} × {rect.height:.0f} points, "
                f"outside the accepted sizes (up to {max_side:.0f}); the file is refused."
            )
    return document


def _image_pdf(data: bytes) -> bytes:
    try:
        image = pymupdf.open(stream=data)
        # Decompression bombs: refuse frames of absurd pixel counts before decoding them.
        for number in range(image.page_count):
            rect = image[number].rect
            if rect.width * rect.height > 200_000_000:
                raise DocumentError(
                    f"Image frame {number + 1} is {rect.width:.0f} × {rect.height:.0f} "
                    "pixels, too large to process."
                )
        pdf: bytes = image.convert_to_pdf()
    except DocumentError:
        raise
    except Exception as error:
        raise DocumentError(f"The image cannot be read: it is damaged ({error}).") from error
    return pdf


def _email(data: bytes, *, max_attachments: int) -> Rendition:
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
            blocks += [("p", part) for part in re.split(r"\n\s*\n", content)]
    attachments: list[Attachment] = []
    for part in message.iter_attachments():
        if len(attachments) >= max_attachments:
            raise DocumentError(
                f"The e-mail carries more than {max_attachments} attachments; it is refused."
            )
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else part.get_payload()
            payload = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
            name = part.get_filename() or "message.eml"
        else:
            payload = part.get_payload(decode=True) or b""
            name = part.get_filename() or "attachment"
        if payload:
            attachments.append(Attachment(filename=name[:255], data=payload))
    if attachments:
        names = ", ".join(a.filename for a in attachments)
        blocks.append(("meta", f"Pièces jointes : {names}"))
    return Rendition(pdf=text_pdf(blocks), date=sent, attachments=attachments, title=subject)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _zip_xml(data: bytes, name: str) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > MAX_XML_BYTES:
                raise DocumentError("The document's text is too large once decompressed.")
            with archive.open(info) as handle:
                raw = handle.read(MAX_XML_BYTES + 1)
        return ElementTree.fromstring(raw)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as error:
        raise DocumentError(f"The document is damaged ({error}).") from error


def _docx_blocks(data: bytes) -> list[tuple[str, str]]:
    root = _zip_xml(data, "word/document.xml")
    blocks = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        heading = style is not None and "heading" in (style.get(f"{_W}val") or "").lower()
        blocks.append(("h2" if heading else "p", "".join(parts)))
    return blocks


def _odt_blocks(data: bytes) -> list[tuple[str, str]]:
    root = _zip_xml(data, "content.xml")

    def text_of(node: ElementTree.Element) -> str:
        parts = [node.text or ""]
        for child in node:
            if child.tag == f"{_TEXT}s":
                parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
            elif child.tag == f"{_TEXT}tab":
                parts.append("\t")
            elif child.tag == f"{_TEXT}line-break":
                parts.append("\n")
            elif child.tag not in (f"{_TEXT}note",):
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    blocks = []
    for node in root.iter():
        if node.tag == f"{_TEXT}h":
            blocks.append(("h2", text_of(node)))
        elif node.tag == f"{_TEXT}p":
            blocks.append(("p", text_of(node)))
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
        if not self.skipping:
            self.current.append(data)


def html_blocks(markup: str) -> list[tuple[str, str]]:
    """Paragraphs and headings of an HTML page; scripts, styles and remote content
    are dropped, nothing is fetched."""
    parser = _HtmlText()
    parser.feed(markup[:MAX_TEXT_CHARS])
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


def text_pdf(blocks: list[tuple[str, str]]) -> bytes:
    """Lay text blocks out on A4 pages (the rendition of documents that are not PDFs)."""
    total = 0
    parts = []
    for tag, text in blocks:
        text = text.strip("\n")
        if not text.strip():
            continue
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise DocumentError("The document holds more text than can be processed.")
        escaped = html.escape(text)
        if tag == "meta":
            parts.append(f'<p class="meta">{escaped}</p>')
        elif tag in ("h1", "h2"):
            parts.append(f"<{tag}>{escaped}</{tag}>")
        else:
            parts.append(f"<p>{escaped}</p>")
    if not parts:
        raise DocumentError("The document contains no text.")
    story = pymupdf.Story(html="<body>" + "".join(parts) + "</body>", user_css=_CSS)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    mediabox = pymupdf.paper_rect("a4")
    where = mediabox + (56, 56, -56, -56)
    more = True
    while more:
        device = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    return buffer.getvalue()
