"""Errors answered under /api/v1/ before any endpoint runs, in the API's JSON envelope."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from contrechamp.api.api import error_response, http_error_message

PREFIX = "/api/v1/"


class ApiErrorEnvelopeMiddleware:
    """A method the API does not answer (ninja's 405) or a refusal by Django's own
    middleware comes as an HTML page; under /api/v1/ it is turned into the error envelope
    every endpoint uses, keeping its status and its `Allow` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            envelope = error_response(
                request, 405, "method_not_allowed", _("This address answers %s only.") % allowed
            )
            envelope["Allow"] = allowed
            return envelope
        return error_response(
            request,
            response.status_code,
            "http_error",
            http_error_message(response.status_code, response.reason_phrase or "Error."),
        )
