from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.lockout import PasswordLocked, password_confirm
from contrechamp.accounts.login import password_lock_error
from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import account_mail_send, mail_language, user_never_confirmed
from contrechamp.lib.text import invisible_characters, name_key

# Names that would pass for the site or its staff.
_RESERVED_NAMES = frozenset(
    """contrechamp equipecontrechamp moderation moderateur moderatrice administrateur
    administratrice administrator admin reviewer relecteur relectrice""".split()
)


def _display_name_key(name: str) -> str:
    """What two display names share when a reader would take one for the other: a name's
    key (case, accents, compatibility forms aside), its spaces and punctuation left out
    too ("Alice W." and "alice w")."""
    return "".join(c for c in name_key(name) if c.isalnum())


def _check_name_free(name: str, user_id: int | None = None) -> None:
    """Refuse a display name another account shows, or one that passes for the site's
    staff: a contributor could sign proposals with another's name (a new user's walk)."""
    key = _display_name_key(name)
    if key in _RESERVED_NAMES:
        raise forms.ValidationError(_("This display name is reserved; choose another."))
    # Accounts in use: a sign-up never confirmed reserves nothing (it is purged).
    others = Profile.objects.exclude(public_name="").filter(user__is_active=True)
    if user_id is not None:
        others = others.exclude(user_id=user_id)
    if any(
        _display_name_key(other) == key for other in others.values_list("public_name", flat=True)
    ):
        raise forms.ValidationError(_("Another account shows this display name; choose another."))


# More than two combining marks on one letter (text piled up over the lines around it).
_STACKED_MARKS = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3,}"
)
_ADDRESS = re.compile(
    r"://|\bwww\.|\b[\w-]+\.(?:fr|com|org|net|info|io|eu|example|xyz|site|online|app|me|ly)\b",
    re.I,
)


def _scripts(word: str) -> set[str]:
    """The scripts of a word's letters, by the first word of their Unicode names."""
    return {unicodedata.name(c, "?").split(" ")[0] for c in word if c.isalpha()}


def _clean_public_name(value: str) -> str:
    name = " ".join(value.split())
    # An address as a display name would put an e-mail in public, anyone's.
    if "@" in name:
        raise forms.ValidationError(_("A display name may not contain “@”."))
    # Characters that turn the text around or hide in it ("Camille \u202eevil", a right-to-
    # left override, shows its end reversed; zero-width ones pass for another's name).
    if invisible_characters(name) or _STACKED_MARKS.search(name):
        raise forms.ValidationError(
            _(
                "A display name may not contain invisible characters (marks of writing "
                "direction, zero-width spaces)."
            )
        )
    # A word of Latin letters with Cyrillic or Greek ones passes for another name ("Cаmille"
    # with a Cyrillic "а", "Аdmin"); a word wholly in one script is a name like another.
    if any(len(_scripts(word) & {"LATIN", "CYRILLIC", "GREEK"}) > 1 for word in name.split()):
        raise forms.ValidationError(
            _("A display name may not mix Latin letters with Cyrillic or Greek ones in a word.")
        )
    # A web address in a name goes wherever the name goes, the site's e-mails included.
    if _ADDRESS.search(name):
        raise forms.ValidationError(_("A display name may not contain a web address."))
    if not name:
        raise forms.ValidationError(_("This field is required."))
    return name


class PublicNameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Display name"))
        kwargs.setdefault(
            "help_text",
            _("Shown in public beside your contributions. A pseudonym is fine."),
        )
        super().__init__(max_length=100, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value and not self.required:
            return ""
        return _clean_public_name(value)


def _validate_new_password(form: forms.Form, field: str, user: User) -> None:
    password = form.cleaned_data.get(field)
    if not password:
        return
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError as e:
        form.add_error(field, e)


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_(
            "Never shown. We send a link to confirm it; it also lets you reset your password."
        ),
    )
    public_name = PublicNameField()
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        # Said before the first try, not only after a refusal (a walk).
        help_text=_(
            "At least 8 characters, hard to guess and unlike your address or name: a few "
            "unrelated words make a strong password that is easy to remember."
        ),
    )

    def clean_public_name(self) -> str:
        name: str = self.cleaned_data["public_name"]
        if name:  # (optional for an account made on the command line)
            _check_name_free(name)
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        # The password is judged against the address and the display name (and the user
        # name, when the form has one), the same way whether or not the address has an
        # account (nothing here looks it up).
        user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
        user._public_name = data.get("public_name", "")  # type: ignore[attr-defined]
        _validate_new_password(self, "password", user)
        return data


class AccountCreateForm(SignupForm):
    """An account made by an administrator on the command line (`users create`): the
    sign-up's rules (a valid address no account has, in any case; a display name free
    and clean, here optional; the password validators), and an internal name no account
    has. Without them the command made a second account of an address, after which
    neither could log in with it."""

    username = forms.CharField(max_length=150, required=False)
    public_name = PublicNameField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stale_signups: list[User] = []

    def clean_username(self) -> str:
        username: str = self.cleaned_data.get("username", "")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account has this user name already."))
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        # A sign-up never confirmed is nobody's account (anyone may type any address):
        # it gives way, `stale_signups` are deleted when the account is made.
        others = User.objects.filter(email__iexact=email).select_related("profile")
        self.stale_signups = [u for u in others if user_never_confirmed(u)]
        if len(self.stale_signups) < len(others):
            raise forms.ValidationError(_("An account has this e-mail address already."))
        return email


class ProfileForm(forms.Form):
    public_name = PublicNameField()

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        # Three forms share the account page: ids of their own, field names unchanged.
        kwargs.setdefault("auto_id", "profile_%s")
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_public_name(self) -> str:
        name: str = self.cleaned_data["public_name"]
        _check_name_free(name, self.user.id if self.user is not None else None)
        return name


class LetterIdentityForm(forms.Form):
    """The name and address one's letters to administrations are signed with: the law
    asks a requester for neither, but the CADA answers a referral by post and an
    administration may send the documents there."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown: only written in the letters you draft here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "letters_%s")
        super().__init__(*args, **kwargs)


class EmailPreferencesForm(forms.Form):
    """The language of the site's e-mails to the account, and the daily e-mail of the
    dates of its requests. An unticked box is sent as nothing, so a form whose box was
    removed turns the e-mail off, as unticking it would; the language must be given."""

    email_language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)
    deadline_emails = forms.BooleanField(
        label=_("E-mail me the legal dates of my requests for documents"),
        required=False,
        help_text=_(
            "Once a day, while a date falls within the next seven days. Your requests' "
            "page and its private feed show every date either way."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "emails_%s")
        super().__init__(*args, **kwargs)


class AsksThePassword:
    """A form that asks a logged-in person for their password again, checked through
    log-in's counter (lockout.password_confirm): after too many wrong ones the right one
    is refused too, for a while. `locked_seconds`, once validated: how long (0 if not)."""

    request: HttpRequest | None
    user: Any
    locked_seconds = 0

    def _confirm(self, password: str, wrong: Any) -> None:
        try:
            right = password_confirm(self.request, self.user, password)
        except PasswordLocked as locked:
            self.locked_seconds = locked.seconds
            raise password_lock_error(locked.seconds) from None
        if not right:
            raise forms.ValidationError(wrong, code="password_incorrect")


class EmailChangeForm(AsksThePassword, forms.Form):
    email = forms.EmailField(label=_("New e-mail address"))
    password = forms.CharField(
        label=_("Your password"),
        # (Password managers fill the right field; the browser asked for it.)
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        self.user, self.request = user, request
        kwargs.setdefault("auto_id", "email_%s")
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        self._confirm(password, _("This is not your password."))
        return password


class AccountDeleteForm(AsksThePassword, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        # (Password managers fill the right field; the browser asked for it.)
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        self.user, self.request = user, request
        kwargs.setdefault("auto_id", "delete_%s")
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        self._confirm(password, _("This is not your password."))
        return password


class CountedPasswordChangeForm(AsksThePassword, PasswordChangeForm):
    """Django's password change form (the site's and the admin's), its old password
    checked through log-in's counter."""

    required_css_class = "required"  # (as the admin's own form)

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        self._confirm(old_password, self.error_messages["password_incorrect"])
        return old_password


class ResetForm(PasswordResetForm):
    """Django's reset form, also for an account whose sign-up link was never followed:
    the reset link proves the same thing (the mailbox is theirs) and activates it."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in get_user_model()._default_manager.filter(email__iexact=email):
            if user.has_usable_password() and (user.is_active or user_never_confirmed(user)):
                yield user

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        """The link in the language its owner chose for e-mails, not in the page's of
        whoever asked for it (as a sign-up with the address is told)."""
        context = args[2] if len(args) > 2 else kwargs["context"]
        with translation.override(mail_language(context["user"])):
            super().send_mail(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An address without an account is told so: the same one e-mail is sent either
        # way, so the time of the answer does not tell who has an account.
        if not any(True for _user in self.get_users(self.cleaned_data["email"])):
            request = kwargs.get("request")
            account_mail_send(
                to=self.cleaned_data["email"],
                template="reset_unknown",
                context={
                    "signup_url": request.build_absolute_uri(reverse("signup"))
                    if request is not None
                    else reverse("signup")
                },
            )
            return
        super().save(*args, **kwargs)
