"""What search filters a document on, beyond its words: its places and its date.

- A commune a reviewer accepted among the suggestions of a document joins the document's
  places (and the document is indexed again): `place=06088` then finds a text about Nice
  that nobody tagged by hand.
- A document without a date takes one from its metadata (the published or creation date
  an HTML page, a Word or OpenDocument file carries), else from the first sentence of its
  text that gives a full date, read with the date rules of entity detection.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

from contrechamp.documents import entities, files
from contrechamp.documents.models import Document, Entity

# How much of an HTML page is read for its date (the head comes first).
HTML_HEAD_BYTES = 200_000
# A member of a Word or OpenDocument file read for its date (core.xml, meta.xml).
META_MEMBER_BYTES = 1_000_000

_ISO = re.compile(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)")
_HTML_META = re.compile(
    r"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|"
    r"og:published_time|datePublished|date|dc\.date|dc\.date\.issued|dcterms\.date|"
    r"dcterms\.created|pubdate|publish-date)[\"'][^>]*>",
    re.I,
)
_CONTENT = re.compile(r"content\s*=\s*[\"']([^\"']+)[\"']", re.I)
_TIME = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", re.I)
_XML_DATES = re.compile(
    r"<(?:dcterms:created|dcterms:issued|meta:creation-date|dc:date)\b[^>]*>([^<]+)<"
)


# A month or a year alone, as W3C dates allow ("2023-05", "2023"): the whole value.
_PARTIAL = re.compile(r"\s*((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?\s*")

# A date read from a file: the first day of its period and its precision ("day", "month"
# or "year"; a month is never stored as its first day alone, a false precision).
Dated = tuple[date, str]


def _iso(value: str) -> Dated | None:
    match = _ISO.search(value)
    if not match:
        if partial := _PARTIAL.fullmatch(value):
            month = partial[2]
            return date(int(partial[1]), int(month or 1), 1), "month" if month else "year"
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), "day"
    except ValueError:
        return None


def metadata_date(kind: str, data: bytes) -> Dated | None:
    """The date an HTML page, a Word or an OpenDocument file gives itself, if any, with
    its precision: "2023-05" in the metadata is May 2023, not 1 May."""
    if kind == "html":
        head = data[:HTML_HEAD_BYTES].decode("utf-8", errors="replace")
        for tag in _HTML_META.finditer(head):
            content = _CONTENT.search(tag.group())
            found = _iso(content.group(1)) if content else None
            if found:
                return found
        time = _TIME.search(head)
        return _iso(time.group(1)) if time else None
    if kind in ("docx", "odt"):
        member = "docProps/core.xml" if kind == "docx" else "meta.xml"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                info = archive.getinfo(member)
                if info.file_size > META_MEMBER_BYTES:
                    return None
                with archive.open(info) as handle:
                    xml = handle.read(META_MEMBER_BYTES).decode("utf-8", errors="replace")
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            return None
        for match in _XML_DATES.finditer(xml):
            found = _iso(match.group(1))
            if found:
                return found
    return None


def text_date(texts: list[str]) -> date | None:
    """The first full date (day, month and year) the text gives, page by page."""
    context = entities.Context(departments=set())
    for text in texts:
        found = [
            item
            for item in entities._dates(text[:200_000], context)
            if len(item.value) == 10  # YYYY-MM-DD: a month or a year alone is no date
        ]
        if found:
            return date.fromisoformat(min(found, key=lambda item: item.start).value)
    return None


def document_date(document: Document, texts: list[str] | None = None) -> date | None:
    """The date of a document that has none: its metadata's, else its text's (`texts`:
    its pages' texts in order, when the caller has them already); the first day of its
    period when the metadata gives a month or a year."""
    found = document_date_source(document, texts)[0]
    return found[0] if found else None


def document_date_source(
    document: Document, texts: list[str] | None = None
) -> tuple[Dated | None, str]:
    """`document_date` with its precision, and where it was read: "metadata" or "text"
    (the text gives days only: a month it names is more often what it speaks of than
    its own date)."""
    if document.kind in ("html", "docx", "odt"):
        try:
            found = metadata_date(document.kind, files.original(document))
        except OSError:
            found = None
        if found:
            return found, "metadata"
    if texts is None:
        texts = list(document.pages.order_by("number").values_list("text", flat=True))
    day = text_date(texts)
    return ((day, "day") if day else None), "text"


# The columns a date read from the file is written to.
DATE_FIELDS = ["date", "date_precision", "date_read", "date_read_precision", "date_read_from"]


def date_from_file(document: Document, found: Dated | None, source: str) -> bool:
    """Set on `document` the date read from its file (`source`: "metadata" or "text"),
    with its precision, unless it has one already or a person set it (a date corrected,
    or cleared, by hand is never read again over). Returns whether it was set."""
    if found is None or document.date is not None or document.date_corrected_by:
        return False
    document.date, document.date_precision = found
    document.date_read, document.date_read_precision = found
    document.date_read_from = source
    return True


def document_date_fill(
    document: Document, *, save: bool = True, texts: list[str] | None = None
) -> None:
    """Give `document` a date when it has none and one can be read. `save=False`: set
    on the instance only (the pipeline saves it with the document's final status: one
    write and one audit entry instead of two)."""
    if document.date is not None or document.date_corrected_by:
        return
    found, source = document_date_source(document, texts)
    if date_from_file(document, found, source) and save:
        document.save(update_fields=[*DATE_FIELDS, "updated_at"])


def place_from_entity(sender: type[Entity], instance: Entity, **kwargs: Any) -> None:
    """A commune accepted on a document joins its places; the document is indexed again
    so that the place filter finds it."""
    if instance.kind != "commune" or instance.status != "accepted" or not instance.commune_id:
        return
    document = instance.page.document
    if document.places.filter(id=instance.commune_id).exists():
        return
    document.places.add(instance.commune_id)
    # Imported here: search imports the models this module is imported with.
    from contrechamp.documents.search import document_index

    document_index(document)
