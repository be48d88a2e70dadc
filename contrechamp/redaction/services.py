"""Redaction writes: suggest, apply, publish through a verification gate.

Publishing writes a new file, never touches the original: the redactions are applied to
text, vector graphics and image pixels under the boxes; annotations, form fields,
JavaScript, embedded files and every metadata (Info dictionary, XMP) are removed; the
file is written whole, one revision. Pages that were OCR'd get back an invisible text
layer of their unredacted words. Then the gate re-reads the file with two extractors
(PyMuPDF and pdfium) and refuses it when any redacted text can still be extracted,
metadata remains, there is more than one revision, scripts or attachments survive, or
the redaction removed words outside its boxes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pymupdf
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from contrechamp.documents import files, search
from contrechamp.documents.entities import nlp
from contrechamp.documents.models import Document, Page
from contrechamp.redaction.detect import detect
from contrechamp.redaction.models import DEFAULT_REASON, Publication, PublicFigure, Redaction

# Over-redaction: words lost outside the boxes, per page, beyond which the gate refuses.
MAX_LOST_WORDS = 2
# Redactions whose boxes are applied as they are (not shrunk to the line of a text).
WHOLE_BOXES = ("photo", "signature", "manual")
_WORD = re.compile(r"\w+", re.UNICODE)


def public_figures(document: Document) -> QuerySet[PublicFigure]:
    """The names that stay readable in `document`: its own, and those of its places."""
    return PublicFigure.objects.filter(document=document) | PublicFigure.objects.filter(
        commune__in=document.places.all()
    )


def public_names(document: Document) -> list[str]:
    return list(public_figures(document).values_list("name", flat=True))


def _occurrence(text: str, start: int, needle: str) -> int:
    """Which occurrence of `needle` in `text` begins at `start` (0 for the first)."""
    return text.count(needle, 0, start)


def _text_rects(pdf_page: pymupdf.Page, page: Page, needle: str, start: int) -> list[list[float]]:
    hits = pdf_page.search_for(needle)
    if not hits:
        return []
    # The occurrence of the needle that starts at `start` in the page text. A match
    # broken over two lines comes back as two boxes and shifts the count: the gate then
    # finds the text still readable and refuses, rather than publishing it.
    index = min(_occurrence(page.text, start, needle), len(hits) - 1)
    rect = hits[index]
    return [[round(rect.x0, 2), round(rect.y0, 2), round(rect.x1, 2), round(rect.y1, 2)]]


def _rendition(document: Document) -> pymupdf.Document:
    """The document's PDF, with boxes as tall as the line rather than the font's glyphs
    (a PyMuPDF setting for the process: redaction boxes must not reach the next line)."""
    pymupdf.TOOLS.set_small_glyph_heights(True)
    return pymupdf.open(stream=files.rendition(document), filetype="pdf")


def _rects(pdf: pymupdf.Document, page: Page, text: str, start: int) -> list[list[float]]:
    """Boxes of text[start:start + len(text)] on the page: from the stored OCR word boxes
    of an OCR'd page, by searching the text layer otherwise."""
    if page.method == "ocr":
        return _word_rects(page, start, start + len(text))
    return _text_rects(pdf[page.number - 1], page, text, start)


def _word_rects(page: Page, start: int, end: int) -> list[list[float]]:
    """Boxes of the OCR words that make up text[start:end] of an OCR'd page."""
    if not page.words:
        return []
    rects = []
    cursor = 0
    for x0, y0, x1, y1, word, _confidence in page.words:
        position = page.text.find(str(word), cursor)
        if position < 0:
            continue
        cursor = position + len(str(word))
        if position < end and start < cursor:
            rects.append([x0, y0, x1, y1])
    return rects


def _image_regions(pdf_page: pymupdf.Page, page: Page) -> list[tuple[str, list[float]]]:
    """Pictures placed on a page of text: photos of people or scanned signatures, as far
    as a box can tell. A wide, short picture in the lower half of the page is taken for
    a signature, any other picture smaller than most of the page for a photo. A scanned
    page (one picture covering the page) is read by OCR instead."""
    if page.method == "ocr":
        return []
    area = abs(pdf_page.rect)
    found = []
    for info in pdf_page.get_image_info():
        box = pymupdf.Rect(info["bbox"]) & pdf_page.rect
        if box.is_empty or abs(box) > 0.6 * area or min(box.width, box.height) < 12:
            continue
        wide = box.width > 2.2 * box.height and box.y0 > pdf_page.rect.height / 2
        rect = [round(box.x0, 2), round(box.y0, 2), round(box.x1, 2), round(box.y1, 2)]
        found.append(("signature" if wide else "photo", rect))
    return found


def redactions_suggest(*, document: Document) -> int:
    """Replace the document's suggestions with fresh ones (decisions are kept). Returns
    how many were suggested."""
    pdf = _rendition(document)
    public = public_names(document)
    Redaction.objects.filter(page__document=document, status="suggested").delete()
    decided = set(
        Redaction.objects.filter(page__document=document)
        .exclude(start=None)
        .values_list("page_id", "start")
    )
    decided_boxes = {
        (page_id, tuple(rects[0]))
        for page_id, rects in Redaction.objects.filter(
            page__document=document, kind__in=["photo", "signature"]
        ).values_list("page_id", "rects")
        if rects
    }
    rows = []
    pages = list(document.pages.order_by("number"))
    # One spaCy pass over the pages in batches, rather than page by page.
    docs = nlp().pipe((page.text for page in pages), batch_size=16)
    for page, doc in zip(pages, docs, strict=True):
        for kind, rect in _image_regions(pdf[page.number - 1], page):
            if (page.id, tuple(rect)) not in decided_boxes:
                rows.append(Redaction(page=page, kind=kind, rects=[rect], confidence=0.5))
        for finding in detect(page.text, public=public, doc=doc):
            if (page.id, finding.start) in decided:
                continue
            rects = _rects(pdf, page, finding.text, finding.start)
            rows.append(
                Redaction(
                    page=page,
                    kind=finding.kind,
                    text=finding.text[:500],
                    start=finding.start,
                    end=finding.end,
                    rects=rects,
                    confidence=finding.confidence,
                )
            )
    Redaction.objects.bulk_create(rows)
    return len(rows)


def redactions_accept_all(*, document: Document, user: Any = None) -> int:
    """Accept every suggestion (bulk work, tests)."""
    return Redaction.objects.filter(page__document=document, status="suggested").update(
        status="accepted", reviewed_by=user
    )


def redaction_every_occurrence(
    *, document: Document, text: str, reason: str = "", user: Any = None
) -> int:
    """Redact every occurrence of `text` in the document. Returns how many."""
    text = text.strip()
    if len(text) < 2:
        raise ValidationError(_("Give at least two characters to redact."))
    pdf = _rendition(document)
    rows = []
    for page in document.pages.order_by("number"):
        start = page.text.find(text)
        while start >= 0:
            rects = _rects(pdf, page, text, start)
            rows.append(
                Redaction(
                    page=page,
                    kind="text",
                    text=text[:500],
                    start=start,
                    end=start + len(text),
                    rects=rects,
                    reason=reason.strip()[:200] or DEFAULT_REASON,
                    status="accepted",
                    created_by=user,
                    reviewed_by=user,
                )
            )
            start = page.text.find(text, start + len(text))
    Redaction.objects.bulk_create(rows)
    return len(rows)


def redaction_decide(*, redaction: Redaction, accept: bool, reason: str = "", user: Any) -> None:
    """Accept or reject one redaction, with the reason given for it."""
    redaction.status = "accepted" if accept else "rejected"
    redaction.reviewed_by = user
    fields = ["status", "reviewed_by"]
    if reason.strip():
        redaction.reason = reason.strip()[:200]
        fields.append("reason")
    redaction.save(update_fields=fields)


def _words_under(pdf_page: pymupdf.Page, page: Page, box: pymupdf.Rect) -> str:
    """The words a box drawn on the page covers (what the gate must not find again)."""
    if page.method == "ocr":
        words = [str(w[4]) for w in page.words or [] if pymupdf.Rect(w[:4]).intersects(box)]
    else:
        words = [
            str(w[4]) for w in pdf_page.get_text("words") if _line_band(*w[:4]).intersects(box)
        ]
    return " ".join(words)


def redaction_draw(*, page: Page, rect: list[Any], reason: str = "", user: Any = None) -> Redaction:
    """A box drawn by hand on the page (PDF points), accepted at once."""
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError):
        raise ValidationError(_("A box needs four numbers: left, top, right, bottom.")) from None
    box = pymupdf.Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    box &= pymupdf.Rect(0, 0, page.width or box.x1, page.height or box.y1)
    if box.is_empty or box.width < 2 or box.height < 2:
        raise ValidationError(_("The box is empty or outside the page."))
    pdf = _rendition(page.document)
    return Redaction.objects.create(
        page=page,
        kind="manual",
        text=_words_under(pdf[page.number - 1], page, box)[:500],
        rects=[[round(box.x0, 2), round(box.y0, 2), round(box.x1, 2), round(box.y1, 2)]],
        reason=reason.strip()[:200] or DEFAULT_REASON,
        status="accepted",
        created_by=user,
        reviewed_by=user,
    )


# --- publication ----------------------------------------------------------------------


@dataclass
class GateReport:
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)
    # The page texts PyMuPDF extracted from the file: what the public will read.
    texts: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.reasons


def redacted_pdf(document: Document) -> bytes:
    """The published file: redactions applied, everything else that could leak removed,
    written whole."""
    pdf = _rendition(document)
    pages = {p.number: p for p in document.pages.all()}
    accepted = Redaction.objects.filter(page__document=document, status="accepted")
    by_page: dict[int, list[Redaction]] = {}
    for redaction in accepted.select_related("page"):
        by_page.setdefault(redaction.page.number, []).append(redaction)
    for number, page in pages.items():
        pdf_page = pdf[number - 1]
        for redaction in by_page.get(number, []):
            for x0, y0, x1, y1 in redaction.rects:
                # Boxes found for a text are shrunk to its line; pictures and boxes
                # drawn by hand are taken whole.
                box = (
                    pymupdf.Rect(x0, y0, x1, y1)
                    if redaction.kind in WHOLE_BOXES
                    else _line_band(x0, y0, x1, y1)
                )
                pdf_page.add_redact_annot(box, fill=(0, 0, 0))
        pdf_page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_PIXELS,  # type: ignore[attr-defined]
            graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,  # type: ignore[attr-defined]
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
        )
        if page.method == "ocr" and page.words:
            _text_layer(pdf_page, page, by_page.get(number, []))
    pdf.scrub(
        attached_files=True,
        clean_pages=True,
        embedded_files=True,
        hidden_text=False,
        javascript=True,
        metadata=True,
        redactions=True,
        remove_links=True,
        reset_fields=True,
        reset_responses=True,
        thumbnails=True,
        xml_metadata=True,
    )
    for index in range(pdf.page_count):
        sheet = pdf[index]
        for annotation in list(sheet.annots() or []):
            sheet.delete_annot(annotation)
        for widget in list(sheet.widgets() or []):
            sheet.delete_widget(widget)
    for name in pdf.embfile_names():
        pdf.embfile_del(name)
    pdf.set_metadata({})
    pdf.del_xml_metadata()
    data: bytes = pdf.tobytes(garbage=4, deflate=True, clean=True, incremental=False)
    return data


def _line_band(x0: float, y0: float, x1: float, y1: float) -> pymupdf.Rect:
    """The middle of a box: glyph boxes are often taller than their line (rewritten
    PDFs), and a full-height box touches the lines above and below, whose characters
    the redaction would then remove too. Every character of the target line still
    crosses the band."""
    height = y1 - y0
    return pymupdf.Rect(x0 + 0.3, y0 + height * 0.3, x1 - 0.3, y1 - height * 0.3)


def _text_layer(pdf_page: pymupdf.Page, page: Page, redactions: list[Redaction]) -> None:
    """An invisible layer of the OCR words that are not under a redaction, so the
    published scan stays searchable."""
    hidden = [pymupdf.Rect(*r) for red in redactions for r in red.rects]
    for x0, y0, x1, y1, word, _confidence in page.words or []:
        box = pymupdf.Rect(x0, y0, x1, y1)
        if any(box.intersects(h) for h in hidden):
            continue
        size = max(4.0, (y1 - y0) * 0.8)
        pdf_page.insert_text((x0, y1 - (y1 - y0) * 0.2), str(word), fontsize=size, render_mode=3)


def _texts(data: bytes) -> tuple[list[str], list[str]]:
    """Page texts of a PDF by two independent extractors."""
    import pypdfium2

    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        first = [page.get_text("text") for page in pdf]
    document = pypdfium2.PdfDocument(data)
    second = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return first, second


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def gate(document: Document, data: bytes) -> GateReport:
    """Every check a published file must pass; the reasons say what failed."""
    report = GateReport()
    accepted = list(
        Redaction.objects.filter(page__document=document, status="accepted").select_related("page")
    )
    first, second = _texts(data)
    report.texts = first
    # Each redaction is looked for on its own page, by both extractors; a text redacted
    # on one page and left readable on another is the reviewer's choice, reported only.
    pages = [(_normal(a), _normal(b)) for a, b in zip(first, second, strict=False)]
    whole = " ".join(a + " " + b for a, b in pages)
    leaks, elsewhere = set(), set()
    for redaction in accepted:
        needle = _normal(redaction.text)
        if not needle:
            continue
        number = redaction.page.number
        if number > len(pages) or any(needle in text for text in pages[number - 1]):
            leaks.add(redaction.text)
        elif needle in whole:
            elsewhere.add(redaction.text)
    report.checks["leaked_texts"] = len(leaks)
    report.checks["readable_on_other_pages"] = sorted(elsewhere)
    if leaks:
        first_leak = sorted(leaks)[0]
        report.reasons.append(
            f"{len(leaks)} redacted text(s) can still be extracted from the file "
            f"(e.g. “{first_leak[:40]}”)."
        )
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        metadata = {
            k: v for k, v in (pdf.metadata or {}).items() if v and k not in ("format", "encryption")
        }
        if metadata or pdf.get_xml_metadata():
            report.reasons.append(
                "Metadata remains in the file: " + ", ".join(sorted(metadata) or ["XMP"]) + "."
            )
        if pdf.embfile_count():
            report.reasons.append("The file still carries embedded files.")
        annotations = sum(len(list(page.annots() or [])) for page in pdf)
        widgets = sum(len(list(page.widgets() or [])) for page in pdf)
        if annotations or widgets:
            report.reasons.append("Annotations or form fields remain in the file.")
        objects = (pdf.xref_object(x) or "" for x in range(1, pdf.xref_length()))
        scripts = any("/JS" in source or "/JavaScript" in source for source in objects)
        if scripts:
            report.reasons.append("JavaScript remains in the file.")
    revisions = data.count(b"%%EOF")
    report.checks["revisions"] = revisions
    if revisions != 1 or b"/Prev" in data[-2048:]:
        report.reasons.append(
            f"The file has {revisions} revisions; an earlier one could hold what was removed."
        )
    lost = _lost_words(document, accepted, first)
    report.checks["lost_words"] = lost
    over = {number: words for number, words in lost.items() if len(words) > MAX_LOST_WORDS}
    if over:
        number, words = next(iter(over.items()))
        report.reasons.append(
            f"Redaction removed text outside its boxes on {len(over)} page(s) "
            f"(page {number}: {', '.join(words[:5])})."
        )
    return report


def _lost_words(
    document: Document, accepted: list[Redaction], published: list[str]
) -> dict[int, list[str]]:
    """Per page, words of the original text missing from the published text that no
    redaction targeted."""
    targeted: dict[int, Counter[str]] = {}
    for redaction in accepted:
        words = _WORD.findall(redaction.text.lower())
        targeted.setdefault(redaction.page.number, Counter()).update(words)
    lost = {}
    for page in document.pages.order_by("number"):
        if page.number > len(published):
            break
        before = Counter(_WORD.findall(page.text.lower()))
        after = Counter(_WORD.findall(published[page.number - 1].lower()))
        missing = before - after - targeted.get(page.number, Counter())
        if missing:
            lost[page.number] = sorted(missing.elements())
    return lost


def document_publish(*, document: Document, title: str = "", user: Any = None) -> Publication:
    """Write the published copy and run the gate; the document becomes public only when
    the gate accepts the file, and from then on its pages are read from that copy by
    everyone but reviewers. Returns the publication with its reasons."""
    if not document.finished or document.status == "failed":
        raise ValidationError(_("Only a processed document can be published."))
    data = redacted_pdf(document)
    report = gate(document, data)
    with transaction.atomic():
        publication = Publication.objects.create(
            document=document,
            accepted=report.accepted,
            reasons=report.reasons,
            report=report.checks,
            created_by=user,
            sha256=hashlib.sha256(data).hexdigest() if report.accepted else "",
            size=len(data) if report.accepted else 0,
        )
        if report.accepted:
            files.save(files.derived_path(document, "published.pdf"), data)
            _make_public(document, report.texts, title=title)
    return publication


def _make_public(document: Document, texts: list[str], *, title: str) -> None:
    """The published text of every page (the text the gate read back from the published
    file and checked), then the document opened to everyone and indexed again."""
    pages = list(document.pages.order_by("number"))
    for page in pages:
        page.published_text = texts[page.number - 1] if page.number <= len(texts) else ""
    Page.objects.bulk_update(pages, ["published_text"])
    document.is_public = True
    if title.strip():
        document.title = title.strip()[:300]
    document.save(update_fields=["is_public", "title", "updated_at"])
    search.document_index(document)


def document_unpublish(*, document: Document) -> None:
    """Withdraw the published copy: the document is private again (the publications stay
    in its history)."""
    with transaction.atomic():
        document.pages.update(published_text="")
        document.is_public = False
        document.save(update_fields=["is_public", "updated_at"])
        search.document_index(document)
    path = files.derived_path(document, "published.pdf")
    if files.exists(path):
        files.delete(path)


def publication_of(document: Document) -> Publication | None:
    """The publication in force, if the document is published."""
    if not document.is_public:
        return None
    return Publication.objects.filter(document=document, accepted=True).first()


def published_file(document: Document) -> bytes | None:
    if publication_of(document) is None:
        return None
    path = files.derived_path(document, "published.pdf")
    return files.read(path) if files.exists(path) else None
