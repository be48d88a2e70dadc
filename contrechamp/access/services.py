"""Writes of access-to-documents requests: bodies, requests and campaigns, sending,
events, answers into the library, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.access import letters
from contrechamp.access.deadlines import (
    Calendar,
    Deadline,
    Facts,
    add_months,
    compute,
    subdivision_of,
)
from contrechamp.access.models import Campaign, Event, PublicBody, ReminderLog, Request
from contrechamp.places.models import Commune

# The event that sets a request's status, latest first wins.
_STATUS_OF_EVENT = {
    "reply": "answered",
    "partial": "partial",
    "refusal": "refused",
    "implicit_refusal": "refused",
    "cada_referral": "cada",
    "cada_ack": "cada",
    "cada_opinion": "cada",
    "decision": "cada",
    "court": "court",
    "judgment": "closed",
    "withdrawal": "withdrawn",
}


DEADLINE_NAMES = {
    "received": gettext_lazy("Estimated receipt of the request"),
    "reminder": gettext_lazy("Reminder to the administration"),
    "implicit_refusal": gettext_lazy("Implicit refusal"),
    "cada_referral_limit": gettext_lazy("Last day to refer to the CADA"),
    "cada_opinion_due": gettext_lazy("CADA opinion due"),
    "refusal_confirmed": gettext_lazy("Refusal confirmed by silence"),
    "decision_after_opinion": gettext_lazy("Administration's decision after the opinion"),
    "court_limit": gettext_lazy("Last day to apply to the tribunal administratif"),
}


DEADLINE_ACTIONS = {
    "received": gettext_lazy(
        "Record the date of receipt when the acknowledgement or the postal proof arrives: "
        "every date below depends on it."
    ),
    "reminder": gettext_lazy("Send a reminder: one week before silence becomes a refusal."),
    "implicit_refusal": gettext_lazy(
        "Without an answer, the request is refused: it can be referred to the CADA from this date."
    ),
    "cada_referral_limit": gettext_lazy(
        "Refer the refusal to the CADA before this date; the referral is required before "
        "any court application."
    ),
    "cada_opinion_due": gettext_lazy(
        "The CADA should have given its opinion; it often takes longer, which does not "
        "change the dates below."
    ),
    "refusal_confirmed": gettext_lazy(
        "Without a new decision, the refusal is final: the tribunal administratif can be seized."
    ),
    "decision_after_opinion": gettext_lazy(
        "The administration tells the CADA what it decides; after a favourable opinion, "
        "send the letter asking for the documents again."
    ),
    "court_limit": gettext_lazy("Apply to the tribunal administratif before the end of this day."),
}


def deadline_name(deadline: Deadline) -> str:
    return str(DEADLINE_NAMES.get(deadline.key, deadline.name))


def deadline_action(deadline: Deadline) -> str:
    return str(DEADLINE_ACTIONS.get(deadline.key, deadline.action))


def today() -> dt.date:
    return timezone.localdate()


def body_for_commune(commune: Commune) -> PublicBody:
    """The commune's own body (its town hall), made the first time it is asked for."""
    try:
        with transaction.atomic():
            body, _created = PublicBody.objects.get_or_create(
                kind="commune", commune=commune, defaults={"name": f"Mairie de {commune.name}"}
            )
    except IntegrityError:
        body = PublicBody.objects.get(kind="commune", commune=commune)
    return body


def request_create(
    *,
    body: PublicBody,
    requester: Any,
    title: str,
    documents_asked: str,
    channel: str = "email",
    show_requester: bool = False,
    places: Iterable[Commune] = (),
    deployments: Iterable[Any] = (),
    campaign: Campaign | None = None,
) -> Request:
    if not title.strip():
        raise ValidationError(_("Give the request a subject."))
    if not any(line.strip() for line in documents_asked.splitlines()):
        raise ValidationError(_("List at least one document to ask for."))
    if channel not in dict(Request.CHANNELS):
        raise ValidationError(_("Choose e-mail or registered post."))
    with transaction.atomic():
        request = Request.objects.create(
            body=body,
            requester=requester,
            title=title.strip()[:300],
            documents_asked=documents_asked.strip(),
            channel=channel,
            show_requester=show_requester,
            campaign=campaign,
        )
        places = list(places)
        if body.commune_id and body.commune not in places:
            places.append(body.commune)  # type: ignore[arg-type]
        request.places.set(places)
        request.deployments.set(list(deployments))
        request.letter = letter(request, "request_" + channel)[1]
        request.save(update_fields=["letter"])
    return request


def campaign_create(
    *, bodies: list[PublicBody], requester: Any, title: str, **fields: Any
) -> Campaign:
    """The same request to many bodies (e.g. every commune of a department)."""
    if not bodies:
        raise ValidationError(_("Choose at least one body."))
    with transaction.atomic():
        campaign = Campaign.objects.create(title=title.strip()[:300], created_by=requester)
        for body in bodies:
            request_create(body=body, requester=requester, title=title, campaign=campaign, **fields)
    return campaign


def request_send(
    *, request: Request, sent_on: dt.date, received_on: dt.date | None = None, channel: str = ""
) -> Request:
    """Record the request as sent (and received, when the proof is known)."""
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


def event_add(
    *,
    request: Request,
    kind: str,
    date: dt.date,
    note: str = "",
    favourable: bool | None = None,
    document: Any = None,
    user: Any = None,
) -> Event:
    if kind not in dict(Event.KINDS):
        raise ValidationError(_("Unknown event."))
    if request.sent_on is None:
        raise ValidationError(_("Record the request as sent first."))
    if date < request.sent_on:
        raise ValidationError(_("An event cannot come before the request was sent."))
    if date > today():
        raise ValidationError(_("An event cannot be in the future."))
    with transaction.atomic():
        event = Event.objects.create(
            request=request,
            kind=kind,
            date=date,
            note=note.strip(),
            favourable=favourable,
            document=document,
            created_by=user,
        )
        if kind == "acknowledgement" and request.received_on is None:
            request.received_on = date
        request.status = status_of(request)
        request.save()
        implicit_refusal_sync(request)
    return event


# An answer or a refusal on or before the implicit refusal's date means there was no
# silence; a withdrawal ends the request.
_ENDS_SILENCE = ("reply", "partial", "refusal", "withdrawal")


def implicit_refusal_sync(request: Request, on: dt.date | None = None) -> Event | None:
    """Record the implicit refusal once its date has come (one month of silence after
    receipt, R311-12 and R311-13 CRPA), as an automatic event of the timeline, so that
    statuses and statistics count it; keep it in step when the facts change (a receipt
    or an answer recorded late moves or removes it). Returns the recorded event."""
    on = on or today()
    events = list(request.events.all())
    recorded = [e for e in events if e.automatic and e.kind == "implicit_refusal"]
    due = None
    manual = any(e.kind == "implicit_refusal" and not e.automatic for e in events)
    if request.sent_on and not manual:
        implicit = compute(facts(request, events)).get("implicit_refusal")
        if implicit and implicit.date <= on:
            silent = not any(e.kind in _ENDS_SILENCE and e.date <= implicit.date for e in events)
            due = implicit.date if silent else None
    with transaction.atomic():
        event = None
        if due is not None:
            event = recorded.pop(0) if recorded else None
            if event is None:
                event = Event.objects.create(
                    request=request, kind="implicit_refusal", date=due, automatic=True
                )
            elif event.date != due:
                event.date = due
                event.save(update_fields=["date"])
        for stale in recorded:
            stale.delete()
        status = status_of(request)
        if status != request.status:
            request.status = status
            request.save(update_fields=["status", "updated_at"])
    return event


def implicit_refusals_record(*, on: dt.date | None = None) -> int:
    """The daily pass: record the implicit refusals whose date has come. Returns how
    many requests became implicitly refused."""
    count = 0
    requests = Request.objects.filter(status="sent").select_related(
        "body__commune__department", "body__department"
    )
    for request in requests.prefetch_related("events"):
        if implicit_refusal_sync(request, on) is not None:
            count += 1
    return count


def status_of(request: Request) -> str:
    status = "sent" if request.sent_on else "draft"
    for event in request.events.order_by("date", "id"):
        if event.kind == "decision" and event.favourable:
            status = "answered"
        elif event.kind in _STATUS_OF_EVENT:
            status = _STATUS_OF_EVENT[event.kind]
    return status


def answer_attach(
    *, request: Request, data: bytes, filename: str, kind: str, date: dt.date, user: Any
) -> Event:
    """A file received in answer: into the library (private until redacted and
    published), linked to the request and its places, and to the timeline."""
    from contrechamp.documents.services import document_ingest

    if kind not in ("reply", "partial", "refusal", "acknowledgement", "decision", "cada_opinion"):
        raise ValidationError(_("A file answers a request as a reply, a refusal or an opinion."))
    ingested = document_ingest(
        data=data,
        filename=filename,
        origin="access_request",
        places=list(request.places.all()),
        uploaded_by=user,
    )
    request.documents.add(ingested.document)
    return event_add(request=request, kind=kind, date=date, document=ingested.document, user=user)


# --- what the rules say ---------------------------------------------------------------


def facts(request: Request, events: list[Event] | None = None) -> Facts:
    if events is None:
        events = list(request.events.all())

    def first(*kinds: str, favourable: bool | None = None) -> dt.date | None:
        dates = [
            e.date
            for e in events
            if e.kind in kinds and (favourable is None or e.favourable is favourable)
        ]
        return min(dates) if dates else None

    return Facts(
        sent=request.sent_on,
        channel=request.channel,
        received=request.received_on or first("acknowledgement"),
        refused=first("refusal", "partial"),
        cada_registered=first("cada_ack"),
        cada_opinion=first("cada_opinion"),
        final_refusal=first("decision", favourable=False),
        subdivision=subdivision_of(request.body.department_code),
    )


def calendar(request: Request) -> Calendar:
    if request.status in ("draft", "answered", "closed", "withdrawn"):
        return Calendar()
    return compute(facts(request))


def implicitly_refused_on(
    request: Request, derived: Calendar | None = None, on: dt.date | None = None
) -> dt.date | None:
    """The date a sent request became implicitly refused, if that date has come
    (`derived`: its calendar, when the caller has it already)."""
    if request.status != "sent":
        return None
    implicit = (derived or calendar(request)).get("implicit_refusal")
    return implicit.date if implicit and implicit.date <= (on or today()) else None


def _receipt(known: Facts, derived: Calendar) -> dt.date | None:
    """The date of receipt: known, or estimated by the rules."""
    estimated = derived.get("received")
    return known.received or (estimated.date if estimated else None)


def next_deadline(request: Request, on: dt.date | None = None) -> Deadline | None:
    return calendar(request).next_after(on or today())


def letter(request: Request, kind: str) -> tuple[str, str]:
    """Subject and text of one of the request's letters, with the dates of the rules."""
    known = facts(request)
    derived = compute(known)

    def date_of(key: str) -> dt.date | None:
        deadline = derived.get(key)
        return deadline.date if deadline else None

    received = _receipt(known, derived)
    requester = request.requester
    name = requester.get_full_name() or requester.get_username()
    return letters.render(
        kind,
        {
            "request": request,
            "body": request.body,
            "asked": request.asked(),
            "requester": name,
            "received": received,
            "received_estimated": known.received is None,
            "refused": known.refused,
            "implicit_refusal": date_of("implicit_refusal"),
            "cada_opinion": known.cada_opinion,
            "deadlines": derived.deadlines,
        },
    )


def answered_on_time(request: Request) -> bool:
    """A reply (or a partial one) within the month after receipt."""
    known = facts(request)
    received = _receipt(known, compute(known))
    if received is None:
        return False
    return request.events.filter(
        kind__in=["reply", "partial"], date__lte=add_months(received, 1)
    ).exists()


# --- reminders ------------------------------------------------------------------------


def due_soon(
    user: Any, *, on: dt.date | None = None, days: int = 7
) -> list[tuple[Request, Deadline]]:
    """The user's requests with a date within `days`, soonest first."""
    on = on or today()
    items = []
    for request in (
        Request.objects.filter(requester=user)
        .exclude(status__in=["draft", "answered", "closed", "withdrawn"])
        .select_related("body__commune__department", "body__department")
    ):
        for deadline in calendar(request).deadlines:
            if on <= deadline.date <= on + dt.timedelta(days=days):
                items.append((request, deadline))
    return sorted(items, key=lambda item: item[1].date)


def reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each requester what is due within 7 days, once a day. Returns how many
    e-mails were sent."""
    from django.contrib.auth import get_user_model

    day = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(access_requests__isnull=False).distinct()
    for user in users:
        items = due_soon(user, on=day)
        if not items or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, day=day, items=len(items))
        except IntegrityError:
            continue  # already reminded today
        with translation.override("fr"):
            lines = [
                f"- {deadline.date.isoformat()} : {deadline_name(deadline)} — {request.title} "
                f"({request.body.name}), {settings.SITE_URL}{request.get_absolute_url()}"
                for request, deadline in items
            ]
        send_mail(
            f"Contrechamp : {len(items)} échéance(s) dans les 7 jours",
            "\n".join(lines) + "\n",
            None,
            [user.email],
        )
        sent += 1
    return sent
