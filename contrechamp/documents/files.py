"""Where the bytes of documents live: originals by content hash, derived files (the PDF
rendition, page images, the published copy) by document. Through Django's storage API,
so an object store can replace the local disk by configuration.

The published copy is the library's: the redaction app writes it (through its gate) at
`published_path`, and everyone reads it through `publication_of` and `published_file`."""

from __future__ import annotations

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from contrechamp.documents.models import Document, Publication


def original_path(sha256: str) -> str:
    return f"documents/originals/{sha256[:2]}/{sha256}"


def derived_path(document: Document, name: str) -> str:
    return f"documents/derived/{document.sha256[:2]}/{document.sha256}/{name}"


def save(path: str, data: bytes | File) -> None:
    """Write `path` once; an existing file with that name is replaced (derived files are
    recomputed whole, never appended to). A `File` is copied a chunk at a time."""
    if default_storage.exists(path):
        default_storage.delete(path)
    try:
        default_storage.save(path, data if isinstance(data, File) else ContentFile(data))
    except BaseException:
        # A write stopped half-way (disk full) leaves part of the file: an original is
        # named by its hash and never written twice, so a part left there would stand for
        # the whole file at the next upload of the same content.
        if default_storage.exists(path):
            default_storage.delete(path)
        raise


def read(path: str) -> bytes:
    with default_storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    return data


def delete(path: str) -> None:
    default_storage.delete(path)


def exists(path: str) -> bool:
    return bool(default_storage.exists(path))


def original(document: Document) -> bytes:
    return read(original_path(document.sha256))


def rendition(document: Document) -> bytes:
    """The PDF that pages are read from: the original itself for PDFs."""
    if document.kind == "pdf":
        return original(document)
    return read(derived_path(document, "rendition.pdf"))


def published_path(document: Document) -> str:
    return derived_path(document, "published.pdf")


def publication_of(document: Document) -> Publication | None:
    """The publication in force, if the document is published."""
    if not document.is_public:
        return None
    return Publication.objects.filter(document=document, accepted=True).first()


def published_file(document: Document) -> bytes | None:
    """The published copy's bytes; None while the document is not published."""
    if publication_of(document) is None:
        return None
    path = published_path(document)
    return read(path) if exists(path) else None
