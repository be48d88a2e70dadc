"""A logging filter that masks secrets carried in URLs before any line is written.

Some addresses are credentials: the private Atom feed of a requester's deadlines has its
key in the path, because feed readers cannot log in; the sign-up confirmation, the
password reset, the e-mail change link, a group's invitation and link to share, an
e-mail subscription's confirmation and cancellation carry a token. `contrechamp serve`
(waitress) keeps no access log, but Django's `django.request` logger writes the path of
every 4xx and 5xx answer ("Not Found: /demandes/echeances/<key>.atom"),
`django.security.csrf` the path of every POST its check refuses ("Forbidden (CSRF cookie
not set.): /compte/confirmer/<uid>/<token>/"), `runserver` every path, and waitress the
path of a request that raised; a reverse proxy has its own log, to be configured there.
Set on the handler (not a logger), the filter sees the records of every logger that
propagates to it, and rewrites the message, its arguments and any formatted traceback.

The addresses to mask are read from the URL configuration (`route_patterns`): every
route with a parameter named as a credential (CREDENTIAL_PARAMETERS) is masked from that
parameter on, so a new route that carries a token is masked without anyone listing it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any

MASK = "[redacted]"

# A URL parameter with one of these names is a credential: name it so in a route that
# carries one ("<token>", "<uidb64>"…), and its address is never written to the log.
CREDENTIAL_PARAMETERS = frozenset({"token", "uidb64", "key", "secret"})
# What a credential and the rest of its path run to in a log line: up to a query, a
# fragment, a space or a quote (a path in an exception's text is quoted).
_REST = r"(?P<secret>[^?#\s\"']+)"
_SEGMENT = r"[^/?#\s\"']*"
_deriving = threading.local()


def route_pattern(route: str) -> str | None:
    """The pattern masking the addresses of `route` (a reverse format of Django's,
    "compte/confirmer/%(uidb64)s/%(token)s/"), from its first credential parameter to
    the end of the path; None when it carries no credential. Case and doubled slashes
    are near misses that reach the same view or a 404 with the same key: both masked."""
    parts = re.split(r"%\((\w+)\)s", route)
    pattern = ["(?i)/+"]
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern.append(re.escape(part.replace("%%", "%")).replace("/", "/+"))
        elif part in CREDENTIAL_PARAMETERS:
            pattern.append(_REST)
            return "".join(pattern)
        else:
            pattern.append(_SEGMENT)
    return None


def route_patterns() -> list[str] | None:
    """One pattern per route of the URL configuration that carries a credential; None
    while it cannot be read yet (Django still starting, or a record logged while the
    URL configuration itself is being imported)."""
    from django.apps import apps

    if not apps.ready or getattr(_deriving, "active", False):
        return None
    from django.urls import URLResolver, get_resolver
    from django.utils.regex_helper import normalize

    found: list[str] = []

    def walk(entries: Sequence[Any], prefix: str) -> None:
        for entry in entries:
            regex = entry.pattern.regex.pattern
            regex = prefix + (regex[1:] if regex.startswith("^") else regex)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, regex)
                continue
            for route, _parameters in normalize(regex):
                pattern = route_pattern(route)
                if pattern is not None and pattern not in found:
                    found.append(pattern)

    _deriving.active = True
    try:
        walk(get_resolver().url_patterns, "")
    except Exception:  # a broken URL configuration: Django says so elsewhere
        return None
    finally:
        _deriving.active = False
    return found


class RedactFilter(logging.Filter):
    """`patterns`: regular expressions, each with a group named `secret` to mask; with
    `routes`, also those of the URL configuration's routes that carry a credential (read
    at the first record once Django is ready)."""

    def __init__(self, patterns: Iterable[str] = (), routes: bool = True) -> None:
        super().__init__()
        self.patterns = [re.compile(p) for p in patterns]
        self._routes: list[re.Pattern[str]] | None = None if routes else []

    def _all(self) -> list[re.Pattern[str]]:
        if self._routes is None:
            derived = route_patterns()
            if derived is None:
                return self.patterns
            self._routes = [re.compile(p) for p in derived]
        return self.patterns + self._routes

    def redact(self, text: str) -> str:
        for pattern in self._all():
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
