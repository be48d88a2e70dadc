"""Requests: public list, page and statistics; the requester's drafting, sending,
timeline, answers and letters; series of requests; their deadlines as a dashboard and an
Atom feed. Each view parses its input, asks `permissions`, calls one service, renders."""

from __future__ import annotations

import csv
import datetime as dt
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contrechamp.access import permissions, services
from contrechamp.access.forms import (
    AnswerForm,
    EventForm,
    ProofForm,
    RequestForm,
    RequestSendForm,
    SendForm,
    SeriesEventForm,
    SeriesReferralForm,
    request_initial,
)
from contrechamp.access.letters import for_screen as letter_for_screen
from contrechamp.access.models import AccessRequest, FeedToken, RequestSeries
from contrechamp.accounts.models import display_name
from contrechamp.accounts.services import mail_language
from contrechamp.documents import permissions as document_permissions
from contrechamp.documents.models import Document
from contrechamp.documents.services import DocumentRejected
from contrechamp.lib.numbers import whole_number
from contrechamp.lib.parameters import takes_parameters
from contrechamp.lib.typography import day


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _readable(request: HttpRequest, request_id: int) -> AccessRequest:
    """The access request if the viewer may read it; not found alike whether it does not
    exist or is someone else's draft."""
    found = (
        services.with_timeline(permissions.readable_requests(request.user))
        .filter(id=request_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _editable(request: HttpRequest, request_id: int) -> AccessRequest:
    found = _readable(request, request_id)
    if not permissions.may_edit_request(request.user, found):
        raise PermissionDenied
    return found


def request_list(request: HttpRequest) -> HttpResponse:
    requests = services.with_timeline(permissions.readable_requests(request.user))
    status = request.GET.get("statut", "")
    if status in dict(AccessRequest.STATUSES):
        requests = requests.filter(status=status)
    place = services.place_in_parameters(request.GET)
    if place is not None:
        requests = services.requests_about_place(requests, place[2])
    # `page`, the site's name for it; `p`, the former one, still read for old links.
    number = request.GET.get("page") or request.GET.get("p")
    page = Paginator(requests, 50).get_page(number)
    page.object_list = services.with_dates(page.object_list, services.today())
    kept = {"statut": status} if status else {}
    if place is not None:
        kept[place[0]] = place[1]
    return render(
        request,
        "access/request_list.html",
        {
            "page": page,
            "statuses": AccessRequest.STATUSES,
            "status": status,
            "status_query": urlencode(kept),
            "place": place[2] if place else None,
            "place_field": place[0] if place else "",
            "place_code": place[1] if place else "",
            "without_place": "?" + urlencode({"statut": status}) if status else "?",
            "can_create": permissions.may_draft_requests(request.user),
        },
    )


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = _readable(request, request_id)
    editable = permissions.may_edit_request(request.user, access_request)
    today = services.today()
    calendar = services.calendar(access_request)
    upcoming = calendar.next_after(today)
    implicit_since = services.implicitly_refused_on(access_request, calendar, today)
    events = list(access_request.events.select_related("document"))
    # For those who edit it, the request's files with their state; for others, those
    # they may read. Nobody else learns of a file they may not read.
    received = list(
        access_request.documents.all()
        if editable
        else document_permissions.readable_documents(request.user).filter(
            access_requests=access_request
        )
    )
    titled = _titled_documents(
        request, [e.document for e in events if e.document is not None] + received, editable
    )
    for event in events:
        event.readable = event.document_id in titled  # type: ignore[attr-defined]
    requester = access_request.requester
    in_series = services.in_cada_series(access_request)
    letters = (
        services.letter_kinds(access_request, implicit_since, in_series, events) if editable else []
    )
    return render(
        request,
        "access/request_detail.html",
        {
            "req": access_request,
            "events": events,
            "deadlines": [
                (
                    d,
                    services.deadline_name(d),
                    services.deadline_action(d, today, calendar),
                    d is upcoming,
                    services.deadline_basis(d),
                )
                for d in calendar.deadlines
            ],
            "deadline_notes": [(n, services.deadline_note(n), _(n.basis)) for n in calendar.notes],
            "editable": editable,
            # The display name only: never the internal user name nor the address.
            "requester_name": display_name(requester)
            if permissions.may_see_requester(request.user, access_request)
            else "",
            "documents": [
                {"document": document, "titled": document.id in titled} for document in received
            ],
            "deployments": access_request.deployments.published(),  # type: ignore[attr-defined]
            # Three forms on one page: ids of their own, field names unchanged.
            "send_form": RequestSendForm(
                initial={"channel": access_request.channel, "sent_on": today}, auto_id="send_%s"
            ),
            "proof_form": ProofForm(auto_id="proof_%s"),
            "attachments": list(access_request.attachments.all()) if editable else [],
            "event_form": _event_form(request, access_request, today),
            "answer_form": AnswerForm(
                initial={"date": today, "kind": "reply"}, auto_id="answer_%s"
            ),
            "letters": letters,
            "in_series": in_series,
            "referral_file": editable
            and services.offers_referral_file(access_request, implicit_since, in_series, letters),
            "missing_proofs": services.missing_proofs(access_request) if editable else [],
            "implicit_since": implicit_since,
            "today": today,
        },
    )


def _private_file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file for its requester and reviewers only: downloaded, never kept by a cache."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


# The drafting forms already sent in this session (their token, the draft's address).
DRAFTED_KEY = "access_drafted"


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may_draft_requests(request.user):
        raise PermissionDenied
    form = RequestForm(
        request.POST or None,
        initial={**request_initial(request.GET, request.user), "token": secrets.token_urlsafe(16)},
        reader=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same form sent twice (a double click, a reload): the drafts of the first.
        token = data.get("token", "")
        drafted_before = request.session.get(DRAFTED_KEY, {}).get(token) if token else None
        if drafted_before:
            messages.info(request, _("This request was just drafted: here it is."))
            return redirect(drafted_before)
        new_body = None
        if data.get("new_body", "").strip():
            new_body = {
                "name": data["new_body"].strip(),
                "kind": data["new_body_kind"] or "other",
                "email": data.get("new_body_email", ""),
            }
        try:
            drafted = services.requests_draft(
                requester=request.user,  # type: ignore[arg-type]
                title=data["title"],
                communes=data["all_communes"],
                places=data["bodies"],
                new_body=new_body,
                deployments=data["deployments"],
                documents_asked=data["documents"],
                channel=data["channel"],
                show_requester=data["show_requester"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if isinstance(drafted, RequestSeries):
                messages.success(
                    request, _("%d requests drafted, one per body.") % drafted.requests.count()
                )
            if token:
                remembered = dict(list(request.session.get(DRAFTED_KEY, {}).items())[-19:])
                remembered[token] = drafted.get_absolute_url()
                request.session[DRAFTED_KEY] = remembered
            return redirect(drafted)
    return render(
        request, "access/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
def request_delete(request: HttpRequest, request_id: int) -> HttpResponse:
    """A draft, deleted by whoever may edit it: nothing was sent, nothing is lost (a
    mistaken draft stayed for good: a new user's walk). A sent request is not deleted: its
    timeline is the record of what the administration was asked."""
    access_request = _editable(request, request_id)
    if access_request.status != "draft":
        raise PermissionDenied
    series = access_request.series
    services.request_delete(request=access_request)
    messages.success(request, _("The draft is deleted."))
    if series is not None and series.requests.exists():
        return redirect(series)
    return redirect("request-list")


@require_POST
def series_delete(request: HttpRequest, series_id: int) -> HttpResponse:
    """Every draft of a series, deleted at once; requests already sent stay."""
    series = _series(request, series_id, edit=True)
    drafts = [r for r in series.requests.all() if r.status == "draft"]
    for draft in drafts:
        if permissions.may_edit_request(request.user, draft):
            services.request_delete(request=draft)
    messages.success(request, _("The drafts of the series are deleted."))
    if series.requests.exists():
        return redirect(series)
    return redirect("request-list")


@require_POST
def request_send(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = _editable(request, request_id)
    form = RequestSendForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(access_request)
    proof = form.cleaned_data.get("proof")
    try:
        with transaction.atomic():
            services.request_send(
                request=access_request,
                sent_on=form.cleaned_data["sent_on"],
                received_on=form.cleaned_data["received_on"],
                channel=form.cleaned_data["channel"],
            )
            if proof:
                services.attachment_add(
                    request=access_request,
                    data=proof.read(),
                    filename=proof.name,
                    user=request.user,  # type: ignore[arg-type]
                )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Recorded as sent on %(date)s: the legal dates below follow from it.")
            % {"date": day(form.cleaned_data["sent_on"])},
        )
    return redirect(access_request)


@require_POST
def proof_upload(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = _editable(request, request_id)
    form = ProofForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(access_request)
    upload = form.cleaned_data["file"]
    try:
        services.attachment_add(
            request=access_request,
            data=upload.read(),
            filename=upload.name,
            kind=form.cleaned_data["kind"],
            user=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, f"{upload.name}: {' '.join(error.messages)}")
    else:
        messages.success(request, _("%s kept with the request (private).") % upload.name)
    return redirect(reverse("request-detail", args=[access_request.id]) + "#proofs")


def proof_download(request: HttpRequest, request_id: int, attachment_id: int) -> HttpResponse:
    """A proof, to its requester and reviewers only; never cached by a shared cache."""
    access_request = _editable(request, request_id)
    attachment = get_object_or_404(access_request.attachments, id=attachment_id)
    data = services.attachment_data(attachment)
    return _private_file(data, attachment.mime, attachment.filename)


def referral_file(request: HttpRequest, request_id: int) -> HttpResponse:
    """The CADA referral file as one PDF: letter, request, proofs (and the written
    refusal for reviewers). For a request of a series, the grouped referral."""
    access_request = _editable(request, request_id)
    implicit_since = services.implicitly_refused_on(access_request)
    in_series = services.in_cada_series(access_request)
    letters = services.letter_kinds(access_request, implicit_since, in_series)
    if not services.offers_referral_file(access_request, implicit_since, in_series, letters):
        raise Http404
    data = services.referral_file(access_request, user=request.user, series=in_series)
    return _private_file(data, "application/pdf", f"saisine-cada-{access_request.id}.pdf")


# The event form a refusal sends back to the page, in the session (not the address,
# which logs would keep with its note), for that page's next display only.
_REFUSED_EVENT = "refused_event"


def _refused_event(
    request: HttpRequest, access_request: AccessRequest, message: str
) -> HttpResponse:
    """The refusal said, the form's values kept for the page and the page opened at it."""
    messages.error(request, message)
    fields = ("kind", "date", "favourable", "note")
    request.session[_REFUSED_EVENT] = {
        "request": access_request.id,
        "data": {name: request.POST.get(name, "")[:2000] for name in fields},
    }
    return redirect(access_request.get_absolute_url() + "#add-event")


def _event_form(request: HttpRequest, access_request: AccessRequest, today: dt.date) -> EventForm:
    kept = request.session.pop(_REFUSED_EVENT, None)
    if isinstance(kept, dict) and kept.get("request") == access_request.id:
        return EventForm(initial=kept.get("data") or {}, auto_id="event_%s")
    return EventForm(initial={"date": today}, auto_id="event_%s")


@require_POST
def event_add(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = _editable(request, request_id)
    form = EventForm(request.POST)
    if not form.is_valid():
        return _refused_event(request, access_request, _form_errors(form))
    try:
        services.event_add(
            request=access_request,
            kind=form.cleaned_data["kind"],
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            favourable=form.cleaned_data["favourable"],
            user=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        return _refused_event(request, access_request, " ".join(error.messages))
    return redirect(access_request)


@require_POST
def event_delete(request: HttpRequest, request_id: int, event_id: int) -> HttpResponse:
    access_request = _editable(request, request_id)
    try:
        services.event_delete(request=access_request, event_id=event_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event was removed from the timeline."))
    return redirect(access_request.get_absolute_url() + "#timeline")


def _titled_documents(request: HttpRequest, documents: list[Document], editable: bool) -> set[int]:
    """Which of a request's `documents` the viewer sees by their title and link: those
    they may read; for those who edit the request, their own uploads too (their state,
    and why one could not be read). A file filed there may be one someone else sent the
    library first: its title is theirs, and the timeline is public, so a stranger whose
    own file it happens to be is not shown it either."""
    ids = {document.id for document in documents}
    readable = document_permissions.readable_documents(request.user)
    titled = set(readable.filter(id__in=ids).values_list("id", flat=True))
    if editable:
        viewer = getattr(request.user, "id", None)
        titled |= {d.id for d in documents if d.uploaded_by_id == viewer}
    return titled


@require_POST
def answer_upload(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = _editable(request, request_id)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(access_request)
    for upload in form.cleaned_data["files"]:
        try:
            services.answer_attach(
                request=access_request,
                data=upload.read(),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                user=request.user,  # type: ignore[arg-type]
            )
        except DocumentRejected as error:
            messages.error(request, error.translated())  # it names the file
        except ValidationError as error:
            text = " ".join(error.messages)
            messages.error(
                request, _("%(file)s: %(reason)s") % {"file": upload.name, "reason": text}
            )
        else:
            messages.success(
                request, _("%s added to the library, private until redacted.") % upload.name
            )
    return redirect(access_request)


def request_letter(request: HttpRequest, request_id: int, kind: str) -> HttpResponse:
    access_request = _editable(request, request_id)
    implicit_since = services.implicitly_refused_on(access_request)
    in_series = services.in_cada_series(access_request)
    kinds = dict(services.letter_kinds(access_request, implicit_since, in_series))
    if kind not in kinds and kind not in ("request_email", "request_post"):
        raise Http404
    subject, text = services.letter(access_request, kind)
    if (
        kind == "request_" + access_request.channel
        and access_request.sent_on
        and access_request.letter
    ):
        text = access_request.letter  # as it was sent, whatever the template became since
    return render(
        request,
        "access/letter.html",
        {
            "req": access_request,
            "subject": subject,
            "text": letter_for_screen(text),
            "kind": kind,
            # The blanks the letter leaves where the requester's name and address go
            # (a new user's walk found "[Prénom et nom]" and nothing saying where to
            # fill it in): said to the requester, who can fill them in, while the letter
            # is not yet sent (a sent one is shown as it went).
            "blanks": (
                ("[Prénom et nom]" in text or "[Adresse postale]" in text)
                and access_request.requester_id == request.user.pk
                and not (kind == "request_" + access_request.channel and access_request.sent_on)
            ),
        },
    )


# --- series of requests ---------------------------------------------------------------


def _series(request: HttpRequest, series_id: int, *, edit: bool = False) -> RequestSeries:
    """A series shows the requests of it the viewer may see; none, and it is not found."""
    series = get_object_or_404(RequestSeries, id=series_id)
    if not permissions.may_read_series(request.user, series):
        raise Http404
    if edit and not permissions.may_edit_series(request.user, series):
        raise PermissionDenied
    return series


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series(request, series_id)
    editable = permissions.may_edit_series(request.user, series)
    today = services.today()
    visible = set(
        permissions.readable_requests(request.user)
        .filter(series=series)
        .values_list("id", flat=True)
    )
    rows = services.with_dates(
        [r for r in services.series_requests(series) if r.id in visible], today
    )
    cada_series = services.is_cada_series(series)
    refused = [
        r
        for r in rows
        if editable and cada_series and services.awaits_referral(r, r.implicit_since)  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "access/series_detail.html",
        {
            "series": series,
            "rows": rows,
            "editable": editable,
            "cada_series": cada_series,
            "series_min": services.SERIES_MIN_REQUESTS,
            "drafts": sum(1 for r in rows if r.status == "draft"),
            "refused": refused,
            "send_form": SendForm(initial={"sent_on": today}, auto_id="send_%s"),
            "referral_form": SeriesReferralForm(
                requests=refused, initial={"date": today}, auto_id="refer_%s"
            ),
            "event_form": SeriesEventForm(initial={"date": today}, auto_id="series_%s"),
        },
    )


def series_moved(request: HttpRequest, series_id: int, rest: str = "") -> HttpResponse:
    """The former address of a series ("campagnes", a word kept for petitions). Who may
    not open the new address is refused at the old one alike (the letter is the series
    editors')."""
    _series(request, series_id, edit=bool(rest))
    target = reverse("series-detail", args=[series_id]) + rest
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(target + ("?" + query if query else ""))


@require_POST
def series_send(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series(request, series_id, edit=True)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(series)
    try:
        count = services.series_send(
            series=series,
            sent_on=form.cleaned_data["sent_on"],
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%d requests recorded as sent.") % count)
    return redirect(series)


@require_POST
def series_refer(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series(request, series_id, edit=True)
    form = SeriesReferralForm(request.POST, requests=list(series.requests.all()))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(series)
    try:
        events = services.series_refer(
            series=series,
            lead=form.cleaned_data["lead"],
            date=form.cleaned_data["date"],
            user=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Grouped referral recorded on %d refused requests.") % len(events)
        )
    return redirect(series)


@require_POST
def series_event(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series(request, series_id, edit=True)
    form = SeriesEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(series)
    try:
        events = services.series_event(
            series=series,
            user=request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded on %d requests of the series.") % len(events))
    return redirect(series)


def series_letter(request: HttpRequest, series_id: int) -> HttpResponse:
    """The grouped referral of the series, made on the chosen refused request."""
    series = _series(request, series_id, edit=True)
    refused = {r.id: r for r in services.series_refused(series)}
    lead = series.referral_lead
    chosen = request.GET.get("demande", "")
    if (number := whole_number(chosen)) in refused:
        lead = refused[number]
    if lead is None and refused:
        lead = next(iter(refused.values()))
    if lead is None or not services.is_cada_series(series):
        raise Http404
    subject, text = services.letter(lead, "cada_referral_series")
    return render(
        request,
        "access/letter.html",
        {
            "req": lead,
            "subject": subject,
            "text": letter_for_screen(text),
            "kind": "cada_referral_series",
        },
    )


def body_statistics(request: HttpRequest) -> HttpResponse:
    """A ranking of transparency: how bodies answer."""
    rows = services.transparency_ranking()
    return render(request, "access/body_statistics.html", {"rows": rows})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The requester's dates, and the private address of their Atom feed. Only the
    key's hash is stored, so the address is shown once, in the answer to the POST that
    makes it (which also revokes the previous one), and never again."""
    feed = None
    user = request.user
    if request.method == "POST":
        feed = reverse("request-feed", args=[services.feed_token_renew(user=user)])  # type: ignore[arg-type]
    response = render(
        request,
        "access/dashboard.html",
        {
            "items": [
                (r, d, services.deadline_name(d))
                for r, d in services.due_soon(user)  # type: ignore[arg-type]
            ],
            "requests": AccessRequest.objects.filter(requester_id=user.pk).select_related("body"),
            "feed": feed,
            "feed_made": FeedToken.objects.filter(user=user)  # type: ignore[misc]
            .values_list("created_at", flat=True)
            .first(),
        },
    )
    # The page with the key must not stay in a cache or in the browser's history store.
    response["Cache-Control"] = "no-store"
    return response


def deadline_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Upcoming deadlines of one user, for a feed reader (which cannot log in: the
    random key in the address is the credential; the log filter in settings masks it).
    Written in the language of the person's e-mails: a feed reader says nothing of it
    (the feed was French for everyone)."""
    user = services.feed_token_user(token)
    if user is None:
        raise Http404
    language = mail_language(user)
    with translation.override(language):
        feed = Atom1Feed(
            title=_("Contrechamp: your request deadlines"),
            link=request.build_absolute_uri(reverse("request-dashboard")),
            description="",
            language=language,
        )
        for access_request, deadline in services.due_soon(user, days=60):
            url = request.build_absolute_uri(access_request.get_absolute_url())
            feed.add_item(
                title=f"{deadline.date.isoformat()} — {services.deadline_name(deadline)} — "
                f"{access_request.title}",
                link=url,
                description=f"{access_request.body.name}. {services.deadline_action(deadline)}"
                + (f" ({services.deadline_basis(deadline)})" if deadline.basis else ""),
                unique_id=f"{url}#{deadline.key}-{deadline.date.isoformat()}",
                updateddate=dt.datetime.combine(access_request.updated_at.date(), dt.time()),
            )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    # Its address is the credential and its items name the person's requests: kept by
    # no shared cache on the way (a feed reader is signed in to nothing, so the
    # middleware's rule for signed-in pages does not cover it).
    response["Cache-Control"] = "private, no-store"
    return response


# It takes no parameter: one that looks like a filter (`?status=refused`) is refused
# rather than answered with every request (`lib.parameters`).
@takes_parameters()
def requests_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demandes.csv"'
    csv.writer(response).writerows(services.requests_csv_rows(request.build_absolute_uri))
    return response
