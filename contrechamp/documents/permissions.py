"""Who may do what with the library, one function per action, used alike by views, the
API and templates (froide's `get_read_foirequest_queryset` / `can_write_foirequest`).

Reviewers and administrators see everything: originals, unredacted text, page images of
the original, every entity suggestion. Everyone else sees a document's text and pages
only once it is published, and then only the published, redacted copy, with the
entities a reviewer accepted; the person who uploaded a document sees its title and
processing status in the meantime. Originals are never served without the reviewer
role. Redaction and publication have their own rules (`contrechamp.redaction.permissions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from contrechamp.accounts.models import has_role
from contrechamp.documents.models import Document, Entity

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def may_see_originals(user: User) -> bool:
    """Originals, unredacted text and page images of the original: reviewers and
    administrators."""
    return has_role(user, "reviewer")


def may_upload_documents(user: User) -> bool:
    return has_role(user, "contributor")


def readable_documents(
    user: User, documents: QuerySet[Document] | None = None
) -> QuerySet[Document]:
    """Documents whose text and pages `user` may read (for others than reviewers: the
    published copy, so only published documents)."""
    qs = Document.objects.all() if documents is None else documents
    if may_see_originals(user):
        return qs
    return qs.filter(is_public=True)


def may_read_document(user: User, document: Document) -> bool:
    return document.is_public or may_see_originals(user)


def readable_document(user: User, document_id: int) -> Document | None:
    """The document if `user` may read it; None for a document that does not exist and
    for one they may not see alike (ids reveal nothing)."""
    return readable_documents(user).filter(id=document_id).first()


def listed_documents(user: User, documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    """Documents `user` may know of: those they may read, and their own uploads (title
    and status only until published)."""
    qs = Document.objects.all() if documents is None else documents
    if may_see_originals(user) or not user.is_authenticated:
        return readable_documents(user, qs)
    return qs.filter(Q(is_public=True) | Q(uploaded_by=user))


def listed_document(user: User, document_id: int) -> Document | None:
    """The document if `user` may know of it (`listed_documents`), else None."""
    return listed_documents(user).filter(id=document_id).first()


def may_download_original(user: User, document: Document) -> bool:
    """Reviewers and administrators; nobody else, not even the uploader nor for a
    published document (the published copy is what others get)."""
    return may_see_originals(user)


def visible_entities(user: User, entities: QuerySet[Entity]) -> QuerySet[Entity]:
    """The entities of readable pages `user` may see: every suggestion for reviewers,
    only the accepted ones for everyone else (a suggestion is read from the unredacted
    text and may name what redaction removed)."""
    if may_see_originals(user):
        return entities
    return entities.filter(status="accepted")


def may_accept_entities(user: User) -> bool:
    """Accept a suggestion into the registry, or reject it: reviewers and administrators."""
    return has_role(user, "reviewer")
