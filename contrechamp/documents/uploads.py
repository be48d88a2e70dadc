"""Uploads refused at the door: by their declared length before the body is read, and,
whatever the length said, as soon as one file passes the document size limit while it
streams to disk. Files are never read whole into memory on the way in.

Three layers, each for a case the others cannot see: the embedded server (waitress)
refuses an oversized Content-Length before reading the body (`serve`); this middleware
does the same behind any other WSGI server that streams bodies to the application
(gunicorn, uWSGI); the upload handler stops a file that grows past the limit inside a
request whose declared length was within it (several files, or a length that lied).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def too_large_message(size: int | None = None) -> str:
    limit = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    if size is None:
        return _("The file is larger than the limit of %(limit)s MB; it was not received.") % {
            "limit": limit
        }
    return _("%(size).0f MB sent, more than the limit of %(limit)s MB; nothing was received.") % {
        "size": size / (1024 * 1024),
        "limit": limit,
    }


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """413 in the shape the upload page's script reads, or as text."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"results": [{"file": "", "error": message}]}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class UploadLimitMiddleware:
    """Refuses a request whose Content-Length passes UPLOAD_MAX_BYTES before anything
    reads its body (placed before the CSRF middleware, which parses forms)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES:
            return refused(request, too_large_message(length))
        return self.get_response(request)


class FileSizeLimitHandler(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes as they stream past to the
    next handlers (memory for small files, a temporary file beyond) and stops the upload
    once one passes DOCUMENT_MAX_BYTES. The view reads `request.upload_refused`."""

    received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.DOCUMENT_MAX_BYTES:
            if self.request is not None:
                self.request.upload_refused = self.file_name or ""  # type: ignore[attr-defined]
            # The rest of the body is read and dropped so the answer reaches the client.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
