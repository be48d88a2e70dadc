"""Where the bytes of documents live: originals by content hash, derived files (the PDF
rendition, page images, the published copy) by document. Through Django's storage API,
so an object store can replace the local disk by configuration.

The published copy is the library's: the redaction app writes it (through its gate) at
`published_path`, and everyone reads it through `publication_of` and `published_file`."""

from __future__ import annotations

import os
import re
import secrets
import time
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from contrechamp.documents.models import Document, Publication


def original_path(sha256: str) -> str:
    return f"documents/originals/{sha256[:2]}/{sha256}"


def derived_path(document: Document, name: str) -> str:
    return f"documents/derived/{document.sha256[:2]}/{document.sha256}/{name}"


def save(path: str, data: bytes | File) -> None:
    """Write `path` whole; an existing file with that name is replaced (derived files are
    recomputed whole, never appended to). A `File` is copied a chunk at a time.

    On the local disk the bytes go to a temporary name beside `path`, which is then
    renamed over it: a request reading `path` meanwhile gets the old file or the new one,
    never a part (a page image read while another request was still writing it was served
    empty), and two requests saving the same name leave one file, not a second one under
    a name the storage made up. An object store writes an object whole by itself."""
    content = data if isinstance(data, File) else ContentFile(data)
    try:
        final = default_storage.path(path)
    except NotImplementedError:
        if default_storage.exists(path):
            default_storage.delete(path)
        _save_or_remove(path, content)
        return
    temporary = f"{path}.{secrets.token_hex(8)}{_PART}"
    _save_or_remove(temporary, content)
    try:
        os.replace(default_storage.path(temporary), final)
    except BaseException:
        default_storage.delete(temporary)
        raise


_PART = ".part"
# The temporary name `save` writes to: the final name, 16 hex digits, ".part".
_PART_NAME = re.compile(r".\.[0-9a-f]{16}\.part\Z")


def partial_writes_sweep(older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove the temporary files of writes a killed process never finished (`save`
    renames a finished one into place at once): left there, a part of a private file (a
    request's attachment, an original) would outlive its deletion and go into backups.
    Only on the local disk; returns how many were removed."""
    try:
        root = default_storage.path("")
    except NotImplementedError:
        return 0
    limit = time.time() - older_than.total_seconds()
    removed = 0
    for directory, _subdirs, names in os.walk(root):
        for name in names:
            if not _PART_NAME.search(name):
                continue
            path = os.path.join(directory, name)
            try:
                if os.stat(path).st_mtime <= limit:
                    os.remove(path)
                    removed += 1
            except FileNotFoundError:  # renamed into place, or removed, meanwhile
                continue
    return removed


def _save_or_remove(path: str, content: File) -> None:
    try:
        saved = default_storage.save(path, content)
    except BaseException:
        # A write stopped half-way (disk full) leaves part of the file: an original is
        # named by its hash and never written twice, so a part left there would stand for
        # the whole file at the next upload of the same content.
        if default_storage.exists(path):
            default_storage.delete(path)
        raise
    if saved != path:
        # Another request wrote the same name meanwhile (an object store without the
        # local rename): its file is whole and stands; the copy under a made-up name goes.
        default_storage.delete(saved)


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
