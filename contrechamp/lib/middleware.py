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
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
