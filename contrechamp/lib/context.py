from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Template variables every page needs."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "SOURCE_CODE_URL": settings.SOURCE_CODE_URL,
    }
