"""The answer to an unhandled error: a database that went away gets a 503, not a 500."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

# SQLite's OperationalError also says "no such table": a bug, not an outage.
SQLITE_OUTAGES = ("database is locked", "unable to open database", "disk i/o error")


def is_outage(exception: BaseException | None) -> bool:
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    if connections["default"].vendor == "sqlite":
        return any(text in str(exception).lower() for text in SQLITE_OUTAGES)
    return True  # PostgreSQL: connection lost or refused, server shutting down


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """`handler403`. A visitor not logged in who opens a page for some role (the watch, a
    request's private file) is sent to the log-in page and back, as the moderation pages
    do, rather than told their account lacks a role they have no account for. A logged-in
    user, a form sent, or the API get the 403."""
    user = getattr(request, "user", None)
    if (
        request.method in ("GET", "HEAD")
        and user is not None
        and not user.is_authenticated
        and not request.path.startswith("/api/")
    ):
        return redirect_to_login(request.get_full_path())
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`. Django calls it inside the `except` of the failed request, from
    whichever layer raised (a view, or a middleware that read the session or the cache),
    so the exception is at hand.

    The database restarting (or a failover) makes requests fail for a while: each gets a
    503 with `Retry-After` and a message saying nothing was saved. Nothing of the failed
    request was kept (its transaction never committed), and the next request opens a new
    connection by itself: Django drops a connection that raised, and checks a kept one
    before use (`CONN_HEALTH_CHECKS`)."""
    exception = sys.exc_info()[1]
    if not is_outage(exception):
        return defaults.server_error(request)
    logger.error("database unavailable: %s", str(exception).strip()[:200])
    title = _("The site cannot reach its database right now")
    detail = _("What you just sent was not saved. Try again in a minute.")
    language = escape(getattr(request, "LANGUAGE_CODE", "fr"))
    # No template: rendering one could reach for the database again.
    body = (
        f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
        f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}</p></html>"
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
