"""Log-in lockout: after too many failed log-ins for an account, or from an address,
every attempt is refused for a while, the right password included.

`LockoutBackend` comes first in AUTHENTICATION_BACKENDS: when a lock is running it raises
PermissionDenied, which stops Django's `authenticate()` before any later backend checks a
password (so neither the site's form nor /admin/, nor any backend added later, can be
used to keep guessing). Failures are counted by a `user_login_failed` receiver, in the
shared cache through contrechamp.lib.ratelimit (hashed keys, no address in clear).

The account is identified by its primary key when the identifier names one (user name
or e-mail, any case, surrounding spaces ignored), so "Camille", " camille " and her
e-mail address share one counter; an identifier that names nobody is counted under its
normalised form, and locks the same way: a lock says nothing about whether the account
exists.

The forms that ask a logged-in person for their password again (delete the account,
change its e-mail address or its password) check it through `password_confirm`, which
counts and locks with the same counters: an open session (a library computer, a stolen
session cookie) cannot be used to guess the password without end either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from contrechamp.accounts.signals import login_locked
from contrechamp.lib import ratelimit

ACCOUNT, ADDRESS = "login-account", "login-address"
# Set on the request when an attempt was refused by a lock: the form shows the lock
# message, and the refused attempt is not counted as one more failure.
LOCKED_ATTRIBUTE = "_contrechamp_login_locked"


def _identifier(credentials: dict[str, Any]) -> str:
    User = get_user_model()
    for name in ("username", User.USERNAME_FIELD, "email", "login"):
        value = credentials.get(name)
        if isinstance(value, str):
            return value
    return ""


def _account(identifier: str) -> tuple[str, Any]:
    """The counter's key for `identifier`, and the account it names (or None)."""
    normalised = " ".join(identifier.split()).casefold()
    User = get_user_model()
    matches = (
        list(
            User._default_manager.filter(
                Q(**{f"{User.USERNAME_FIELD}__iexact": normalised}) | Q(email__iexact=normalised)
            )[:2]
        )
        if normalised
        else []
    )
    if len(matches) == 1:
        return f"user:{matches[0].pk}", matches[0]
    return f"name:{normalised}", None


def lock_remaining(request: HttpRequest | None, identifier: str) -> int:
    """Seconds left of a lock on this account or on the request's address; 0 if none."""
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    key, _user = _account(identifier)
    remaining = ratelimit.blocked(request, ACCOUNT, seconds=seconds, key=key)  # type: ignore[arg-type]
    if request is not None:
        remaining = max(remaining, ratelimit.blocked(request, ADDRESS, seconds=seconds))
    return remaining


class PasswordLocked(Exception):
    """The password was not checked: a lock on the account or the address runs."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def password_confirm(request: HttpRequest | None, user: Any, password: str) -> bool:
    """Whether `password` is the password of `user` (logged in, asked for it again),
    a wrong one counted as a failed log-in of that account. Raises PasswordLocked while
    a lock on the account or the address runs, the right password included, and as
    soon as this failure starts one."""
    identifier = user.get_username()
    remaining = lock_remaining(request, identifier)
    if remaining:
        raise PasswordLocked(remaining)
    if user.check_password(password):
        return True
    # Counted by `count_failure` below (and written to the audit log) as log-in's are.
    user_login_failed.send(sender=__name__, credentials={"username": identifier}, request=request)
    remaining = lock_remaining(request, identifier)
    if remaining:
        raise PasswordLocked(remaining)
    return False


class LockoutBackend:
    """Authenticates nobody; refuses everybody while a lock runs.

    It never authenticates, so no log-in records it as a session's backend; but a session
    written by other means (a script, `force_login` in a test, a session made before it
    came first) may name it, and `get_user` loads that session's user as ModelBackend
    would rather than failing every page of that session."""

    def get_user(self, user_id: Any) -> Any:
        return ModelBackend().get_user(user_id)

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        remaining = lock_remaining(request, _identifier(credentials))
        if remaining:
            if request is not None:
                setattr(request, LOCKED_ATTRIBUTE, remaining)
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="contrechamp.accounts.lockout.count")
def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, LOCKED_ATTRIBUTE, None):
        return
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    key, user = _account(_identifier(credentials))
    scopes: list[tuple[str, str | None, Any]] = [(ACCOUNT, key, user)]
    if request is not None:
        scopes.append((ADDRESS, None, None))
    for scope, scope_key, scope_user in scopes:
        decision = ratelimit.hit(request, scope, key=scope_key)  # type: ignore[arg-type]
        if decision.limit and decision.count >= decision.limit:
            if ratelimit.block(request, scope, seconds=seconds, key=scope_key):  # type: ignore[arg-type]
                login_locked.send(
                    sender=LockoutBackend,
                    request=request,
                    scope="account" if scope == ACCOUNT else "address",
                    user=scope_user,
                    seconds=seconds,
                )


@receiver(post_migrate, dispatch_uid="contrechamp.accounts.lockout.cache_table")
def create_cache_table(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the shared cache's table (the counters live there with the
    default CACHE_URL); nothing happens for other cache backends."""
    if getattr(sender, "name", "") == "contrechamp.accounts":
        call_command("createcachetable", database=using, verbosity=0)
