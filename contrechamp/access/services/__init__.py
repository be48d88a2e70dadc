"""Services of access-to-documents requests, one module per noun (re-exported here, so
`services.request_send` and `from contrechamp.access.services import body_search` work):

- `bodies`: the directory of public bodies, searched for autocompletion;
- `timeline`: events, statuses, the legal calendar and the reads built on them;
- `series`: series of requests and the CADA's rule on them;
- `letters`: which letters apply, and their text;
- `requests`: drafting, sending, answers, what is recorded for a whole series;
- `files`: private proofs and the CADA referral file (PDF);
- `reminders`: dates due soon, the daily pass, the private feed of deadlines;
- `exports`: the public CSV of requests.
"""

from contrechamp.access.services.bodies import (
    Place,
    bodies_for_communes,
    body_for_commune,
    body_for_place,
    body_reference,
    body_search,
    directory_sync,
)
from contrechamp.access.services.exports import REQUESTS_CSV_COLUMNS, requests_csv_rows
from contrechamp.access.services.files import (
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    attachment_add,
    attachment_data,
    referral_file,
)
from contrechamp.access.services.letters import letter, letter_kinds, offers_referral_file
from contrechamp.access.services.reminders import (
    daily_pass,
    due_soon,
    feed_token_renew,
    feed_token_user,
    reminders_send,
)
from contrechamp.access.services.requests import (
    RequestFields,
    answer_attach,
    place_in_parameters,
    place_parameter,
    request_create,
    request_delete,
    request_send,
    requests_about_place,
    requests_draft,
    requests_of_document,
    series_create,
    series_event,
    series_refer,
    series_send,
)
from contrechamp.access.services.series import (
    SERIES_MAX_REQUESTS,
    SERIES_MIN_REQUESTS,
    awaits_referral,
    in_cada_series,
    is_cada_series,
    series_refused,
    series_requests,
    series_rows,
)
from contrechamp.access.services.timeline import (
    DEADLINE_ACTIONS,
    DEADLINE_NAMES,
    answered_on_time,
    calendar,
    deadline_action,
    deadline_name,
    deadline_note,
    event_add,
    event_delete,
    facts,
    implicit_refusal_sync,
    implicit_refusals_record,
    implicitly_refused_on,
    next_deadline,
    receipt_date,
    status_of,
    today,
    transparency_ranking,
    with_dates,
    with_timeline,
)

__all__ = [
    "place_in_parameters",
    "place_parameter",
    "requests_about_place",
    "ATTACHMENT_KINDS",
    "ATTACHMENT_MAX_BYTES",
    "DEADLINE_ACTIONS",
    "DEADLINE_NAMES",
    "REQUESTS_CSV_COLUMNS",
    "SERIES_MAX_REQUESTS",
    "SERIES_MIN_REQUESTS",
    "Place",
    "RequestFields",
    "answer_attach",
    "answered_on_time",
    "attachment_add",
    "attachment_data",
    "awaits_referral",
    "bodies_for_communes",
    "body_for_commune",
    "body_for_place",
    "body_reference",
    "body_search",
    "calendar",
    "daily_pass",
    "deadline_action",
    "deadline_name",
    "deadline_note",
    "directory_sync",
    "due_soon",
    "event_add",
    "event_delete",
    "facts",
    "feed_token_renew",
    "feed_token_user",
    "implicit_refusal_sync",
    "implicit_refusals_record",
    "implicitly_refused_on",
    "in_cada_series",
    "is_cada_series",
    "letter",
    "letter_kinds",
    "next_deadline",
    "offers_referral_file",
    "receipt_date",
    "referral_file",
    "reminders_send",
    "request_create",
    "request_delete",
    "request_send",
    "requests_csv_rows",
    "requests_draft",
    "requests_of_document",
    "series_create",
    "series_event",
    "series_refer",
    "series_refused",
    "series_requests",
    "series_rows",
    "series_send",
    "status_of",
    "today",
    "transparency_ranking",
    "with_dates",
    "with_timeline",
]
