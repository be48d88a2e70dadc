"""Two-factor authentication: a TOTP device (an authenticator app) and single-use recovery
codes, both django-otp devices. Required of reviewers and administrators (they see
originals, private documents and the admin); a contributor may turn it on.

The middleware is the one gate: whatever log-in form was used (the site's, the admin's),
a signed-in person who needs a second factor and whose session has not passed it reaches
nothing but the 2FA pages, log-out and the language switch. The public read API answers
such a session as it answers a visitor: it is public, and a JSON client cannot follow a
redirect to a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrechamp.accounts.models import has_role
from contrechamp.lib import ratelimit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECOVERY_CODES = 10
# Wrong codes allowed in a row before the person is refused for a while, the right code
# included. django-otp also slows each device down (1 s, 2 s, 4 s… after each failure),
# but that delay never stops a patient guesser; this does.
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
SCOPE = "twofactor"  # of the shared rate limits (contrechamp.lib.ratelimit)


def confirmed_totp(user: User) -> TOTPDevice | None:
    """The person's authenticator, once they have proved it with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_two_factor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def requires_two_factor(user: Any) -> bool:
    """Whether this signed-in person must pass a second factor: reviewers and
    administrators always, a contributor who turned it on."""
    if not getattr(user, "is_authenticated", False):
        return False
    # Staff reach Django's admin whatever their role (an administrator may tick the box).
    return (
        has_role(user, "reviewer") or bool(getattr(user, "is_staff", False)) or has_two_factor(user)
    )


def is_verified(user: Any) -> bool:
    # Set by django-otp's middleware from the session; absent in a request built by hand.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def _normalise(code: str) -> str:
    """Codes as typed: spaces and hyphens dropped, lower case (recovery codes are base32)."""
    return "".join(code.split()).replace("-", "").lower()


def _account_key(user: User) -> str:
    return f"user:{user.pk}"


def retry_after(request: HttpRequest, user: User) -> int:
    """Seconds before this person may try a code again; 0 when they may now."""
    return ratelimit.blocked(request, SCOPE, seconds=LOCKOUT_SECONDS, key=_account_key(user))


def _failed(request: HttpRequest, user: User) -> None:
    # Counted per account, not per address: the guesser already has the password and
    # may come from many addresses. Through the shared cache, so every web process counts.
    key = _account_key(user)
    decision = ratelimit.hit(request, SCOPE, limit=MAX_FAILURES, window=LOCKOUT_SECONDS, key=key)
    if decision.count >= MAX_FAILURES:
        ratelimit.block(request, SCOPE, seconds=LOCKOUT_SECONDS, key=key)


def code_verify(*, request: HttpRequest, user: User, code: str) -> Device | None:
    """The person's own device that accepts `code` (and has now used it up), or None.

    Six digits are tried on the authenticator (django-otp refuses a time step already
    used, so a code seen over a shoulder cannot be replayed); anything else on the
    recovery codes, each deleted as it is used. Only this person's devices are asked."""
    if retry_after(request, user):
        return None
    token = _normalise(code)
    devices: Any
    if token.isdigit() and len(token) == 6:
        # While django-otp makes the authenticator wait after a wrong code, it reads no
        # code: one sent then is not a wrong one, and is not counted towards the lock (a
        # walk's reviewer, typing the right code a second after a slip, was locked out
        # for a quarter of an hour after a few tries).
        if device_waits(user):
            return None
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        # Locked rows: two requests with the same code cannot both pass.
        for device in devices.select_for_update().order_by("id"):
            if device.verify_token(token):
                return device
    _failed(request, user)
    return None


def device_waits(user: User) -> bool:
    """Whether django-otp makes the person's authenticator wait before it reads a code
    (a second after a wrong one, then doubling): a right code then fails as a wrong one
    would, and the page says to wait instead."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def pending_totp(user: User) -> TOTPDevice:
    """The authenticator being set up: the same key until it is confirmed, so that
    reloading the page does not invalidate a code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a device being set up with a code from it: any former device of the
    person goes, and the new recovery codes come back (shown once). None if the code
    is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_normalise(code)):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_create(*, user: User) -> list[str]:
    """Ten new recovery codes; the former ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def twofactor_reset(*, user: User) -> int:
    """Remove every device of the person (a lost phone): sessions they verified stop
    being verified at their next request, and they set 2FA up again at next log-in.
    Returns how many devices went."""
    count = 0
    for model in (TOTPDevice, StaticDevice):
        deleted, _ = model.objects.filter(user=user).delete()
        count += deleted
    return count


def _exempt(path: str) -> bool:
    """Pages a half-signed-in person may reach: the 2FA pages themselves, log-out (and
    log-in, to change account), the language switch and static files."""
    prefixes = (
        reverse("twofactor"),
        reverse("logout"),
        reverse("login"),
        reverse("set_language"),
        settings.STATIC_URL or "/static/",
        reverse("favicon"),
    )
    return path.startswith(prefixes)


class RequireTwoFactorMiddleware:
    """After django-otp's OTPMiddleware, which tells from the session whether a device
    verified this person (and forgets it when that device is deleted)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            getattr(user, "is_authenticated", False)
            and not is_verified(user)
            and requires_two_factor(user)
            and not _exempt(request.path)
        ):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            else:
                target = reverse("twofactor")
                if request.method in ("GET", "HEAD"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
