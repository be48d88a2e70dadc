"""The reviewers' queue of pending changes, and each contributor's list of their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.decorators.http import require_POST

from contrechamp.accounts.models import Profile, display_name
from contrechamp.accounts.trust import is_trusted, may_set_trust, trust_set
from contrechamp.documents.models import Document
from contrechamp.lib.numbers import whole_number
from contrechamp.moderation.warnings import proposal_warnings
from contrechamp.registry.models import (
    CameraCount,
    Deployment,
    Organisation,
    Proposal,
    ProposalDecision,
    documents_public,
    same_scope,
)
from contrechamp.registry.permissions import (
    may_decide_proposal,
    may_reopen_proposal,
    may_review,
    may_withdraw_proposal,
)
from contrechamp.registry.proposals import (
    ProposalClosed,
    ProposalMovedOn,
    history_url,
    last_rejection,
    proposal_accept,
    proposal_before_after,
    proposal_is_stale,
    proposal_moved_on,
    proposal_object,
    proposal_reject,
    proposal_reopen,
    proposal_withdraw,
)
from contrechamp.registry.quotes import source_document
from contrechamp.registry.revisions import revision_diff
from contrechamp.registry.services import StaleEdit

PAGE_SIZE = 30
# Labels of a camera count's fields (a deployment's come from its schema).
COUNT_LABELS = {
    "commune": gettext_lazy("Commune"),
    "count": gettext_lazy("Number of cameras"),
    "date": gettext_lazy("Date of the figure"),
    "perimeter": gettext_lazy("Perimeter"),
    "approximate": gettext_lazy("Estimate"),
}


def public_name(user: User | None) -> str:
    """How a contributor is shown, even to reviewers: their public name, never their
    e-mail address or user name ("former contributor" once the account is deleted)."""
    return display_name(user)


def _reviewer(request: HttpRequest) -> User:
    if not may_review(request.user) or not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _title(proposal: Proposal, obj: Any) -> str:
    if isinstance(obj, CameraCount):
        return _("%(n)d cameras in %(commune)s (%(date)s)") % {
            "n": obj.count,
            "commune": obj.commune.name,
            "date": obj.date_text,
        }
    if isinstance(obj, Deployment):
        return str(proposal.data.get("title") or obj.title)
    if isinstance(obj, Organisation):
        return str(proposal.data.get("name") or obj.name)
    return _("(deleted)")


def _sources(proposal: Proposal, after: dict[str, Any], obj: Any) -> list[dict[str, Any]]:
    """The citations backing the change: the source, its address or document page, and
    the quote."""
    items: list[dict[str, Any]]
    if isinstance(obj, CameraCount):
        items = [
            {
                "source": {
                    "title": c.source.title,
                    "publisher": c.source.publisher,
                    "url": c.source.url,
                    "document": c.source.document_id,
                },
                "quote": c.quote,
                "locator": c.locator,
            }
            for c in obj.citations.select_related("source")
        ]
    else:
        items = list(after.get("citations") or [])
    out = []
    cited = [source_document(c.get("source") or {}) for c in items]
    published = documents_public(n for n in cited if n is not None)
    for c, number in zip(items, cited, strict=True):
        source = c.get("source") or {}
        document = source.get("document")
        out.append(
            {
                "title": source.get("title", ""),
                "publisher": source.get("publisher", ""),
                "url": source.get("url", ""),
                "document_url": reverse("document-detail", args=[document]) if document else "",
                # Shown beside its link: visitors will get no link until it is.
                "unpublished": number is not None and number not in published,
                "locator": c.get("locator", ""),
                "quote": c.get("quote", ""),
            }
        )
    return out


def _diff(proposal: Proposal, before: dict[str, Any], after: dict[str, Any]) -> list[dict]:
    if proposal.target == "camera_count" and not same_scope(
        str(before.get("perimeter", "")), str(after.get("perimeter", ""))
    ):
        # A count of another perimeter (or of one not stated) is a new count beside the
        # commune's figure, not a correction of it: shown alone, the warning above says
        # what it does to the figure (`count_scope_warnings`).
        before = {}
    keys = [k for k in after if k != "is_published" and before.get(k) != after.get(k)]
    rows = revision_diff([(k, before.get(k), after.get(k)) for k in keys])
    if proposal.target == "camera_count":
        for row in rows:
            row["label"] = COUNT_LABELS.get(row["field"], row["label"])
    return rows


def _history(author_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Each author's record: changes accepted, rejected, waiting, and their last ones."""
    counts = (
        Proposal.objects.filter(author_id__in=author_ids)
        .values("author_id")
        .annotate(
            accepted=Count("id", filter=Q(state="accepted")),
            rejected=Count("id", filter=Q(state="rejected")),
            waiting=Count("id", filter=Q(state="pending")),
        )
    )
    out: dict[int, dict[str, Any]] = {row["author_id"]: {**row, "last": []} for row in counts}
    for author_id in author_ids:
        out.setdefault(author_id, {"accepted": 0, "rejected": 0, "waiting": 0, "last": []})
        out[author_id]["last"] = list(
            Proposal.objects.filter(author_id=author_id)
            .exclude(state="pending")
            .order_by("-decided_at", "-id")[:3]
        )
    return out


def _edit_url(proposal: Proposal, obj: Any) -> str:
    if isinstance(obj, Deployment):
        return reverse("deployment-edit", args=[obj.slug]) + f"?proposal={proposal.id}"
    if isinstance(obj, Organisation):
        return reverse("organisation-edit", args=[obj.slug]) + f"?proposal={proposal.id}"
    return ""


def proposal_card(proposal: Proposal) -> dict[str, Any]:
    """Everything the queue shows of one pending change."""
    obj = proposal_object(proposal)
    before, after = proposal_before_after(proposal)
    return {
        "proposal": proposal,
        "object": obj,
        "title": _title(proposal, obj),
        "url": obj.commune.get_absolute_url()
        if isinstance(obj, CameraCount)
        else (obj.get_absolute_url() if obj is not None else ""),
        "author_name": public_name(proposal.author),
        "rows": _diff(proposal, before, after),
        "sources": _sources(proposal, after, obj),
        "warnings": proposal_warnings(proposal),
        "stale": proposal_is_stale(proposal),
        # "Edit then accept" opens the object's form filled with the proposal.
        "edit_url": _edit_url(proposal, obj),
        # The version shown, sent back by accept: a change made meanwhile is not
        # accepted unseen.
        "version": getattr(obj, "version", ""),
    }


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    qs = (
        Proposal.objects.filter(state="pending")
        .select_related("author")
        .order_by("created_at", "id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [proposal_card(p) for p in page.object_list]
    history = _history({c["proposal"].author_id for c in cards if c["proposal"].author_id})
    for card in cards:
        card["history"] = history.get(card["proposal"].author_id or 0)
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "cards": cards,
            "total": qs.count(),
            # The library's documents read and not yet published: they wait for a
            # reviewer's redaction, which no queue listed (a new user's walk).
            "waiting_documents": Document.objects.filter(is_public=False, status="done").count(),
        },
    )


UNSEEN_DRAFT = gettext_noop(
    "The draft may have changed since this page was opened: read it as it is now, then accept it."
)


def _next_anchor(proposal_id: int) -> str:
    """The queue, scrolled to the change after the one just decided."""
    following = Proposal.objects.filter(state="pending", id__gt=proposal_id).order_by("id").first()
    url = reverse("moderation-queue")
    return f"{url}#p-{following.id}" if following else url


@require_POST
@login_required
def accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    reviewer = _reviewer(request)
    proposal = get_object_or_404(Proposal, id=proposal_id)
    if not may_decide_proposal(reviewer, proposal):
        if proposal.state != "pending":
            messages.error(request, _("This proposal was already decided or withdrawn."))
            return redirect("moderation-queue")
        raise PermissionDenied
    seen = whole_number(request.POST.get("version"))
    if seen is None and proposal.action == "publish":
        # A draft is published as it is: without the version the page showed, what its
        # author changed since would be published unread (the draft's page refuses the
        # same form).
        messages.error(request, _(UNSEEN_DRAFT))
        return redirect(reverse("moderation-queue") + f"#p-{proposal.id}")
    try:
        proposal_accept(proposal=proposal, reviewer=reviewer, seen_version=seen)
    except StaleEdit:
        obj = proposal_object(proposal)
        messages.warning(
            request,
            _(
                "This change was made on an older version and someone changed it since: "
                "nothing was saved. Check the merge below, then save to accept."
            ),
        )
        return redirect(_edit_url(proposal, obj) or reverse("moderation-queue"))
    except ProposalClosed as e:
        messages.error(request, " ".join(e.messages))
    except ValidationError as e:
        messages.error(
            request, _("This change cannot be accepted as it is: %s") % " ".join(e.messages)
        )
        return redirect(reverse("moderation-queue") + f"#p-{proposal.id}")
    else:
        messages.success(request, _("Change accepted."))
    return redirect(_next_anchor(proposal.id))


@require_POST
@login_required
def reject(request: HttpRequest, proposal_id: int) -> HttpResponse:
    reviewer = _reviewer(request)
    proposal = get_object_or_404(Proposal, id=proposal_id)
    if not may_decide_proposal(reviewer, proposal):
        if proposal.state != "pending":
            messages.error(request, _("This proposal was already decided or withdrawn."))
            return redirect("moderation-queue")
        raise PermissionDenied
    try:
        proposal_reject(proposal=proposal, reviewer=reviewer, reason=request.POST.get("reason", ""))
    except ProposalClosed as e:
        messages.error(request, " ".join(e.messages))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(reverse("moderation-queue") + f"#p-{proposal.id}")
    else:
        messages.success(request, _undo_message(request, proposal))
    return redirect(_next_anchor(proposal.id))


def _undo_message(request: HttpRequest, proposal: Proposal) -> str:
    """The confirmation of a rejection, with the button that undoes it (a rejection by
    mistake had no way back: its author typed everything again)."""
    rejection = last_rejection(proposal)
    return format_html(
        '{} <a href="{}">{}</a> <form method="post" action="{}" class="inline undo">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="rejection" value="{}">'
        '<button type="submit" class="link">{}</button></form>',
        _("Change rejected; its author is told why."),
        reverse("moderation-proposal", args=[proposal.id]),
        _("see it"),
        reverse("moderation-reopen", args=[proposal.id]),
        get_token(request),
        rejection.id if rejection else "",
        _("Undo: reopen it"),
    )


@require_POST
@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Accept or reject several changes at once. Each is decided in its own transaction:
    one that cannot be accepted (made on an older version, decided meanwhile) is left
    pending and named in the report, the others go through."""
    reviewer = _reviewer(request)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "").strip()
    # Each selected change as "id:version" (the version the page showed).
    seen: dict[int, int | None] = {}
    for value in request.POST.getlist("ids"):
        head, _sep, version = value.partition(":")
        number = whole_number(head)
        if number:
            seen[number] = whole_number(version)
    ids = list(seen)
    if action not in ("accept", "reject") or not ids:
        messages.error(request, _("Select changes, then accept or reject them."))
        return redirect("moderation-queue")
    if action == "reject" and not reason:
        messages.error(request, _("Say why the selected changes are rejected."))
        return redirect("moderation-queue")
    done, failed = 0, []
    for proposal in Proposal.objects.filter(id__in=ids).order_by("id"):
        title = _title(proposal, proposal_object(proposal))
        if not may_decide_proposal(reviewer, proposal):
            failed.append(_("“%s”: already decided, or yours") % title)
            continue
        if action == "accept" and proposal.action == "publish" and seen.get(proposal.id) is None:
            failed.append(f"“{title}”: {_(UNSEEN_DRAFT)}")
            continue
        try:
            if action == "accept":
                proposal_accept(
                    proposal=proposal, reviewer=reviewer, seen_version=seen.get(proposal.id)
                )
            else:
                proposal_reject(proposal=proposal, reviewer=reviewer, reason=reason)
        except StaleEdit:
            failed.append(_("“%s”: changed since it was proposed, open it to merge") % title)
        except ValidationError as e:
            failed.append(f"“{title}”: {' '.join(e.messages)}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            (
                ngettext("%d change accepted.", "%d changes accepted.", done)
                if action == "accept"
                else ngettext("%d change rejected.", "%d changes rejected.", done)
            )
            % done,
        )
    if failed:
        messages.warning(request, _("Left pending: %s") % "; ".join(failed))
    return redirect("moderation-queue")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A contributor's own proposals: waiting, accepted, rejected with the reason."""
    proposals = Proposal.objects.filter(author_id=request.user.pk).order_by("-created_at", "-id")
    rows = [
        {
            "proposal": p,
            "title": _title(p, obj),
            "object": obj,
            # Changed by the reviewer: where to compare with what was proposed.
            "history": history_url(obj) if p.edited and obj is not None else "",
        }
        for p in proposals[:200]
        for obj in [proposal_object(p)]
    ]
    return render(
        request,
        "moderation/mine.html",
        {"rows": rows, "trusted": is_trusted(request.user)},
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, id=proposal_id, author_id=request.user.pk)
    if not may_withdraw_proposal(request.user, proposal) or not isinstance(request.user, User):
        messages.error(request, _("This proposal was already decided or withdrawn."))
        return redirect("moderation-mine")
    try:
        proposal_withdraw(proposal=proposal, author=request.user)
    except ProposalClosed as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Proposal withdrawn."))
    return redirect("moderation-mine")


@login_required
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    """A contributor's record, for reviewers, with the form that grants or withdraws
    trust. Shows their public name only."""
    _reviewer(request)
    if not may_set_trust(request.user):
        raise PermissionDenied
    account = get_object_or_404(User, id=user_id)
    profile, _created = Profile.objects.get_or_create(user=account)
    if request.method == "POST":
        try:
            trust_set(person=account, trust=request.POST.get("trust", ""))
        except ValueError:
            messages.error(request, _("Choose a level of trust."))
        else:
            messages.success(request, _("Trust updated."))
        return redirect("moderation-person", user_id=account.id)
    history = _history({account.id})[account.id]
    proposals = [
        {"proposal": p, "title": _title(p, proposal_object(p))}
        for p in Proposal.objects.filter(author=account).order_by("-created_at", "-id")[:20]
    ]
    return render(
        request,
        "moderation/person.html",
        {
            "account_id": account.id,
            "name": public_name(account),
            "profile": profile,
            "trusted": is_trusted(account),
            "history": history,
            "proposals": proposals,
            "levels": Profile.TRUST_LEVELS,
        },
    )


def _decided_by(decision: ProposalDecision, user: User) -> str:
    """Who took a decision, as a reviewer's page says it: herself, or another reviewer
    (the queue names no reviewer; the journal, for administrators, does)."""
    if decision.reviewer_id == user.id:
        return _("you")
    return _("another reviewer") if decision.reviewer_id else _("former reviewer")


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """One proposal, whatever its state, with its decisions (a rejection's reason kept
    after it is undone) and, when it was rejected, the button that reopens it."""
    reviewer = _reviewer(request)
    proposal = get_object_or_404(Proposal.objects.select_related("author"), id=proposal_id)
    card = proposal_card(proposal)
    rejection = last_rejection(proposal) if proposal.state == "rejected" else None
    moved_on = proposal_moved_on(proposal, rejection) if rejection is not None else None
    decisions = [
        {"decision": d, "by": _decided_by(d, reviewer)}
        for d in proposal.decisions.order_by("decided_at", "id")
    ]
    return render(
        request,
        "moderation/proposal.html",
        {
            "card": card,
            "p": proposal,
            "decisions": decisions,
            "rejection": rejection,
            "may_reopen": rejection is not None and may_reopen_proposal(reviewer, proposal),
            "moved_on": " ".join(moved_on.messages) if moved_on else "",
            "new_url": moved_on.new_url if moved_on else "",
            "may_decide": may_decide_proposal(reviewer, proposal),
        },
    )


@require_POST
@login_required
def reopen(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Undo a rejection: the proposal goes back to the queue as it was made."""
    reviewer = _reviewer(request)
    proposal = get_object_or_404(Proposal, id=proposal_id)
    page = reverse("moderation-proposal", args=[proposal.id])
    if proposal.author_id == reviewer.id:
        raise PermissionDenied
    if not may_reopen_proposal(reviewer, proposal):
        messages.error(
            request,
            _(
                "This proposal is not rejected any more: someone reopened it, or it was "
                "decided meanwhile. Nothing was done."
            ),
        )
        return redirect(page)
    try:
        proposal_reopen(
            proposal=proposal,
            reviewer=reviewer,
            rejection_id=whole_number(request.POST.get("rejection")),
        )
    except ProposalMovedOn as e:
        text = " ".join(e.messages)
        if e.new_url:
            messages.error(
                request,
                format_html('{} <a href="{}">{}</a>', text, e.new_url, _("Make a new proposal")),
            )
        else:
            messages.error(request, text)
        return redirect(page)
    except ProposalClosed as e:
        messages.error(request, " ".join(e.messages))
        return redirect(page)
    messages.success(
        request, _("Proposal reopened: it waits in the queue again, as its author made it.")
    )
    return redirect(reverse("moderation-queue") + f"#p-{proposal.id}")


DECISIONS_PAGE_SIZE = 50


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    """A reviewer's own decisions, the latest first: what she accepted, rejected or
    reopened, with links to each proposal. Nothing of other reviewers' decisions."""
    reviewer = _reviewer(request)
    qs = (
        ProposalDecision.objects.filter(reviewer=reviewer)
        .select_related("proposal", "proposal__author")
        .order_by("-decided_at", "-id")
    )
    page = Paginator(qs, DECISIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for decision in page.object_list:
        proposal = decision.proposal
        obj = proposal_object(proposal)
        rows.append(
            {
                "decision": decision,
                "proposal": proposal,
                "title": _title(proposal, obj),
                "author_name": public_name(proposal.author),
                # Where it stands now: a rejection of hers someone reopened, say.
                "current": proposal.get_state_display(),
                "changed_since": decision.state != proposal.state
                and not (decision.state == "reopened" and proposal.state == "pending"),
            }
        )
    return render(request, "moderation/decisions.html", {"page": page, "rows": rows})
