"""Redaction writes: suggest, apply, publish through a verification gate.

Publishing needs a finished review (detection ran on every page, every suggestion is
decided, a publication with nothing redacted is confirmed) and writes a new file, never
touching the original: what a reader of a page cannot see is removed first (layers
switched off, content outside the page box, invisible text); the redactions are applied
to text, vector graphics and image pixels under the boxes (on a scan, the OCR word boxes
plus a margin, so no part of a letter stays); annotations, form fields, JavaScript,
embedded files and every metadata (Info dictionary, XMP) are removed; the file is
written whole, one revision. Scanned pages get back an invisible text layer of their
unredacted words. Then the gate re-reads the file with PyMuPDF (as shown, and with every
layer on and no clip) and pdfium, and renders every box at 200 dpi; each finding blocks
publication: a redacted text still extractable (on its page, or on another page where
nobody decided to keep it), text not visible on the page or not in the original, layers,
invisible text outside a scan's OCR layer, a box that is not a uniform fill or that cuts
letters of a scan, metadata, several revisions, scripts, attachments, annotations, words
lost outside the boxes. Under the document's lock, what it shows besides the file is
read too: its title as published and its source address (`public_details_findings`).
Findings are stored as codes with parameters and shown in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pymupdf
import pypdfium2
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pymupdf import mupdf

from contrechamp.audit.recording import delete_derived
from contrechamp.documents import files, search
from contrechamp.documents.models import Document, Page, Publication
from contrechamp.documents.services import (
    MASK,
    PASTED_SHARE,
    document_sources_retitle,
    pasted_pictures,
    unreadable,
)
from contrechamp.lib.jpeg import pdf_pictures_without_metadata
from contrechamp.lib.personal import detect, reads_as_name, with_surnames
from contrechamp.lib.text import name_key, nlp, stored_text_with_offsets, without_invisible
from contrechamp.lib.typography import quoted
from contrechamp.redaction.models import (
    DEFAULT_REASON,
    Detection,
    PublicFigure,
    Redaction,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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
    """Which occurrence of `needle` in `text` begins at `start` (0 for the first), in
    any case, as the page search counts them ("LAVALETTE" before "Lavalette" is one)."""
    return text[:start].lower().count(needle.lower())


# PyMuPDF's search keeps ligatures by default ("Goﬀ"), and a page's text has them as
# letters (NFKC: "Goff"): a name with ff, fi or fl in it was never found on the page, so
# accepting it boxed nothing and the gate refused the copy. Searched without them, and
# without joining a word cut by a hyphen at a line's end (the page text keeps it cut,
# and a needle is searched a line at a time).
_SEARCH_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


@dataclass
class _PageChars:
    """The characters of a page of text in the order its stored text reads them
    (`stored_text` of PyMuPDF's plain text, as `documents` extracts it), each with its
    line and box: a text found at an offset of the page text is boxed by its own
    characters, never searched for again."""

    text: str
    # For each offset of `text` (and its end), the index in `boxes` it comes from.
    origins: list[int]
    # Per character extracted: its line and box; None for a line's end.
    boxes: list[tuple[int, pymupdf.Rect] | None]


def _page_chars(pdf_page: pymupdf.Page) -> _PageChars:
    chars: list[str] = []
    boxes: list[tuple[int, pymupdf.Rect] | None] = []
    number = 0
    raw = pdf_page.get_text("rawdict", flags=pymupdf.TEXTFLAGS_TEXT)
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                for char in span["chars"]:
                    chars.append(char["c"])
                    boxes.append((number, pymupdf.Rect(char["bbox"])))
            chars.append("\n")
            boxes.append(None)
            number += 1
    text, origins = stored_text_with_offsets("".join(chars))
    return _PageChars(text, origins, boxes)


def _char_rects(chars: _PageChars, start: int, end: int) -> list[list[float]]:
    """Boxes of text[start:end] of the page, one per line it runs over, each from the
    first to the last of its characters (spaces at its ends aside)."""
    lines: dict[int, list[float]] = {}
    for offset in range(start, end):
        if chars.text[offset].isspace():
            continue
        found = chars.boxes[chars.origins[offset]]
        if found is None:
            continue
        number, box = found
        if box.is_empty and box.width <= 0:
            continue
        rect = lines.get(number)
        lines[number] = (
            [box.x0, box.y0, box.x1, box.y1]
            if rect is None
            else [
                min(rect[0], box.x0),
                min(rect[1], box.y0),
                max(rect[2], box.x1),
                max(rect[3], box.y1),
            ]
        )
    return [[round(v, 2) for v in lines[number]] for number in sorted(lines)]


def _text_rects(
    pdf_page: pymupdf.Page, page: Page, needle: str, start: int, chars: _PageChars | None = None
) -> list[list[float]]:
    """Boxes of the needle that starts at `start` in the page text, one per line it runs
    over: the boxes of its own characters, when the page's characters read as its text
    does (the common case: the text was extracted from this file). A search for the
    needle was the rule before: PyMuPDF returns one box per stretch of a hit without
    a wide gap, all hits' boxes in one list, so on a justified line ("Jean Martin"
    with wide spaces: two boxes) the n-th box was not the n-th hit; the name's first
    word was boxed and its surname published, or another hit's word boxed instead
    (a title, "et Mme", redacted). The search stays for a page whose stored text is
    not its file's."""
    chars = chars if chars is not None else _page_chars(pdf_page)
    end = start + len(needle)
    layer = len(chars.text)
    if end <= layer and page.text[:layer] == chars.text:
        return _char_rects(chars, start, end)
    rects = []
    offset = start
    for line in needle.split("\n"):
        part = line.strip()
        if part:
            rects += _line_rects(pdf_page, page, part, offset + line.index(part))
        offset += len(line) + 1
    return rects


def _line_rects(pdf_page: pymupdf.Page, page: Page, needle: str, start: int) -> list[list[float]]:
    hits = pdf_page.search_for(needle, flags=_SEARCH_FLAGS)
    if not hits:
        return []
    index = min(_occurrence(page.text, start, needle), len(hits) - 1)
    rect = hits[index]
    return [[round(rect.x0, 2), round(rect.y0, 2), round(rect.x1, 2), round(rect.y1, 2)]]


def _rendition(document: Document) -> pymupdf.Document:
    """The document's PDF, with boxes as tall as the line rather than the font's glyphs
    (a PyMuPDF setting for the process: redaction boxes must not reach the next line)."""
    pymupdf.TOOLS.set_small_glyph_heights(True)
    return pymupdf.open(stream=files.rendition(document), filetype="pdf")


def _rects(
    pdf: pymupdf.Document, page: Page, text: str, start: int, chars: _PageChars | None = None
) -> list[list[float]]:
    """Boxes of text[start:start + len(text)] on the page: from the stored OCR word boxes
    of an OCR'd page, from the characters of the text layer otherwise (`chars`, read
    once for the page by a caller boxing many texts); on a page of text with a pasted
    picture, from the picture's OCR words for what lies in its text."""
    end = start + len(text)
    if page.method == "ocr":
        return _word_rects(page, start, end)
    read = page.ocr_from
    if read is not None and end > read:
        before = text[: max(0, read - start)].rstrip()
        layer = _text_rects(pdf[page.number - 1], page, before, start, chars) if before else []
        return layer + _word_rects(page, max(start, read), end)
    return _text_rects(pdf[page.number - 1], page, text, start, chars)


def _word_rects(page: Page, start: int, end: int) -> list[list[float]]:
    """Boxes of the OCR words that make up text[start:end] of an OCR'd page (or of the
    text read from a page's pasted picture, which begins at `ocr_from`)."""
    if not page.words:
        return []
    rects = []
    cursor = page.ocr_from or 0
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
    a signature, any other picture smaller than most of the page for a photo. A larger
    picture is a scanned page: read by OCR, or by the scanner's own text layer over it;
    but one that no text of the page lies on, beside a typed paragraph (a resident's
    letter pasted into an administration's answer), was read by nothing, and its names
    are suggested as a box too, for the reviewer to decide (a hostile review)."""
    if page.method == "ocr":
        return []
    area = abs(pdf_page.rect)
    found = []
    pasted: list[pymupdf.Rect] | None = None
    for info in pdf_page.get_image_info():
        box = pymupdf.Rect(info["bbox"]) & pdf_page.rect
        if box.is_empty or min(box.width, box.height) < 12:
            continue
        if abs(box) > PASTED_SHARE * area:
            if pasted is None:  # only on pages with such a picture
                pasted = pasted_pictures(pdf_page, inline=True)
            if box not in pasted:
                continue  # a scan with its text layer: read
            # Its text is read by OCR too (`Page.ocr_from`), and its names suggested
            # one by one; the box stays, for a reviewer who would rather hide it all.
        wide = box.width > 2.2 * box.height and box.y0 > pdf_page.rect.height / 2
        rect = [round(box.x0, 2), round(box.y0, 2), round(box.x1, 2), round(box.y1, 2)]
        found.append(("signature" if wide else "photo", rect))
    return found


def redactions_suggest(*, document: Document) -> int:
    """Replace the document's suggestions with fresh ones (decisions are kept). Returns
    how many were suggested."""
    pdf = _rendition(document)
    public = public_names(document)
    # Detection's own suggestions go in one query; a suggestion drawn by a person is
    # recorded as it goes.
    delete_derived(Redaction.objects.of(document))
    Redaction.objects.of(document).filter(status="suggested").delete()
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
    # Suggestions found in the visual order of a page have no place in its text.
    decided_texts = {
        (page_id, _squash(text))
        for page_id, text in Redaction.objects.filter(page__document=document, start=None)
        .exclude(kind__in=WHOLE_BOXES)
        .values_list("page_id", "text")
    }
    rows = []
    pages = list(document.pages.order_by("number"))
    attachments = _private_attachment_names(document)
    # One spaCy pass over the pages in batches, rather than page by page.
    docs = nlp().pipe((page.text for page in pages), batch_size=16)
    findings = [
        detect(page.text, public=public, doc=doc) for page, doc in zip(pages, docs, strict=True)
    ]
    # A person named in full on one page is named by surname alone on others ("Mme
    # Béatrice de Lavalette", then "Lavalette a voté contre"): every page is searched for
    # the surnames of the names found in the document, except those a reviewer kept.
    kept = {
        _squash(text)
        for text in Redaction.objects.of(document)
        .filter(status="rejected", kind="person")
        .values_list("text", flat=True)
    }
    names = {f.text for page_findings in findings for f in page_findings if f.kind == "person"}
    names = {name for name in names if _squash(name) not in kept}
    # And the names already redacted, even where the same name was kept on another page:
    # their surnames alone are looked for at publication (`_gate_surnames`), so each
    # must be suggested for a reviewer to decide.
    names |= set(_redacted_names(document))
    for page, page_findings in zip(pages, findings, strict=True):
        for kind, rect in _image_regions(pdf[page.number - 1], page):
            if (page.id, tuple(rect)) not in decided_boxes:
                rows.append(Redaction(page=page, kind=kind, rects=[rect], confidence=0.5))
        found = set()
        chars = _page_chars(pdf[page.number - 1]) if page.method != "ocr" else None
        for finding in with_surnames(page.text, page_findings, names, public=public):
            found.add(_squash(finding.text))
            if (page.id, finding.start) in decided:
                continue
            rects = _rects(pdf, page, finding.text, finding.start, chars)
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
        for name in attachments:
            rows += [
                row
                for row in _every_occurrence(pdf, page, name, confidence=0.5)
                if (page.id, row.start) not in decided
            ]
        if page.method != "ocr":
            rows += _suggest_in_drawn_order(
                pdf[page.number - 1], page, public, found, decided_texts, names
            )
    rows += _title_suggestions(document, public, names)
    with transaction.atomic():
        Redaction.objects.bulk_create(rows)
        done = set(Detection.objects.filter(page__in=pages).values_list("page_id", flat=True))
        Detection.objects.bulk_create([Detection(page=p) for p in pages if p.id not in done])
        Detection.objects.filter(page_id__in=done).update(ran_at=timezone.now())
    return len(rows)


def _private_attachment_names(document: Document) -> list[str]:
    """The file names of an e-mail's attachments that are not published: its text lists
    them ("Pièces jointes : plainte-dupont.pdf"), and a name may say what the attachment
    keeps private until it is redacted itself. Suggested, for the reviewer to decide."""
    names = Document.objects.filter(parent=document, is_public=False).values_list(
        "filename", flat=True
    )
    return sorted({name for name in names if len(name) >= 3}, key=len, reverse=True)


def _visual_text(pdf_page: pymupdf.Page) -> tuple[str, list[pymupdf.Rect | None]]:
    """The words of the page in the order a reader sees them (lines from top to bottom,
    words from left to right), whatever order the file draws them in; a space only where
    the page shows a gap, so characters drawn one at a time make one word again. With
    the box of each character (None for the spaces and line ends put between them)."""
    words = [
        (pymupdf.Rect(w[:4]), str(w[4])) for w in pdf_page.get_text("words") if str(w[4]).strip()
    ]
    words.sort(key=lambda w: (w[0].y1, w[0].x0))
    lines: list[list[tuple[pymupdf.Rect, str]]] = []
    for word in words:
        box = word[0]
        last = lines[-1][-1][0] if lines else None
        if last is not None and min(box.y1, last.y1) - max(box.y0, last.y0) > 0.5 * min(
            box.height, last.height
        ):
            lines[-1].append(word)
        else:
            lines.append([word])
    text: list[str] = []
    boxes: list[pymupdf.Rect | None] = []
    for line in lines:
        line.sort(key=lambda w: w[0].x0)
        previous: pymupdf.Rect | None = None
        for box, characters in line:
            if previous is not None and box.x0 - previous.x1 > 0.15 * box.height:
                text.append(" ")
                boxes.append(None)
            text.append(characters)
            boxes += [box] * len(characters)
            previous = box
        text.append("\n")
        boxes.append(None)
    return "".join(text), boxes


def _visual_chars(pdf_page: pymupdf.Page) -> tuple[str, list[pymupdf.Rect | None]]:
    """As _visual_text, character by character (slower: only for pages whose words are
    not in reading order)."""
    chars = []
    raw = pdf_page.get_text("rawdict", flags=pymupdf.TEXTFLAGS_RAWDICT)
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            if abs(line["dir"][1]) > 0.01:
                continue  # vertical text: read as extracted
            for span in line["spans"]:
                for char in span["chars"]:
                    if char["c"].strip():
                        x, y = char["origin"]
                        chars.append((y, x, char["c"], pymupdf.Rect(char["bbox"]), span["size"]))
    chars.sort(key=lambda c: (c[0], c[1]))
    lines: list[list[Any]] = []
    for char in chars:
        if lines and abs(char[0] - lines[-1][0][0]) <= 0.3 * char[4]:
            lines[-1].append(char)
        else:
            lines.append([char])
    text: list[str] = []
    boxes: list[pymupdf.Rect | None] = []
    for line in lines:
        line.sort(key=lambda c: c[1])
        previous = None
        for char in line:
            if previous is not None and char[3].x0 - previous[3].x1 > 0.2 * char[4]:
                text.append(" ")
                boxes.append(None)
            text.append(char[2])
            boxes.append(char[3])
            previous = char
        text.append("\n")
        boxes.append(None)
    return "".join(text), boxes


def _drawn_in_reading_order(log: list[tuple[str, Any]]) -> bool:
    """Whether a page draws its text in reading order (each piece right of the previous
    one on its line, or on a line below): the cheap test, from the page's drawing log,
    before reading it again in visual order."""
    previous: pymupdf.Rect | None = None
    for kind, bbox in log:
        if not kind.endswith("-text"):
            continue
        rect = pymupdf.Rect(bbox)
        if previous is not None:
            overlap = min(rect.y1, previous.y1) - max(rect.y0, previous.y0)
            same_line = overlap > 0.5 * min(rect.height, previous.height)
            if same_line and rect.x0 < previous.x0 - 0.5:
                return False  # backwards on a line
            if not same_line and rect.y0 < previous.y0:
                return False  # up the page (columns, or pieces drawn out of order)
        previous = rect
    return True


def _suggest_in_drawn_order(
    pdf_page: pymupdf.Page,
    page: Page,
    public: list[str],
    found: set[str],
    decided: set[tuple[int, str]],
    names: set[str],
) -> list[Redaction]:
    """Suggestions from the page read in visual order, where it differs from the text
    extracted in the file's order (characters drawn one at a time, out of order): what
    a reader sees is detected even when no run of the content holds it whole."""
    if _drawn_in_reading_order(pdf_page.get_bboxlog()):
        return []  # the common page: its text was extracted in the order it is seen
    known = _squash(page.text)
    visual, boxes = _visual_text(pdf_page)
    if _squash(visual) == known:
        return []
    # Read again character by character: a word may be drawn backwards too.
    visual, boxes = _visual_chars(pdf_page)
    if _squash(visual) == known:
        return []
    # Only the lines the extracted text does not hold as they are: the rest was read.
    keep = [bool(line) and _squash(line) not in known for line in visual.split("\n")]
    if not any(keep):
        return []
    kept_text: list[str] = []
    kept_boxes: list[pymupdf.Rect | None] = []
    position = 0
    for text_line, wanted in zip(visual.split("\n"), keep, strict=True):
        if wanted:
            kept_text.append(text_line + "\n")
            kept_boxes += boxes[position : position + len(text_line) + 1]
        position += len(text_line) + 1
    visual, boxes = "".join(kept_text), kept_boxes
    rows = []
    for finding in detect(visual, public=public, names=names):
        key = _squash(finding.text)
        if key in found or (page.id, key) in decided:
            continue
        found.add(key)
        rects: dict[int, pymupdf.Rect] = {}
        row = 0
        for index, box in enumerate(boxes[: finding.end]):
            if box is None:
                if visual[index] == "\n":
                    row += 1
                continue
            if index >= finding.start:
                rects[row] = rects[row] | box if row in rects else pymupdf.Rect(box)
        rows.append(
            Redaction(
                page=page,
                kind=finding.kind,
                text=finding.text[:500],
                rects=[
                    [round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2)]
                    for r in rects.values()
                ],
                confidence=finding.confidence,
            )
        )
    return rows


# --- the title (a file name, an e-mail's subject): suggested like a page, published
# with its redactions replaced by "[…]" -------------------------------------------------


def _title_suggestions(
    document: Document, public: list[str], names: set[str] | None = None
) -> list[Redaction]:
    """Suggestions on the document's title, with the surnames alone of `names` (the
    persons found on its pages); a text already decided on the title is not suggested
    again (the title changes when it is published)."""
    decided = set(Redaction.objects.filter(title_of=document).values_list("text", flat=True))
    return [
        Redaction(
            title_of=document,
            kind=finding.kind,
            text=finding.text[:500],
            start=finding.start,
            end=finding.end,
            confidence=finding.confidence,
        )
        for finding in detect(document.title, public=public, names=names or ())
        if finding.text[:500] not in decided
    ]


def _redacted_texts(document: Document) -> QuerySet[Redaction, str]:
    """The texts redacted on the document's title or pages (boxes drawn over an area,
    with no text of their own, aside)."""
    return (
        Redaction.objects.filter(status="accepted")
        .filter(Q(title_of=document) | Q(page__document=document))
        .exclude(kind__in=WHOLE_BOXES)
        .values_list("text", flat=True)
    )


def _redacted_names(document: Document) -> list[str]:
    """The names of persons redacted in the document (on its pages or title): accepted
    suggestions of persons, and texts redacted by hand that read as a name ("Béatrice
    de Lavalette"). Their surnames alone are suggested and looked for at publication."""
    rows = (
        Redaction.objects.of(document)
        .filter(status="accepted", kind__in=["person", "text"])
        .values_list("kind", "text")
    )
    return sorted({text for kind, text in rows if kind == "person" or reads_as_name(text)})


def _kept_readable(document: Document) -> set[str]:
    """The texts the review decided to keep readable in the document, squashed."""
    return {
        _squash(text)
        for text in Redaction.objects.of(document)
        .filter(status="rejected")
        .values_list("text", flat=True)
    }


def _personal_in_title(document: Document, title: str) -> list[str]:
    """The personal data `title` holds that nobody decided to keep readable, with the
    surnames alone of the names redacted in the document ("Vote de LAVALETTE")."""
    kept = _kept_readable(document)
    found = detect(title, public=public_names(document), names=_redacted_names(document))
    return [f.text for f in found if _squash(f.text) not in kept]


def public_title(document: Document, title: str = "") -> str:
    """`title` (the document's own when blank) as it is published: every text redacted on
    the title, or found and redacted on a page, replaced by "[…]", whatever its capitals
    and spaces, so a title typed again at publication leaks nothing either."""
    title = " ".join(title.split()) or " ".join(document.title.split())
    needles = {" ".join(text.split()) for text in _redacted_texts(document)}
    for needle in sorted((n for n in needles if len(n) >= 2), key=len, reverse=True):
        pattern = r"\s+".join(re.escape(word) for word in needle.split())
        title = re.sub(pattern, "[…]", title, flags=re.IGNORECASE)
    return title


# A published title is cut there at publication (`_make_public`); a title corrected
# later is refused past it rather than cut.
PUBLIC_TITLE_MAX = 300


def title_checked(document: Document, title: str) -> str:
    """The library's rule for a title a person corrects (`documents.titles`): a private
    document's title is stored as typed (read for personal data by `title_renewed`
    before it can be published); a published one as publication makes it
    (`public_title`: what was redacted on its title or pages becomes "[…]"), refused
    when it still holds personal data nobody decided to keep (a name typed anew)."""
    if not document.is_public:
        return title
    title = without_invisible(public_title(document, title))
    if len(title) > PUBLIC_TITLE_MAX:
        raise ValidationError(
            _("A published title holds %(max)d characters at most.") % {"max": PUBLIC_TITLE_MAX}
        )
    found = _personal_in_title(document, title)
    if found:
        raise ValidationError(
            _(
                "This title is public, and %(found)s in it may be personal data: write the "
                "title without it (or with […] in its place). A public figure named in "
                "the document is added to its public figures on the redaction page."
            )
            % {"found": ", ".join(quoted(text) for text in dict.fromkeys(found))}
        )
    return title


def title_renewed(document: Document) -> None:
    """After a private document's title changed: once detection has run on it, the
    title's undecided suggestions are replaced by those of the new title, so that its
    publication waits for a reviewer's decision on each (`publication_blockers`)."""
    if document.is_public or not Detection.objects.filter(page__document=document).exists():
        return
    titled = Redaction.objects.filter(title_of=document)
    delete_derived(titled)
    titled.filter(status="suggested").delete()
    Redaction.objects.bulk_create(_title_suggestions(document, public_names(document)))


# --- the source address: public with the document (its page, the API) ----------------

# What separates the words of a web address: its path, query and fragment, and a slug's
# hyphens and underscores ("/jean-dupont-demande-le-retrait"). Dots and "@" stay: they
# make the e-mail address.
_ADDRESS_SEPARATORS = re.compile(r"[/?&=#;,|!*()\[\]{}<>\"'~]+")
_SLUG_SEPARATORS = re.compile(r"[-_+\u2010-\u2015]+")
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:(?://)?", re.IGNORECASE)
# The kinds of personal data an address is read for on its own: never part of a source's
# address (a name is read as a text redacted in the document: a slug is lower case, and
# spaCy does not see a person in "jean dupont demande").
_ADDRESS_KINDS = ("email", "phone", "iban")


def _address_texts(url: str) -> list[str]:
    """`url` as the words it shows a reader: percent-encoding decoded (again while it
    changes: "%2540" is "%40" is "@"), without its scheme, its separators as spaces;
    once with a slug's hyphens kept (an e-mail's domain has them), once without."""
    text = url
    for _round in range(5):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    text = _ADDRESS_SEPARATORS.sub(" ", _SCHEME.sub(" ", without_invisible(text)))
    text = unicodedata.normalize("NFKC", text)
    return [text, _SLUG_SEPARATORS.sub(" ", text)]


def _words(text: str) -> str:
    """`text` as words compared: folded as names are (`name_key`), dots and every other
    sign between them as one space."""
    return " ".join(word for word in _NOT_ALNUM.split(name_key(text)) if word)


def address_personal_data(document: Document, url: str) -> list[str]:
    """The personal data the source address `url` of `document` shows: a text redacted in
    the document (on its pages or title), whatever its capitals, accents and separators,
    or an e-mail address, a phone number, an IBAN. A text the review decided to keep
    readable in the document is no finding. Returns the texts found (empty: none)."""
    if not url:
        return []
    texts = _address_texts(url)
    kept = _kept_readable(document)
    found: list[str] = []
    for text in texts:
        found += [
            f.text
            for f in detect(text, public=public_names(document))
            if f.kind in _ADDRESS_KINDS and _squash(f.text) not in kept
        ]
    words = f" {_words(texts[1])} "
    squashed = _squash(texts[1])
    for text in dict.fromkeys(_redacted_texts(document)):
        key = _words(text)
        if len(key) < 2 or _squash(text) in kept:
            continue
        # As words ("jean dupont"), or joined ("jeandupont") when long enough not to be
        # a part of another word by chance.
        if f" {key} " in words or (len(_squash(text)) >= 8 and _squash(text) in squashed):
            found.append(text)
    return list(dict.fromkeys(found))


def source_url_checked(document: Document, url: str) -> str:
    """The library's rule for a source address a person writes (`documents.titles`):
    refused when it shows personal data (`address_personal_data`), on a private document
    too, since it is published with it and, unlike a title, never redacted."""
    found = address_personal_data(document, url)
    if found:
        raise ValidationError(
            _(
                "This address is shown to everyone once the document is published, and "
                "%(found)s in it is personal data (redacted in the document, an e-mail "
                "address or a phone number): give the address of the page where the "
                "document is published, without it."
            )
            % {"found": ", ".join(quoted(text) for text in found)}
        )
    return url


def public_details_findings(document: Document, title: str = "") -> list[dict[str, Any]]:
    """What the metadata a published document shows to everyone would publish that
    redaction removed or nobody decided to keep: its title as publication makes it
    (`public_title`), read for personal data again, and its source address. Findings as
    the gate's (codes and parameters); empty when there is none."""
    findings: list[dict[str, Any]] = []
    shown = without_invisible(public_title(document, title))[:PUBLIC_TITLE_MAX]
    in_title = _personal_in_title(document, shown)
    if in_title:
        findings.append({"code": "title_personal", "params": {"example": in_title[0][:40]}})
    in_address = address_personal_data(document, document.source_url)
    if in_address:
        findings.append({"code": "address_personal", "params": {"example": in_address[0][:40]}})
    return findings


def redactions_accept_all(*, document: Document, user: User | None = None) -> int:
    """Accept every suggestion, on the pages and on the title (bulk work, tests)."""
    return (
        Redaction.objects.of(document)
        .filter(status="suggested")
        .update(status="accepted", reviewed_by=user)
    )


def redaction_every_occurrence(
    *, document: Document, text: str, reason: str = "", user: User | None = None
) -> int:
    """Redact every occurrence of `text` in the document. Returns how many."""
    text = text.strip()
    if len(text) < 2:
        raise ValidationError(_("Give at least two characters to redact."))
    pdf = _rendition(document)
    rows = []
    for page in document.pages.order_by("number"):
        rows += _every_occurrence(
            pdf,
            page,
            text,
            reason=reason.strip()[:200] or DEFAULT_REASON,
            status="accepted",
            created_by=user,
            reviewed_by=user,
        )
    Redaction.objects.bulk_create(rows)
    return len(rows)


def _every_occurrence(
    pdf: pymupdf.Document, page: Page, text: str, **fields: Any
) -> list[Redaction]:
    """A redaction of kind "text" (unsaved) for each occurrence of `text` on the page,
    with its boxes; `fields` the rest of each row (status, confidence, reason...)."""
    rows = []
    start = page.text.find(text)
    chars = _page_chars(pdf[page.number - 1]) if start >= 0 and page.method != "ocr" else None
    while start >= 0:
        rows.append(
            Redaction(
                page=page,
                kind="text",
                text=text[:500],
                start=start,
                end=start + len(text),
                rects=_rects(pdf, page, text, start, chars),
                **fields,
            )
        )
        start = page.text.find(text, start + len(text))
    return rows


class StaleDecision(Exception):
    """The redaction was decided meanwhile (another tab, another reviewer): the decision
    made on the older page is not applied."""

    def __init__(self, redaction: Redaction) -> None:
        super().__init__(redaction.status)
        self.redaction = redaction


def redaction_decide(
    *,
    redaction: Redaction,
    accept: bool,
    reason: str = "",
    user: User | None,
    seen: str | None = None,
) -> None:
    """Accept or reject one redaction, with the reason given for it. With `seen`, the
    status the page showed: a redaction decided since is left as it is (StaleDecision),
    so that a tab left open cannot make readable again a name another reviewer has just
    redacted."""
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().get(id=redaction.id)
        if seen is not None and locked.status != seen:
            raise StaleDecision(locked)
        redaction.status = "accepted" if accept else "rejected"
        redaction.reviewed_by = user
        fields = ["status", "reviewed_by"]
        if reason.strip():
            redaction.reason = reason.strip()[:200]
            fields.append("reason")
        redaction.save(update_fields=fields)


def _words_under(pdf_page: pymupdf.Page, page: Page, box: pymupdf.Rect) -> str:
    """The words a box drawn on the page covers (what the gate must not find again)."""
    read = [str(w[4]) for w in page.words or [] if pymupdf.Rect(w[:4]).intersects(box)]
    if page.method == "ocr":
        return " ".join(read)
    words = [str(w[4]) for w in pdf_page.get_text("words") if _line_band(*w[:4]).intersects(box)]
    # (And the words read from a pasted picture, on a page of text that has one.)
    return " ".join(words + (read if page.ocr_from is not None else []))


def redaction_draw(
    *, page: Page, rect: list[str | float | None], reason: str = "", user: User | None = None
) -> Redaction:
    """A box drawn by hand on the page (PDF points), accepted at once."""
    try:
        # A missing corner reads as "", refused like any other non-number.
        x0, y0, x1, y1 = (float(v if v is not None else "") for v in rect)
    except (TypeError, ValueError):
        raise ValidationError(_("A box needs four numbers: left, top, right, bottom.")) from None
    # "1e309", "inf", "nan" are floats, and no place on a page (the rounding of an
    # infinite corner answered 500).
    if not all(math.isfinite(v) and abs(v) <= 1e6 for v in (x0, y0, x1, y1)):
        raise ValidationError(_("The box is empty or outside the page."))
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

# The gate renders every box at this resolution (what a reader zooming in would see).
GATE_DPI = 200
# Grey levels: the fill is black; a pixel darker than INK is part of a glyph.
FILL_MAX = 16
INK = 128
# A picture covering this share of a page makes it a scan.
SCAN_SHARE = 0.6
_HIDDEN_FLAGS = (
    pymupdf.TEXTFLAGS_DICT | pymupdf.TEXT_PRESERVE_SPANS | pymupdf.TEXT_COLLECT_STYLES
) & ~pymupdf.TEXT_MEDIABOX_CLIP
_FAR = 1e5  # far enough outside any page

# What the gate may find, in English (translated when shown: codes and parameters are
# stored, so each reader gets them in their language).
FINDINGS = {
    "leaked": gettext_noop(
        "%(count)d redacted text(s) can still be extracted from the file (e.g. “%(example)s”)."
    ),
    "elsewhere": gettext_noop(
        "%(count)d redacted text(s) are still readable on another page where nobody decided "
        "to keep them (e.g. “%(example)s” on page %(page)d)."
    ),
    "surname": gettext_noop(
        "%(count)d surname(s) of a redacted name are still readable alone where nobody "
        "decided to keep them (e.g. “%(example)s” on page %(page)d): run the detection "
        "again to redact or keep each one."
    ),
    "metadata": gettext_noop("Metadata remains in the file: %(fields)s."),
    "attachments": gettext_noop("The file still carries embedded files."),
    "annotations": gettext_noop("Annotations or form fields remain in the file."),
    "javascript": gettext_noop("JavaScript remains in the file."),
    "revisions": gettext_noop(
        "The file has %(count)d revisions; an earlier one could hold what was removed."
    ),
    "pages": gettext_noop("The file has %(found)d pages instead of %(expected)d."),
    "lost": gettext_noop(
        "Redaction removed text outside its boxes on %(count)d page(s) (page %(page)d: %(words)s)."
    ),
    "remnants": gettext_noop(
        "%(count)d redaction box(es) leave pixels of what they cover readable (page %(page)d): "
        "the box is not a uniform fill or does not cover the whole letters."
    ),
    "layers": gettext_noop("The file still has optional content layers."),
    "unread": gettext_noop(
        "The text of page %(page)d was never read: its text layer does not say what the "
        "page shows (a font without its characters' map), so its names were never looked "
        "for. Process the document again: the page is then read by OCR."
    ),
    "hidden": gettext_noop(
        "Text that is not visible on the page remains in the file (page %(page)d: “%(example)s”): "
        "a hidden layer or text outside the page."
    ),
    "invisible": gettext_noop(
        "Invisible text remains on %(count)d page(s) (page %(page)d: “%(example)s”)."
    ),
    "title_personal": gettext_noop(
        "The title the document would be published with shows personal data nobody "
        "decided to keep (“%(example)s”): publish it with a title without it."
    ),
    "address_personal": gettext_noop(
        "The source address shows personal data (“%(example)s”), and it is published with "
        "the document: correct the source address on the document's details."
    ),
    "residue": gettext_noop(
        "A redacted text remains in %(count)d object(s) of the file outside what its pages "
        "show (e.g. “%(example)s”: an outline, a label, an action, a font, a picture's "
        "comment...)."
    ),
}


def finding_text(finding: dict[str, Any] | str) -> str:
    """A finding of the gate in the active language (findings stored before they were
    translatable are plain English strings)."""
    if isinstance(finding, str):
        return finding
    code = finding.get("code", "")
    message = FINDINGS.get(code)
    if message is None:
        return str(finding)
    return _(message) % finding.get("params", {})


@dataclass
class GateReport:
    # What failed: {"code": ..., "params": {...}}, shown with finding_text. Any one blocks.
    findings: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)
    # The page texts PyMuPDF extracted from the file: what the public will read.
    texts: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.findings

    @property
    def reasons(self) -> list[str]:
        """The findings in English (command line, logs)."""
        with translation.override("en"):
            return [finding_text(f) for f in self.findings]

    def add(self, code: str, **params: Any) -> None:
        self.findings.append({"code": code, "params": params})


def _is_scan(pdf_page: pymupdf.Page, page: Page) -> bool:
    """A page that is a picture: read by OCR, or a picture covering most of it under a
    text layer (a scanner's own OCR)."""
    if page.method == "ocr":
        return True
    if not pdf_page.get_images():
        return False  # no picture in its resources: the common page of text
    area = abs(pdf_page.rect) or 1.0
    return any(
        abs(pymupdf.Rect(info["bbox"]) & pdf_page.rect) >= SCAN_SHARE * area
        for info in pdf_page.get_image_info()
    )


def applied_boxes(
    document: Document, pdf: pymupdf.Document | None = None
) -> dict[int, list[tuple[pymupdf.Rect, bool]]]:
    """Per page number, the boxes publication fills, each with whether it must hold
    whole letters of a scan (the gate then looks for ink cut by its edges).

    On a page of text the characters under a box are removed whole, so the box is
    shrunk to the middle of its line and never reaches the lines above and below. On a
    scan only pixels can be removed: the box is the OCR word box (the extent of its ink)
    plus a margin, so that no top or bottom of a letter is left to read; so is a text
    whose box lies on any picture of a page of text (a scan in strips or on part of the
    page). Pictures and boxes drawn by hand are taken as they are."""
    pdf = pdf if pdf is not None else _rendition(document)
    boxes: dict[int, list[tuple[pymupdf.Rect, bool]]] = {}
    for number, box, scan, _cover in _boxes(document, pdf):
        boxes.setdefault(number, []).append((box, scan))
    return boxes


def _boxes(
    document: Document, pdf: pymupdf.Document
) -> Iterator[tuple[int, pymupdf.Rect, bool, pymupdf.Rect | None]]:
    """`applied_boxes`' boxes one by one, with their page number and, for a box shrunk to
    the middle of its line, the text's whole box: publication paints that one black, so
    the bar is as tall as the letters it hides (a walk read the bands, 4 points high
    across the middle of a line, as a strikethrough)."""
    accepted = Redaction.objects.filter(page__document=document, status="accepted")
    scans: dict[int, bool] = {}
    pictures: dict[int, list[pymupdf.Rect]] = {}
    for redaction in accepted.select_related("page").order_by("page__number", "id"):
        page = redaction.page
        if page is None or page.number > pdf.page_count:
            continue
        pdf_page = pdf[page.number - 1]
        whole = redaction.kind in WHOLE_BOXES
        if not whole and page.number not in scans:
            scans[page.number] = _is_scan(pdf_page, page)
            pictures[page.number] = _pictures(pdf_page) if page.method != "ocr" else []
        scan = not whole and scans[page.number]
        # A text over any picture (a scan in strips, a scan on part of the page, a word
        # printed on a photo): only pixels hide it there, as on a scan, whatever share
        # of the page the pictures cover.
        on_picture = (
            not whole
            and not scan
            and any(
                pymupdf.Rect(r).intersects(picture)
                for r in redaction.rects
                for picture in pictures[page.number]
            )
        )
        scan = scan or on_picture
        for x0, y0, x1, y1 in _lines_of(redaction.rects) if scan else redaction.rects:
            cover = None
            if whole:
                box = pymupdf.Rect(x0, y0, x1, y1)
            elif scan:
                # A tenth of the height of the letters, within half a point and 1.5.
                margin = min(1.5, max(0.5, 0.1 * (y1 - y0)))
                box = pymupdf.Rect(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
            else:
                box = _line_band(x0, y0, x1, y1)
                cover = pymupdf.Rect(x0, y0, x1, y1) & pdf_page.rect
            box &= pdf_page.rect
            if not box.is_empty:
                yield page.number, box, scan, cover


def _pictures(pdf_page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Where the page shows pictures (none is looked for on a page without any)."""
    if not pdf_page.get_images():
        return []
    found = [pymupdf.Rect(info["bbox"]) & pdf_page.rect for info in pdf_page.get_image_info()]
    return [rect for rect in found if not rect.is_empty]


def _lines_of(rects: list[list[float]]) -> list[list[float]]:
    """The word boxes of one text joined line by line: the gaps between its words would
    show how many there are and how long each is."""
    lines: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(rects, key=lambda r: (r[1], r[0])):
        last = lines[-1] if lines else None
        height = max(y1 - y0, 1.0)
        overlap = min(y1, last[3]) - max(y0, last[1]) if last else 0.0
        if last and overlap > 0.5 * min(height, last[3] - last[1]) and x0 - last[2] < 2 * height:
            lines[-1] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            lines.append([x0, y0, x1, y1])
    return lines


_TRANSPARENT = re.compile(r"/(?:ca|CA)\s*(?:0+(?:\.0*)?|\.0+)(?![\d.])")


def _transparent(pdf: pymupdf.Document) -> bool:
    """Whether the file has a fully transparent graphics state (/ca 0), with which text
    can be drawn invisibly yet logged as painted."""
    return any(
        _TRANSPARENT.search(pdf.xref_object(xref, compressed=True) or "")
        for xref in range(1, pdf.xref_length())
    )


_CLIP_MODE = re.compile(rb"(?<![\d.])[37](?:\.0*)?\s+Tr(?![A-Za-z])")


def _clip_text(pdf: pymupdf.Document) -> bool:
    """Whether a content stream of the file (a page's, a form's, a pattern's) sets text
    render mode 3 (invisible) or 7 (a clip path, nothing painted): MuPDF's drawing log
    does not list text in mode 7 at all. Pictures and font programs are not read."""
    for xref in range(1, pdf.xref_length()):
        if not pdf.xref_is_stream(xref):
            continue
        if pdf.xref_get_key(xref, "Subtype")[1] in ("/Image", "/Type1C", "/CIDFontType0C"):
            continue
        if any(pdf.xref_get_key(xref, key)[0] != "null" for key in ("Length1", "Length2")):
            continue
        try:
            stream = pdf.xref_stream(xref) or b""
        except Exception:  # noqa: BLE001 - a stream MuPDF cannot decode draws nothing
            continue
        if _CLIP_MODE.search(stream):
            return True
    return False


def _may_hide_text(log: list[tuple[str, Any]], transparent: bool) -> bool:
    """Whether a page may hold text drawn without ink (the cheap test before reading its
    spans): its drawing log holds text drawn neither filled nor stroked, or the file has
    a fully transparent graphics state."""
    return transparent or any(kind == "ignore-text" for kind, _rect in log)


def _hidden_spans(pdf_page: pymupdf.Page) -> list[dict[str, Any]]:
    """Spans of text drawn invisibly: no fill and no stroke (render mode 3 or 7), fully
    transparent, or in the font OCR programs use for their invisible layer."""
    hidden = []
    for block in pdf_page.get_text("dict", flags=_HIDDEN_FLAGS, clip=pymupdf.INFINITE_RECT())[
        "blocks"
    ]:
        for line in block.get("lines", ()):
            for span in line.get("spans", ()):
                if not span["text"].strip():
                    continue
                flags = span.get("char_flags", 0)
                painted = flags & (mupdf.FZ_STEXT_FILLED | mupdf.FZ_STEXT_STROKED)
                glyphless = str(span.get("font", "")).split("+")[-1] == "GlyphLessFont"
                if span.get("alpha") == 0 or not painted or glyphless:
                    hidden.append(span)
    return hidden


def _outside(rect: pymupdf.Rect, page_rect: pymupdf.Rect, slack: float = 0.5) -> bool:
    return not (page_rect + (-slack, -slack, slack, slack)).contains(rect)


def _every_layer_on(pdf: pymupdf.Document) -> pymupdf.Document:
    """The same file with every optional content layer switched on (a new document:
    MuPDF reads the layers' state when a file is opened)."""
    ocgs = list(pdf.get_ocgs())
    if not ocgs:
        return pdf
    pdf.set_layer(-1, on=ocgs, off=[])
    return pymupdf.open(stream=pdf.tobytes(), filetype="pdf")


def _remove_hidden(
    pdf: pymupdf.Document, pages: dict[int, Page]
) -> tuple[pymupdf.Document, dict[int, list[Any]]]:
    """Remove from every page what a reader of the page cannot see: content in layers
    that are switched off, content outside the page box, invisible text. Returns the
    file (a new one when it had layers) and, per page number, the invisible words over a
    scanned picture (a scanner's OCR layer), put back as our own layer once the
    redactions are applied."""
    ocgs = list(pdf.get_ocgs())
    visible_chars: dict[int, set[tuple[str, float, float]]] = {}
    visible_drawn: dict[int, set[tuple[str, tuple[float, ...]]]] = {}
    if ocgs:
        for index in range(pdf.page_count):
            visible_chars[index] = set(_chars(pdf[index]))
            visible_drawn[index] = _drawn(pdf[index])
        pdf = _every_layer_on(pdf)
    kept_words: dict[int, list[Any]] = {}
    transparent = _transparent(pdf) or _clip_text(pdf)
    for index in range(pdf.page_count):
        sheet = pdf[index]
        page = pages.get(index + 1)
        area = sheet.rect
        boxes: list[pymupdf.Rect] = []
        images = pymupdf.PDF_REDACT_IMAGE_NONE  # type: ignore[attr-defined]
        # Layers switched off: the characters, pictures and drawings only seen with every
        # layer on. Removing them by their boxes may remove visible text under them: the
        # gate then reports the lost words.
        log = sheet.get_bboxlog()
        if ocgs:
            chars = _chars(sheet)
            boxes += [chars[key] for key in set(chars) - visible_chars[index]]
            for kind, bbox in _drawn(sheet) - visible_drawn[index]:
                if not kind.endswith("-text"):
                    boxes.append(pymupdf.Rect(bbox))
                    if "image" in kind:
                        images = pymupdf.PDF_REDACT_IMAGE_PIXELS  # type: ignore[attr-defined]
        # Outside the page box: four regions around it, removed whatever lies there.
        # The page's log of what it draws (text, pictures, paths) says if anything does.
        pictures = [pymupdf.Rect(r) for kind, r in log if "image" in kind]
        if any(_outside(pymupdf.Rect(r), area) for _kind, r in log):
            boxes += [
                pymupdf.Rect(-_FAR, -_FAR, _FAR, area.y0),
                pymupdf.Rect(-_FAR, area.y1, _FAR, _FAR),
                pymupdf.Rect(-_FAR, area.y0, area.x0, area.y1),
                pymupdf.Rect(area.x1, area.y0, _FAR, area.y1),
            ]
            if any(_outside(r, area, slack=2) for r in pictures):
                images = pymupdf.PDF_REDACT_IMAGE_PIXELS  # type: ignore[attr-defined]
        # Invisible text: removed; over a scan it is the scanner's OCR of the visible
        # pixels, so its words come back (those not redacted) as our own layer.
        hidden = _hidden_spans(sheet) if _may_hide_text(log, transparent) else []
        if hidden:
            scan = page is not None and _is_scan(sheet, page)
            spans = [pymupdf.Rect(s["bbox"]) for s in hidden]
            boxes += spans
            if scan:
                kept_words[index + 1] = [
                    w
                    for w in sheet.get_text("words")
                    if any(pymupdf.Rect(w[:4]).intersects(s) for s in spans)
                ]
        if not boxes:
            continue
        for box in boxes:
            # fill=False: nothing painted (None would paint white over what is visible).
            sheet.add_redact_annot(box, fill=False, cross_out=False)  # type: ignore[arg-type]
        sheet.apply_redactions(
            images=images,
            graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,  # type: ignore[attr-defined]
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
        )
    if ocgs and all(
        not set(_chars(pdf[index])) - visible_chars[index]
        and not {d for d in _drawn(pdf[index]) - visible_drawn[index] if "text" not in d[0]}
        for index in range(pdf.page_count)
    ):
        # What is left was visible: the layers go. Otherwise they stay, and the gate
        # refuses the file.
        catalog = pdf.pdf_catalog()
        pdf.xref_set_key(catalog, "OCProperties", "null")
        # A null value is an absent key, but some readers list the key: drop it.
        source = re.sub(r"/OCProperties\s+null", "", pdf.xref_object(catalog, compressed=True))
        pdf.update_object(catalog, source)
        # Nor anything naming a layer (pictures' and forms' /OC, pages' /Properties):
        # the layer objects are then left unreferenced and not written.
        for xref in range(1, pdf.xref_length()):
            if pdf.xref_object(xref, compressed=True) in ("", "null"):
                continue
            if pdf.xref_get_key(xref, "OC")[0] != "null":
                pdf.xref_set_key(xref, "OC", "null")
            if pdf.xref_get_key(xref, "Properties")[0] != "null":
                pdf.xref_set_key(xref, "Properties", "null")
            if pdf.xref_get_key(xref, "Resources/Properties")[0] != "null":
                pdf.xref_set_key(xref, "Resources/Properties", "null")
    return pdf, kept_words


def _drawn(pdf_page: pymupdf.Page) -> set[tuple[str, tuple[float, ...]]]:
    """What the page draws (text, pictures, paths), each by its kind and box, from its
    drawing log (in the layers switched on)."""
    return {(kind, tuple(round(v, 1) for v in bbox)) for kind, bbox in pdf_page.get_bboxlog()}


def _chars(pdf_page: pymupdf.Page) -> dict[tuple[str, float, float], pymupdf.Rect]:
    """The characters drawn on the page (in the layers switched on, no clip), each by its
    place, with its box."""
    found = {}
    raw = pdf_page.get_text(
        "rawdict", flags=pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    )
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            for span in line.get("spans", ()):
                for char in span["chars"]:
                    x, y = char["origin"]
                    found[(char["c"], round(x, 2), round(y, 2))] = pymupdf.Rect(char["bbox"])
    return found


def redacted_pdf(document: Document) -> bytes:
    """The published file: what is not visible on a page removed, redactions applied,
    everything else that could leak removed, written whole."""
    pdf = _rendition(document)
    pages = {p.number: p for p in document.pages.all()}
    pdf, kept_words = _remove_hidden(pdf, pages)
    boxes: dict[int, list[tuple[pymupdf.Rect, bool]]] = {}
    covers: dict[int, list[pymupdf.Rect]] = {}
    for number, box, scan, cover in _boxes(document, pdf):
        boxes.setdefault(number, []).append((box, scan))
        if cover is not None and not cover.is_empty:
            covers.setdefault(number, []).append(cover)
    accepted = Redaction.objects.filter(page__document=document, status="accepted")
    by_page: dict[int, list[Redaction]] = {}
    for redaction in accepted.select_related("page"):
        by_page.setdefault(redaction.page_number, []).append(redaction)
    for number, page in pages.items():
        if number > pdf.page_count:
            continue
        pdf_page = pdf[number - 1]
        page_boxes = boxes.get(number, [])
        for box, _scan in page_boxes:
            pdf_page.add_redact_annot(box, fill=(0, 0, 0), cross_out=False)
        # On a scan with a text layer, the boxes around the letters of the picture would
        # reach the (taller) characters of the lines above and below: its text is
        # removed in a second pass, by the middle of each line as on a page of text.
        layered_scan = page.method != "ocr" and any(scan for _box, scan in page_boxes)
        if page_boxes:
            pdf_page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_PIXELS,  # type: ignore[attr-defined]
                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,  # type: ignore[attr-defined]
                text=pymupdf.PDF_REDACT_TEXT_NONE  # type: ignore[attr-defined]
                if layered_scan
                else pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
            )
        # The text is gone from the band; the bar over it is as tall as its letters.
        for cover in covers.get(number, []):
            pdf_page.draw_rect(cover, color=None, fill=(0, 0, 0), overlay=True)
        if layered_scan:
            for redaction in by_page.get(number, []):
                for rect in redaction.rects:
                    whole = redaction.kind in WHOLE_BOXES
                    box = pymupdf.Rect(*rect) if whole else _line_band(*rect)
                    pdf_page.add_redact_annot(box, fill=False, cross_out=False)  # type: ignore[arg-type]
            pdf_page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_NONE,  # type: ignore[attr-defined]
                graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,  # type: ignore[attr-defined]
                text=pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
            )
        hidden = [pymupdf.Rect(*r) for red in by_page.get(number, []) for r in red.rects]
        hidden += [box for box, _whole in boxes.get(number, [])]
        if page.method == "ocr" and pdf_page.get_text("text").strip():
            # A page read by OCR though it had a text layer (a scan with a line printed
            # on it, glyphs without their characters' map): its own layer is not what it
            # shows, and beside the OCR's it would be a second text. It is published as
            # the picture it is, with the OCR's layer, as a scan.
            _flatten(pdf_page)
        if page.method == "ocr" and page.words:
            _text_layer(pdf_page, page.words, hidden)
        elif kept_words.get(number) or (page.ocr_from is not None and page.words):
            # A scanner's layer, and the words read from a pasted picture (over it, as
            # the gate allows invisible text only over a picture that large): those not
            # redacted, so the published copy is found by them as the original is.
            pasted = page.words if page.ocr_from is not None and page.words else []
            _text_layer(pdf_page, [*kept_words.get(number, []), *pasted], hidden)
    pdf.scrub(
        attached_files=True,
        clean_pages=True,
        embedded_files=True,
        hidden_text=False,  # removed above, keeping the searchable layer of scans
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
    _remove_structures(pdf)
    data: bytes = pdf.tobytes(garbage=4, deflate=True, clean=True, incremental=False)
    return data


# Structures a redacted public copy does not need, each able to carry a name that the
# pages no longer show: outlines, the structure tree (/Alt, /ActualText), private
# application data, page labels, actions, named destinations, article threads, forms.
_CATALOG_KEYS = (
    "Outlines",
    "StructTreeRoot",
    "MarkInfo",
    "PieceInfo",
    "PageLabels",
    "OpenAction",
    "AA",
    "Names",
    "Dests",
    "Threads",
    "URI",
    "SpiderInfo",
    "AcroForm",
    "Collection",
    "Legal",
    "Perms",
    "Metadata",
)
# On pages, pictures and forms: private data, actions, article beads, structure links,
# metadata streams.
_OBJECT_KEYS = ("PieceInfo", "AA", "B", "StructParent", "StructParents", "Metadata", "OPI")


def _drop_keys(pdf: pymupdf.Document, xref: int, keys: tuple[str, ...]) -> None:
    present = [key for key in keys if pdf.xref_get_key(xref, key)[0] != "null"]
    if not present:
        return
    for key in present:
        pdf.xref_set_key(xref, key, "null")
    if not pdf.xref_is_stream(xref):
        # A null value is an absent key, but the key would still be written: drop it.
        pattern = r"/(?:" + "|".join(present) + r")\s*null\b"
        pdf.update_object(xref, re.sub(pattern, "", pdf.xref_object(xref, compressed=True)))


def _remove_structures(pdf: pymupdf.Document) -> None:
    """Remove every structure of the file besides the pages' content that could carry
    a redacted name (the gate refuses what is left anyway), and the comments and
    application segments (EXIF, XMP, IPTC) of the JPEG pictures kept."""
    pdf.set_toc([])
    _drop_keys(pdf, pdf.pdf_catalog(), _CATALOG_KEYS)
    for xref in range(1, pdf.xref_length()):
        if pdf.xref_object(xref, compressed=True) in ("", "null"):
            continue
        _drop_keys(pdf, xref, _OBJECT_KEYS)
    # A picture MuPDF cannot decode (nor draw, nor the gate read) is blanked rather
    # than kept as it came: a published copy cannot be sent back to its sender.
    pdf_pictures_without_metadata(pdf, blank_undecodable=True)


def _line_band(x0: float, y0: float, x1: float, y1: float) -> pymupdf.Rect:
    """The middle of a box: glyph boxes are often taller than their line (rewritten
    PDFs), and a full-height box touches the lines above and below, whose characters
    the redaction would then remove too. Every character of the target line still
    crosses the band. Only for pages of text: on a scan, pixels outside it would stay."""
    height = y1 - y0
    return pymupdf.Rect(x0 + 0.3, y0 + height * 0.3, x1 - 0.3, y1 - height * 0.3)


# The resolution of a page published as a picture (see `_flatten`).
FLATTEN_DPI = 200


def _flatten(pdf_page: pymupdf.Page) -> None:
    """Replace what `pdf_page` draws (its redactions applied) by a picture of it."""
    picture = pdf_page.get_pixmap(dpi=FLATTEN_DPI)
    pdf_page.add_redact_annot(pdf_page.rect, fill=False, cross_out=False)  # type: ignore[arg-type]
    pdf_page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_REMOVE,  # type: ignore[attr-defined]
        graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,  # type: ignore[attr-defined]
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
    )
    pdf_page.insert_image(pdf_page.rect, pixmap=picture)


def _text_layer(pdf_page: pymupdf.Page, words: list[Any], hidden: list[pymupdf.Rect]) -> None:
    """An invisible layer of the words of a scan that are not under a redaction, so the
    published scan stays searchable. Written a run of a line's words at a time, each run
    stretched to the width its words take on the scan: written word by word, the page's
    published text read back one word per line ("Préfecture / des / Bouches-du-Rhône")."""
    for run in _runs(words, hidden):
        x0, y0 = run[0][0], min(w[1] for w in run)
        x1, y1 = run[-1][2], max(w[3] for w in run)
        size = max(4.0, (y1 - y0) * 0.8)
        # Ligatures (ﬁ, ﬀ) as their letters: the layer's font has no glyph for them.
        text = unicodedata.normalize("NFKC", " ".join(str(w[4]) for w in run))
        natural = pymupdf.get_text_length(text, fontsize=size)
        origin = pymupdf.Point(x0, y1 - (y1 - y0) * 0.2)
        scale = (x1 - x0) / natural if natural > 0 and x1 > x0 else 1.0
        pdf_page.insert_text(
            origin,
            text,
            fontsize=size,
            render_mode=3,
            morph=(origin, pymupdf.Matrix(max(0.05, min(scale, 20.0)), 1)),
        )


def _runs(words: list[Any], hidden: list[pymupdf.Rect]) -> list[list[Any]]:
    """The words in reading order cut into runs of one line, a redacted word ending a run
    (it is left out): the next word goes on the run when it stands to the right of the
    last one and shares most of its height."""
    runs: list[list[Any]] = []
    run: list[Any] = []
    for word in words:
        x0, y0, x1, y1 = (float(v) for v in word[:4])
        if not str(word[4]).strip():
            continue
        if any(pymupdf.Rect(x0, y0, x1, y1).intersects(h) for h in hidden):
            if run:
                runs.append(run)
            run = []
            continue
        if run:
            last = run[-1]
            overlap = min(y1, float(last[3])) - max(y0, float(last[1]))
            height = min(y1 - y0, float(last[3]) - float(last[1]))
            if x0 < float(last[2]) - 1 or height <= 0 or overlap < 0.5 * height:
                runs.append(run)
                run = []
        run.append([x0, y0, x1, y1, word[4]])
    if run:
        runs.append(run)
    return runs


def _texts(data: bytes) -> tuple[list[str], list[str], list[str]]:
    """Page texts of a PDF: what PyMuPDF shows (the public text), what PyMuPDF finds
    with every layer on and no clip, and what pdfium finds (it ignores layers)."""
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        shown = [page.get_text("text") for page in pdf]
        flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_MEDIABOX_CLIP
        every = _every_layer_on(pdf)
        everything = [
            every[i].get_text("text", flags=flags, clip=pymupdf.INFINITE_RECT())
            for i in range(every.page_count)
        ]
    document = pypdfium2.PdfDocument(data)
    second = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return shown, everything, second


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


_NOT_ALNUM = re.compile(r"[\W_]+")


def _letters(text: str) -> Counter[str]:
    """The letters and digits of a text, however an extractor spaces or orders them."""
    return Counter(_squash(text))


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


_HYPHENS = "-\u2010\u2011"
_HYPHEN_CLASS = r"\-\u2010\u2011"  # the same in a regular expression's [...]


def _outside_longer_words(text: str, word: str) -> str:
    """`text` without the occurrences of `word` (any case) that are part of a longer
    word: of a compound ("Saint-Martin", "Martin-Luther-King") or of a word going on in
    small letters ("boulangerie", "Martinez"). Glued to a capital ("PaulMartin",
    "MartinDUPONT", as an extractor may join words), it is still the name."""
    text = unicodedata.normalize("NFKC", text)
    kept: list[str] = []
    last = 0
    for match in re.finditer(re.escape(word), text, re.IGNORECASE):
        start, end = match.span()
        before = text[start - 2 : start] if start >= 2 else ""
        after = text[end : end + 2]
        compound = (len(before) == 2 and before[1] in _HYPHENS and before[0].isalpha()) or (
            len(after) == 2 and after[0] in _HYPHENS and after[1].isalpha()
        )
        if compound or (after[:1].isalpha() and after[:1].islower()):
            kept.append(text[last:start])
            kept.append(" ")
            last = end
    kept.append(text[last:])
    return "".join(kept)


def gate(document: Document, data: bytes) -> GateReport:
    """Every check a published file must pass; each finding blocks publication."""
    report = GateReport()
    accepted = list(
        Redaction.objects.filter(page__document=document, status="accepted").select_related("page")
    )
    kept = {
        (page_id, _squash(text))
        for page_id, text in Redaction.objects.filter(
            page__document=document, status="rejected"
        ).values_list("page_id", "text")
    }
    # A page stored as text whose layer is not text (added before such layers were read
    # by OCR): its names were never looked for (a hostile review).
    for number, method, text in document.pages.order_by("number").values_list(
        "number", "method", "text"
    ):
        if method == "text" and unreadable(text):
            report.add("unread", page=number)
            break
    shown, everything, second = _texts(data)
    report.texts = shown
    expected = document.pages.count()
    if len(shown) != expected:
        report.add("pages", found=len(shown), expected=expected)
    # Each redaction is looked for on its own page by both extractors, every layer on,
    # no clip, spaces and order aside; on another page it blocks too, unless the
    # reviewer decided to keep it there.
    raw = list(zip(everything, second, strict=False))
    squashed = [(_squash(a), _squash(b)) for a, b in raw]
    page_ids = dict(document.pages.values_list("number", "id"))
    leaks: set[str] = set()
    elsewhere: dict[str, int] = {}

    def readable(text: str, needle: str, number: int) -> bool:
        if not any(needle in page for page in squashed[number - 1]):
            return False
        # One word redacted (a surname alone) is in longer words that stay ("Martin" in
        # "Saint-Martin", "Boulanger" in "boulangerie"): read again without them.
        word = text.strip()
        if len(word.split()) != 1:
            return True
        return any(needle in _squash(_outside_longer_words(page, word)) for page in raw[number - 1])

    for redaction in accepted:
        needle = _squash(redaction.text)
        if not needle:
            continue
        number = redaction.page_number
        if number > len(squashed) or readable(redaction.text, needle, number):
            leaks.add(redaction.text)
            continue
        # A box drawn by hand, a picture: an area of one page, not a text to find.
        if redaction.kind in WHOLE_BOXES:
            continue
        for other in range(1, len(squashed) + 1):
            if other != number and readable(redaction.text, needle, other):
                if (page_ids.get(other), needle) not in kept:
                    elsewhere.setdefault(redaction.text, other)
    report.checks["leaked_texts"] = len(leaks)
    report.checks["readable_on_other_pages"] = sorted(elsewhere)
    if leaks:
        report.add("leaked", count=len(leaks), example=sorted(leaks)[0][:40])
    if elsewhere:
        example = sorted(elsewhere)[0]
        report.add("elsewhere", count=len(elsewhere), example=example[:40], page=elsewhere[example])
    _gate_surnames(report, document, shown, page_ids, kept)
    originals = list(document.pages.order_by("number").values_list("text", flat=True))
    _gate_hidden(report, data, originals, (shown, everything, second))
    _gate_file(report, data)
    kept_texts = {text for _page_id, text in kept}
    _gate_residue(report, data, [a.text for a in accepted if _squash(a.text) not in kept_texts])
    lost = _lost_words(document, accepted, shown)
    report.checks["lost_words"] = lost
    if lost:
        number, words = next(iter(lost.items()))
        report.add("lost", count=len(lost), page=number, words=", ".join(words[:5]))
    _gate_pixels(report, document, data)
    return report


def _gate_surnames(
    report: GateReport,
    document: Document,
    texts: list[str],
    page_ids: dict[int, int],
    kept: set[tuple[int, str]],
) -> None:
    """No surname of a redacted name left readable alone on a page ("Lavalette a voté
    contre" once "Béatrice de Lavalette" is redacted), in capitals or without its
    accents too, unless a reviewer kept that text readable on that page or the name is
    a public figure's. A surname alone is read as suggestions read it (`with_surnames`):
    a whole capitalised word, not part of a compound ("Saint-Martin"), a street's or a
    building's name ("rue Martin"), another proper name ("Collège Boulanger"), nor a
    common word in small letters ("le vin blanc" for Mme Blanc). The rule of the
    suggestions, so that detection run again suggests each finding for a decision."""
    names = _redacted_names(document)
    if not names:
        return
    public = public_names(document)
    # The texts kept readable, per page: a surname inside a whole name kept there
    # ("Mme Béatrice de Lavalette", a public act on that page) is kept with it. Inside a
    # whole name redacted elsewhere, it is the name's finding ("elsewhere"), not its own.
    whole: dict[int | None, list[str]] = {}
    for kept_id, status, kept_text in Redaction.objects.filter(
        page__document=document, status__in=["rejected", "accepted"]
    ).values_list("page_id", "status", "text"):
        if len(kept_text.split()) > 1:
            whole.setdefault(kept_id if status == "rejected" else None, []).append(kept_text)
    found: dict[str, int] = {}
    for number, text in enumerate(texts, start=1):
        page_id = page_ids.get(number)
        spans = [
            match.span()
            for kept_text in whole.get(page_id, []) + whole.get(None, [])
            for match in re.finditer(
                r"\s+".join(re.escape(word) for word in kept_text.split()), text, re.IGNORECASE
            )
        ]
        for mention in with_surnames(text, [], names, public=public):
            if (page_id, _squash(mention.text)) in kept or any(
                a <= mention.start and mention.end <= b for a, b in spans
            ):
                continue
            found.setdefault(mention.text, number)
    report.checks["surnames_readable"] = sorted(found)
    if found:
        example = sorted(found)[0]
        report.add("surname", count=len(found), example=example[:40], page=found[example])


def _gate_hidden(
    report: GateReport,
    data: bytes,
    originals: list[str],
    extracted: tuple[list[str], list[str], list[str]],
) -> None:
    """Nothing in the file that a reader of the pages cannot see: no layer; no letter
    that an extractor finds with every layer on and no clip (or pdfium, which ignores
    both) and that is not shown on the page, or that was not shown on the page of the
    original (publication only removes); no invisible text but the OCR layer of a scan."""
    hidden_pages: dict[int, str] = {}
    shown, everything, second = extracted
    for number, (visible, full, other) in enumerate(
        zip(shown, everything, second, strict=False), start=1
    ):
        seen = _letters(visible)
        before = _letters(originals[number - 1]) if number <= len(originals) else Counter()
        extra = (_letters(full) - seen) + (_letters(other) - seen)
        extra += (_letters(full) - before) + (_letters(other) - before)
        if extra:
            hidden_pages[number] = "".join(sorted(extra.elements()))[:40]
    report.checks["hidden_pages"] = sorted(hidden_pages)
    if hidden_pages:
        number = min(hidden_pages)
        report.add("hidden", page=number, example=hidden_pages[number])
    invisible: dict[int, str] = {}
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        if pdf.get_ocgs() or b"/OCProperties" in data or b"/OCG" in data:
            report.add("layers")
        transparent = _transparent(pdf) or _clip_text(pdf)
        for index in range(pdf.page_count):
            sheet = pdf[index]
            log = sheet.get_bboxlog()
            spans = _hidden_spans(sheet) if _may_hide_text(log, transparent) else []
            if not spans:
                continue
            area = abs(sheet.rect) or 1.0
            scans = [
                pymupdf.Rect(i["bbox"])
                for i in sheet.get_image_info()
                if abs(pymupdf.Rect(i["bbox"]) & sheet.rect) >= SCAN_SHARE * area
            ]
            loose = [
                s
                for s in spans
                if not any(scan.contains(pymupdf.Rect(s["bbox"])) for scan in scans)
            ]
            if loose:
                invisible[index + 1] = loose[0]["text"][:40]
    report.checks["invisible_text_pages"] = sorted(invisible)
    if invisible:
        number = min(invisible)
        report.add("invisible", count=len(invisible), page=number, example=invisible[number])


def _gate_file(report: GateReport, data: bytes) -> None:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        metadata = {
            k: v for k, v in (pdf.metadata or {}).items() if v and k not in ("format", "encryption")
        }
        if metadata or pdf.get_xml_metadata():
            report.add("metadata", fields=", ".join(sorted(metadata) or ["XMP"]))
        if pdf.embfile_count():
            report.add("attachments")
        annotations = sum(len(list(page.annots() or [])) for page in pdf)
        widgets = sum(len(list(page.widgets() or [])) for page in pdf)
        if annotations or widgets:
            report.add("annotations")
        objects = (pdf.xref_object(x) or "" for x in range(1, pdf.xref_length()))
        if any("/JS" in source or "/JavaScript" in source for source in objects):
            report.add("javascript")
    revisions = data.count(b"%%EOF")
    report.checks["revisions"] = revisions
    if revisions != 1 or b"/Prev" in data[-2048:]:
        report.add("revisions", count=revisions)


_HEX_STRING = re.compile(r"(?<!<)<([0-9A-Fa-f\s]{4,})>")
_ESCAPE = re.compile(r"\\([0-7]{1,3}|.)", re.DOTALL)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _decoded(source: str) -> str:
    """An object's source with its strings also as text: hex strings decoded (UTF-16BE
    with its mark, PDFDocEncoding otherwise, taken as Latin-1) and escapes resolved."""
    parts = [source]
    for match in _HEX_STRING.finditer(source):
        digits = re.sub(r"\s", "", match.group(1))
        raw = bytes.fromhex(digits + "0" * (len(digits) % 2))
        if raw[:2] == b"\xfe\xff":
            parts.append(raw[2:].decode("utf-16-be", errors="replace"))
        else:
            parts.append(raw.decode("latin-1"))
    if "\\" in source:

        def resolve(match: re.Match[str]) -> str:
            value = match.group(1)
            if value[0] in "01234567":
                return chr(int(value, 8) & 0xFF)
            return _ESCAPES.get(value, value)

        parts.append(_ESCAPE.sub(resolve, source))
    return "\n".join(parts)


def _residue_patterns(texts: list[str], shortest: int) -> tuple[re.Pattern[str] | None, ...]:
    """Two searches for the redacted texts of at least `shortest` letters: as written
    (any case, any spaces, not inside a longer word), and squashed (letters and digits
    only, for names written without spaces: a font named after a person)."""
    spaced: set[str] = set()
    single: set[str] = set()
    squashed: set[str] = set()
    for text in texts:
        words = unicodedata.normalize("NFKC", text).split()
        if len("".join(words)) >= shortest:
            needle = r"\s*".join(re.escape(word) for word in words)
            (single if len(words) == 1 else spaced).add(needle)
        squash = _squash(text)
        if len(squash) >= max(5, shortest) and any(c.isalpha() for c in squash):
            squashed.add(re.escape(squash))

    def alternatives(needles: set[str] | frozenset[str]) -> str:
        return "|".join(sorted(needles, key=len, reverse=True))

    def compiled(needles: set[str], words: frozenset[str] = frozenset()) -> re.Pattern[str] | None:
        found = []
        if needles:
            found.append(rf"(?<![^\W_])(?:{alternatives(needles)})(?![^\W_])")
        # One word (a surname alone) is not a compound's part either: "Martin" is no one
        # in "SAINT-MARTIN-DU-VAR", which the page keeps.
        if words:
            found.append(
                rf"(?<![^\W_])(?<![{_HYPHEN_CLASS}])(?:{alternatives(words)})"
                rf"(?![^\W_])(?![{_HYPHEN_CLASS}]\w)"
            )
        return re.compile("|".join(found), re.IGNORECASE) if found else None

    return compiled(spaced, frozenset(single)), compiled(squashed)


_PRINTABLE = frozenset(b"\t\n\r" + bytes(range(32, 127)))


def _binary(data: bytes) -> bool:
    """Bytes that are not text (pixels, a font program, a colour profile): a short
    redacted text could be found there by chance."""
    sample = data[:4096]
    return bool(sample) and sum(b not in _PRINTABLE for b in sample) > 0.1 * len(sample)


def _gate_residue(report: GateReport, data: bytes, texts: list[str]) -> None:
    """The safety net: no redacted text anywhere in the file, whatever structure holds
    it (outlines, structure tree, private data, actions, destinations, a font's name, a
    picture's comment...), not only in what extractors read from the pages: every
    object, every stream decompressed (pictures and fonts as they are stored) and the
    file's bytes. In bytes that are not text, only texts of eight letters or more are
    looked for (a shorter one could be there by chance). A text the reviewer kept
    somewhere in the document is not looked for (the other checks decide where it may
    be read)."""
    spaced, squashed = _residue_patterns(texts, 3)
    long_spaced, _long_squashed = _residue_patterns(texts, 8)
    found: dict[int, str] = {}

    def search(xref: int, haystack: str, *, binary: bool = False, squash: bool = False) -> None:
        pattern = long_spaced if binary else spaced
        if xref in found:
            return
        if pattern is not None and (match := pattern.search(haystack)):
            found[xref] = match.group(0)
        elif squash and squashed is not None and (match := squashed.search(_squash(haystack))):
            found[xref] = match.group(0)

    if spaced is None:
        report.checks["residue_objects"] = []
        return
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for xref in range(1, pdf.xref_length()):
            search(xref, _decoded(pdf.xref_object(xref, compressed=True) or ""), squash=True)
            if not pdf.xref_is_stream(xref):
                continue
            stored = pdf.xref_get_key(xref, "Subtype")[1] in ("/Image", "/Type1C", "/OpenType")
            stored = stored or any(
                pdf.xref_get_key(xref, key)[0] != "null" for key in ("Length1", "Length2")
            )
            try:
                stream = pdf.xref_stream_raw(xref) if stored else pdf.xref_stream(xref)
            except Exception:  # noqa: BLE001 - a stream MuPDF cannot decode: its bytes
                stream = pdf.xref_stream_raw(xref)
            stream = stream or b""
            if stored or _binary(stream):
                search(xref, stream.decode("latin-1"), binary=True)
            else:
                search(xref, _decoded(stream.decode("latin-1")))
                search(xref, stream.decode("utf-8", errors="ignore"))
    if long_spaced is not None and (match := long_spaced.search(data.decode("latin-1"))):
        found.setdefault(0, match.group(0))
    report.checks["residue_objects"] = sorted(found)
    if found:
        xref = min(found)
        report.add("residue", count=len(found), example=found[xref][:40])


def _gate_pixels(report: GateReport, document: Document, data: bytes) -> None:
    """Render every box of the published file: inside, a uniform fill (nothing under it
    shows through); around the box of a text on a scan, no ink touching it (a letter cut
    by the box, whose rest a reader would see)."""
    failed: dict[int, int] = {}
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        boxes = applied_boxes(document, pdf)
        scale = GATE_DPI / 72
        for number, page_boxes in boxes.items():
            if number > pdf.page_count:
                continue
            sheet = pdf[number - 1]
            listing = sheet.get_displaylist()
            others = [box for box, _scan in page_boxes]
            for box, scan in page_boxes:
                if not _box_clean(listing, sheet.rect, box, scan, others, scale):
                    failed[number] = failed.get(number, 0) + 1
    report.checks["remnants"] = {n: c for n, c in sorted(failed.items())}
    if failed:
        number = min(failed)
        report.add("remnants", count=sum(failed.values()), page=number)


def _box_clean(
    listing: pymupdf.DisplayList,
    area: pymupdf.Rect,
    box: pymupdf.Rect,
    scan: bool,
    others: list[pymupdf.Rect],
    scale: float,
) -> bool:
    pad = 4 / scale  # four pixels around the box
    clip = (box + (-pad, -pad, pad, pad)) & area
    pixmap = listing.get_pixmap(
        matrix=pymupdf.Matrix(scale, scale), colorspace=pymupdf.csGRAY, alpha=False, clip=clip
    )
    samples, stride = pixmap.samples, pixmap.stride
    origin_x, origin_y = pixmap.x, pixmap.y

    def pixels(rect: pymupdf.Rect) -> tuple[int, int, int, int]:
        return (
            int(rect.x0 * scale) - origin_x,
            int(rect.y0 * scale) - origin_y,
            int(rect.x1 * scale + 0.999) - origin_x,
            int(rect.y1 * scale + 0.999) - origin_y,
        )

    x0, y0, x1, y1 = pixels(box)
    width, height = pixmap.width, pixmap.height
    # Inside, one pixel in from the edges (anti-aliased): the fill alone.
    for y in range(max(0, y0 + 1), min(height, y1 - 1)):
        row = samples[y * stride + max(0, x0 + 1) : y * stride + min(width, x1 - 1)]
        if row and max(row) > FILL_MAX:
            return False
    if not scan:
        # On a page of text the letters under the box are removed whole, and the next
        # character may touch the box (a comma after an e-mail address).
        return True
    # Around it, the second pixel out (the first may be grey from the fill's edge): no
    # ink, except where another box is. A letter cut by the box is dark there.
    covered = [pixels(o + (-1 / scale, -1 / scale, 1 / scale, 1 / scale)) for o in others]
    ring = [(x, y) for y in (y0 - 2, y1 + 1) for x in range(x0 - 2, x1 + 2)]
    ring += [(x, y) for x in (x0 - 2, x1 + 1) for y in range(y0, y1)]
    for x, y in ring:
        if not (0 <= x < width and 0 <= y < height) or samples[y * stride + x] >= INK:
            continue
        if any(a <= x < c and b <= y < d for a, b, c, d in covered):
            continue
        return False
    return True


def _lost_words(
    document: Document, accepted: list[Redaction], published: list[str]
) -> dict[int, list[str]]:
    """Per page, words of the original text missing from the published text that no
    redaction targeted: neither by its text nor by its boxes (a text found in the order
    the page is seen, drawn out of order in the file). Invisible text, removed on
    purpose, aside."""
    targeted: dict[int, Counter[str]] = {}
    rects: dict[int, list[pymupdf.Rect]] = {}
    areas: dict[int, list[pymupdf.Rect]] = {}
    for redaction in accepted:
        words = _WORD.findall(unicodedata.normalize("NFKC", redaction.text).lower())
        targeted.setdefault(redaction.page_number, Counter()).update(words)
        into = areas if redaction.kind in WHOLE_BOXES else rects
        into.setdefault(redaction.page_number, []).extend(pymupdf.Rect(*r) for r in redaction.rects)
    lost = {}
    original: pymupdf.Document | None = None
    for page in document.pages.order_by("number"):
        if page.number > len(published):
            break
        before = Counter(_WORD.findall(unicodedata.normalize("NFKC", page.text).lower()))
        after = Counter(
            _WORD.findall(unicodedata.normalize("NFKC", published[page.number - 1]).lower())
        )
        missing = before - after - targeted.get(page.number, Counter())
        if missing and page.method != "ocr":
            # Only read the original again when words are missing (the rare case).
            original = original or _rendition(document)
            sheet = original[page.number - 1]
            if not _is_scan(sheet, page):
                for span in _hidden_spans(sheet):
                    missing -= Counter(
                        _WORD.findall(unicodedata.normalize("NFKC", span["text"]).lower())
                    )
            boxes = rects.get(page.number, [])
            for word in sheet.get_text("words") if missing and boxes else []:
                if any(pymupdf.Rect(word[:4]).intersects(box) for box in boxes):
                    missing -= Counter(
                        _WORD.findall(unicodedata.normalize("NFKC", str(word[4])).lower())
                    )
            if missing and areas.get(page.number):
                missing -= _under_areas(sheet, areas[page.number])
            if missing and page.ocr_from is not None:
                # The words read from a pasted picture that a box covers: its published
                # layer leaves them out (`_text_layer`), as a scan's.
                covered = boxes + areas.get(page.number, [])
                for x0, y0, x1, y1, word, *_rest in page.words or []:
                    if any(pymupdf.Rect(x0, y0, x1, y1).intersects(box) for box in covered):
                        missing -= Counter(
                            _WORD.findall(unicodedata.normalize("NFKC", str(word)).lower())
                        )
        if missing:
            lost[page.number] = sorted(missing.elements())
    return lost


def _under_areas(sheet: pymupdf.Page, areas: list[pymupdf.Rect]) -> Counter[str]:
    """Words whose letters (at the full height of their font, as the redaction measures
    them) reach into an area drawn by hand or a picture: the reviewer's box covers part
    of them, so they are removed with it, not lost."""
    pymupdf.TOOLS.set_small_glyph_heights(False)
    try:
        words = sheet.get_text("words")
    finally:
        pymupdf.TOOLS.set_small_glyph_heights(True)
    under: Counter[str] = Counter()
    for word in words:
        if any(pymupdf.Rect(word[:4]).intersects(area) for area in areas):
            under.update(_WORD.findall(unicodedata.normalize("NFKC", str(word[4])).lower()))
    return under


# --- review rules before publication ----------------------------------------------------


def publication_blockers(document: Document, *, no_redactions: bool = False) -> list[str]:
    """Why the document cannot be published yet (empty when it can): detection has run
    on every page, every suggestion is decided, and a publication with no redaction at
    all is confirmed."""
    reasons = []
    pages = document.pages.order_by("number")
    unread = list(pages.filter(redaction_detection__isnull=True).values_list("number", flat=True))
    if unread:
        reasons.append(
            _("Detection of personal data has not run on page(s) %(pages)s: run it first.")
            % {"pages": _numbers(unread)}
        )
    undecided = Redaction.objects.filter(page__document=document, status="suggested")
    if undecided.exists():
        numbers = sorted(set(undecided.values_list("page__number", flat=True)))
        reasons.append(
            _(
                "%(count)d suggestion(s) are still undecided (page(s) %(pages)s): "
                "redact or keep each one first."
            )
            % {"count": undecided.count(), "pages": _numbers(numbers)}
        )
    if Redaction.objects.filter(title_of=document, status="suggested").exists():
        reasons.append(_("A suggestion on the title is still undecided: redact or keep it first."))
    if not unread and not no_redactions:
        if not Redaction.objects.of(document).filter(status="accepted").exists():
            reasons.append(
                _(
                    "Nothing is redacted in this document: confirm that it holds no "
                    "personal data to publish it as it is."
                )
            )
    return reasons


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + ("…" if len(numbers) > 10 else "")


def document_publish(
    *, document: Document, title: str = "", user: User | None = None, no_redactions: bool = False
) -> Publication:
    """Write the published copy and run the gate; the document becomes public only when
    the review is complete and the gate finds nothing, and from then on its pages are
    read from that copy by everyone but reviewers. Raises ValidationError (with the
    reasons) when the review is not complete; returns the publication with the gate's
    findings otherwise."""
    if not document.finished or document.status == "failed":
        raise ValidationError(_("Only a processed document can be published."))
    blockers = publication_blockers(document, no_redactions=no_redactions)
    if blockers:
        raise ValidationError(blockers)
    # What the copy is made from, to tell later that a redaction changed since: taken
    # before the copy is written, as a box drawn or removed while it is written and
    # checked (seconds on a long document) may or may not be in it. Taken after, it
    # recorded such a box as applied and the copy was never said out of date; taken
    # before, any change from now on says "publish again", at worst once too often.
    made_from = redactions_fingerprint(document)
    try:
        data = redacted_pdf(document)
    except FileNotFoundError as error:
        # Deleted while this was asked (its files go once the deletion commits).
        if not Document.objects.filter(id=document.id).exists():
            raise ValidationError(_("This document was deleted.")) from error
        raise
    report = gate(document, data)
    report.checks["redactions"] = made_from
    with transaction.atomic():
        # The row held until the commit: a deletion meanwhile waits, or came first and
        # leaves nothing to publish (a copy written for a deleted document stayed on disk).
        locked = Document.objects.select_for_update().filter(id=document.id).first()
        if locked is None:
            raise ValidationError(_("This document was deleted."))
        # What the published document shows besides its file, read as it is now, under
        # the lock: a correction of its details made while the copy was written is in it
        # (and one made after waits for this commit, then goes through the rule of a
        # published document's details).
        document.title, document.source_url = locked.title, locked.source_url
        report.findings += public_details_findings(document, title)
        publication = Publication.objects.create(
            document=document,
            accepted=report.accepted,
            reasons=report.findings,
            report=report.checks,
            created_by=user,
            sha256=hashlib.sha256(data).hexdigest() if report.accepted else "",
            size=len(data) if report.accepted else 0,
        )
        if report.accepted:
            files.save(files.published_path(document), data)
            _make_public(document, marked_texts(document, data, report.texts), title=title)
    if report.accepted:
        # After the commit: the search index is no part of the transaction.
        search.document_index(document)
    return publication


def redactions_fingerprint(document: Document) -> str:
    """A digest of the document's accepted redactions as they stand (which, their boxes
    and texts): the published copy records the one it was made from. (A suggestion added
    or rejected changes nothing published.)"""
    rows = (
        Redaction.objects.of(document)
        .filter(status="accepted")
        .order_by("id")
        .values_list("id", "rects", "text")
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def published_copy_outdated(document: Document, publication: Publication | None) -> bool:
    """Whether the published copy in force was made before the redactions' last change
    (one decided, drawn or removed since): visitors still read it as it was until it is
    published again. Unknown, and not said, for a copy that recorded nothing."""
    if publication is None or not document.is_public:
        return False
    made_from = (publication.report or {}).get("redactions")
    return bool(made_from) and made_from != redactions_fingerprint(document)


# What the published text shows where something was redacted: the mark the quotes made
# from the library already use ("M. [X], domicilié [X]"); without it, "M. , domicilié ,"
# read as gaps (a new user's walk).
REDACTION_MARK = MASK


def marked_texts(document: Document, data: bytes, texts: list[str]) -> list[str]:
    """The page texts of the published file with `REDACTION_MARK` where each accepted
    redaction was: on its line among the words left (one mark for the boxes of one
    redaction side by side), or on a line of its own when nothing of its line is left.
    The pages without a redaction keep the text the gate read."""
    rects: dict[int, list[pymupdf.Rect]] = {}
    for redaction in Redaction.objects.filter(page__document=document, status="accepted"):
        # Its boxes joined line by line: the OCR's word boxes of one line do not share
        # a top (a name over a line of a picture made two marks, "[X]\n[X]").
        for rect in _lines_of(redaction.rects):
            rects.setdefault(redaction.page_number, []).append(pymupdf.Rect(*rect))
    if not rects:
        return texts
    marked = list(texts)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for number, boxes in rects.items():
            if number > len(marked) or number > pdf.page_count:
                continue
            marked[number - 1] = _marked_page(pdf[number - 1].get_text("words"), boxes)
    return marked


def _marked_page(words: list[Any], boxes: list[pymupdf.Rect]) -> str:
    lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
    bands: dict[tuple[int, int], list[float]] = {}
    for x0, y0, _x1, y1, word, block, line, _n in words:
        at = (int(block), int(line))
        lines.setdefault(at, []).append((float(x0), str(word)))
        band = bands.setdefault(at, [float(y0), float(y1)])
        band[0], band[1] = min(band[0], float(y0)), max(band[1], float(y1))
    order = list(lines)  # the words' reading order: blocks, then lines
    # Per line, the places of its marks: how many of its words are left of each (the
    # boxes of one redaction side by side, a name over two words, make one mark).
    marks: dict[tuple[int, int], set[int]] = {}
    alone: list[float] = []  # the tops of marks whose whole line is gone
    for box in boxes:
        # Its line: of those at its height (a redaction may split a line of the file in
        # two: "Courriel : ■ , téléphone ■"), the one whose words end nearest before it.
        level = [
            at
            for at in order
            if min(bands[at][1], box.y1) - max(bands[at][0], box.y0)
            > 0.5 * min(bands[at][1] - bands[at][0], box.height)
        ]
        home = max(
            level,
            key=lambda at: max((x for x, _w in lines[at] if x < box.x0), default=-math.inf),
            default=None,
        )
        if home is None:
            if all(abs(top - box.y0) >= 2 for top in alone):
                alone.append(box.y0)
            continue
        marks.setdefault(home, set()).add(sum(1 for x, _w in lines[home] if x < box.x0))
    out: list[tuple[float, str]] = []
    for at in order:
        row = sorted(lines[at])
        places = marks.get(at, set())
        tokens = []
        for index, (_x, word) in enumerate(row):
            if index in places:
                tokens.append(REDACTION_MARK)
            tokens.append(word)
        if len(row) in places:
            tokens.append(REDACTION_MARK)
        out.append((bands[at][0], " ".join(tokens)))
    for top in sorted(alone):
        # Before the first line of the reading order that starts below it.
        index = next((i for i, (y, _t) in enumerate(out) if y > top), len(out))
        out.insert(index, (top, REDACTION_MARK))
    return "".join(text + "\n" for _y, text in out)


def _make_public(document: Document, texts: list[str], *, title: str) -> None:
    """The published text of every page (the text the gate read back from the published
    file and checked), then the document opened to everyone (the caller indexes it again
    once this is committed)."""
    pages = list(document.pages.order_by("number"))
    for page in pages:
        page.published_text = texts[page.number - 1] if page.number <= len(texts) else ""
    Page.objects.bulk_update(pages, ["published_text"])
    document.is_public = True
    document.title = without_invisible(public_title(document, title))[:300]
    document.save(update_fields=["is_public", "title", "updated_at"])
    # The title changed: a form of the document's details opened before is a conflict
    # (`documents.details`), not a private title saved over the published one. (Raised
    # in the row: this instance may have been read before a correction.)
    Document.objects.filter(id=document.id).update(version=F("version") + 1)
    document.refresh_from_db(fields=["version"])
    # The registry's sources citing it now read the published title, never the original.
    document_sources_retitle(document=document)


def document_unpublish(*, document: Document) -> None:
    """Withdraw the published copy: the document is private again (the publications stay
    in its history)."""
    with transaction.atomic():
        document.pages.update(published_text="")
        document.is_public = False
        document.save(update_fields=["is_public", "updated_at"])
        document_sources_retitle(document=document)
    search.document_index(document)
    path = files.published_path(document)
    if files.exists(path):
        files.delete(path)
