"""Which words of a citation's quote a reader may see. A quote taken from a library
document is the document's original text, which stays private until its personal data is
redacted and the copy published: the registry's pages, history and API show it to the
readers of originals only, and to others only the passages the published copy holds as
they are (a passage with a redacted name is not shown). The registry is below the
library and does not read its pages: the library registers that rule when it starts;
without it, no quote of a library document is shown (fail closed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    Person = AbstractBaseUser | AnonymousUser | None

# (reader, document id, locator, quote) -> the words shown
Rule = Callable[["Person", int, str, str], str]

_rules: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    _rules["library"] = rule


def shown_quote(reader: Person, document_id: int | None, locator: str, quote: str) -> str:
    """The quote as `reader` may see it (None: anyone)."""
    if not quote or document_id is None:
        return quote
    rule = _rules.get("library")
    return rule(reader, document_id, locator, quote) if rule else ""


def citation_quote(reader: Person, citation: Any) -> str:
    """`shown_quote` of a registry citation (a model instance)."""
    return shown_quote(reader, citation.source.document_id, citation.locator, citation.quote)
