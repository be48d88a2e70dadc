"""Who may do what with the registry, one function per action, used alike by views and
templates. A draft (unpublished deployment) may quote a document that is still private,
so only reviewers and its author see it until it is published."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.db.models import Q, QuerySet

from contrechamp.accounts.models import has_role
from contrechamp.accounts.trust import is_trusted
from contrechamp.registry.models import Deployment, Organisation, Proposal, Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    Person: TypeAlias = AbstractBaseUser | AnonymousUser
else:
    Person = object


def deployment_author_id(deployment: Deployment) -> int | None:
    """The account that created the deployment (the author of its first version)."""
    return (
        Revision.objects.filter(kind="deployment", object_id=deployment.id, version=1)
        .values_list("author_id", flat=True)
        .first()
    )


def _owns_draft(user: Person, deployment: Deployment) -> bool:
    if has_role(user, "reviewer"):
        return True
    return (
        has_role(user, "contributor")
        and getattr(user, "id", None) is not None
        and deployment_author_id(deployment) == user.pk
    )


def may_read_deployment(user: Person, deployment: Deployment) -> bool:
    return deployment.is_published or _owns_draft(user, deployment)


def readable_deployments(
    user: Person, deployments: QuerySet[Deployment] | None = None
) -> QuerySet[Deployment]:
    """`may_read_deployment` for a list, in one query: the published ones, and the
    drafts `_owns_draft` lets this person read (all for a reviewer, their own for a
    contributor). Any page listing deployments that cite, fund or supply something
    filters through here, so a draft's title never shows where its author did not
    put it."""
    qs = Deployment.objects.all() if deployments is None else deployments
    if has_role(user, "reviewer"):
        return qs
    if has_role(user, "contributor") and getattr(user, "id", None) is not None:
        authored = Revision.objects.filter(kind="deployment", version=1, author_id=user.pk).values(
            "object_id"
        )
        return qs.filter(Q(is_published=True) | Q(id__in=authored))
    return qs.filter(is_published=True)


def may_contribute(user: Person) -> bool:
    """May write to the registry at all (the pages that write need this first)."""
    return has_role(user, "contributor")


def may_create_deployment(user: Person) -> bool:
    return may_contribute(user)


def may_edit_deployment(user: Person, deployment: Deployment) -> bool:
    if deployment.is_published:
        return has_role(user, "contributor")
    return _owns_draft(user, deployment)


def may_publish_directly(user: Person) -> bool:
    """A contributor whose changes go public at once (trusted, reviewer or administrator);
    the changes of the others wait for a reviewer as proposals (registry/proposals.py)."""
    return may_contribute(user) and is_trusted(user)


def may_publish_deployment(user: Person, deployment: Deployment) -> bool:
    """Make a draft public at once: its author when trusted, or a reviewer."""
    return (
        not deployment.is_published and _owns_draft(user, deployment) and may_publish_directly(user)
    )


def may_submit_deployment(user: Person, deployment: Deployment) -> bool:
    """Ask a reviewer to publish one's draft (what publishing is for a contributor not
    yet trusted)."""
    return (
        not deployment.is_published
        and _owns_draft(user, deployment)
        and not may_publish_directly(user)
    )


def may_revert_deployment(user: Person, deployment: Deployment) -> bool:
    """Restoring an old version is an edit that goes public at once: a trusted editor's
    (an untrusted one proposes a change through the form instead), or a draft's owner."""
    if deployment.is_published and not may_publish_directly(user):
        return False
    return may_edit_deployment(user, deployment)


def may_add_camera_count(user: Person) -> bool:
    return may_contribute(user)


def readable_organisations(
    user: Person, organisations: QuerySet[Organisation] | None = None
) -> QuerySet[Organisation]:
    """The public organisations, and those named only in drafts this person may read
    (`readable_deployments`): a vendor or funder first named in a draft is as private
    as the draft until a deployment naming it is published."""
    qs = Organisation.objects.all() if organisations is None else organisations
    if has_role(user, "reviewer"):
        return qs
    drafts = readable_deployments(user).filter(is_published=False)
    if not has_role(user, "contributor"):
        return qs.filter(is_public=True)
    named = Organisation.objects.filter(
        Q(deployments_supplied__in=drafts) | Q(fundings__deployment__in=drafts)
    ).values("id")
    return qs.filter(Q(is_public=True) | Q(id__in=named))


def may_read_organisation(user: Person, organisation: Organisation) -> bool:
    return (
        organisation.is_public or readable_organisations(user).filter(id=organisation.id).exists()
    )


def may_publish_organisation(user: Person, organisation: Organisation) -> bool:
    """A reviewer may make public an organisation named only in drafts (it becomes
    public by itself when a deployment naming it is published)."""
    return not organisation.is_public and has_role(user, "reviewer")


def may_create_organisation(user: Person) -> bool:
    return may_contribute(user)


def may_edit_organisation(user: Person, organisation: Organisation) -> bool:
    return may_contribute(user) and may_read_organisation(user, organisation)


def may_revert_organisation(user: Person, organisation: Organisation) -> bool:
    return may_publish_directly(user) and may_edit_organisation(user, organisation)


# --- proposals (changes waiting for a reviewer) -----------------------------------------


def may_review(user: Person) -> bool:
    """Reach the moderation queue: reviewers and administrators."""
    return has_role(user, "reviewer")


def may_decide_proposal(user: Person, proposal: Proposal) -> bool:
    """Accept or reject a pending proposal: a reviewer, never on their own proposal."""
    return (
        may_review(user)
        and proposal.state == "pending"
        and proposal.author_id != getattr(user, "id", None)
    )


def may_reopen_proposal(user: Person, proposal: Proposal) -> bool:
    """Undo the rejection of a proposal (a mistake): a reviewer, never on their own
    proposal, as for deciding it."""
    return (
        may_review(user)
        and proposal.state == "rejected"
        and proposal.author_id != getattr(user, "id", None)
    )


def may_withdraw_proposal(user: Person, proposal: Proposal) -> bool:
    return (
        proposal.state == "pending"
        and getattr(user, "id", None) is not None
        and proposal.author_id == user.pk
    )


def may_read_proposal(user: Person, proposal: Proposal) -> bool:
    return may_review(user) or (
        getattr(user, "id", None) is not None and proposal.author_id == user.pk
    )
