"""Series of requests: the same request to many bodies, and the CADA's rule on series
(L342-1 CRPA): which requests of a series await the grouped referral, and how the
referral letter lists them. The writes of a series are in `requests`."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format

from contrechamp.access.models import AccessRequest, RequestSeries
from contrechamp.access.services.timeline import (
    facts,
    implicitly_refused_on,
    today,
    with_timeline,
)
from contrechamp.lib.typography import first_of_the_month

# The same request sent by the same requester to at least this many administrations is a
# series (L342-1 CRPA, second and third paragraphs, from the loi 3DS of 21 February 2022,
# and its decree): the CADA is then referred only one refusal, the requester identifies
# every request of the series and informs the administrations, and one opinion is given.
SERIES_MIN_REQUESTS = 5


# A series is followed request by request: beyond this many, split it.
SERIES_MAX_REQUESTS = 1000


def series_requests(series: RequestSeries) -> list[AccessRequest]:
    return list(with_timeline(series.requests.all()).order_by("body__name", "id"))


def is_cada_series(series: RequestSeries) -> bool:
    """Enough of its requests are sent for the CADA to treat them as a series."""
    return series.requests.exclude(sent_on=None).count() >= SERIES_MIN_REQUESTS


def awaits_referral(request: AccessRequest, implicit_since: dt.date | None) -> bool:
    """Refused (explicitly, in part, or by silence since `implicit_since`, from
    `implicitly_refused_on`) and not yet referred to the CADA."""
    return request.status in ("refused", "partial") or implicit_since is not None


def series_refused(series: RequestSeries, on: dt.date | None = None) -> list[AccessRequest]:
    """The requests of a series awaiting a referral on `on`."""
    return [
        request
        for request in series_requests(series)
        if awaits_referral(request, implicitly_refused_on(request, on=on))
    ]


def _state(request: AccessRequest, on: dt.date) -> str:
    """Where a request of a series stands, in French, for the grouped referral."""
    events = list(request.events.order_by("date", "id"))
    known = facts(request, events)

    def first(kind: str) -> dt.date | None:
        return next((e.date for e in events if e.kind == kind), None)

    if request.status in ("answered", "closed"):
        replied = first("reply")
        return f"réponse reçue le {_french_date(replied)}" if replied else "communiquée"
    if request.status == "withdrawn":
        return "demande retirée"
    if known.refused:
        what = "communication partielle" if first("partial") else "refus exprès"
        return f"{what} du {_french_date(known.refused)}"
    implicit = implicitly_refused_on(request, on=on) or first("implicit_refusal")
    if implicit:
        return f"refus implicite né le {_french_date(implicit)}"
    return "sans réponse, délai d'un mois non expiré"


def _french_date(day: dt.date) -> str:
    with translation.override("fr"):
        return first_of_the_month(date_format(day, "j F Y"))


def series_rows(series: RequestSeries, on: dt.date | None = None) -> list[dict[str, object]]:
    """Every sent request of the series, as the grouped referral lists them."""
    on = on or today()
    return [
        {
            "request": request,
            "body": request.body.name,
            "sent": request.sent_on,
            "received": request.received_on,
            "state": _state(request, on),
        }
        for request in series_requests(series)
        if request.sent_on
    ]


def in_cada_series(request: AccessRequest) -> bool:
    """The request belongs to a series of requests the CADA treats as a series."""
    return request.series is not None and is_cada_series(request.series)
