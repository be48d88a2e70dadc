"""Who may see what of a document.

Reviewers and administrators see everything: originals, unredacted text, page images of
the original. Everyone else sees a document's text and pages only once it is published,
and then only the published, redacted copy; the person who uploaded a document sees its
title and processing status in the meantime. Originals are never served without the
reviewer role.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from contrechamp.accounts.models import has_role
from contrechamp.documents.models import Document


def sees_originals(user: Any) -> bool:
    """Originals, unredacted text and pages, redaction review: reviewers and admins."""
    return has_role(user, "reviewer")


def visible_documents(user: Any) -> QuerySet[Document]:
    """Documents with text and pages `user` may read (for others than reviewers: the
    published copy)."""
    documents = Document.objects.all()
    if sees_originals(user):
        return documents
    return documents.filter(is_public=True)


def listed_documents(user: Any) -> QuerySet[Document]:
    """Documents `user` may know of: those they may read, and their own uploads (title
    and status only until published)."""
    if sees_originals(user) or not getattr(user, "is_authenticated", False):
        return visible_documents(user)
    return Document.objects.filter(Q(is_public=True) | Q(uploaded_by=user))


def readable(user: Any, document_id: int) -> Document | None:
    """The document if `user` may read it; None for a document that does not exist and
    for one they may not see alike (ids reveal nothing)."""
    return visible_documents(user).filter(id=document_id).first()


def listed(user: Any, document_id: int) -> Document | None:
    return listed_documents(user).filter(id=document_id).first()


def can_download_original(user: Any, document: Document) -> bool:
    """Reviewers and administrators; nobody else, not even the uploader nor for a
    published document (the published copy is what others get)."""
    return sees_originals(user)
