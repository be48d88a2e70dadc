"""Absolute addresses of this site's pages, for what leaves the site (the API, the
exports, mail)."""

from django.conf import settings


def site_address(path: str) -> str:
    """`path` (from `reverse` or `get_absolute_url`) as an absolute address on SITE_URL,
    the instance's configured address: never on the request's Host header, which a
    client chooses (even among ALLOWED_HOSTS, a crafted one would end up in open data
    that others copy)."""
    return settings.SITE_URL.rstrip("/") + path
