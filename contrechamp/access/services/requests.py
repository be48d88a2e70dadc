"""Writes of requests: drafting a request or a series of requests, sending, answers
received into the library, and what is recorded once for a whole series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from contrechamp.access.models import AccessRequest, Event, PublicBody, RequestSeries
from contrechamp.access.permissions import may_edit_request, readable_requests
from contrechamp.access.services.bodies import (
    Place,
    bodies_for_communes,
    bodies_forget_unused,
    body_for_place,
)
from contrechamp.access.services.letters import letter
from contrechamp.access.services.series import (
    SERIES_MAX_REQUESTS,
    SERIES_MIN_REQUESTS,
    is_cada_series,
    series_refused,
    series_requests,
)
from contrechamp.access.services.timeline import (
    event_add,
    event_check,
    implicit_refusal_sync,
    today,
)
from contrechamp.documents import extract
from contrechamp.documents.services import document_ingest
from contrechamp.places.models import Commune, Department, Epci

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

    from contrechamp.documents.models import Document
    from contrechamp.registry.models import Deployment


class RequestFields(TypedDict, total=False):
    """What the requests of a series share, besides their subject and requester."""

    documents_asked: str
    channel: str
    show_requester: bool
    deployments: Iterable[Deployment]


def request_create(
    *,
    body: PublicBody,
    requester: User,
    title: str,
    documents_asked: str,
    channel: str = "email",
    show_requester: bool = False,
    places: Iterable[Commune] = (),
    deployments: Iterable[Deployment] = (),
    series: RequestSeries | None = None,
) -> AccessRequest:
    if not title.strip():
        raise ValidationError(_("Give the request a subject."))
    if not any(line.strip() for line in documents_asked.splitlines()):
        raise ValidationError(_("List at least one document to ask for."))
    if channel not in dict(AccessRequest.CHANNELS):
        raise ValidationError(_("Choose e-mail or registered post."))
    with transaction.atomic():
        request = AccessRequest.objects.create(
            body=body,
            requester=requester,
            title=title.strip()[:300],
            documents_asked=documents_asked.strip(),
            channel=channel,
            show_requester=show_requester,
            series=series,
        )
        places = list(places)
        if body.commune_id and body.commune_id not in {p.id for p in places}:
            places.append(body.commune)  # type: ignore[arg-type]
        if places:
            request.places.add(*places)
        deployments = list(deployments)
        if deployments:
            request.deployments.add(*deployments)
        request.letter = letter(request, "request_" + channel, events=[])[1]
        request.save(update_fields=["letter"])
    return request


def series_create(
    *, bodies: list[PublicBody], requester: User, title: str, **fields: Unpack[RequestFields]
) -> RequestSeries:
    """The same request to many bodies (e.g. every commune of a department)."""
    if not bodies:
        raise ValidationError(_("Choose at least one body."))
    if len(bodies) > SERIES_MAX_REQUESTS:
        raise ValidationError(
            _("A series goes to at most %(max)d bodies; this one has %(n)d: split it.")
            % {"max": SERIES_MAX_REQUESTS, "n": len(bodies)}
        )
    with transaction.atomic():
        series = RequestSeries.objects.create(title=title.strip()[:300], created_by=requester)
        for body in bodies:
            request_create(body=body, requester=requester, title=title, series=series, **fields)
    return series


def requests_draft(
    *,
    requester: User,
    title: str,
    communes: Iterable[Commune] = (),
    places: Iterable[tuple[str, Place]] = (),
    new_body: dict[str, str] | None = None,
    **fields: Unpack[RequestFields],
) -> AccessRequest | RequestSeries:
    """Draft a request to one body, or a series to several: the town halls of
    `communes`, the bodies of `places` (from `body_reference`), a body added by hand.
    Nothing is kept when the drafting fails."""
    with transaction.atomic():
        bodies = bodies_for_communes(list(communes))
        bodies += [body_for_place(kind, found) for kind, found in places]
        if new_body:
            if not new_body.get("name", "").strip():
                raise ValidationError(_("Give the new body a name."))
            bodies.append(PublicBody.objects.create(**new_body))
        bodies = list({body.id: body for body in bodies}.values())
        if not bodies:
            raise ValidationError(_("Choose the body the request goes to."))
        if len(bodies) == 1:
            return request_create(body=bodies[0], requester=requester, title=title, **fields)
        return series_create(bodies=bodies, requester=requester, title=title, **fields)


def request_delete(*, request: AccessRequest) -> None:
    """Delete a draft (never a request sent: its timeline is the record of what was
    asked); a series left without requests goes with it, and so does a body added by
    hand that no other request goes to."""
    if request.status != "draft" or request.sent_on is not None:
        raise ValidationError(_("Only a draft can be deleted."))
    with transaction.atomic():
        series, body = request.series, request.body
        request.delete()
        if series is not None and not series.requests.exists():
            series.delete()
        bodies_forget_unused([body])


def request_send(
    *,
    request: AccessRequest,
    sent_on: dt.date,
    received_on: dt.date | None = None,
    channel: str = "",
) -> AccessRequest:
    """Record the request as sent (and received, when the proof is known). A draft only:
    a stale tab's form, a second click or a co-author's form sent once the request was
    sent moved its sending, wiped its receipt and every legal date with them (a hostile
    review); the row is locked, so of two sendings at once the second is refused."""
    with transaction.atomic():
        current = AccessRequest.objects.select_for_update().filter(id=request.id).first()
        if current is None or current.sent_on is not None or current.status != "draft":
            raise ValidationError(
                _(
                    "This request is recorded as sent already: its sending is part of its "
                    "history. Record what came since (a receipt, an answer) as an event."
                )
            )
        return _send(request, sent_on, received_on, channel)


def _send(
    request: AccessRequest, sent_on: dt.date, received_on: dt.date | None, channel: str
) -> AccessRequest:
    if sent_on > today():
        raise ValidationError(_("The date of sending cannot be in the future."))
    if received_on is not None and received_on < sent_on:
        raise ValidationError(_("The date of receipt cannot come before the date of sending."))
    if channel:
        request.channel = channel
    request.sent_on, request.received_on = sent_on, received_on
    if request.status == "draft":
        request.status = "sent"
    request.letter = letter(request, "request_" + request.channel)[1]
    request.save()
    implicit_refusal_sync(request)
    return request


# The list of requests filtered to a place, as the place pages link to it: the
# parameter, the kind of place and the field its value names.
PLACE_PARAMETERS: tuple[tuple[str, type[Commune | Epci | Department], str], ...] = (
    ("commune", Commune, "code"),
    ("epci", Epci, "siren"),
    ("departement", Department, "code"),
)


def place_parameter(place: Commune | Epci | Department) -> dict[str, str]:
    """The list's parameter for `place` (`{"departement": "06"}`)."""
    name, _model, field = next(row for row in PLACE_PARAMETERS if isinstance(place, row[1]))
    return {name: getattr(place, field)}


def place_in_parameters(
    query: Mapping[str, str],
) -> tuple[str, str, Commune | Epci | Department] | None:
    """The place a list's parameters name: its parameter, its value and the place; None
    for none or for a value that names nothing."""
    for name, model, field in PLACE_PARAMETERS:
        code = query.get(name, "").strip()[:12]
        if code:
            place = model.objects.filter(**{field: code.upper()}).first()  # type: ignore[attr-defined]
            return (name, code, place) if place is not None else None
    return None


def requests_about_place(
    requests: QuerySet[AccessRequest], place: Commune | Epci | Department
) -> QuerySet[AccessRequest]:
    """The requests about a place: a commune's, those about it; an intercommunality's or
    a department's, those about one of their communes or sent to their own body."""
    if isinstance(place, Epci):
        found = requests.filter(Q(places__epci=place) | Q(body__epci=place))
    elif isinstance(place, Department):
        found = requests.filter(Q(places__department=place) | Q(body__department=place))
    else:
        found = requests.filter(places=place)
    return found.distinct()


def requests_of_document(
    user: AbstractBaseUser | AnonymousUser, document: Document
) -> list[tuple[str, str, str]]:
    """The requests that `document` answers (filed in their timeline or among their
    documents received), for the document's page (`documents.belonging`): to those who
    keep the request, and to everyone once the document is published. Not to another
    person who sent the library the same file (it keeps a file once): that the request's
    unpublished answer is their file is not theirs to learn."""
    found = (
        readable_requests(user)
        .filter(Q(documents=document) | Q(events__document=document))
        .distinct()
        .select_related("body")
        .order_by("-sent_on", "-id")
    )
    # (Filtered, then counted: a cut before the filter hid one's own request behind
    # twenty of another person's. Each row names its body: a series' requests share
    # their title.)
    return [
        (_("Request"), f"{r.title} — {r.body.name}", r.get_absolute_url())
        for r in found
        if document.is_public or may_edit_request(user, r)
    ][:50]


def answer_attach(
    *, request: AccessRequest, data: bytes, filename: str, kind: str, date: dt.date, user: User
) -> Event:
    """A file received in answer: into the library (private until redacted and
    published), linked to the request and its places, and to the timeline."""
    if kind not in ("reply", "partial", "refusal", "acknowledgement", "decision", "cada_opinion"):
        raise ValidationError(_("A file answers a request as a reply, a refusal or an opinion."))
    # The event first: a file whose event the timeline refuses is not kept either.
    event_check(request, kind, date)
    try:
        # What the type alone says cannot be read is refused now, with nothing kept and
        # no event: the rest (a damaged page) shows on the request's page once processed.
        extract.sniff(data)
    except extract.DocumentError as error:
        raise ValidationError(
            f"{error.translated()} "
            + _("If it cannot be converted, record the answer in the timeline instead.")
        ) from error
    ingested = document_ingest(
        data=data,
        filename=filename,
        origin="access_request",
        places=list(request.places.all()),
        uploaded_by=user,
    )
    if request.events.filter(document=ingested.document).exists():
        # The same file filed again: one event is enough.
        raise ValidationError(_("This file is already filed with this request."))
    request.documents.add(ingested.document)
    return event_add(request=request, kind=kind, date=date, document=ingested.document, user=user)


def series_send(
    *,
    series: RequestSeries,
    sent_on: dt.date,
    channel: str = "",
    received_on: dt.date | None = None,
) -> int:
    """Record every draft of the series as sent the same day. Returns how many."""
    drafts = [r for r in series_requests(series) if r.status == "draft"]
    with transaction.atomic():
        for request in drafts:
            request_send(request=request, sent_on=sent_on, received_on=received_on, channel=channel)
    return len(drafts)


def series_refer(
    *, series: RequestSeries, lead: AccessRequest | None, date: dt.date, user: User | None
) -> list[Event]:
    """The grouped referral of a series: one refusal (`lead`) referred to the CADA on
    behalf of every refused request of the series, each of which gets the referral in
    its timeline. Once made, refusals that came since join it (`lead` unused)."""
    if not is_cada_series(series):
        raise ValidationError(
            _(
                "Fewer than %d requests of this series were sent: it is not a series in "
                "the CADA's sense, each refusal is referred to the CADA on its own."
            )
            % SERIES_MIN_REQUESTS
        )
    refused = series_refused(series, on=date)
    if series.referred_on and not refused:
        raise ValidationError(_("No refused request of the series is left to refer."))
    if not series.referred_on and (lead is None or lead.id not in {r.id for r in refused}):
        raise ValidationError(_("The referral is made on a refused request of the series."))
    with transaction.atomic():
        events = [
            event_add(request=request, kind="cada_referral", date=date, user=user, series=True)
            for request in refused
        ]
        if not series.referred_on:
            series.referral_lead, series.referred_on = lead, date
            series.save(update_fields=["referral_lead", "referred_on"])
    return events


def series_event(
    *,
    series: RequestSeries,
    kind: str,
    date: dt.date,
    favourable: bool | None = None,
    note: str = "",
    user: User | None = None,
) -> list[Event]:
    """What the CADA does once for the whole series (registers the referral, gives its
    one opinion), recorded on every request it was referred for."""
    if kind not in ("cada_ack", "cada_opinion"):
        raise ValidationError(_("Only the CADA's registration and opinion concern a series."))
    if not series.referred_on:
        raise ValidationError(_("Record the grouped referral first."))
    referred = set(
        Event.objects.filter(request__series=series, kind="cada_referral", series=True).values_list(
            "request_id", flat=True
        )
    )
    with transaction.atomic():
        return [
            event_add(
                request=request,
                kind=kind,
                date=date,
                favourable=favourable,
                note=note,
                user=user,
                series=True,
            )
            for request in series_requests(series)
            if request.id in referred
        ]
