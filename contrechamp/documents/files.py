"""Where the bytes of documents live: originals by content hash, derived files (the PDF
rendition, page images) by document. Through Django's storage API, so an object store
can replace the local disk by configuration."""

from __future__ import annotations

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from contrechamp.documents.models import Document


def original_path(sha256: str) -> str:
    return f"documents/originals/{sha256[:2]}/{sha256}"


def derived_path(document: Document, name: str) -> str:
    return f"documents/derived/{document.sha256[:2]}/{document.sha256}/{name}"


def save(path: str, data: bytes | File) -> None:
    """Write `path` once; an existing file with that name is replaced (derived files are
    recomputed whole, never appended to). A `File` is copied a chunk at a time."""
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, data if isinstance(data, File) else ContentFile(data))


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
