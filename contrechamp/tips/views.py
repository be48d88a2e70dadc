"""Pages of tips: the form anyone can send, the follow page (receipt code in a POST
body, never in an address), and the reviewers' list.

The sender's pages never read `request.user`, the address or the browser: a tip sent
by someone logged in is as anonymous as any other. They are never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.documents import uploads as upload_limits
from contrechamp.documents.models import Document
from contrechamp.lib import ratelimit
from contrechamp.lib.numbers import whole_number
from contrechamp.registry.forms import parse_communes
from contrechamp.registry.models import Technology
from contrechamp.tips import permissions
from contrechamp.tips.forms import AddForm, CodeForm, ReplyForm, StatusForm, TipForm
from contrechamp.tips.models import Tip, TipMessage
from contrechamp.tips.services import (
    TipDrafted,
    TipRefused,
    tip_add,
    tip_create,
    tip_find,
    tip_reply,
    tip_set_status,
    tip_to_deployment,
)

# Wrong receipt codes allowed per address in an hour, beyond the limit on every post to
# the tip pages: a code has 125 random bits, this only keeps the server quiet.
WRONG_CODES = (10, 3600)


def _files_not_kept(form: TipForm | AddForm) -> None:
    # A browser never keeps the files of a form shown again.
    form.add_error(None, _("The files you chose were not kept: choose them again."))


def _too_large(request: HttpRequest) -> bool:
    return getattr(request, "upload_refused", None) is not None


@never_cache
@require_http_methods(["GET", "POST"])
def tip_create_view(request: HttpRequest) -> HttpResponse:
    form = TipForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _too_large(request):
            form = TipForm(request.POST)
            form.is_valid()
            form.add_error(None, upload_limits.too_large_message())
            status = 413
        elif form.is_valid():
            try:
                received = tip_create(
                    text=form.cleaned_data["text"],
                    uploads=form.cleaned_data["files"],
                    place=form.cleaned_data["place"],
                    once=form.cleaned_data["once"],
                )
            except TipRefused as error:
                form.add_error("files", str(error))
                status = 400
            else:
                # Shown in this answer only: no redirect, nothing in the session or address.
                return render(
                    request,
                    "tips/receipt.html",
                    {
                        "code": received.code,
                        "files": received.tip.documents.count(),
                        "again": received.again,
                        "place_as_typed": form.place_as_typed,
                    },
                )
        else:
            status = 400
        if request.FILES and status != 200:
            _files_not_kept(form)
    return render(request, "tips/form.html", {"form": form}, status=status)


def _follow_page(
    request: HttpRequest, tip: Tip, code: str, add_form: AddForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "tips/follow.html",
        {
            "tip": tip,
            "messages_list": tip.messages.all(),
            "file_count": tip.documents.count(),
            "add_form": add_form or AddForm(initial={"code": code}),
            "added": request.POST.get("action") == "add" and add_form is None,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tip_follow(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "tips/follow_code.html", {"form": CodeForm()})
    code_form = CodeForm(request.POST)
    if not code_form.is_valid():
        return render(request, "tips/follow_code.html", {"form": code_form}, status=400)
    wrong = ratelimit.check(request, "tip-codes", limit=WRONG_CODES[0], window=WRONG_CODES[1])
    if not wrong.allowed:
        return ratelimit.refused(request, wrong)
    code = code_form.cleaned_data["code"]
    tip = tip_find(code=code)
    if tip is None:
        ratelimit.hit(request, "tip-codes", limit=WRONG_CODES[0], window=WRONG_CODES[1])
        # The same answer for every wrong code, well formed or not.
        return render(
            request,
            "tips/follow_code.html",
            {"form": CodeForm(), "error": _("No tip matches this code. Check it and try again.")},
        )
    if request.POST.get("action") != "add":
        return _follow_page(request, tip, code)
    if _too_large(request):
        form = AddForm(request.POST)
        form.is_valid()
        form.add_error(None, upload_limits.too_large_message())
        return _follow_page(request, tip, code, form, status=413)
    form = AddForm(request.POST, request.FILES)
    if not form.is_valid():
        if request.FILES:
            _files_not_kept(form)
        return _follow_page(request, tip, code, form, status=400)
    # The page of the addition reloaded: added once.
    try:
        tip_add(
            tip=tip,
            text=form.cleaned_data["text"],
            uploads=form.cleaned_data["files"],
            once=form.cleaned_data["once"],
        )
    except TipRefused as error:
        form.add_error("files", str(error))
        _files_not_kept(form)
        return _follow_page(request, tip, code, form, status=400)
    tip.refresh_from_db()
    return _follow_page(request, tip, code)


def _reviewer_only(request: HttpRequest) -> None:
    # A 404, not a 403: the list's existence is not advertised to others.
    if not permissions.may_handle_tips(request.user):
        raise Http404


@never_cache
def tip_queue(request: HttpRequest) -> HttpResponse:
    _reviewer_only(request)
    counts = Tip.objects.aggregate(
        **{key: Count("id", filter=Q(status=key)) for key, _label in Tip.STATUSES}
    )
    current = request.GET.get("status", "new")
    if current not in counts:
        current = "new"
    tips = (
        Tip.objects.filter(status=current)
        .select_related("place")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("id")),
            Prefetch(
                "messages",
                queryset=TipMessage.objects.select_related("written_by").prefetch_related(
                    Prefetch("documents", queryset=Document.objects.order_by("id"))
                ),
            ),
        )
    )
    statuses = [(key, label, counts[key]) for key, label in Tip.STATUSES]
    return render(
        request,
        "tips/queue.html",
        {
            "tips": tips.select_related("deployment"),
            "statuses": statuses,
            "current": current,
            "reply_form": ReplyForm(),
            "technologies": Technology.objects.order_by("position", "slug"),
        },
    )


@require_POST
def tip_deployment_view(request: HttpRequest, tip_id: int) -> HttpResponse:
    """Create a draft deployment from the tip (as the procurement watch's "Create a
    deployment"), then open it to complete."""
    _reviewer_only(request)
    tip = get_object_or_404(Tip, id=tip_id)
    technology = request.POST.get("technology", "").strip()
    cite = [n for n in map(whole_number, request.POST.getlist("cite")) if n is not None]
    # A tip that names no commune is placed by the reviewer.
    codes, errors = parse_communes(request.POST.get("commune", ""))
    if errors:
        messages.error(request, " ".join(errors))
        return redirect(_tip_url(tip))
    try:
        deployment = tip_to_deployment(
            tip=tip,
            reviewer=request.user,  # type: ignore[arg-type]
            technology=technology,
            cite=cite,
            communes=codes,
        )
    except TipDrafted as drafted:
        if drafted.deployment is not None:
            messages.error(
                request,
                format_html(
                    _('This tip was made into a draft already: <a href="{url}">{title}</a>.'),
                    url=reverse("deployment-edit", args=[drafted.deployment.slug]),
                    title=drafted.deployment.title,
                ),
            )
        else:
            messages.error(request, _("This tip was made into a draft already, deleted since."))
        return redirect(_tip_url(tip))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_tip_url(tip))
    messages.success(
        request,
        _(
            "Draft deployment “%(title)s” created from tip %(number)s. Check its description "
            "([X] stands for what looked like personal data), then add a source."
        )
        % {"title": deployment.title, "number": tip.id},
    )
    return redirect(reverse("deployment-edit", args=[deployment.slug]))


@require_POST
def tip_reply_view(request: HttpRequest, tip_id: int) -> HttpResponse:
    _reviewer_only(request)
    tip = get_object_or_404(Tip, id=tip_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        tip_reply(tip=tip, text=form.cleaned_data["text"], reviewer=request.user)  # type: ignore[arg-type]
        tip.refresh_from_db()
        # Said, with where the tip now is: a reply moves a new tip to "being handled", and
        # a new user's walk saw it vanish from her tab without a word.
        messages.success(
            request,
            format_html(
                _(
                    "Reply sent: the sender reads it with their receipt code. Tip {number} "
                    'is now under “{tab}”: <a href="{url}">see it</a>.'
                ),
                number=tip.id,
                tab=tip.get_status_display(),
                url=_tip_url(tip),
            ),
        )
    else:
        # A reply too long or empty was dropped without a word (a new user's walk).
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_tip_url(tip))


@require_POST
def tip_status_view(request: HttpRequest, tip_id: int) -> HttpResponse:
    _reviewer_only(request)
    tip = get_object_or_404(Tip, id=tip_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        tip_set_status(tip=tip, status=form.cleaned_data["status"])
    return redirect(_tip_url(tip))


def _tip_url(tip: Tip) -> str:
    """The tip in the queue's tab of its status."""
    return f"{_queue_url()}?status={tip.status}#tip-{tip.id}"


def _queue_url() -> str:
    return reverse("tip-queue")
