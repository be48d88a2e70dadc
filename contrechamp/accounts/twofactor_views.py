"""The pages of two-factor authentication, all at /compte/deux-facteurs/: set-up (QR code,
secret in text, a code to confirm, then the recovery codes once), the step after log-in,
and the person's settings (recovery codes renewed, an administrator's reset of another
person)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrechamp.accounts import twofactor
from contrechamp.accounts.models import has_role
from contrechamp.accounts.twofactor_forms import CodeForm, ResetForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _qr_svg(device: TOTPDevice) -> SafeString:
    # Drawn here as inline SVG: no request to a QR service, no script, and segno writes
    # no style attribute that the Content-Security-Policy would block.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr", lineclass=None
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user input


def _secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _locked_message(request: HttpRequest, user: Any) -> str:
    minutes = max(1, -(-twofactor.retry_after(request, user) // 60))
    return ngettext(
        "Too many wrong codes. Try again in %(minutes)d minute.",
        "Too many wrong codes. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _verified(request: HttpRequest, device: Any) -> None:
    # A new session key at the step that grants the role's rights, as at log-in.
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@login_required
def twofactor_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if twofactor.is_verified(user):
        return _settings_page(request, CodeForm(), ResetForm())
    if twofactor.confirmed_totp(user) is None:
        return _setup(request)
    return _verify(request)


def _setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    device = twofactor.pending_totp(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        codes = twofactor.totp_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _verified(request, device)
            return render(
                request,
                "accounts/twofactor/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
        form.add_error("code", _("This code is not the one your app shows. Try the next one."))
    if request.method == "POST":
        status = 400
    return render(
        request,
        "accounts/twofactor/setup.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": _secret_text(device),
            "required": twofactor.requires_two_factor(user),
            "next": _next(request),
        },
        status=status,
    )


def _verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if not twofactor.retry_after(request, user) and form.is_valid():
            waiting = twofactor.device_waits(user)
            device = twofactor.code_verify(
                request=request, user=user, code=form.cleaned_data["code"]
            )
            if device is not None:
                _verified(request, device)
                return redirect(_next(request))
            if not twofactor.retry_after(request, user):
                # The right code just after a wrong one was told it was wrong (a new
                # user's walk): django-otp had not read it.
                form.add_error(
                    "code",
                    _("Wait a few seconds after a wrong code, then enter the code shown now.")
                    if waiting
                    else _("This code is wrong or has already been used."),
                )
    locked = _locked_message(request, user) if twofactor.retry_after(request, user) else ""
    if locked:
        form, status = CodeForm(), 429 if request.method == "POST" else 200
    return render(
        request,
        "accounts/twofactor/verify.html",
        {"form": form, "next": _next(request), "locked": locked},
        status=status,
    )


def _settings_page(
    request: HttpRequest,
    form: CodeForm,
    reset_form: ResetForm,
    status: int = 200,
    locked: str = "",
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "accounts/twofactor/settings.html",
        {
            "form": form,
            "reset_form": reset_form if has_role(user, "administrator") else None,
            "codes_left": twofactor.recovery_codes_left(user),
            "required": has_role(user, "reviewer"),
            "locked": locked,
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """New recovery codes, against a current code: a session left open on someone
    else's screen is not enough."""
    user: Any = request.user
    if not twofactor.is_verified(user):
        return redirect("twofactor")
    form = CodeForm(request.POST)
    if twofactor.retry_after(request, user):
        return _settings_page(
            request, CodeForm(), ResetForm(), status=429, locked=_locked_message(request, user)
        )
    if form.is_valid() and twofactor.code_verify(
        request=request, user=user, code=form.cleaned_data["code"]
    ):
        codes = twofactor.recovery_codes_create(user=user)
        return render(
            request,
            "accounts/twofactor/recovery_codes.html",
            {"codes": codes, "next": reverse("twofactor"), "first_time": False},
        )
    if twofactor.retry_after(request, user):
        return _settings_page(
            request, CodeForm(), ResetForm(), status=429, locked=_locked_message(request, user)
        )
    if form.is_valid():
        form.add_error("code", _("This code is wrong or has already been used."))
    return _settings_page(request, form, ResetForm(), status=400)


@never_cache
@login_required
@require_POST
def twofactor_reset(request: HttpRequest) -> HttpResponse:
    """An administrator removes another person's devices (a lost phone): that person
    sets 2FA up again at their next request."""
    user: Any = request.user
    if not (twofactor.is_verified(user) and has_role(user, "administrator")):
        return HttpResponseForbidden(_("Only an administrator may do this."))
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, CodeForm(), form, status=400)
    person = form.cleaned_data["username"]
    twofactor.twofactor_reset(user=person)
    messages.success(
        request,
        format_html(
            _("Two-factor authentication of {} was reset: they set it up again at next log-in."),
            person.get_username(),
        ),
    )
    return redirect("twofactor")
