"""The review queue of the procurement watch (reviewers): candidates by score with their
reasons, what they resolve to and the deployments they may already be; create a
deployment, attach to one, reject with a reason, mark as duplicate, one by one or
several at once."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Min, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contrechamp.lib.numbers import whole_number
from contrechamp.registry.models import Deployment
from contrechamp.registry.permissions import may_review
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import (
    AlreadyDecided,
    Registry,
    candidate_accept,
    candidate_attach,
    candidates_decide,
    holder_vendors,
    near_deployments,
)

PER_PAGE = 25


def _reviewer(request: HttpRequest) -> User:
    if not may_review(request.user) or not isinstance(request.user, User):
        # Said, with where its findings go (a new user's walk met a bare refusal).
        raise PermissionDenied(
            _(
                "The procurement watch is the reviewers': its candidates name buyers and "
                "amounts nobody has checked yet. What a reviewer checks becomes a "
                "deployment of the public registry, with its source."
            )
        )
    return request.user


def queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    waiting = WatchRecord.objects.filter(status="new")
    # One card per contract: the first waiting record of each group.
    firsts = waiting.values("group").annotate(first=Min("id")).values("first")
    rows = waiting.filter(id__in=Subquery(firsts)).select_related("commune", "epci")
    order = ("-score", F("date").desc(nulls_last=True), "id")
    page = Paginator(rows.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    groups = {row.group for row in page if row.group}
    others: dict[str, list[WatchRecord]] = {}
    for other in waiting.filter(group__in=groups).order_by("id"):
        others.setdefault(other.group, []).append(other)
    registry = Registry.read()
    cards = [
        {
            "row": row,
            "vendors": holder_vendors(row.holders, registry),
            "near": near_deployments(row),
            "others": [o for o in others.get(row.group, []) if o.id != row.id],
        }
        for row in page
    ]
    return render(
        request,
        "watch/queue.html",
        {
            "cards": cards,
            "page": page,
            "total": page.paginator.count,
            # What the worker fetches every day, if anything (settings.WATCH_FETCH).
            "fetched": ", ".join(s.upper() for s in settings.WATCH_FETCH),
        },
    )


def _already(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("This candidate was decided already; nothing was done."))
    return redirect("watch-queue")


def _record_id(value: object) -> int:
    """A row's id as posted; anything else ("²", a number past any id) is refused."""
    number = whole_number(value)
    if number is None:
        raise PermissionDenied
    return number


@require_POST
def accept(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _reviewer(request)
    try:
        deployment = candidate_accept(record_id=record_id, user=user)
    except AlreadyDecided:
        return _already(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("watch-queue")
    messages.success(
        request, _("Draft deployment “%(title)s” created.") % {"title": deployment.title}
    )
    return redirect("deployment-edit", slug=deployment.slug)


@require_POST
def attach(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _reviewer(request)
    target = whole_number(request.POST.get("deployment"))
    deployment = Deployment.objects.filter(id=target or 0).first()
    if deployment is None:
        messages.error(request, _("That deployment does not exist."))
        return redirect("watch-queue")
    try:
        candidate_attach(record_id=record_id, deployment=deployment, user=user)
    except AlreadyDecided:
        return _already(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("watch-queue")
    messages.success(request, _("Cited as a source of “%(title)s”.") % {"title": deployment.title})
    return redirect("watch-queue")


@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Reject or mark as duplicate: one candidate (its own form) or the selected ones."""
    user = _reviewer(request)
    # The last one: the bulk form's own, then its button's when one was pressed.
    actions = request.POST.getlist("action")
    action = actions[-1] if actions else ""
    if action not in ("reject", "duplicate"):
        messages.error(request, _("Choose an action."))
        return redirect("watch-queue")
    ids = [_record_id(v) for v in request.POST.getlist("ids")]
    reason = str(request.POST.get("reason", "")).strip()
    if not ids:
        messages.error(request, _("Select at least one candidate."))
        return redirect("watch-queue")
    if action == "reject" and not reason:
        messages.error(request, _("Say why: the reasons tune the scoring."))
        return redirect("watch-queue")
    status = "rejected" if action == "reject" else "duplicate"
    count = candidates_decide(record_ids=ids, status=status, user=user, reason=reason)
    if count == 0:
        return _already(request)
    messages.success(
        request,
        ngettext("%(n)d candidate decided.", "%(n)d candidates decided.", count) % {"n": count},
    )
    return redirect("watch-queue")
