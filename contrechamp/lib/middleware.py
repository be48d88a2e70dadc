"""Response headers that keep every page on this origin."""

from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Forbid any request to a third-party host from our pages.

    The only exception is a tile server an operator configured on purpose.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        img = "'self' data:"
        if settings.MAP_TILE_URL:
            tile = urlparse(settings.MAP_TILE_URL.replace("{s}", "a"))
            img += f" {tile.scheme}://{tile.netloc.replace('a.', '*.', 1)}"
        self.policy = (
            "default-src 'self'; "
            f"img-src {img}; "
            "style-src 'self'; "
            "script-src 'self'; "
            "connect-src 'self'; "
            "font-src 'self'; "
            "object-src 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Browser features no page of ours uses: denied to the page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware(ContentSecurityPolicyMiddleware):
    """The same policy on every answer, placed outermost so that static files (served by
    WhiteNoise before the rest of the stack runs) and error pages carry it too; every
    cookie marked Secure when the request came over HTTPS; and no cache of a page made
    for a signed-in person.

    Secure follows the request rather than a setting: on HTTPS a cookie without it could
    be sent back over plain HTTP to anyone on the path; on plain HTTP (a laptop, the
    tests) a Secure cookie would never come back and log-in would break. Behind a proxy
    that ends TLS, SECURE_PROXY_SSL_HEADER tells Django which requests were HTTPS.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY or "same-origin")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        user = getattr(request, "user", None)  # not set for static files (WhiteNoise)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            # A page made for a signed-in person (their uploads' titles, drafts, their
            # account) is kept by no cache on the way, nor shown again by the back
            # button after log-out on a shared computer.
            response["Cache-Control"] = "private, no-store"
        return response


class MethodNotAllowedPageMiddleware:
    """A page for a 405: an address only a form's button sends to (a decision, a
    deletion), opened as a link or reloaded, answered a blank page. The API answers its
    own way (its envelope); the `Allow` header stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        from django.shortcuts import render

        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page


class NulRefusedMiddleware:
    """A NUL character in the address: PostgreSQL refuses it in a query's text, which
    answered a 500 on every page that looks a value of the address up (a hostile
    review). In the query it is dropped (a search box takes anything typed); in the path
    no page has it (404). The API answers its own way (its envelope, its fuzzing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            if "\x00" in request.path:
                from django.http import Http404

                raise Http404
            query = request.META.get("QUERY_STRING", "")
            if "%00" in query:
                request.META["QUERY_STRING"] = query.replace("%00", "")
        return self.get_response(request)
