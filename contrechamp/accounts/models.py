"""Roles. A visitor needs no account; every account is at least a contributor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contrechamp.lib.text import without_invisible

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

ROLE_ORDER = ["contributor", "reviewer", "administrator"]


class Profile(models.Model):
    ROLES = [
        ("contributor", _("contributor")),
        ("reviewer", _("reviewer")),
        ("administrator", _("administrator")),
    ]
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("account"),
    )
    role = models.CharField(
        max_length=20, choices=ROLES, default="contributor", verbose_name=_("role")
    )
    # Contributors are never named in public unless they choose it.
    public_name = models.CharField(_("public name"), max_length=100, blank=True)
    # Trust earned by use: a contributor's changes wait for a reviewer until
    # `accepted_changes` reaches settings.TRUST_THRESHOLD; a reviewer may decide otherwise.
    TRUST_LEVELS = [
        ("auto", _("earned by accepted changes")),
        ("trusted", _("trusted")),
        ("untrusted", _("not trusted")),
    ]
    trust = models.CharField(_("trust"), max_length=10, choices=TRUST_LEVELS, default="auto")
    accepted_changes = models.PositiveIntegerField(_("accepted changes"), default=0)
    # Set when the owner followed the link mailed at sign-up: an inactive account never
    # confirmed may be activated by a password reset, one disabled by an administrator not.
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    # A deleted account stays as an anonymous row so that its public contributions keep
    # their history, shown as "former contributor"; everything personal is wiped.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Private: the sender's address of one's letters to administrations and the CADA
    # (with the user's first and last names), never shown on a page.
    postal_address = models.TextField(_("postal address"), max_length=500, blank=True)
    # The language of the e-mails the site sends the account on its own (deadlines, a
    # group's news, a reviewer's answer): the page's language at sign-up, then the
    # owner's choice. They all went out in French before.
    email_language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # The daily e-mail of the legal dates of one's requests (the deadlines page and its
    # private feed stay): it could not be turned off but by closing the requests.
    deadline_emails = models.BooleanField(_("e-mail my requests' dates"), default=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


def user_role(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The role of `user`: "visitor" when anonymous (or absent, as in a template rendered
    without a request); superusers count as administrators."""
    if not getattr(user, "is_authenticated", False):
        return "visitor"
    if getattr(user, "is_superuser", False):
        return "administrator"
    profile = getattr(user, "profile", None)
    return profile.role if profile else "contributor"


def has_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    current = user_role(user)
    if current == "visitor":
        return False
    return ROLE_ORDER.index(current) >= ROLE_ORDER.index(role)


def display_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """How a person is shown in public: the display name they chose, never their e-mail
    nor their internal user name; "former contributor" once the account is deleted (or
    gone), "a contributor" for an old account that never chose a name."""
    if user is None or not getattr(user, "pk", None):
        return str(_("former contributor"))
    profile = getattr(user, "profile", None)
    if profile is None:
        return str(_("a contributor"))
    if profile.deleted_at is not None:
        return str(_("former contributor"))
    # (A name saved before invisible characters were refused shows without them.)
    return without_invisible(profile.public_name) or str(_("a contributor"))
