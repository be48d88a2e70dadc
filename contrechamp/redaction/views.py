"""Redaction review and publication, page by page: reviewers and administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contrechamp.documents.files import publication_of
from contrechamp.documents.models import Document, Publication
from contrechamp.lib.numbers import whole_number
from contrechamp.places.models import Commune
from contrechamp.redaction import permissions, services
from contrechamp.redaction.models import DEFAULT_REASON, PublicFigure, Redaction


def _reviewer(request: HttpRequest) -> User:
    """The reviewer at work. Anyone else gets the answer a document that does not exist
    gets: the review pages reveal nothing, not even which documents exist."""
    user = request.user
    if not isinstance(user, User) or not permissions.may_review_redactions(user):
        raise Http404
    return user


def _document(request: HttpRequest, document_id: int) -> Document:
    _reviewer(request)
    return get_object_or_404(Document, id=document_id)


def _back(document: Document, number: object = None, *, said: bool = False) -> HttpResponse:
    """The review screen at page `number`, scrolled to the page; not scrolled when
    something was `said` (a warning at the top of the screen, else out of sight)."""
    url = reverse("redaction-review", args=[document.id])
    anchor = "" if said else "#page"
    return redirect(f"{url}?page={number}{anchor}" if number else url)


def _box(rect: list[float]) -> dict[str, str]:
    """A box in PDF points as the geometry of an SVG rectangle drawn over the page image
    in the page's own units: SVG attributes, where a `style` attribute would be refused
    by the site's CSP."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    return {
        "x": f"{min(x0, x1):.2f}",
        "y": f"{min(y0, y1):.2f}",
        "width": f"{abs(x1 - x0):.2f}",
        "height": f"{abs(y1 - y0):.2f}",
    }


def _page_number(request: HttpRequest) -> str:
    value = request.POST.get("page", "")
    return value if whole_number(value) else ""


def review(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    pages = document.pages.order_by("number")
    current = Paginator(pages, 1).get_page(request.GET.get("page")) if pages.exists() else None
    page = current.object_list[0] if current else None
    redactions = list(page.redactions.all()) if page else []
    for redaction in redactions:
        redaction.boxes = [_box(rect) for rect in redaction.rects]  # type: ignore[attr-defined]
    everything = Redaction.objects.of(document)
    counts = {status: everything.filter(status=status).count() for status, _ in Redaction.STATUSES}
    publication = Publication.objects.filter(document=document).first()
    return render(
        request,
        "redaction/review.html",
        {
            "document": document,
            "page": page,
            "pages": current,
            "redactions": redactions,
            "counts": counts,
            # Detection has run on some page (it may have found nothing there): until
            # then the count of suggestions says so rather than 0 (a walk read "0").
            "detected": everything.exists()
            or document.pages.filter(redaction_detection__isnull=False).exists(),
            "pages_with_suggestions": sorted(
                set(
                    everything.filter(status="suggested", page__isnull=False).values_list(
                        "page__number", flat=True
                    )
                )
            ),
            "title_redactions": document.title_redactions.all(),
            "public_title": services.public_title(document),
            "publication": publication,
            "findings": [services.finding_text(r) for r in publication.reasons]
            if publication and not publication.accepted
            else [],
            "blockers": services.publication_blockers(document, no_redactions=True),
            "nothing_redacted": counts["accepted"] == 0,
            "published": (published := publication_of(document)),
            "outdated": services.published_copy_outdated(document, published),
            "figures": services.public_figures(document).select_related("commune"),
            "default_reason": DEFAULT_REASON,
        },
    )


@require_POST
def suggest(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    count = services.redactions_suggest(document=document)
    messages.success(request, _("%d redactions suggested.") % count)
    return _back(document, _page_number(request))


@require_POST
def accept_all(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    count = services.redactions_accept_all(document=document, user=_reviewer(request))
    messages.success(request, _("%d suggestions accepted.") % count)
    return _back(document, _page_number(request))


@require_POST
def decide(request: HttpRequest, redaction_id: int) -> HttpResponse:
    user = _reviewer(request)
    redaction = get_object_or_404(
        Redaction.objects.select_related("page__document", "title_of"), id=redaction_id
    )
    decision = request.POST.get("decision")
    # The status the page showed: without it (a page of before, a form cut short) the
    # decision is not made, as when it differs from the status now.
    seen = request.POST.get("seen")
    if decision not in ("accept", "reject"):
        messages.error(request, _("Choose to accept or to reject the redaction."))
    elif seen not in {code for code, _label in Redaction.STATUSES}:
        messages.error(
            request, _("The page was out of date: nothing was changed. Decide again below.")
        )
    else:
        try:
            services.redaction_decide(
                redaction=redaction,
                accept=decision == "accept",
                reason=request.POST.get("reason", ""),
                user=user,
                seen=seen,
            )
        except services.StaleDecision as stale:
            messages.warning(
                request,
                _(
                    "“%(text)s” was decided meanwhile, in another tab or by another "
                    "reviewer: it is now “%(status)s”. Nothing was changed; decide again if "
                    "you still mean to."
                )
                % {
                    "text": stale.redaction.text or stale.redaction.get_kind_display(),
                    "status": stale.redaction.get_status_display(),
                },
            )
    said = bool(messages.get_messages(request))
    if redaction.page is None:  # a redaction of the title
        assert redaction.title_of is not None
        url = reverse("redaction-review", args=[redaction.title_of.id])
        return redirect(url if said else url + "#title")
    return _back(redaction.page.document, redaction.page.number, said=said)


@require_POST
def draw(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    number = _page_number(request)
    page = document.pages.filter(number=int(number)).first() if number else None
    if page is None:
        raise Http404
    try:
        services.redaction_draw(
            page=page,
            rect=[request.POST.get(k) for k in ("x0", "y0", "x1", "y1")],
            reason=request.POST.get("reason", ""),
            user=_reviewer(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Area redacted."))
    return _back(document, number)


@require_POST
def every_occurrence(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    text = request.POST.get("text", "")
    try:
        count = services.redaction_every_occurrence(
            document=document,
            text=text,
            reason=request.POST.get("reason", ""),
            user=_reviewer(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(text)s” redacted %(count)d times in the document.")
            % {"text": text.strip(), "count": count},
        )
    return _back(document, _page_number(request))


@require_POST
def public_figure(request: HttpRequest, document_id: int) -> HttpResponse:
    """A name that stays readable, for this document or for a place of it; suggestions
    are made again so it leaves them."""
    document = _document(request, document_id)
    name = request.POST.get("name", "").strip()
    scope = request.POST.get("scope", "document")
    if not name:
        messages.error(request, _("Give the name of the public figure."))
        return _back(document, _page_number(request))
    commune: Commune | None = None
    if scope != "document":
        commune = document.places.filter(code=scope).first()
        if commune is None:
            messages.error(request, _("That place is not one of the document's places."))
            return _back(document, _page_number(request))
    PublicFigure.objects.create(
        name=name[:200],
        role=request.POST.get("role", "").strip()[:200],
        document=None if commune else document,
        commune=commune,
    )
    services.redactions_suggest(document=document)
    messages.success(request, _("%s stays readable.") % name)
    return _back(document, _page_number(request))


@require_POST
def publish(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not permissions.may_publish(request.user, document):
        raise Http404
    try:
        publication = services.document_publish(
            document=document,
            title=request.POST.get("title", ""),
            user=_reviewer(request),
            no_redactions=request.POST.get("no_redactions") == "on",
        )
    except ValidationError as error:
        messages.error(request, _("Not published: %s") % " ".join(error.messages))
        return _back(document)
    if publication.accepted:
        messages.success(request, _("Published: everyone now reads the redacted copy."))
    else:
        messages.error(
            request,
            _("Publication refused: %s")
            % " ".join(services.finding_text(r) for r in publication.reasons),
        )
    return _back(document)


@require_POST
def unpublish(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not permissions.may_unpublish(request.user, document):
        raise Http404
    services.document_unpublish(document=document)
    messages.success(request, _("The document is private again."))
    return _back(document)
