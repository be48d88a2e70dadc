"""Actor and origin of the entries written while a request is served."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from contrechamp.audit import context


def _actor_of(request: HttpRequest) -> Callable[[], int | None]:
    def actor() -> int | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return int(user.pk)
        return None

    return actor


class AuditContextMiddleware:
    """Place after AuthenticationMiddleware. The address is hashed here, once, and kept only
    as that hash for the time of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        anonymous = context.is_anonymous_path(request.path)
        ctx = context.AuditContext(
            actor=(lambda: None) if anonymous else _actor_of(request),
            origin="" if anonymous else context.origin_of(request.META.get("REMOTE_ADDR", "")),
            anonymous=anonymous,
        )
        with context.acting(ctx):
            return self.get_response(request)
