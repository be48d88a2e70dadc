"""The timeline of a request and what the rules derive from it: its events (added by
people, or recorded by the rules, as the implicit refusal once its date has come), its
status, its legal calendar, and the reads built on them (lists with their next date,
the transparency ranking)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.access.deadlines import (
    DONE_ACTIONS,
    NO_ACKNOWLEDGEMENT,
    NOTE_TEXTS,
    Calendar,
    Deadline,
    Facts,
    Note,
    add_months,
    compute,
    subdivision_of,
)
from contrechamp.access.models import AccessRequest, Event, PublicBody
from contrechamp.lib.typography import day

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from contrechamp.documents.models import Document


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


def deadline_basis(deadline: Deadline) -> str:
    """The articles, as the language writes them ("CJA R421-1 ; CPC art. 642" in
    French); empty for a date without one."""
    return _(deadline.basis) if deadline.basis else ""


# What a date asked for, once it has passed without being done: the imperative of the
# upcoming date ("send a reminder") misleads under a date gone by (a walk read it so).
PAST_ACTIONS = {
    "reminder": gettext_lazy(
        "The week for a reminder has passed; one can still be sent until the implicit refusal."
    ),
    "cada_referral_limit": gettext_lazy(
        "This time limit has passed with no referral recorded: record it if it was sent "
        "in time; a referral sent now is likely too late."
    ),
    "court_limit": gettext_lazy(
        "This time limit has passed with no application recorded: record it if it was "
        "made in time; an application made now is likely too late."
    ),
}
# Once the implicit refusal has come, a reminder has nothing left to prevent.
TOO_LATE_FOR_REMINDER = gettext_lazy(
    "Too late for a reminder: the request now counts as refused (see the next date)."
)


def deadline_action(
    deadline: Deadline, today: dt.date | None = None, calendar: Calendar | None = None
) -> str:
    """What the requester can do about a date. Given `today`, a date gone by without
    being done says so instead of asking for what can no longer be done in time. A date
    done says there is nothing left to do."""
    if deadline.done:
        return _(DONE_ACTIONS.get(deadline.key, deadline.action))
    if today is not None and deadline.date < today:
        if deadline.key == "reminder" and calendar is not None:
            implicit = calendar.get("implicit_refusal")
            if implicit is not None and implicit.date <= today:
                return str(TOO_LATE_FOR_REMINDER)
        if deadline.key in PAST_ACTIONS:
            return str(PAST_ACTIONS[deadline.key])
    return str(DEADLINE_ACTIONS.get(deadline.key, deadline.action))


def deadline_note(note: Note) -> str:
    """The note in the active language, its dates as the pages write dates."""
    text = _(NOTE_TEXTS[note.key]) % {k: day(v) for k, v in note.dates.items()}
    if note.key == "silence_mentions" and note.acknowledged is False:
        text = f"{_(NO_ACKNOWLEDGEMENT)} {text}"
    return text


def today() -> dt.date:
    return timezone.localdate()


def with_timeline(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    """The requests with what their dates are computed from read in a fixed number of
    queries, whatever their number: the body's department (for its holidays) and the
    events (prefetched, so `facts` reads no more)."""
    return requests.select_related(
        "body__commune__department", "body__department", "series"
    ).prefetch_related("events")


def facts(request: AccessRequest, events: list[Event] | None = None) -> Facts:
    if events is None:
        events = list(request.events.all())

    def first(*kinds: str, favourable: bool | None = None) -> dt.date | None:
        dates = [
            e.date
            for e in events
            if e.kind in kinds and (favourable is None or e.favourable is favourable)
        ]
        return min(dates) if dates else None

    # A refusal recorded after the request went to the CADA is the administration's new
    # decision, whatever kind the requester picked for it: a plain "explicit refusal"
    # there must not be lost behind the first refusal (R421-2 CJA turns on it).
    referred = first("cada_referral", "cada_ack")
    refusals = [e.date for e in events if e.kind == "refusal"]
    later = [d for d in refusals if referred is not None and d > referred]
    decided = [d for d in (first("decision", favourable=False), *later[:1]) if d is not None]
    return Facts(
        sent=request.sent_on,
        channel=request.channel,
        received=request.received_on or first("acknowledgement"),
        refused=first("refusal", "partial"),
        cada_referred=first("cada_referral"),
        cada_registered=first("cada_ack"),
        cada_opinion=first("cada_opinion"),
        final_refusal=min(decided) if decided else None,
        reminded=first("reminder"),
        replied=first("reply", "partial"),
        court=first("court"),
        decided=first("decision"),
        subdivision=subdivision_of(request.body.department_code),
        acknowledged=any(e.kind == "acknowledgement" for e in events) if request.sent_on else None,
    )


def calendar(request: AccessRequest) -> Calendar:
    if request.status in ("draft", "answered", "closed", "withdrawn"):
        return Calendar()
    return compute(facts(request))


def implicitly_refused_on(
    request: AccessRequest, derived: Calendar | None = None, on: dt.date | None = None
) -> dt.date | None:
    """The date a sent request became implicitly refused, if that date has come
    (`derived`: its calendar, when the caller has it already)."""
    if request.status != "sent":
        return None
    implicit = (derived or calendar(request)).get("implicit_refusal")
    return implicit.date if implicit and implicit.date <= (on or today()) else None


def receipt_date(known: Facts, derived: Calendar) -> dt.date | None:
    """The date of receipt: known, or estimated by the rules."""
    estimated = derived.get("received")
    return known.received or (estimated.date if estimated else None)


def next_deadline(request: AccessRequest, on: dt.date | None = None) -> Deadline | None:
    return calendar(request).next_after(on or today())


def status_of(request: AccessRequest, events: list[Event] | None = None) -> str:
    """The status the timeline gives (`events`: the request's, when the caller has them)."""
    if events is None:
        events = list(request.events.order_by("date", "id"))
    status = "sent" if request.sent_on else "draft"
    for event in sorted(events, key=lambda e: (e.date, e.id)):
        if event.kind == "decision" and event.favourable:
            status = "answered"
        elif event.kind in _STATUS_OF_EVENT:
            status = _STATUS_OF_EVENT[event.kind]
    return status


def answered_on_time(request: AccessRequest) -> bool:
    """A reply (or a partial one) within the month after receipt (the events read once,
    prefetched by `with_timeline` for a list)."""
    events = list(request.events.all())
    known = facts(request, events)
    received = receipt_date(known, compute(known))
    if received is None:
        return False
    limit = add_months(received, 1)
    return any(e.kind in ("reply", "partial") and e.date <= limit for e in events)


def event_add(
    *,
    request: AccessRequest,
    kind: str,
    date: dt.date,
    note: str = "",
    favourable: bool | None = None,
    document: Document | None = None,
    user: User | None = None,
    series: bool = False,
) -> Event:
    """Add to the timeline (`series`: recorded for every request of a series at once);
    the status and the recorded implicit refusal follow."""
    event_check(request, kind, date)
    if kind not in _JUDGED:
        favourable = None  # "relance envoyée — défavorable" said nothing
    with transaction.atomic():
        event = Event.objects.create(
            request=request,
            kind=kind,
            date=date,
            note=note.strip(),
            favourable=favourable,
            document=document,
            created_by=user,
            series=series,
        )
        if kind == "acknowledgement" and request.received_on is None:
            request.received_on = date
        request.save(update_fields=["received_on", "updated_at"])
        implicit_refusal_sync(request)  # sets the status the timeline now gives
    return event


def event_delete(*, request: AccessRequest, event_id: int) -> Event:
    """Take a mistaken event off the timeline (the status follows). Not one Contrechamp
    recorded (a refusal by silence: it comes back while the facts say so), nor one
    recorded for a whole series, nor one a later step of the procedure stands on."""
    event = request.events.filter(id=event_id).first()
    if event is None:
        raise ValidationError(_("That event is not in this request's timeline."))
    if event.automatic:
        raise ValidationError(
            _("Contrechamp recorded this event from the dates; it cannot be removed.")
        )
    if event.series:
        raise ValidationError(_("This event was recorded for the whole series; it stays."))
    names = dict(Event.KINDS)
    others = list(request.events.exclude(id=event.id).values_list("kind", flat=True))
    for other in others:
        needed = _COMES_AFTER.get(other, ())
        if event.kind in needed and not any(kind in needed for kind in others):
            raise ValidationError(
                _("“%(event)s” stands on this one: remove it first.") % {"event": names[other]}
            )
    with transaction.atomic():
        event.delete()
        implicit_refusal_sync(request)
    return event


# The events that go one way or the other: the CADA's opinion, the decision after it,
# a judgment.
_JUDGED = ("cada_opinion", "decision", "judgment")


def event_check(request: AccessRequest, kind: str, date: dt.date) -> None:
    """Refuse, with the reason, an event the timeline cannot hold (before anything it
    comes with, a file, is kept)."""
    if kind not in dict(Event.KINDS):
        raise ValidationError(_("Unknown event."))
    if request.sent_on is None:
        raise ValidationError(_("Record the request as sent first."))
    if date < request.sent_on:
        raise ValidationError(_("An event cannot come before the request was sent."))
    if date > today():
        raise ValidationError(_("An event cannot be in the future."))
    _check_sequence(request, kind, date)


# The CADA's procedure in its order: the referral, its registration, the opinion, the
# administration's decision after it; an application to the court comes once the CADA
# is seized (its referral is required first, R343-1), and its judgment after it.
_STAGES = {
    "cada_referral": 1,
    "cada_ack": 2,
    "cada_opinion": 3,
    "decision": 4,
    "court": 2,
    "judgment": 5,
}
# What an event cannot come without (any one of).
_COMES_AFTER = {
    "cada_opinion": ("cada_referral", "cada_ack"),
    "decision": ("cada_referral", "cada_ack", "cada_opinion"),
    "court": ("cada_referral", "cada_ack"),
    "judgment": ("court",),
}
# Which stages an event is ordered against: the CADA's line, or the court's.
_LINES = {
    "cada_referral": {"cada_referral", "cada_ack", "cada_opinion", "decision", "court", "judgment"},
    "cada_ack": {"cada_referral", "cada_ack", "cada_opinion", "decision"},
    "cada_opinion": {"cada_referral", "cada_ack", "cada_opinion", "decision"},
    "decision": {"cada_referral", "cada_ack", "cada_opinion", "decision"},
    "court": {"cada_referral", "court", "judgment"},
    "judgment": {"cada_referral", "court", "judgment"},
}


def _check_sequence(request: AccessRequest, kind: str, date: dt.date) -> None:
    """Refuse an event whose prerequisite the timeline lacks, or one dated out of the
    procedure's order against what the timeline holds: before a stage it follows, after
    one that follows it."""
    names = dict(Event.KINDS)
    needed = _COMES_AFTER.get(kind)
    # What it comes after is looked for whichever line it is on: an application to the
    # court after the CADA's acknowledgement alone (no referral recorded) was refused.
    recorded = list(
        request.events.filter(kind__in={*_LINES.get(kind, ()), *(needed or ())})
        .order_by("date")
        .values_list("kind", "date")
    )
    if needed and not any(other in needed for other, _ in recorded):
        raise ValidationError(
            _("“%(event)s” comes after “%(before)s”, which the timeline does not hold yet.")
            % {"event": names[kind], "before": names[needed[0]]}
        )
    stage = _STAGES.get(kind)
    if stage is None:
        return
    for other, when in recorded:
        if _STAGES[other] < stage and date < when:
            raise ValidationError(
                _("“%(event)s” cannot come before “%(before)s” (%(date)s).")
                % {"event": names[kind], "before": names[other], "date": day(when)}
            )
        if _STAGES[other] > stage and date > when:
            raise ValidationError(
                _("“%(event)s” cannot come after “%(after)s” (%(date)s).")
                % {"event": names[kind], "after": names[other], "date": day(when)}
            )


def with_dates(requests: Iterable[AccessRequest], on: dt.date) -> list[AccessRequest]:
    """The requests, each with its next legal date and, if refused by silence, since
    when (`next`, `implicit_since`), for lists (read with `with_timeline`)."""
    rows = list(requests)
    for item in rows:
        derived = calendar(item)
        item.next = derived.next_after(on)  # type: ignore[attr-defined]
        # In the page's language (the engine names dates in English).
        item.next_name = deadline_name(item.next) if item.next else ""  # type: ignore[attr-defined]
        item.implicit_since = implicitly_refused_on(item, derived, on)  # type: ignore[attr-defined]
    return rows


def transparency_ranking() -> list[dict[str, object]]:
    """How bodies answer: per body with a sent request, how many were sent, answered,
    answered within the month, refused at any point, referred to the CADA; best rate of
    answers on time first. Every sent request is read once, not once per body."""
    sent = ~Q(requests__status="draft")
    # Refused: at any point (explicitly, by silence, or in part), whatever came after.
    refused = Q(requests__events__kind__in=["refusal", "implicit_refusal", "partial"])
    bodies = PublicBody.objects.annotate(
        total=Count("requests", filter=sent, distinct=True),
        # Answered at all, in full or in part, on time or late: a partial answer counted
        # "on time" but not "answered" (0 answered, 1 on time: a walk).
        answered=Count(
            "requests",
            filter=sent & Q(requests__events__kind__in=["reply", "partial"]),
            distinct=True,
        ),
        refused=Count("requests", filter=refused, distinct=True),
        cada=Count("requests", filter=Q(requests__events__kind="cada_referral"), distinct=True),
    ).filter(total__gt=0)
    on_time: dict[int, int] = {}
    for request in with_timeline(AccessRequest.objects.exclude(status="draft")):
        if answered_on_time(request):
            on_time[request.body_id] = on_time.get(request.body_id, 0) + 1
    rows: list[dict[str, object]] = []
    for body in bodies:
        count = on_time.get(body.id, 0)
        rows.append({"body": body, "on_time": count, "rate": count / body.total})  # type: ignore[attr-defined]
    rows.sort(key=lambda row: (-row["rate"], -row["body"].total, row["body"].name_key))  # type: ignore[attr-defined, operator]
    return rows


# An answer or a refusal on or before the implicit refusal's date means there was no
# silence; a withdrawal ends the request.
_ENDS_SILENCE = ("reply", "partial", "refusal", "withdrawal")


def implicit_refusal_sync(
    request: AccessRequest, on: dt.date | None = None, events: list[Event] | None = None
) -> Event | None:
    """Record the implicit refusal once its date has come (one month of silence after
    receipt, R311-12 and R311-13 CRPA), as an automatic event of the timeline, so that
    statuses and statistics count it; keep it in step when the facts change (a receipt
    or an answer recorded late moves or removes it). Returns the recorded event."""
    on = on or today()
    # `events`: the request's as read by the caller; otherwise read now.
    events = list(request.events.order_by("date", "id")) if events is None else list(events)
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
                events.append(event)
            elif event.date != due:
                event.date = due
                event.save(update_fields=["date"])
        for stale in recorded:
            stale.delete()
            events.remove(stale)
        status = status_of(request, events)
        if status != request.status:
            request.status = status
            request.save(update_fields=["status", "updated_at"])
    return event


def implicit_refusals_record(*, on: dt.date | None = None) -> int:
    """The daily pass: record the implicit refusals whose date has come. Returns how
    many requests became implicitly refused."""
    count = 0
    ids = list(AccessRequest.objects.filter(status="sent").values_list("id", flat=True))
    for start in range(0, len(ids), 500):  # one transaction per batch, not per request
        batch = AccessRequest.objects.filter(id__in=ids[start : start + 500], status="sent")
        batch = batch.select_related("body__commune__department", "body__department")
        with transaction.atomic():
            for request in batch.prefetch_related("events"):
                events = list(request.events.all())
                if implicit_refusal_sync(request, on, events) is not None:
                    count += 1
    return count
