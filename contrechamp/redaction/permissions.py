"""Who may do what with redaction and publication, one function per action, used alike
by views, commands' callers and templates. Reviewing redactions means reading the
original, so it is the reviewers' and administrators' work; publishing and withdrawing
a published copy, likewise. Reading the published copy is the library's rule
(`contrechamp.documents.permissions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contrechamp.accounts.models import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from contrechamp.documents.models import Document

    User = AbstractBaseUser | AnonymousUser


def may_review_redactions(user: User) -> bool:
    """See the review page of any document, suggest, decide, draw redactions and name
    public figures: reviewers and administrators."""
    return has_role(user, "reviewer")


def may_publish(user: User, document: Document) -> bool:
    """Write the published copy through the gate (the gate and the review rules decide
    whether it succeeds): reviewers and administrators."""
    return has_role(user, "reviewer")


def may_unpublish(user: User, document: Document) -> bool:
    return has_role(user, "reviewer")
