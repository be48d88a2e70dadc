"""The pages of e-mail subscriptions: subscribe to a subject, confirm, unsubscribe; and a
reviewer's digest of new candidates. Confirming and unsubscribing happen on a POST (a
button on the page the link opens), never on the GET itself: mail scanners open links,
and must neither confirm an address nor end a subscription. The unsubscribe address also
takes the one-click POST of RFC 8058 that mail clients send, without a CSRF token: its
random token is the credential."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contrechamp.lib import ratelimit
from contrechamp.pages import subscriptions
from contrechamp.pages.models import FREQUENCIES, Subscription

# Confirmation e-mails one address may receive a day, whoever asks: no mail bombing
# through the form, even from many machines.
PER_EMAIL_A_DAY = 3


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=FREQUENCIES,
        initial="weekly",
        widget=forms.RadioSelect,
    )
    # A trap for robots: hidden from people (and screen readers), filled by form fillers.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def _language() -> str:
    return (get_language() or "fr")[:2]


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    subject = subscriptions.subject_of(kind, code)
    if subject is None or kind == "candidates":
        raise Http404
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    context = {"subject": subject, "form": form}
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "pages/subscribe.html", context, status=status)
    decision = ratelimit.hit(request, "subscriptions")
    if not decision.allowed:
        return ratelimit.refused(request, decision)
    email = subscriptions.normalise_email(form.cleaned_data["email"])
    if not form.cleaned_data["website"]:
        per_email = ratelimit.hit(
            request, "subscriptions", limit=PER_EMAIL_A_DAY, window=86400, key=f"email:{email}"
        )
        if per_email.allowed:
            subscriptions.subscribe(
                email=email,
                subject=subject,
                frequency=form.cleaned_data["frequency"],
                language=_language(),
            )
    # The same answer whether an e-mail went out, the address was already subscribed, the
    # address had its share of e-mails today or a robot filled the trap.
    return render(request, "pages/subscribe.html", {**context, "sent": email})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        found = subscriptions.subscription_confirm(token)
    else:
        found = subscriptions.subscription_by_token(token)
        if found is not None and not subscriptions.confirmable(found):
            found = None
    return _token_page(request, "pages/subscription_confirm.html", found)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    found = subscriptions.subscription_by_token(token)
    if request.method == "POST":
        done = subscriptions.subscription_cancel(token)
        return render(
            request,
            "pages/subscription_cancel.html",
            {"done": done},
            status=200 if done else 404,
        )
    return _token_page(request, "pages/subscription_cancel.html", found)


def _token_page(request: HttpRequest, template: str, found: Subscription | None) -> HttpResponse:
    subject = None
    if found is not None:
        subject = subscriptions.subject_of(found.kind, found.key, user=found.user)
    return render(
        request,
        template,
        {"subscription": found, "subject": subject, "token_path": request.path},
        status=200 if found is not None else 404,
    )


@require_http_methods(["GET", "POST"])
def reviewer_digest(request: HttpRequest) -> HttpResponse:
    """A reviewer chooses how often new candidates are e-mailed to them, or never."""
    user = request.user
    if not isinstance(user, User) or subscriptions.subject_of("candidates", "", user=user) is None:
        raise PermissionDenied
    current = Subscription.objects.filter(user=user, kind="candidates").first()
    if request.method == "GET":
        return render(
            request,
            "pages/reviewer_digest.html",
            {"current": current.frequency if current else "never"},
        )
    frequency = request.POST.get("frequency", "")
    if frequency == "never":
        Subscription.objects.filter(user=user, kind="candidates").delete()
        messages.success(request, _("New candidates will not be e-mailed to you."))
    elif frequency in subscriptions.PERIODS and user.email:
        subscriptions.subscribe_reviewer(user=user, frequency=frequency, language=_language())
        messages.success(request, _("New candidates will be e-mailed to you."))
    else:
        messages.error(request, _("Choose how often, or never."))
        return redirect("watch-digest-subscription")
    return redirect("watch-queue")
