"""The library's rule for the registry's quotes of its documents (registered in
`registry.quotes` when the app starts): readers of originals see a quote whole; others
see, once the document is published, the passages of the quote its published copy holds
word for word on the cited page, and nothing before."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from contrechamp.documents.models import Document, Page
from contrechamp.documents.permissions import may_see_originals

# How the library writes a quote of several passages, each perhaps cut short.
from contrechamp.documents.services import _CUT, _GAP, _MASK

if TYPE_CHECKING:
    from contrechamp.registry.quotes import Person


def _words(text: str) -> str:
    """The text's words, one space apart, in one normal form (a published copy's text is
    read back from its PDF: its spaces and ligatures are not the original's)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _page_number(locator: str) -> int | None:
    match = re.fullmatch(r"\s*p\.\s*(\d+)\s*", locator or "")
    return int(match.group(1)) if match else None


def public_quote(reader: Person, document_id: int, locator: str, quote: str) -> str:
    if reader is not None and may_see_originals(reader):
        return quote
    if not Document.objects.filter(id=document_id, is_public=True).exists():
        return ""
    pages = Page.objects.filter(document_id=document_id)
    number = _page_number(locator)
    if number is not None:
        pages = pages.filter(number=number)
    # (Its marks of what was redacted are left out as the quote's masks are.)
    published = _words(" ".join(pages.values_list("published_text", flat=True)).replace(_MASK, " "))
    shown = []
    for passage in quote.split(_GAP):
        words = passage.strip()
        # A person's data masked in the quote is redacted in the published copy, whose
        # text leaves it out: the passage is compared without it, and shown with it.
        core = _words(words.removeprefix(_CUT).removesuffix(_CUT).replace(_MASK, " "))
        if core and core in published:
            shown.append(words)
    return f" {_GAP} ".join(shown)
