"""Who may see what of a document. Originals are never served without the right role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from contrechamp.accounts.models import has_role
from contrechamp.documents.models import Document


def visible_documents(user: Any) -> QuerySet[Document]:
    """Documents whose text and page images `user` may read."""
    documents = Document.objects.all()
    if has_role(user, "reviewer"):
        return documents
    if getattr(user, "is_authenticated", False):
        return documents.filter(Q(is_public=True) | Q(uploaded_by=user))
    return documents.filter(is_public=True)


def readable(user: Any, document_id: int) -> Document | None:
    """The document if `user` may read it; None for a document that does not exist and
    for one they may not see alike (ids reveal nothing)."""
    return visible_documents(user).filter(id=document_id).first()


def can_download_original(user: Any, document: Document) -> bool:
    """Reviewers, administrators and the person who uploaded it; nobody else, even for a
    published document (the published copy is what others get)."""
    if has_role(user, "reviewer"):
        return True
    return bool(getattr(user, "is_authenticated", False) and document.uploaded_by_id == user.id)


def can_review(user: Any) -> bool:
    return has_role(user, "reviewer")
