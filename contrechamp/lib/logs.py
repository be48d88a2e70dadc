"""A logging filter that masks secrets carried in URLs before any line is written.

Some addresses are credentials: the private Atom feed of a requester's deadlines has its
key in the path, because feed readers cannot log in; the e-mail change link has its
signed token (which names the new address). `contrechamp serve` (waitress)
keeps no access log, but Django's `django.request` logger writes the path of every 4xx
and 5xx answer ("Not Found: /demandes/echeances/<key>.atom") and waitress the path of a
request that raised; a reverse proxy has its own log, to be configured there. Set on the
handler (not a logger), the filter sees the records of every logger that propagates to
it, and rewrites the message, its arguments and any formatted traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"


class RedactFilter(logging.Filter):
    """`patterns`: regular expressions, each with a group named `secret` to mask."""

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        super().__init__()
        self.patterns = [re.compile(p) for p in patterns]

    def redact(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(self._mask, text)
        return text

    @staticmethod
    def _mask(match: re.Match[str]) -> str:
        start, end = match.span("secret")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + MASK + whole[end - offset :]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        # Django's request logger attaches the request; a handler that formats it (the
        # admin e-mail one) would print the path again, so it goes with a secret in it.
        path = str(getattr(getattr(record, "request", None), "path", ""))
        if path and self.redact(path) != path:
            record.request = None
        return True


class ClientErrorsWithoutTraceback(logging.Filter):
    """One line for an answer the client caused (a 4xx: "Forbidden (Permission denied):
    /documents/3/"), a bad request's with the reason its exception gives ("Bad request
    (Unable to parse request body): /x/ (Invalid boundary in multipart: None)"), a short
    one on one line. Django attaches the exception that made it, and every refused
    request wrote a whole traceback. A server error (5xx), or a record without a status,
    keeps its traceback. Set before the secrets' filter, which then masks the reason
    too; on the console handler, so that `django.security`'s records (a request for
    another host) are one line as well."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        # A redirect too: a refused page a visitor is sent to log in from (handler403).
        if type(status) is int and 300 <= status < 500 and record.exc_info:
            message = record.getMessage()
            # The reason of a bad request only: a 404's exception is the resolver's
            # whole list of patterns, with the path in a form the secrets' filter does
            # not know.
            error = record.exc_info[1]
            reason = str(error) if status == 400 and error is not None else ""
            if reason and len(reason) <= 200 and "\n" not in reason and reason not in message:
                message = f"{message} ({reason})"
            record.msg, record.args = message, None
            record.exc_info = None
            record.exc_text = None
        return True
