"""Why a file could not be processed or was refused, in the reader's language.

Each reason is one of the templates below, raised by its key with its details
(`Reasoned`). The pipeline stores the English text (the command line, the API and the
logs show it as it is) and, beside it, the key and the details (`Document.error_detail`),
from which a page writes it in the reader's language (`described`). A row stored before
the key was kept is read back against the templates (`translated`); one that matches none
(an unexpected library error) is shown as it is.
"""

import re
from collections.abc import Mapping
from functools import lru_cache, partial

from django.utils import formats
from django.utils.translation import gettext, gettext_noop

# Keys are what the code raises; the values are the English templates, marked for the
# catalogue. A detail in brackets (a library's own message) stays in its language.
REASONS: dict[str, str] = {
    "too_much_text": gettext_noop("The document holds more text than can be processed."),
    "empty": gettext_noop("The file is empty."),
    "old_office": gettext_noop(
        "Old Office files (.doc, .xls, .ppt) and Outlook messages (.msg) are not handled; "
        "save the file as PDF (a message as .eml) and send it again."
    ),
    "rtf": gettext_noop(
        "RTF files are not handled; save the file as .docx, .odt or PDF and send it again."
    ),
    "spreadsheet": gettext_noop(
        "Spreadsheets and presentations are not handled; save the file as PDF and send it again."
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
    # Refused before anything is stored (`services.DocumentRejected`).
    "too_large": gettext_noop("%(file)s: %(size)s MB, more than the limit of %(limit)s MB."),
    "no_room": gettext_noop(
        "%(file)s: the server has no room left to store this file; nothing was kept. Try "
        "again later, or tell the administrators."
    ),
    "unknown_origin": gettext_noop("Unknown origin %(origin)s."),
    "empty_file": gettext_noop("%(file)s is empty; nothing was kept."),
}

_FIELD = re.compile(r"%\((\w+)\)s")
# A stored text longer than this is not read back against the templates: a crafted
# library message full of their separators would make the patterns backtrack for minutes.
MAX_READ_BACK = 600


def _fill(template: str, params: Mapping[str, object]) -> str:
    return template % params if params else template


def reason(key: str, **params: object) -> str:
    """The English text of reason `key` with its details."""
    return _fill(REASONS[key], params)


def _stored(value: object) -> object:
    """A detail as JSON keeps it: a number stays a number (written as the reader's
    language writes it), anything else becomes its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


class Reasoned(Exception):
    """An error whose message is one of `REASONS`: `str()` is its English text,
    `translated()` the same in the active language, `detail` what a row keeps of it."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = {name: _stored(value) for name, value in params.items()}
        super().__init__(reason(key, **self.params))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled and copied by its key and details (its args hold the English text).
        return (partial(type(self), self.key, **self.params), ())

    @property
    def detail(self) -> dict[str, object]:
        return {"key": self.key, "params": self.params}

    def translated(self) -> str:
        return described(self.detail) or str(self)


def described(
    detail: Mapping[str, object] | None, *, steps: Mapping[str, object] | None = None
) -> str:
    """A reason kept as its key and details, in the active language; empty when
    `detail` is no known reason. `steps` names the pipeline's steps for the reader
    ("extract" → "text extraction"); numbers are written as the language writes them."""
    if not detail or detail.get("key") not in REASONS:
        return ""
    raw = detail.get("params")
    params: dict[str, object] = dict(raw) if isinstance(raw, Mapping) else {}
    for name, value in params.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            params[name] = formats.number_format(value, force_grouping=value >= 10_000)
        elif isinstance(value, float):
            params[name] = formats.number_format(value, 1)
    if steps and params.get("step") in steps:
        params["step"] = str(steps[str(params["step"])])
    try:
        return _fill(gettext(REASONS[str(detail["key"])]), params)
    except (KeyError, TypeError, ValueError):  # a row of another version's details
        return ""


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for key, template in REASONS.items():
        parts = _FIELD.split(template)
        # split gives text, field, text, field, ..., text
        regex = "".join(
            f"(?P<{part}>.*?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        )
        patterns.append((re.compile(regex, re.DOTALL), key))
    return patterns


def translated(
    stored: str,
    detail: Mapping[str, object] | None = None,
    *,
    steps: Mapping[str, object] | None = None,
) -> str:
    """A stored reason in the active language: from its key and details when the row
    keeps them, else read back against the templates (a row of an older version); a
    reason of no known template, or too long to read back, as it is."""
    if not stored:
        return stored
    text = described(detail, steps=steps)
    if text:
        return text
    if len(stored) > MAX_READ_BACK:
        return stored
    for pattern, key in _patterns():
        found = pattern.fullmatch(stored)
        if found is not None:
            return described({"key": key, "params": found.groupdict()}, steps=steps) or stored
    return stored
