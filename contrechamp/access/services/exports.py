"""The public CSV of requests: its columns and rows (sent requests only)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from contrechamp.access.permissions import public_requests
from contrechamp.access.services.timeline import next_deadline, with_timeline
from contrechamp.lib.spreadsheet import safe_row

REQUESTS_CSV_COLUMNS = [
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
    "series",
    "url",
]


def requests_csv_rows(absolute_url: Callable[[str], str]) -> Iterator[Sequence[object]]:
    """The header, then one row per sent request, neutralised for spreadsheets (a cell
    typed as "=…" does not run as a formula); `absolute_url` makes a path a full address.
    Read in a constant number of queries."""
    yield REQUESTS_CSV_COLUMNS
    for request in with_timeline(public_requests()):
        upcoming = next_deadline(request)
        yield safe_row(
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
                request.series_id or "",
                absolute_url(request.get_absolute_url()),
            ]
        )
