"""The log-in forms (the site's and the admin's) and view, which tell a locked-out person
when to try again (see lockout.py) without saying whether the account exists."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contrechamp.accounts.lockout import LOCKED_ATTRIBUTE


def locked_seconds(form: AuthenticationForm) -> int:
    return int(getattr(form.request, LOCKED_ATTRIBUTE, 0) or 0)


def _lock_error(seconds: int) -> forms.ValidationError:
    minutes = max(1, math.ceil(seconds / 60))
    return forms.ValidationError(
        ngettext(
            "Too many attempts to log in. Please try again in %(minutes)d minute.",
            "Too many attempts to log in. Please try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="locked",
    )


def password_lock_error(seconds: int) -> forms.ValidationError:
    """The refusal of a form that asks a logged-in person for their password again,
    while a lock runs (see lockout.password_confirm)."""
    minutes = max(1, math.ceil(seconds / 60))
    return forms.ValidationError(
        ngettext(
            "Too many wrong passwords: your password is not checked for now, and logging "
            "in to your account is refused too. Please try again in %(minutes)d minute.",
            "Too many wrong passwords: your password is not checked for now, and logging "
            "in to your account is refused too. Please try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="locked",
    )


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Another backend (accounts) accepts the e-mail address as well.
        self.fields["username"].label = _("E-mail or user name")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def get_invalid_login_error(self) -> forms.ValidationError:
        seconds = locked_seconds(self)
        if seconds:
            return _lock_error(seconds)
        if self._unconfirmed_with_the_right_password():
            return forms.ValidationError(
                _(
                    "Confirm your e-mail address first: follow the link we sent you. "
                    "“Forgotten your password?” sends a new one."
                ),
                code="unconfirmed",
            )
        # (Django's own said "both fields may be case-sensitive"; an address is not.)
        return forms.ValidationError(
            _(
                "No account matches this e-mail address or user name with this password. "
                "The password is case-sensitive; the e-mail address is not."
            ),
            code="invalid_login",
        )

    def _unconfirmed_with_the_right_password(self) -> bool:
        """An account whose sign-up was never confirmed, and the right password: it was
        told its password was wrong (a new user's walk). Only with the right password,
        so that it tells no one else whether the account exists."""
        from django.contrib.auth import get_user_model

        from contrechamp.accounts.backends import account_of_address
        from contrechamp.accounts.services import user_never_confirmed

        login = (self.data.get("username") or "").strip()
        password = self.data.get("password") or ""
        if not login or not password:
            return False
        user = (
            account_of_address(login)
            if "@" in login
            else get_user_model()._default_manager.filter(username=login).first()
        )
        return user is not None and user_never_confirmed(user) and user.check_password(password)


class AdminLoginForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        seconds = locked_seconds(self)
        return _lock_error(seconds) if seconds else super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        seconds = locked_seconds(form)
        if seconds:
            response.status_code = 429
            response["Retry-After"] = str(seconds)
        return response


login_view = LoginView.as_view()
