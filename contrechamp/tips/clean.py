"""Metadata removed from a tip's files before they are stored anywhere.

The type of a file is read from its content (the library's `sniff`), never from its name
or the type the browser declared, and each type has one cleaner; a type without one is
refused. Chosen by testing on crafted files (tests/tips/test_clean.py):

- Images (JPEG, PNG, TIFF) and office documents (.docx, .odt): mat2, the reference tool
  of Tails (Debian package `mat2`). It re-encodes images from their pixels, so EXIF,
  XMP, IPTC, GPS, comments and thumbnails go, and rewrites office documents without
  their properties (docProps, meta.xml), comments (with their authors), tracked changes
  and revision ids.
- PDF: PyMuPDF, as the redaction app scrubs a published copy. mat2 either renders the
  pages to pictures (the text is lost, OCR has to guess it back) or, with
  `--lightweight`, keeps the text but also keeps the EXIF of a JPEG photo pasted into a
  page; PyMuPDF keeps the text and drops the Info dictionary, the XMP streams, scripts,
  attached and embedded files, annotation authors, and the APP segments of JPEG
  pictures whatever filters wrap them (JPEG 2000 pictures and JPEGs behind filters
  not undone are re-encoded from their pixels), and writes one fresh revision (an
  incremental update goes with the rest).
- Plain text carries no metadata and is kept as it is.

Work happens in a private temporary folder removed at once; the original bytes are
never written to the storage nor to the database.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pymupdf
from django.utils.translation import gettext as _

from contrechamp.documents.extract import MAX_XML_BYTES, DocumentError, sniff
from contrechamp.lib.jpeg import pdf_pictures_without_metadata

MAT2_TIMEOUT = 300
_HEAD = 4096


class CannotClean(Exception):
    """The file cannot be cleaned (a type without a cleaner, or a damaged file); the
    message is for the sender, in their language."""


@dataclass
class Cleaned:
    path: Path
    kind: str
    extension: str


# Sniffed kind and MIME type -> the extension the cleaner reads the type from.
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/plain": ".txt",
}


def refused_type_message() -> str:
    return _(
        "This type of file cannot be sent with a tip, because its metadata cannot be "
        "removed with certainty. Accepted: PDF, JPEG, PNG, TIFF, Word (.docx), "
        "OpenDocument text (.odt) and plain text. Save it in one of these formats, or "
        "take a screenshot of it."
    )


def clean_file(source: Iterable[bytes], folder: Path) -> Cleaned:
    """Write `source` (the chunks of an upload) into `folder`, and return the cleaned
    copy beside it. Raises CannotClean with a message for the sender."""
    raw = folder / "received"
    with raw.open("wb") as handle:
        for chunk in source:
            handle.write(chunk)
    with raw.open("rb") as handle:
        head = handle.read(_HEAD)
    try:
        # The first bytes tell the type, except for ZIP archives, read whole (bounded by
        # the size limit of uploads) to tell .docx from .odt from anything else.
        sniffed = sniff(raw.read_bytes() if head.startswith(b"PK") else head)
    except DocumentError as error:
        raise CannotClean(refused_type_message()) from error
    extension = _EXTENSIONS.get(sniffed.mime)
    if extension is None:
        raise CannotClean(refused_type_message())
    typed = folder / f"file{extension}"
    raw.rename(typed)
    if extension == ".txt":
        return Cleaned(typed, sniffed.kind, extension)
    if extension == ".pdf":
        return Cleaned(clean_pdf(typed), sniffed.kind, extension)
    cleaned = run_mat2(typed)
    if extension == ".odt":
        cleaned = odf_without_authors(cleaned)
    return Cleaned(cleaned, sniffed.kind, extension)


def run_mat2(path: Path) -> Path:
    """mat2 on `path` (its extension names the type); the cleaned file. Members of an
    office document mat2 does not know (comments.xml, people.xml) are left out rather
    than kept."""
    program = shutil.which("mat2")
    if program is None:
        raise CannotClean(
            _("Files cannot be cleaned on this server right now; send the text alone.")
        )
    try:
        done = subprocess.run(
            [program, "--unknown-members", "omit", str(path)],
            capture_output=True,
            timeout=MAT2_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CannotClean(_("The file took too long to clean; it was not kept.")) from error
    cleaned = path.with_name(f"{path.stem}.cleaned{path.suffix}")
    if done.returncode != 0 or not cleaned.exists() or cleaned.stat().st_size == 0:
        raise CannotClean(
            _(
                "The file could not be read to remove its metadata (damaged, or not what its "
                "type says); it was not kept."
            )
        )
    return cleaned


_DC = "http://purl.org/dc/elements/1.1/"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
# Inside the content of an OpenDocument file: who wrote a comment or a tracked change,
# and when. mat2 drops meta.xml but keeps these (measured: a comment's <dc:creator>).
_ODF_PEOPLE = {f"{{{_DC}}}creator", f"{{{_DC}}}date", f"{{{_META}}}creator-initials"}
_ODF_PARTS = ("content.xml", "styles.xml")


def _xml_without_people(data: bytes) -> bytes:
    # The document's own prefixes are kept (ElementTree would write ns0:, ns1:...).
    for _event, (prefix, uri) in ElementTree.iterparse(io.BytesIO(data), events=("start-ns",)):
        ElementTree.register_namespace(prefix, uri)
    root = ElementTree.fromstring(data)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in _ODF_PEOPLE:
                parent.remove(child)
    return ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")


def odf_without_authors(path: Path) -> Path:
    """The OpenDocument file at `path` rewritten without the authors and dates of its
    comments and tracked changes; the "mimetype" member first and stored, as ODF wants."""
    cleaned = path.with_name(f"authors-removed{path.suffix}")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(cleaned, "w") as target:
            for info in source.infolist():
                if info.filename in _ODF_PARTS and info.file_size > MAX_XML_BYTES:
                    raise CannotClean(refused_type_message())
                data = source.read(info.filename)
                if info.filename in _ODF_PARTS:
                    data = _xml_without_people(data)
                compression = (
                    zipfile.ZIP_STORED if info.filename == "mimetype" else (zipfile.ZIP_DEFLATED)
                )
                target.writestr(info.filename, data, compress_type=compression)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError) as error:
        raise CannotClean(
            _(
                "The file could not be read to remove its metadata (damaged, or not what its "
                "type says); it was not kept."
            )
        ) from error
    return cleaned


# Structures of a PDF that can carry names besides the pages' content, as in the
# redaction app's published copies, but keeping what a reader of the tip needs: the
# outline, the structure tree and the forms' values stay; scripts, actions, private
# application data, attached files and metadata streams go.
_CATALOG_KEYS = (
    "OpenAction",
    "AA",
    "Names",
    "PieceInfo",
    "SpiderInfo",
    "Collection",
    "Perms",
    "Legal",
    "Metadata",
)
_OBJECT_KEYS = ("PieceInfo", "AA", "Metadata", "OPI")
_ANNOTATION_KEYS = ("T", "M", "CreationDate")


def _drop_keys(pdf: pymupdf.Document, xref: int, keys: tuple[str, ...]) -> None:
    present = [key for key in keys if pdf.xref_get_key(xref, key)[0] != "null"]
    if not present:
        return
    for key in present:
        pdf.xref_set_key(xref, key, "null")
    if not pdf.xref_is_stream(xref):
        pattern = r"/(?:" + "|".join(present) + r")\s*null\b"
        pdf.update_object(xref, re.sub(pattern, "", pdf.xref_object(xref, compressed=True)))


def clean_pdf(path: Path) -> Path:
    """A new single-revision PDF beside `path` with the same pages and text, without
    metadata, scripts, attached files, annotation authors or JPEG application segments."""
    cleaned = path.with_name("cleaned.pdf")
    try:
        pdf = pymupdf.open(path, filetype="pdf")
    except Exception as error:
        raise CannotClean(
            _("The PDF could not be read to remove its metadata; it was not kept.")
        ) from error
    with pdf:
        if pdf.needs_pass:
            raise CannotClean(
                _("The PDF is protected by a password; send it without the password.")
            )
        try:
            pdf.scrub(
                attached_files=True,
                clean_pages=True,
                embedded_files=True,
                hidden_text=False,
                javascript=True,
                metadata=True,
                redactions=False,
                remove_links=False,
                reset_fields=False,
                reset_responses=True,
                thumbnails=True,
                xml_metadata=True,
            )
            for index in range(pdf.page_count):
                for xref, *_kind in pdf[index].annot_xrefs():
                    # The author and dates of a comment; its text is the sender's to give.
                    _drop_keys(pdf, xref, _ANNOTATION_KEYS)
            for name in pdf.embfile_names():
                pdf.embfile_del(name)
            pdf.set_metadata({})
            pdf.del_xml_metadata()
            _drop_keys(pdf, pdf.pdf_catalog(), _CATALOG_KEYS)
            for xref in range(1, pdf.xref_length()):
                if pdf.xref_object(xref, compressed=True) in ("", "null"):
                    continue
                _drop_keys(pdf, xref, _OBJECT_KEYS)
            # A picture that cannot be decoded raises ValueError: the file is refused
            # below, not kept as it is.
            pdf_pictures_without_metadata(pdf)
            # A full rewrite: earlier revisions and unreferenced objects are not copied.
            pdf.save(cleaned, garbage=4, deflate=True, clean=True, incremental=False)
        except CannotClean:
            raise
        except Exception as error:
            raise CannotClean(
                _("The PDF could not be read to remove its metadata; it was not kept.")
            ) from error
    return cleaned


def private_folder() -> tempfile.TemporaryDirectory[str]:
    """A folder only this process's user can read, removed when the block ends."""
    return tempfile.TemporaryDirectory(prefix="contrechamp-tip-")
