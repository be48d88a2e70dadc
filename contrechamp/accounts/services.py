"""Accounts: creation, sign-up with a confirmed e-mail address, e-mail change, deletion.

Sign-up never tells whether an address already has an account: both paths hash a
password and send one e-mail, and the page answers the same.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from contrechamp.accounts.models import Profile


def username_generate() -> str:
    """An internal user name nobody chooses and nobody sees in public: a name chosen by
    its owner could identify them, and a taken one would tell who has an account."""
    while True:
        name = f"u{secrets.token_hex(6)}"
        if not User.objects.filter(username=name).exists():
            return name


@transaction.atomic
def user_create(
    *,
    username: str = "",
    email: str,
    password: str,
    role: str = "contributor",
    public_name: str = "",
    is_active: bool = True,
    email_language: str = "",
) -> User:
    """Create an account with its role. Administrators also get Django's admin site.
    Accounts made here (command line, tests) count as confirmed when active. Its e-mails
    go out in `email_language` (the site's first language when none or unknown)."""
    user = User.objects.create_user(
        username=username or username_generate(),
        email=email,
        password=password,
        is_active=is_active,
    )
    if role == "administrator":
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    Profile.objects.create(
        user=user,
        role=role,
        public_name=public_name,
        email_confirmed_at=timezone.now() if is_active else None,
        email_language=_language(email_language),
    )
    return user


class LastAdministrator(Exception):
    """Taking the role away from the only administrator would leave nobody to give it."""


@transaction.atomic
def user_role_set(*, user: User, role: str) -> str:
    """Give `user` the role `role` ("contributor", "reviewer", "administrator"); returns
    the role they had. An administrator also gets Django's admin site (staff and
    superuser), and loses both with the role: a superuser counts as an administrator
    whatever their profile says. The profile and the account are saved, so the audit log
    records the change ("role changed", old → new) with whoever acts: the command line's
    "system: command users", or an administrator. Raises LastAdministrator rather than
    leave the site without an active administrator, ValueError for an unknown role."""
    if role not in dict(Profile.ROLES):
        raise ValueError(f"unknown role {role!r}")
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    before = "administrator" if user.is_superuser else profile.role
    if before == "administrator" and role != "administrator":
        others = User.objects.filter(is_active=True).exclude(pk=user.pk)
        if not others.filter(
            models.Q(is_superuser=True) | models.Q(profile__role="administrator")
        ).exists():
            raise LastAdministrator(user.username)
    if profile.role != role:
        profile.role = role
        profile.save(update_fields=["role"])
    admin = role == "administrator"
    if user.is_staff != admin or user.is_superuser != admin:
        user.is_staff = user.is_superuser = admin
        user.save(update_fields=["is_staff", "is_superuser"])
    return before


def _language(code: str | None) -> str:
    """`code` when the site speaks it ("en-gb" is "en"), else the site's first language."""
    code = (code or "").lower().split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def mail_language(user: User | None) -> str:
    """The language of the e-mails the site sends `user` on its own: the one chosen on
    their account page (at sign-up, the page's), else the site's first language."""
    # The profile as loaded with the user (`select_related("user__profile")` for many
    # recipients at once: one query, not one each), else read.
    return _language(getattr(getattr(user, "profile", None), "email_language", None))


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """A confirmation link valid until PASSWORD_RESET_TIMEOUT, and once only: the hash
    covers the account's activity and confirmation date, which confirming changes."""

    key_salt = "contrechamp.accounts.signup"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        confirmed = getattr(getattr(user, "profile", None), "email_confirmed_at", None)
        return f"{user.pk}{user.password}{user.is_active}{confirmed}{user.email}{timestamp}"


signup_token_generator = SignupTokenGenerator()


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def account_mail_send(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> None:
    """Send an account's mail in `language`: by default the page's, where the person
    asked for it (they all went out in French, whatever the page)."""
    with translation.override(_language(language or translation.get_language())):
        subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
        body = render_to_string(f"accounts/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_by_email(email: str) -> User | None:
    """The account with this address (case does not matter), or None."""
    return User.objects.filter(email__iexact=email.strip()).order_by("pk").first()


def signup_request(
    *, email: str, public_name: str, password: str, base_url: str, next_url: str = ""
) -> None:
    """Start a sign-up. A new address gets an inactive account and a confirmation link; an
    address that has an account gets no new one, but a message saying someone tried, with
    a link to reset the password. Both paths hash the password and send one e-mail, so
    neither the answer nor its time tells the two apart.

    `next_url` (a path of this site, checked by the caller): where the confirmation link
    leads once the account is open (an invitation to a group)."""
    email = User.objects.normalize_email(email.strip())
    existing = user_by_email(email)
    if existing is not None:
        make_password(password)  # the same work as creating the account
        token = default_token_generator.make_token(existing)
        account_mail_send(
            to=email,
            language=mail_language(existing),  # the owner's, not whoever tried
            template="signup_existing",
            context={
                "reset_url": _absolute(
                    base_url,
                    reverse(
                        "password_reset_confirm",
                        kwargs={"uidb64": _uid(existing), "token": token},
                    ),
                ),
                "forgot_url": _absolute(base_url, reverse("password_reset")),
            },
        )
        return
    with transaction.atomic():
        user = user_create(
            email=email,
            password=password,
            public_name=public_name,
            is_active=False,
            email_language=translation.get_language(),
        )
    token = signup_token_generator.make_token(user)
    account_mail_send(
        to=email,
        template="signup_confirm",
        context={
            "public_name": public_name,
            "confirm_url": _absolute(
                base_url, reverse("signup-confirm", kwargs={"uidb64": _uid(user), "token": token})
            )
            + (f"?{urlencode({'next': next_url})}" if next_url else ""),
        },
    )


def signup_confirm(*, user: User) -> User:
    """Activate the account whose confirmation link was followed."""
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        Profile.objects.filter(user=user).update(email_confirmed_at=timezone.now())
    user.profile.refresh_from_db()
    return user


def user_never_confirmed(user: User) -> bool:
    """An account waiting for its first confirmation (not one an administrator disabled)."""
    profile = getattr(user, "profile", None)
    return (
        not user.is_active
        and profile is not None
        and profile.email_confirmed_at is None
        and profile.deleted_at is None
    )


# E-mail change: a signed, expiring link to the new address. Signed, not encrypted: what
# it carries is readable by whoever holds it (a stranger, when the new address was
# mistyped), so it carries the current address only as a keyed digest
# (`_address_digest`), which nobody without the secret key can match against a guess.
# It stops working once used, or once the address changed another way: the digest is
# then the old address's. (The new address is in it, read by that address's owner.)
EMAIL_CHANGE_SALT = "contrechamp.accounts.email-change"


def _address_digest(email: str) -> str:
    return salted_hmac(f"{EMAIL_CHANGE_SALT}.address", email, algorithm="sha256").hexdigest()


def email_change_request(*, user: User, new_email: str, base_url: str) -> None:
    """Send a confirmation link to the new address; nothing changes before it is followed.
    Whether the new address already has an account is not said to the requester: that
    address is told instead, and the link would be refused."""
    new_email = User.objects.normalize_email(new_email.strip())
    if (owner := user_by_email(new_email)) is not None:
        account_mail_send(
            to=new_email, template="email_taken", context={}, language=mail_language(owner)
        )
        return
    token = signing.dumps(
        {"user": user.pk, "from": _address_digest(user.email), "new": new_email},
        salt=EMAIL_CHANGE_SALT,
    )
    account_mail_send(
        to=new_email,
        template="email_change",
        context={"confirm_url": _absolute(base_url, reverse("email-confirm", args=[token]))},
    )


def email_change_confirm(*, token: str) -> User | None:
    """Apply a followed e-mail change link; None when it is forged, expired, already used
    or the address was taken meanwhile."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("user"), is_active=True).first()
        if user is None:
            return None
        if "from" in data:
            same = constant_time_compare(_address_digest(user.email), str(data["from"]))
        else:
            # A link sent before the address went out as a digest ({"old": address}): it
            # still works until it expires (PASSWORD_RESET_TIMEOUT after it was sent).
            same = user.email == data.get("old")
        if not same:
            return None
        if User.objects.filter(email__iexact=data["new"]).exclude(pk=user.pk).exists():
            return None
        user.email = data["new"]
        user.save(update_fields=["email"])
    return user


def profile_update(*, user: User, public_name: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"public_name": public_name})


def email_preferences_update(*, user: User, email_language: str, deadline_emails: bool) -> None:
    """The language of the site's e-mails to `user`, and whether the daily e-mail of
    their requests' dates is sent."""
    Profile.objects.update_or_create(
        user=user,
        defaults={"email_language": _language(email_language), "deadline_emails": deadline_emails},
    )


def letter_identity_update(
    *, user: User, first_name: str, last_name: str, postal_address: str
) -> None:
    """The name and address one's letters are signed with (private)."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    Profile.objects.update_or_create(user=user, defaults={"postal_address": postal_address})


def letter_identity(user: User) -> tuple[str, str]:
    """The name and postal address to sign a letter with, or "" for each one not given
    (never the internal user name: it is no one's name)."""
    profile = getattr(user, "profile", None)
    return user.get_full_name().strip(), (getattr(profile, "postal_address", "") or "").strip()


# What happens to rows of other apps when their author deletes their account is decided
# by each relation's on_delete: CASCADE rows are personal (memberships, feeds, reminders)
# and go; SET_NULL and PROTECT rows are contributions (revisions, documents, requests) and
# stay, attached to the anonymous remains, so a history still tells "former contributor"
# from an import. Personal parts of those (a request's letter and proofs) are removed by
# the app that owns them, on the `account_deleted` signal.
account_deleted = Signal()  # sender=User, user=the account (still holding its data)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete an account: its public contributions stay, shown as "former contributor";
    its address, names, password, memberships and private data are removed. The user row
    stays as an anonymous tombstone so that histories keep their shape."""
    from contrechamp.accounts.export import user_relations

    account_deleted.send(sender=User, user=user)
    for model, field_name, many in user_relations():
        rows = model._default_manager.filter(**{field_name: user})
        if many:
            for obj in rows:
                getattr(obj, field_name).remove(user)
            continue
        on_delete = model._meta.get_field(field_name).remote_field.on_delete  # type: ignore[union-attr]
        if on_delete is models.CASCADE:
            for obj in rows:  # one by one, so that files and signals follow
                obj.delete()
    # Two-factor devices hold secrets of the account, not contributions.
    for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
        try:
            apps.get_model(label).objects.filter(user=user).delete()
        except LookupError:
            pass
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{secrets.token_hex(8)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "public_name": "",
            "postal_address": "",
            "role": "contributor",
            "trust": "untrusted",
            "deleted_at": timezone.now(),
        },
    )


def unconfirmed_purge(*, older_than: timedelta | None = None) -> int:
    """Delete the sign-ups whose link was never followed, once it has expired (and a
    margin): an address typed by someone else, kept without its owner's consent. Returns
    how many. Such accounts never logged in, so nothing else points to them."""
    if older_than is None:
        older_than = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + timedelta(days=1)
    stale = User.objects.filter(
        is_active=False,
        last_login__isnull=True,
        profile__email_confirmed_at__isnull=True,
        profile__deleted_at__isnull=True,
        date_joined__lt=timezone.now() - older_than,
    )
    count = 0
    for user in stale:
        user.delete()
        count += 1
    return count
