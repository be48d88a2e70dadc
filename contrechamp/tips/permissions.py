"""Who may do what with tips. The sender is nobody the site knows: they act through the
receipt code alone (`services.tip_find`), whether or not they are logged in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contrechamp.accounts.models import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def may_handle_tips(user: User) -> bool:
    """Read the tips, reply, change their status: reviewers and administrators (they see
    the tips' files as they see every original)."""
    return has_role(user, "reviewer")
