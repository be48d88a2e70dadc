"""What a document belongs to beyond the library: a request it answers, shown on the
document's page with a link back (an answer that could not be read left its uploader on a
page with no way back to the request). The apps above the library register a provider
when they start; the library imports none of them (the layers of docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from contrechamp.documents.models import Document

    User = AbstractBaseUser | AnonymousUser

# (what it is, its title, its address)
Link = tuple[str, str, str]
Provider = Callable[["User", "Document"], list[Link]]

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """`provider(user, document)` lists what `user` may read that `document` belongs to.
    Registered once per name (an app's `ready` may run twice)."""
    _providers[name] = provider


def belonging(user: User, document: Document) -> list[Link]:
    return [link for name in sorted(_providers) for link in _providers[name](user, document)]
