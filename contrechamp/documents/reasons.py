"""Why a file could not be processed, in the reader's language.

The pipeline stores a failure's reason as English text (the command line, the API and
the logs show it as it is). Each reason is one of the templates below, filled in with
its details; a page shows it translated by reading the stored text back against them
(`translated`). A reason that matches none (a row written by an older version, an
unexpected library error) is shown as it is.
"""

import re
from collections.abc import Mapping
from functools import lru_cache

from django.utils.translation import gettext, gettext_noop

# Keys are what the code raises; the values are the English templates, marked for the
# catalogue. A detail in brackets (a library's own message) stays in its language.
REASONS: dict[str, str] = {
    "too_much_text": gettext_noop("The document holds more text than can be processed."),
    "empty": gettext_noop("The file is empty."),
    "old_word": gettext_noop(
        "Old Word (.doc) and RTF files are not handled; save the file as .docx, .odt or PDF "
        "and send it again."
    ),
    "unknown_binary": gettext_noop(
        "This type of file is not handled (binary content of unknown type)."
    ),
    "archive_damaged": gettext_noop("The archive is damaged (%(error)s)."),
    "other_archive": gettext_noop(
        "This type of file is not handled (a ZIP archive that is neither .docx nor .odt); "
        "send the files it contains one by one."
    ),
    "archive_entries": gettext_noop(
        "The archive declares %(entries)s entries (%(directory)s bytes of directory), more "
        "than the %(limit)s an office document may hold; it is refused as a probable "
        "malicious or broken file."
    ),
    "too_much_markup": gettext_noop(
        "The document holds %(size)s MB of markup, more than the limit of %(limit)s MB; it "
        "is refused."
    ),
    "not_handled": gettext_noop("This type of file is not handled."),
    "pdf_impossible_pages": gettext_noop(
        "The PDF claims an impossible number of pages; it is refused as a probable malicious "
        "or broken file."
    ),
    "pdf_damaged": gettext_noop("The PDF cannot be read: it is damaged (%(error)s)."),
    "pdf_password": gettext_noop(
        "The PDF is protected by a password; ask the sender for an unprotected copy."
    ),
    "pdf_no_page": gettext_noop("The PDF has no readable page: it is damaged or empty."),
    "pdf_too_many_pages": gettext_noop(
        "The PDF claims %(pages)s pages, more than the limit of %(limit)s; it is refused as "
        "a probable malicious or broken file."
    ),
    "pdf_page_damaged": gettext_noop("Page %(page)s of the PDF is damaged (%(error)s)."),
    "pdf_page_size": gettext_noop(
        "Page %(page)s measures %(width)s × %(height)s points, outside the accepted sizes "
        "(up to %(limit)s); the file is refused."
    ),
    "pdf_page_image": gettext_noop(
        "Page %(page)s holds an image of %(width)s × %(height)s pixels, more than the "
        "%(limit)s million that can be processed; the file is refused."
    ),
    "image_frames_declared": gettext_noop(
        "The image has more than %(limit)s frames; it is refused as a probable malicious or "
        "broken file."
    ),
    "image_frame_declared": gettext_noop(
        "Image frame %(frame)s is %(width)s × %(height)s pixels, more than the %(limit)s "
        "million that can be processed."
    ),
    "image_frames": gettext_noop("The image has more than %(limit)s frames; it is refused."),
    "image_frame": gettext_noop(
        "Image frame %(frame)s is %(width)s × %(height)s pixels, too large to process."
    ),
    "image_damaged": gettext_noop("The image cannot be read: it is damaged (%(error)s)."),
    "jpeg_no_size": gettext_noop("The JPEG image declares no size; it is refused."),
    "tiff_directory": gettext_noop("The TIFF image is damaged (a directory of too many entries)."),
    "email_nested": gettext_noop(
        "The e-mail's parts are nested too deeply to be read; it is refused as a probable "
        "malicious or broken file."
    ),
    "email_attachments": gettext_noop(
        "The e-mail carries more than %(limit)s attachments; it is refused."
    ),
    "decompressed": gettext_noop("The document's text is too large once decompressed."),
    "xml_depth": gettext_noop(
        "The document's elements are nested too deeply; it is refused as a probable "
        "malicious or broken file."
    ),
    "paragraph_elements": gettext_noop(
        "A paragraph of the document holds more than %(limit)s elements; it is refused as a "
        "probable malicious or broken file."
    ),
    "document_damaged": gettext_noop("The document is damaged (%(error)s)."),
    "no_text": gettext_noop("The document contains no text."),
    "laid_out_pages": gettext_noop(
        "The document would make more than %(limit)s pages once laid out; it is refused."
    ),
    "page_unreadable": gettext_noop("Page %(page)s cannot be read (%(error)s)."),
    "ocr_missing": gettext_noop("Tesseract is not installed (command %(command)s not found)."),
    "ocr_timeout": gettext_noop("OCR took longer than %(seconds)s s on one page."),
    "ocr_failed": gettext_noop("Tesseract failed: %(error)s"),
    "stopped": gettext_noop(
        "Processing stopped %(attempts)s times during step “%(step)s”; the file is set aside."
    ),
    "unexpected": gettext_noop("Unexpected error during step “%(step)s”: %(error)s"),
}

_FIELD = re.compile(r"%\((\w+)\)s")


def reason(key: str, **params: object) -> str:
    """The English text of reason `key` with its details."""
    template = REASONS[key]
    return template % params if params else template


class Reasoned(Exception):
    """An error whose message is one of `REASONS`: `str()` is its English text,
    `translated()` the same in the active language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(reason(key, **params))

    def translated(self) -> str:
        return _fill(gettext(REASONS[self.key]), self.params)


def _fill(template: str, params: dict[str, object]) -> str:
    return template % params if params else template


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in REASONS.values():
        parts = _FIELD.split(template)
        # split gives text, field, text, field, ..., text
        regex = "".join(
            f"(?P<{part}>.*?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        )
        patterns.append((re.compile(regex, re.DOTALL), template))
    return patterns


def translated(stored: str, *, steps: Mapping[str, object] | None = None) -> str:
    """A stored reason in the active language; a reason of no known template as it is.
    `steps` names the pipeline's steps for the reader ("extract" → "text extraction")."""
    if not stored:
        return stored
    for pattern, template in _patterns():
        found = pattern.fullmatch(stored)
        if found is not None:
            params: dict[str, object] = dict(found.groupdict())
            if steps and params.get("step") in steps:
                params["step"] = str(steps[str(params["step"])])
            return _fill(gettext(template), params)
    return stored
