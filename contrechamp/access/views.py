"""Requests: public list, page and statistics; the requester's drafting, sending,
timeline, answers and letters; their deadlines as a dashboard and an Atom feed."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contrechamp.access import services
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
from contrechamp.access.models import Campaign, FeedToken, PublicBody, Request
from contrechamp.accounts.models import has_role
from contrechamp.documents import permissions as document_permissions
from contrechamp.documents.services import DocumentRejected
from contrechamp.lib.spreadsheet import safe_row


def can_edit(user: Any, request: Request) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return request.requester_id == user.id or has_role(user, "reviewer")


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _visible(user: Any) -> Any:
    """Sent requests for everyone; drafts for their author."""
    requests = services.with_timeline(Request.objects.all())
    if getattr(user, "is_authenticated", False):
        return requests.filter(~Q(status="draft") | Q(requester=user))
    return requests.exclude(status="draft")


def _request(http: HttpRequest, request_id: int) -> Request:
    found = _visible(http.user).filter(id=request_id).first()
    if found is None:
        raise Http404
    return found


def _editable(http: HttpRequest, request_id: int) -> Request:
    found = _request(http, request_id)
    if not can_edit(http.user, found):
        raise PermissionDenied
    return found


def _with_dates(requests: Any, on: dt.date) -> list[Request]:
    """The requests, each with its next legal date and, if refused by silence, since when
    (`next`, `implicit_since`), for lists."""
    rows = list(requests)
    for item in rows:
        derived = services.calendar(item)
        item.next = derived.next_after(on)  # type: ignore[attr-defined]
        item.implicit_since = services.implicitly_refused_on(  # type: ignore[attr-defined]
            item, derived, on
        )
    return rows


def request_list(http: HttpRequest) -> HttpResponse:
    requests = _visible(http.user)
    status = http.GET.get("statut", "")
    if status in dict(Request.STATUSES):
        requests = requests.filter(status=status)
    page = Paginator(requests, 50).get_page(http.GET.get("p"))
    page.object_list = _with_dates(page.object_list, services.today())
    return render(
        http,
        "access/request_list.html",
        {
            "page": page,
            "statuses": Request.STATUSES,
            "status": status,
            "can_create": has_role(http.user, "contributor"),
        },
    )


def request_detail(http: HttpRequest, request_id: int) -> HttpResponse:
    request = _request(http, request_id)
    editable = can_edit(http.user, request)
    today = services.today()
    calendar = services.calendar(request)
    upcoming = calendar.next_after(today)
    implicit_since = services.implicitly_refused_on(request, calendar, today)
    readable = document_permissions.readable_documents(http.user)
    events = list(request.events.select_related("document"))
    readable_ids = set(
        readable.filter(id__in=[e.document_id for e in events if e.document_id]).values_list(
            "id", flat=True
        )
    )
    for event in events:
        event.readable = event.document_id in readable_ids  # type: ignore[attr-defined]
    requester = request.requester
    in_series = _in_series(request)
    letters = _letter_kinds(request, implicit_since, in_series, events) if editable else []
    return render(
        http,
        "access/request_detail.html",
        {
            "req": request,
            "events": events,
            "deadlines": [
                (d, services.deadline_name(d), services.deadline_action(d), d is upcoming)
                for d in calendar.deadlines
            ],
            "deadline_notes": [(n, services.deadline_note(n)) for n in calendar.notes],
            "editable": editable,
            "requester_name": (requester.get_full_name() or requester.get_username())
            if request.show_requester or editable
            else "",
            "documents": readable.filter(access_requests=request),
            "deployments": request.deployments.published(),  # type: ignore[attr-defined]
            # Three forms on one page: ids of their own, field names unchanged.
            "send_form": RequestSendForm(
                initial={"channel": request.channel, "sent_on": today}, auto_id="send_%s"
            ),
            "proof_form": ProofForm(auto_id="proof_%s"),
            "attachments": list(request.attachments.all()) if editable else [],
            "event_form": EventForm(initial={"date": today}, auto_id="event_%s"),
            "answer_form": AnswerForm(
                initial={"date": today, "kind": "reply"}, auto_id="answer_%s"
            ),
            "letters": letters,
            "in_series": in_series,
            "referral_file": editable
            and _offers_referral_file(request, implicit_since, in_series, letters),
            "implicit_since": implicit_since,
            "today": today,
        },
    )


def _in_series(request: Request) -> bool:
    return request.campaign is not None and services.is_series(request.campaign)


def _letter_kinds(
    request: Request,
    implicit_since: dt.date | None,
    in_series: bool,
    events: list[Any] | None = None,
) -> list[tuple[str, str]]:
    """The letters the request's state calls for (`events`: its timeline, when read)."""
    if events is None:
        events = list(request.events.all())
    kinds = [("request_" + request.channel, _("The request"))]
    if request.sent_on and request.status == "sent":
        kinds.append(("reminder", _("Reminder")))
    if (request.status in ("refused", "partial", "cada") or implicit_since) and not in_series:
        kinds.append(("cada_referral", _("Referral to the CADA")))
    if any(e.kind == "cada_referral" and e.series for e in events):
        kinds.append(("series_notice", _("Notice of the grouped referral")))
    if any(e.kind == "cada_opinion" and e.favourable for e in events):
        kinds.append(("after_opinion", _("Letter after the favourable opinion")))
    return kinds


def _offers_referral_file(
    request: Request,
    implicit_since: dt.date | None,
    in_series: bool,
    letters: list[tuple[str, str]],
) -> bool:
    """The CADA file is made where a referral is: for a request of a series, on one of
    its refusals still to refer or on the one the grouped referral was made on."""
    if not in_series:
        return "cada_referral" in dict(letters)
    lead = request.campaign.referral_lead_id  # type: ignore[union-attr]
    return services.awaits_referral(request, implicit_since) or lead == request.id


def _private_file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file for its requester and reviewers only: downloaded, never kept by a cache."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def request_create(http: HttpRequest) -> HttpResponse:
    if not has_role(http.user, "contributor"):
        raise PermissionDenied
    form = RequestForm(http.POST or None, initial=request_initial(http.GET))
    if http.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_body = None
        if data.get("new_body", "").strip():
            new_body = {
                "name": data["new_body"].strip(),
                "kind": data["new_body_kind"] or "other",
                "email": data.get("new_body_email", ""),
            }
        try:
            drafted = services.requests_draft(
                requester=http.user,
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
            if isinstance(drafted, Request):
                return redirect(drafted)
            messages.success(
                http, _("%d requests drafted, one per body.") % drafted.requests.count()
            )
            return redirect(drafted)
    return render(
        http, "access/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
def request_send(http: HttpRequest, request_id: int) -> HttpResponse:
    request = _editable(http, request_id)
    form = RequestSendForm(http.POST, http.FILES)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(request)
    proof = form.cleaned_data.get("proof")
    try:
        with transaction.atomic():
            services.request_send(
                request=request,
                sent_on=form.cleaned_data["sent_on"],
                received_on=form.cleaned_data["received_on"],
                channel=form.cleaned_data["channel"],
            )
            if proof:
                services.attachment_add(
                    request=request, data=proof.read(), filename=proof.name, user=http.user
                )
    except ValidationError as error:
        messages.error(http, " ".join(error.messages))
    return redirect(request)


@require_POST
def proof_upload(http: HttpRequest, request_id: int) -> HttpResponse:
    request = _editable(http, request_id)
    form = ProofForm(http.POST, http.FILES)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(request)
    upload = form.cleaned_data["file"]
    try:
        services.attachment_add(
            request=request,
            data=upload.read(),
            filename=upload.name,
            kind=form.cleaned_data["kind"],
            user=http.user,
        )
    except ValidationError as error:
        messages.error(http, f"{upload.name}: {' '.join(error.messages)}")
    else:
        messages.success(http, _("%s kept with the request (private).") % upload.name)
    return redirect(reverse("request-detail", args=[request.id]) + "#proofs")


def proof_download(http: HttpRequest, request_id: int, attachment_id: int) -> HttpResponse:
    """A proof, to its requester and reviewers only; never cached by a shared cache."""
    request = _editable(http, request_id)
    attachment = get_object_or_404(request.attachments, id=attachment_id)
    data = services.attachment_data(attachment)
    return _private_file(data, attachment.mime, attachment.filename)


def referral_file(http: HttpRequest, request_id: int) -> HttpResponse:
    """The CADA referral file as one PDF: letter, request, proofs (and the written
    refusal for reviewers). For a request of a series, the grouped referral."""
    request = _editable(http, request_id)
    implicit_since = services.implicitly_refused_on(request)
    series = _in_series(request)
    letters = _letter_kinds(request, implicit_since, series)
    if not _offers_referral_file(request, implicit_since, series, letters):
        raise Http404
    data = services.referral_file(request, user=http.user, series=series)
    return _private_file(data, "application/pdf", f"saisine-cada-{request.id}.pdf")


@require_POST
def event_add(http: HttpRequest, request_id: int) -> HttpResponse:
    request = _editable(http, request_id)
    form = EventForm(http.POST)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(request)
    try:
        services.event_add(
            request=request,
            kind=form.cleaned_data["kind"],
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            favourable=form.cleaned_data["favourable"],
            user=http.user,
        )
    except ValidationError as error:
        messages.error(http, " ".join(error.messages))
    return redirect(request)


@require_POST
def answer_upload(http: HttpRequest, request_id: int) -> HttpResponse:
    request = _editable(http, request_id)
    form = AnswerForm(http.POST, http.FILES)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(request)
    for upload in form.cleaned_data["files"]:
        try:
            services.answer_attach(
                request=request,
                data=upload.read(),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                user=http.user,
            )
        except (DocumentRejected, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(http, f"{upload.name}: {text}")
        else:
            messages.success(
                http, _("%s added to the library, private until redacted.") % upload.name
            )
    return redirect(request)


def request_letter(http: HttpRequest, request_id: int, kind: str) -> HttpResponse:
    request = _editable(http, request_id)
    implicit_since = services.implicitly_refused_on(request)
    kinds = dict(_letter_kinds(request, implicit_since, _in_series(request)))
    if kind not in kinds and kind not in ("request_email", "request_post"):
        raise Http404
    subject, text = services.letter(request, kind)
    if kind == "request_" + request.channel and request.sent_on and request.letter:
        text = request.letter  # as it was sent, whatever the template became since
    return render(
        http,
        "access/letter.html",
        {"req": request, "subject": subject, "text": text, "kind": kind},
    )


# --- campaigns ------------------------------------------------------------------------


def _campaign(http: HttpRequest, campaign_id: int, *, edit: bool = False) -> Campaign:
    """A campaign shows the requests of it the viewer may see; none, and it is not found."""
    campaign = get_object_or_404(Campaign, id=campaign_id)
    if not _visible(http.user).filter(campaign=campaign).exists():
        raise Http404
    if edit and not _can_edit_campaign(http.user, campaign):
        raise PermissionDenied
    return campaign


def _can_edit_campaign(user: Any, campaign: Campaign) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return campaign.created_by_id == user.id or has_role(user, "reviewer")


def campaign_detail(http: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(http, campaign_id)
    editable = _can_edit_campaign(http.user, campaign)
    today = services.today()
    visible = set(_visible(http.user).filter(campaign=campaign).values_list("id", flat=True))
    rows = _with_dates([r for r in services.campaign_requests(campaign) if r.id in visible], today)
    series = services.is_series(campaign)
    refused = [
        r
        for r in rows
        if editable and series and services.awaits_referral(r, r.implicit_since)  # type: ignore[attr-defined]
    ]
    return render(
        http,
        "access/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "editable": editable,
            "series": series,
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


@require_POST
def campaign_send(http: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(http, campaign_id, edit=True)
    form = SendForm(http.POST)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(campaign)
    try:
        count = services.campaign_send(
            campaign=campaign,
            sent_on=form.cleaned_data["sent_on"],
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
        )
    except ValidationError as error:
        messages.error(http, " ".join(error.messages))
    else:
        messages.success(http, _("%d requests recorded as sent.") % count)
    return redirect(campaign)


@require_POST
def campaign_refer(http: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(http, campaign_id, edit=True)
    form = SeriesReferralForm(http.POST, requests=list(campaign.requests.all()))
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(campaign)
    try:
        events = services.campaign_refer(
            campaign=campaign,
            lead=form.cleaned_data["lead"],
            date=form.cleaned_data["date"],
            user=http.user,
        )
    except ValidationError as error:
        messages.error(http, " ".join(error.messages))
    else:
        messages.success(http, _("Grouped referral recorded on %d refused requests.") % len(events))
    return redirect(campaign)


@require_POST
def campaign_event(http: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(http, campaign_id, edit=True)
    form = SeriesEventForm(http.POST)
    if not form.is_valid():
        messages.error(http, _form_errors(form))
        return redirect(campaign)
    try:
        events = services.campaign_event(campaign=campaign, user=http.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(http, " ".join(error.messages))
    else:
        messages.success(http, _("Recorded on %d requests of the series.") % len(events))
    return redirect(campaign)


def campaign_letter(http: HttpRequest, campaign_id: int) -> HttpResponse:
    """The grouped referral of the series, made on the chosen refused request."""
    campaign = _campaign(http, campaign_id, edit=True)
    refused = {r.id: r for r in services.series_refused(campaign)}
    lead = campaign.referral_lead
    chosen = http.GET.get("demande", "")
    if chosen.isdigit() and int(chosen) in refused:
        lead = refused[int(chosen)]
    if lead is None and refused:
        lead = next(iter(refused.values()))
    if lead is None or not services.is_series(campaign):
        raise Http404
    subject, text = services.letter(lead, "cada_referral_series")
    return render(
        http,
        "access/letter.html",
        {"req": lead, "subject": subject, "text": text, "kind": "cada_referral_series"},
    )


def body_statistics(http: HttpRequest) -> HttpResponse:
    """A ranking of transparency: how bodies answer."""
    sent = ~Q(requests__status="draft")
    # Refused: at any point (explicitly, by silence, or in part), whatever came after.
    refused = Q(requests__events__kind__in=["refusal", "implicit_refusal", "partial"])
    bodies = PublicBody.objects.annotate(
        total=Count("requests", filter=sent, distinct=True),
        answered=Count(
            "requests", filter=Q(requests__status__in=["answered", "closed"]), distinct=True
        ),
        refused=Count("requests", filter=refused, distinct=True),
        cada=Count("requests", filter=Q(requests__events__kind="cada_referral"), distinct=True),
    ).filter(total__gt=0)
    # On time is computed from the timeline: every sent request read once, not per body.
    on_time: dict[int, int] = {}
    for sent_request in services.with_timeline(Request.objects.exclude(status="draft")):
        if services.answered_on_time(sent_request):
            on_time[sent_request.body_id] = on_time.get(sent_request.body_id, 0) + 1
    rows = []
    for body in bodies:
        count = on_time.get(body.id, 0)
        rows.append({"body": body, "on_time": count, "rate": count / body.total})
    rows.sort(key=lambda row: (-row["rate"], -row["body"].total, row["body"].name))
    return render(http, "access/body_statistics.html", {"rows": rows})


@login_required
def dashboard(http: HttpRequest) -> HttpResponse:
    """The requester's dates, and the private address of their Atom feed. Only the
    key's hash is stored, so the address is shown once, in the answer to the POST that
    makes it (which also revokes the previous one), and never again."""
    feed = None
    if http.method == "POST":
        feed = reverse("request-feed", args=[services.feed_token_renew(user=http.user)])
    response = render(
        http,
        "access/dashboard.html",
        {
            "items": [(r, d, services.deadline_name(d)) for r, d in services.due_soon(http.user)],
            "requests": Request.objects.filter(requester_id=http.user.id).select_related("body"),
            "feed": feed,
            "feed_made": FeedToken.objects.filter(user=http.user)  # type: ignore[misc]
            .values_list("created_at", flat=True)
            .first(),
        },
    )
    # The page with the key must not stay in a cache or in the browser's history store.
    response["Cache-Control"] = "no-store"
    return response


def deadline_feed(http: HttpRequest, token: str) -> HttpResponse:
    """Upcoming deadlines of one user, for a feed reader (which cannot log in: the
    random key in the address is the credential; the log filter in settings masks it)."""
    user = services.feed_token_user(token)
    if user is None:
        raise Http404
    feed = Atom1Feed(
        title=_("Contrechamp: your request deadlines"),
        link=http.build_absolute_uri(reverse("request-dashboard")),
        description="",
        language="fr",
    )
    for request, deadline in services.due_soon(user, days=60):
        url = http.build_absolute_uri(request.get_absolute_url())
        feed.add_item(
            title=f"{deadline.date.isoformat()} — {services.deadline_name(deadline)} — "
            f"{request.title}",
            link=url,
            description=f"{request.body.name}. {services.deadline_action(deadline)} "
            f"({deadline.basis})",
            unique_id=f"{url}#{deadline.key}-{deadline.date.isoformat()}",
            updateddate=dt.datetime.combine(request.updated_at.date(), dt.time()),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def requests_csv(http: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demandes.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "subject",
            "body",
            "body_kind",
            "status",
            "channel",
            "sent_on",
            "received_on",
            "next_deadline",
            "next_deadline_date",
            "campaign",
            "url",
        ]
    )
    for request in services.with_timeline(Request.objects.exclude(status="draft")):
        upcoming = services.next_deadline(request)
        writer.writerow(
            safe_row(
                [
                    request.id,
                    request.title,
                    request.body.name,
                    request.body.kind,
                    request.status,
                    request.channel,
                    request.sent_on or "",
                    request.received_on or "",
                    upcoming.key if upcoming else "",
                    upcoming.date if upcoming else "",
                    request.campaign_id or "",
                    http.build_absolute_uri(request.get_absolute_url()),
                ]
            )
        )
    return response
