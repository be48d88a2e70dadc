"""Where the bytes of documents live: originals by content hash, derived files (the PDF
rendition, page images, the published copy) by document. Through Django's storage API,
so an object store can replace the local disk by configuration.

The published copy is the library's: the redaction app writes it (through its gate) at
`published_path`, and everyone reads it through `publication_of` and `published_file`."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
from datetime import datetime, timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from contrechamp.documents.models import Document, Publication

logger = logging.getLogger(__name__)


def original_path(sha256: str) -> str:
    return f"documents/originals/{sha256[:2]}/{sha256}"


def derived_folder(sha256: str) -> str:
    """Where the files made from the original of that hash live (one folder a file)."""
    return f"documents/derived/{sha256[:2]}/{sha256}"


def derived_path(document: Document, name: str) -> str:
    return f"{derived_folder(document.sha256)}/{name}"


def save(path: str, data: bytes | File) -> None:
    """Write `path` whole; an existing file with that name is replaced (derived files are
    recomputed whole, never appended to). A `File` is copied a chunk at a time.

    On the local disk the bytes go to a temporary name beside `path`, are flushed to the
    disk, then renamed over it: a request reading `path` meanwhile gets the old file or
    the new one, never a part (a page image read while another request was still writing
    it was served empty); two requests saving the same name leave one file, not a second
    one under a name the storage made up; a process killed or a machine stopped half-way
    leaves the old file (and a temporary one, see `partial_writes_sweep`).

    An object store (no `path`) that overwrites, as django-storages' `file_overwrite`,
    writes an object whole by itself: the new object replaces the old one, and a failed
    write leaves the old one. One that does not overwrite gets the old object deleted
    first."""
    content = data if isinstance(data, File) else ContentFile(data)
    try:
        final = default_storage.path(path)
    except NotImplementedError:
        _save_to_object_store(path, content)
        return
    temporary = f"{path}.{secrets.token_hex(8)}{_PART}"
    written = temporary
    try:
        written = default_storage.save(temporary, content)
        _flush_to_disk(default_storage.path(written))
        os.replace(default_storage.path(written), final)
    except BaseException:
        # A write stopped half-way (disk full) leaves part of the file: removed, it
        # cannot stand for the whole (an original is named by its hash and never
        # written twice).
        with contextlib.suppress(OSError):
            os.remove(default_storage.path(written))
        raise
    # The rename itself, as far as the file system can say (not all can for a folder).
    with contextlib.suppress(OSError):
        _flush_to_disk(os.path.dirname(final))


def _flush_to_disk(path: str) -> None:
    """fsync a file or a directory: after a power cut, a file renamed into place before
    its bytes reached the disk can be empty under its final name (ext4's delayed
    allocation), and an empty original is never written again."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _save_to_object_store(path: str, content: File) -> None:
    if not getattr(default_storage, "file_overwrite", False):
        if default_storage.exists(path):
            default_storage.delete(path)
    saved = default_storage.save(path, content)
    if saved != path:
        # Another request wrote the same name meanwhile: its object is whole and stands;
        # the copy under a made-up name goes.
        default_storage.delete(saved)


_PART = ".part"
# The temporary name `save` writes to: the final name, 16 hex digits, ".part".
_PART_NAME = re.compile(r".\.[0-9a-f]{16}\.part\Z")


def is_partial_write(name: str) -> bool:
    """Whether a file name is one of `save`'s temporary names (never a finished file's:
    those are hashes, `rendition.pdf`, `published.pdf`, `page-N-DPI.png`…)."""
    return bool(_PART_NAME.search(name))


def partial_writes_sweep(older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove the temporary files of writes a killed process never finished (`save`
    renames a finished one into place at once): left there, a part of a private file (a
    request's attachment, an original) would outlive its deletion. Only on the local
    disk; a file it cannot remove is logged and the sweep goes on. Returns how many were
    removed. (Their age is read against this machine's clock: a media folder shared with
    machines whose clocks differ by more than `older_than` needs a longer one.)"""
    try:
        root = default_storage.path("")
    except NotImplementedError:
        return 0
    limit = time.time() - older_than.total_seconds()
    removed = 0

    def unreadable(error: OSError) -> None:
        logger.warning("partial writes sweep: %s cannot be read: %s", error.filename, error)

    for directory, _subdirs, names in os.walk(root, onerror=unreadable):
        for name in names:
            if not is_partial_write(name):
                continue
            path = os.path.join(directory, name)
            try:
                if os.lstat(path).st_mtime <= limit:
                    os.remove(path)
                    removed += 1
            except FileNotFoundError:  # renamed into place, or removed, meanwhile
                continue
            except OSError as error:
                logger.warning("partial writes sweep: %s left: %s", path, error)
    return removed


def orphan_files_sweep(older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove the originals and derived files of documents that no longer exist: written
    by a request or a publication that raced the document's deletion (its files were
    removed once it committed, then this one wrote its own), or left by a process killed
    between the deletion's commit and the files' removal. Only on the local disk, only
    files older than `older_than` (an upload writes its original before its row commits).
    Returns how many files were removed."""
    try:
        root = default_storage.path("documents")
    except NotImplementedError:
        return 0
    limit = time.time() - older_than.total_seconds()
    found: dict[str, list[str]] = {}
    for kind in ("originals", "derived"):
        base = os.path.join(root, kind)
        for directory, _subdirs, names in os.walk(base):
            relative = os.path.relpath(directory, base).split(os.sep)
            for name in names:
                # originals/<xx>/<sha>; derived/<xx>/<sha>/<file>
                sha256 = name if kind == "originals" else relative[-1]
                if _SHA256.fullmatch(sha256):
                    found.setdefault(sha256, []).append(os.path.join(directory, name))
    if not found:
        return 0
    known: set[str] = set()
    hashes = list(found)
    for start in range(0, len(hashes), 500):
        known |= set(
            Document.objects.filter(sha256__in=hashes[start : start + 500]).values_list(
                "sha256", flat=True
            )
        )
    removed = 0
    for sha256, paths in found.items():
        # Read again just before: the same file sent meanwhile has its row now.
        if sha256 in known or Document.objects.filter(sha256=sha256).exists():
            continue
        for path in paths:
            try:
                if os.lstat(path).st_mtime <= limit:
                    os.remove(path)
                    removed += 1
            except FileNotFoundError:
                continue
            except OSError as error:
                logger.warning("orphan files sweep: %s left: %s", path, error)
        with contextlib.suppress(OSError):
            os.rmdir(default_storage.path(derived_folder(sha256)))
    return removed


_SHA256 = re.compile(r"[0-9a-f]{64}")


def read(path: str) -> bytes:
    with default_storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    return data


def delete(path: str) -> None:
    default_storage.delete(path)


def document_files_delete(sha256: str) -> None:
    """Remove a deleted document's original and every file made from it (its PDF
    rendition, page images, published copy). Whatever is missing is skipped: a deletion
    stopped half-way is finished by running it again."""
    delete(original_path(sha256))
    folder = derived_folder(sha256)
    try:
        _folders, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        names = []
    for name in names:
        delete(f"{folder}/{name}")
    # The empty folder, on the local disk (an object store has none).
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))


def touch(path: str) -> None:
    """Mark a file on the local disk as just used (its modification time), if it exists."""
    with contextlib.suppress(NotImplementedError, OSError):
        os.utime(default_storage.path(path))


def day_only(document: Document, day: datetime) -> None:
    """Give the files of `document` on the local disk (its original, and what was made
    from it so far) and its own folder the time `day` (a tip's file keeps the day it came
    only). An object store keeps its own times, which cannot be set."""
    when = day.timestamp()
    paths = [original_path(document.sha256)]
    folder = derived_folder(document.sha256)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError, NotImplementedError):
        paths += [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
        paths.append(folder)
    for path in paths:
        with contextlib.suppress(NotImplementedError, OSError):
            os.utime(default_storage.path(path), (when, when))


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
