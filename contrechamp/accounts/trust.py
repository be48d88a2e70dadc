"""Trust earned by use: whether a contributor's changes go public at once or wait for a
reviewer (see registry/proposals.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F

from contrechamp.accounts.models import Profile, has_role

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def _profile(user: AbstractBaseUser | AnonymousUser | None) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile  # type: ignore[union-attr]
    except Profile.DoesNotExist:
        return None


def is_trusted(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """True when this person's changes are public at once: reviewers and administrators
    always; otherwise the trust a reviewer set ("trusted" / "untrusted") wins over the
    count of accepted changes, which earns trust at settings.TRUST_THRESHOLD."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, "reviewer"):
        return True
    profile = _profile(user)
    if profile is None:
        # An account without a profile (made outside `user_create`) earned nothing yet.
        return False
    if profile.trust == "trusted":
        return True
    if profile.trust == "untrusted":
        return False
    return profile.accepted_changes >= settings.TRUST_THRESHOLD


def may_set_trust(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Reviewers and administrators grant or withdraw trust."""
    return has_role(user, "reviewer")


@transaction.atomic
def trust_set(*, person: AbstractBaseUser, trust: str) -> Profile:
    """Set the person's trust ("auto", "trusted" or "untrusted"); raises ValueError on
    another value. Returns the saved profile."""
    if trust not in dict(Profile.TRUST_LEVELS):
        raise ValueError(trust)
    profile, _created = Profile.objects.get_or_create(user=person)
    profile.trust = trust
    profile.save(update_fields=["trust"])
    return profile


def accepted_change_count(person: AbstractBaseUser) -> None:
    """One more of this person's changes was accepted by a reviewer (in the database,
    not in memory: two reviewers accepting at once both count)."""
    profile, _created = Profile.objects.get_or_create(user=person)
    Profile.objects.filter(id=profile.id).update(accepted_changes=F("accepted_changes") + 1)
