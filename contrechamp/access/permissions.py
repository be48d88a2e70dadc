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

from django.db.models import Exists, OuterRef, Q, QuerySet

from contrechamp.access.models import AccessRequest, PublicBody, RequestSeries
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


# A body of the places dataset (a town hall, an intercommunality, a department's council
# or prefecture, a region's council): public facts, listed to everyone.
OFFICIAL_BODY = (
    Q(commune__isnull=False)
    | Q(epci__isnull=False)
    | Q(department__isnull=False)
    | Q(region__isnull=False)
)


def readable_bodies(user: User | None) -> QuerySet[PublicBody]:
    """The bodies `user` may find (autocompletion, a reference typed in the request
    form): those of the places dataset, and a body added by hand once a request `user`
    may read goes to it: a sent one, or one of their own drafts. A body typed into a
    draft names whom a collective is about to ask (often a person in charge): nobody
    else learns it before the request is sent."""
    readable = readable_requests(user).filter(body=OuterRef("pk"))
    return PublicBody.objects.filter(OFFICIAL_BODY | Q(Exists(readable)))


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
