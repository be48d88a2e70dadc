"""Who may do what with access-to-documents requests, one function per action, used alike
by views, the API and template tags (froide's `get_read_foirequest_queryset` /
`can_write_foirequest`).

A request is public once sent; a draft is seen by its requester only. A request is
edited (sent, its timeline kept, its answers and proofs added, its letters read) by its
requester and by reviewers; a series of requests, by the person who drafted it and by
reviewers. Proofs carry the requester's name and address: only those who may edit the
request get them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from contrechamp.access.models import AccessRequest, RequestSeries
from contrechamp.accounts.models import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def public_requests() -> QuerySet[AccessRequest]:
    """The requests everyone may read: those sent (the API, the CSV export, the lists on
    commune and deployment pages)."""
    return AccessRequest.objects.exclude(status="draft")


def readable_requests(user: User | None) -> QuerySet[AccessRequest]:
    """The requests `user` may read: the sent ones, and their own drafts."""
    if user is not None and user.is_authenticated:
        return AccessRequest.objects.filter(~Q(status="draft") | Q(requester=user))
    return public_requests()


def may_draft_requests(user: User | None) -> bool:
    return has_role(user, "contributor")


def may_edit_request(user: User | None, access_request: AccessRequest) -> bool:
    """Send it, keep its timeline, add answers and proofs, read its letters and proofs."""
    if user is None or not user.is_authenticated:
        return False
    return access_request.requester_id == user.pk or has_role(user, "reviewer")


def may_read_series(user: User | None, series: RequestSeries) -> bool:
    """A series is seen through its requests: by whoever may read one of them."""
    return readable_requests(user).filter(series=series).exists()


def may_edit_series(user: User | None, series: RequestSeries) -> bool:
    """Send its drafts, record the grouped referral and what the CADA does for it."""
    if user is None or not user.is_authenticated:
        return False
    return series.created_by_id == user.pk or has_role(user, "reviewer")


def may_see_requester(user: User | None, access_request: AccessRequest) -> bool:
    """The requester's name: shown when they chose so, and to those who may edit."""
    return access_request.show_requester or may_edit_request(user, access_request)
