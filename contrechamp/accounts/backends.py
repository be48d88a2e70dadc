"""Log-in by e-mail address, beside Django's log-in by user name.

People know their address, not the internal user name generated at sign-up. This backend
only answers for something that looks like an address, so a user name still goes through
ModelBackend alone, and each attempt costs one password hash whether or not the account
exists (Django's own defence against telling accounts apart by timing).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest


def account_of_address(address: str) -> User | None:
    """The account an e-mail address names, in any case. Two accounts may share an address
    made before sign-up checked it; then the address names nobody (None), and only the
    user name logs in."""
    users = list(User._default_manager.filter(email__iexact=address.strip())[:2])
    return users[0] if len(users) == 1 else None


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:  # type: ignore[override]
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD) or kwargs.get("email")
        if not username or password is None or "@" not in username:
            return None
        user = account_of_address(username)
        if user is None:
            User().set_password(password)  # the same work as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
