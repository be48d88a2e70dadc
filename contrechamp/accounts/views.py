"""Sign-up, its confirmation, password reset and the person's own account page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from contrechamp.accounts import export, services, twofactor
from contrechamp.accounts.forms import (
    AccountDeleteForm,
    CountedPasswordChangeForm,
    EmailChangeForm,
    EmailPreferencesForm,
    LetterIdentityForm,
    ProfileForm,
    ResetForm,
    SignupForm,
)
from contrechamp.accounts.models import Profile, display_name, has_role
from contrechamp.lib.parameters import takes_parameters

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _next(request: HttpRequest) -> str:
    """Where to go once the account is open (an invitation to a group, whose page sends
    here): a path of this site only, never another site's address."""
    value = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if len(value) > 300 or not value.startswith("/"):
        return ""
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=set()) else ""


@sensitive_post_parameters("password")
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            services.signup_request(
                **form.cleaned_data, base_url=_base_url(request), next_url=next_url
            )
            # The same answer whether or not the address had an account.
            return redirect("signup-sent")
    else:
        form = SignupForm()
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.select_related("profile").get(
            pk=int(force_str(urlsafe_base64_decode(uidb64)))
        )
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


@never_cache
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button, POST activates: a mail scanner that follows every link must
    not confirm an account, nor be logged in to it."""
    user = _user_from_uid(uidb64)
    valid = (
        user is not None
        and services.user_never_confirmed(user)
        and services.signup_token_generator.check_token(user, token)
    )
    if not valid or user is None:
        return render(request, "accounts/signup_invalid.html", status=400)
    next_url = _next(request)
    if request.method == "POST":
        services.signup_confirm(user=user)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your address is confirmed. Welcome!"))
        return redirect(next_url or "account")
    return render(
        request, "accounts/signup_confirm.html", {"name": display_name(user), "next": next_url}
    )


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and an account whose sign-up link was never followed is activated: the
    reset link proves the same control of the mailbox."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        response = super().form_valid(form)
        if services.user_never_confirmed(user):
            services.signup_confirm(user=user)
        return response


password_reset = ResetView.as_view()
password_reset_confirm = ResetConfirmView.as_view(
    success_url=reverse_lazy("password_reset_complete")
)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, its old password counted as log-in counts a wrong password (an open
    session could be used to guess it without end), and refused as log-in refuses
    while a lock runs."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.locked_seconds:
            response.status_code = 429
            response["Retry-After"] = str(form.locked_seconds)
        return response


password_change = PasswordChangeView.as_view()


def admin_password_change(request: HttpRequest) -> HttpResponseBase:
    """The admin's password change page (Django's own form is fixed in its view), with
    the counted form."""
    from django.contrib import admin
    from django.urls import reverse

    def view(request: HttpRequest) -> HttpResponseBase:
        request.current_app = admin.site.name
        return PasswordChangeView.as_view(
            success_url=reverse("admin:password_change_done", current_app=admin.site.name),
            extra_context=admin.site.each_context(request),
        )(request)

    return admin.site.admin_view(view)(request)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # An account made outside `user_create` (Django's `createsuperuser`, a script) has no
    # profile yet: its page opened on a 500. The services make it when something is saved.
    profile = Profile.objects.filter(user=user).first()
    profile_form = ProfileForm(initial={"public_name": getattr(profile, "public_name", "")})
    letters_form = LetterIdentityForm(
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "postal_address": getattr(profile, "postal_address", ""),
        }
    )
    email_form = EmailChangeForm(user=user)
    emails_form = EmailPreferencesForm(
        initial={
            "email_language": services.mail_language(user),
            "deadline_emails": getattr(profile, "deadline_emails", True),
        }
    )
    delete_form = AccountDeleteForm(user=user)
    status, locked = 200, 0
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            profile_form = ProfileForm(request.POST, user=user)
            if profile_form.is_valid():
                services.profile_update(user=user, **profile_form.cleaned_data)
                messages.success(request, _("Your display name is saved."))
                return redirect("account")
        elif action == "letters":
            letters_form = LetterIdentityForm(request.POST)
            if letters_form.is_valid():
                services.letter_identity_update(user=user, **letters_form.cleaned_data)
                messages.success(request, _("The name and address of your letters are saved."))
                return redirect("account")
        elif action == "emails":
            emails_form = EmailPreferencesForm(request.POST)
            if emails_form.is_valid():
                services.email_preferences_update(user=user, **emails_form.cleaned_data)
                messages.success(request, _("Your e-mail preferences are saved."))
                return redirect("account")
        elif action == "email":
            email_form = EmailChangeForm(request.POST, user=user, request=request)
            if email_form.is_valid():
                services.email_change_request(
                    user=user,
                    new_email=email_form.cleaned_data["email"],
                    base_url=_base_url(request),
                )
                messages.success(
                    request,
                    _("We sent a link to the new address: it is used once you follow the link."),
                )
                return redirect("account")
        elif action == "delete":
            delete_form = AccountDeleteForm(request.POST, user=user, request=request)
            if delete_form.is_valid():
                services.account_delete(user=user)
                logout(request)
                messages.success(request, _("Your account is deleted."))
                return redirect("home")
        status = 400
        locked = max(email_form.locked_seconds, delete_form.locked_seconds)
        if locked:
            # As log-in answers a locked account (its form says until when).
            status = 429
    response = render(
        request,
        "accounts/account.html",
        {
            "profile_form": profile_form,
            "letters_form": letters_form,
            "email_form": email_form,
            "emails_form": emails_form,
            "delete_form": delete_form,
            "public_name": display_name(user),
            # Reviewers and administrators log in with a second factor: its page (the
            # recovery codes) was linked from nowhere (a new user's walk). A contributor
            # may turn it on, which the page did not say either (another walk).
            "two_factor": has_role(user, "reviewer") or twofactor.has_two_factor(user),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(locked)
    return response


@never_cache
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        user = services.email_change_confirm(token=token)
        if user is None:
            return render(request, "accounts/email_invalid.html", status=400)
        messages.success(request, _("Your new e-mail address is saved."))
        return redirect("account" if request.user.is_authenticated else "login")
    return render(request, "accounts/email_confirm.html")


@login_required
@takes_parameters()
def account_export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    response = HttpResponse(
        export.account_export_json(user=user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="contrechamp-mes-donnees.json"'
    response["Cache-Control"] = "private, no-store"
    return response
