"""Which words of a citation's quote a reader may see. A quote taken from a library
document is the document's original text, which stays private until its personal data is
redacted and the copy published: the registry's pages, history and API show it to the
readers of originals only, and to others only the passages the published copy holds as
they are (a passage with a redacted name is not shown). The registry is below the
library and does not read its pages: the library registers that rule when it starts;
without it, no quote of a library document is shown (fail closed).

A source cites a library document through the library's "cite" button or by its address
("/documents/4/", typed or pasted): both obey the one rule, since the functions here take
the source, never a document number a caller read from one of its fields
(`sitelinks.cited_document`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from contrechamp.registry.sitelinks import cited_document

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    Person = AbstractBaseUser | AnonymousUser | None

# (reader, document id, locator, quote) -> the words shown
Rule = Callable[["Person", int, str, str], str]

_rules: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    _rules["library"] = rule


def source_document(source: Mapping[str, Any]) -> int | None:
    """The library document a source as plain data (a snapshot's, a form's, a
    proposal's: "document", "url") cites, if any."""
    return cited_document(source.get("document"), str(source.get("url") or ""))


def shown_quote(reader: Person, source: Mapping[str, Any], locator: str, quote: str) -> str:
    """The quote of a citation of `source` (as plain data) as `reader` may see it (None:
    anyone)."""
    document = source_document(source)
    if not quote or document is None:
        return quote
    rule = _rules.get("library")
    return rule(reader, document, locator, quote) if rule else ""


def citation_quote(reader: Person, citation: Any) -> str:
    """`shown_quote` of a registry citation (a model instance)."""
    source = {"document": citation.source.document_id, "url": citation.source.url}
    return shown_quote(reader, source, citation.locator, citation.quote)
