"""Which letters a request's state calls for, and their text: the context of the rules'
dates given to the templates of `contrechamp.access.letters`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from contrechamp.access import letters as templates
from contrechamp.access.deadlines import compute
from contrechamp.access.models import AccessRequest, Event
from contrechamp.access.services.series import awaits_referral, series_rows
from contrechamp.access.services.timeline import facts, receipt_date
from contrechamp.accounts.services import letter_identity


def letter(request: AccessRequest, kind: str, events: list[Event] | None = None) -> tuple[str, str]:
    """Subject and text of one of the request's letters, with the dates of the rules
    (`events`: the request's, when the caller has them)."""
    if events is None:
        events = list(request.events.all())
    known = facts(request, events)
    derived = compute(known)

    def date_of(key: str) -> dt.date | None:
        deadline = derived.get(key)
        return deadline.date if deadline else None

    received = receipt_date(known, derived)
    # The name and address the requester gave for their letters; else a blank to fill in,
    # never the internal user name (the CADA and the administration read these letters).
    name, address = letter_identity(request.requester) if request.requester else ("", "")
    address = address or "[Adresse postale]"
    context: dict[str, object] = {
        "request": request,
        "body": request.body,
        "asked": request.asked(),
        "requester": name or "[Prénom et nom]",
        "requester_address": address,
        "requester_address_line": ", ".join(
            line.strip() for line in address.splitlines() if line.strip()
        ),
        "received": received,
        "received_estimated": known.received is None,
        "refused": known.refused,
        "decisions": _decisions(events, known.cada_referred),
        "implicit_refusal": date_of("implicit_refusal"),
        "cada_opinion": known.cada_opinion,
        "deadlines": derived.deadlines,
    }
    series = request.series
    if kind == "cada_referral_series" and series is not None:
        context["series"] = series_rows(series)
    if kind == "series_notice" and series is not None and series.referral_lead:
        context["referred_on"] = series.referred_on
        context["lead_body"] = series.referral_lead.body.name
    return templates.render(kind, context)


def _decisions(events: list[Event], referred: dt.date | None) -> list[tuple[str, dt.date]]:
    """The written decisions a referral contests, in their order, each by what it was: a
    partial answer is not an explicit refusal (a walk's letter contested "the explicit
    refusal of 2 November", the date of the partial answer, and left out the refusal of
    the 5th). Those after a referral already made are the administration's later word,
    not what this one contests. The letters are French whatever the page's language."""
    names = {"refusal": "refus exprès", "partial": "réponse partielle"}
    return [
        (names[e.kind], e.date)
        for e in sorted(events, key=lambda e: (e.date, e.id or 0))
        if e.kind in names and (referred is None or e.date <= referred)
    ]


def letter_kinds(
    request: AccessRequest,
    implicit_since: dt.date | None,
    in_series: bool,
    events: list[Event] | None = None,
) -> list[tuple[str, str]]:
    """The letters the request's state calls for, (kind, title) (`events`: its timeline,
    when read; `in_series`: from `in_cada_series`). A letter the timeline shows was sent
    stays while its event does, whatever came after: an answer filed after the referral
    took the referral letter and its file off the page (a walk), the timeline still
    showing the referral."""
    if events is None:
        events = list(request.events.all())
    recorded = {e.kind for e in events if not e.series}
    kinds = [("request_" + request.channel, _("The request"))]
    if (request.sent_on and request.status == "sent") or "reminder" in recorded:
        kinds.append(("reminder", _("Reminder")))
    if (
        (request.status in ("refused", "partial", "cada") or implicit_since) and not in_series
    ) or "cada_referral" in recorded:
        kinds.append(("cada_referral", _("Referral to the CADA")))
    if any(e.kind == "cada_referral" and e.series for e in events):
        kinds.append(("series_notice", _("Notice of the grouped referral")))
    if any(e.kind == "cada_opinion" and e.favourable for e in events):
        kinds.append(("after_opinion", _("Letter after the favourable opinion")))
    return kinds


def offers_referral_file(
    request: AccessRequest,
    implicit_since: dt.date | None,
    in_series: bool,
    letters: list[tuple[str, str]],
) -> bool:
    """The CADA file is made where a referral is: for a request of a series, on one of
    its refusals still to refer or on the one the grouped referral was made on."""
    if not in_series or request.series is None:
        return "cada_referral" in dict(letters)
    lead = request.series.referral_lead_id
    return awaits_referral(request, implicit_since) or lead == request.id
