"""Who may do what with the registry, one function per action, used alike by views and
templates. A draft (unpublished deployment) may quote a document that is still private,
so only reviewers and its author see it until it is published."""

from __future__ import annotations

from typing import Any

from contrechamp.accounts.models import has_role
from contrechamp.registry.models import Deployment, Revision


def deployment_author_id(deployment: Deployment) -> int | None:
    """The account that created the deployment (the author of its first version)."""
    return (
        Revision.objects.filter(kind="deployment", object_id=deployment.id, version=1)
        .values_list("author_id", flat=True)
        .first()
    )


def _owns_draft(user: Any, deployment: Deployment) -> bool:
    if has_role(user, "reviewer"):
        return True
    return (
        has_role(user, "contributor")
        and getattr(user, "id", None) is not None
        and deployment_author_id(deployment) == user.id
    )


def may_read_deployment(user: Any, deployment: Deployment) -> bool:
    return deployment.is_published or _owns_draft(user, deployment)


def may_edit_deployment(user: Any, deployment: Deployment) -> bool:
    if deployment.is_published:
        return has_role(user, "contributor")
    return _owns_draft(user, deployment)


def may_publish_deployment(user: Any, deployment: Deployment) -> bool:
    return not deployment.is_published and _owns_draft(user, deployment)
