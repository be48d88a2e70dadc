"""Correcting a document's details by hand: its date (a day, a month or a year), title,
origin and source address. Processing guesses the date (`metadata`: the file's metadata
or the first dated sentence, which may be the date of a letter the document quotes); a
reviewer, or the uploader of a document not yet published, writes the right one.

- One version number per document: a form loaded at another version is refused as a
  conflict (`DetailsConflict`), never saved over what someone else wrote meanwhile.
- Only the fields a form sends are changed: a field left out keeps its value.
- A title goes through the redaction app's rule (`titles`): a published title never
  shows what was redacted, and a new private title is read for personal data again. So
  does a changed source address: one that shows personal data (a name redacted in the
  document, an e-mail address, a phone number) is refused, since it is published as it
  is.
- The right to correct is checked again on the row locked (a document published while
  its uploader's correction was on its way is no longer theirs to correct).
- The search index, the registry's sources citing the document, and the audit log follow
  in the same transaction (the index once it commits).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.audit.services import audit_record
from contrechamp.documents import permissions, search
from contrechamp.documents.models import Document
from contrechamp.documents.services import document_sources_retitle
from contrechamp.documents.titles import source_url_checked, title_changed, title_checked
from contrechamp.lib.partialdate import parse_partial_date
from contrechamp.lib.text import without_invisible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The fields a person may correct, in the form's order.
DETAILS = ("date", "title", "origin", "source_url")
TITLE_MAX = 400
# The origins a person may choose: a tip's file stays a tip's (its log and its times are
# kept without its sender's traces), and no other document becomes one.
CHOSEN_ORIGINS = [(key, label) for key, label in Document.ORIGINS if key != "tip"]
_YEAR = re.compile(r"^\s*(\d{4})")
_FUTURE = gettext_lazy("“%(value)s” is after today: a document cannot be dated in the future.")


class DetailsConflict(Exception):
    """Someone corrected the details since the form was loaded: nothing was written.
    `current` is the document as it is now (its version and values)."""

    def __init__(self, current: Document) -> None:
        super().__init__(f"stale details: the current version is {current.version}")
        self.current = current


@dataclass
class Corrected:
    document: Document
    fields: list[str]


def details_values(document: Document) -> dict[str, str]:
    """The correctable details of `document` as a form writes them."""
    return {
        "date": document.date_value,
        "title": document.title,
        "origin": document.origin,
        "source_url": document.source_url,
    }


def details_date(value: str, *, today: dt.date | None = None) -> str:
    """A document's date as typed ("2025", "2025-01", "2025-01-20", or blank for none),
    normalised; refused, saying why, when it is not a date, before 1900 or after today."""
    value = (value or "").strip()
    today = today or timezone.localdate()
    year = _YEAR.match(value)
    if year and int(year.group(1)) < 1900:
        raise ValidationError(
            _("“%(value)s” is before 1900: the library's documents are dated from 1900 on.")
            % {"value": value},
            code="invalid_date",
        )
    if year and int(year.group(1)) > today.year:
        raise ValidationError(_FUTURE % {"value": value}, code="invalid_date")
    value = parse_partial_date(value)
    # A month or a year is in the future when it starts after today ("2031-04").
    if value and value > today.isoformat()[: len(value)]:
        raise ValidationError(_FUTURE % {"value": value}, code="invalid_date")
    return value


def _first_day(value: str) -> tuple[dt.date | None, str]:
    """A partial date as the first day of its period, and its precision."""
    if not value:
        return None, "day"
    parts = [int(p) for p in value.split("-")]
    precision = {1: "year", 2: "month"}.get(len(parts), "day")
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2]), precision


def _source_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if len(value) > 1000:
        raise ValidationError(_("An address holds 1,000 characters at most."))
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("Give a web address that starts with https:// or http://.")
        ) from None
    if urlsplit(value).username is not None:
        # "https://user:password@host/": a login, not a source, and shown to everyone.
        raise ValidationError(_("Give the address without a user name or a password in it."))
    return value


def _version(base_version: object, current: int) -> int:
    """The version the form was loaded from; refused when missing or impossible (without
    it a correction would silently overwrite what was saved meanwhile)."""
    if isinstance(base_version, str) and base_version.strip().isdigit():
        base_version = int(base_version.strip())
    if isinstance(base_version, bool) or not isinstance(base_version, int):
        base_version = 0
    if not 1 <= base_version <= current:
        raise ValidationError(
            {
                "version": [
                    _(
                        "This form does not say which version of the details it was loaded "
                        "from: nothing was saved. Reload the page and make your change again."
                    )
                ]
            }
        )
    return base_version


def _cleaned(document: Document, data: dict[str, Any]) -> dict[str, str]:
    """The values of the fields `data` holds, checked; raises ValidationError by field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name in DETAILS:
        if name not in data:
            continue
        raw = str(data[name] if data[name] is not None else "")
        try:
            if name == "date":
                values[name] = details_date(raw)
            elif name == "title":
                title = " ".join(without_invisible(raw).split())
                if not title:
                    raise ValidationError(_("A document needs a title."))
                if len(title) > TITLE_MAX:
                    raise ValidationError(
                        _("A title holds %(max)d characters at most.") % {"max": TITLE_MAX}
                    )
                # Unchanged, it is stored as it is (a published title is already the
                # rule's); changed, the rule says what may be stored.
                values[name] = title if title == document.title else title_checked(document, title)
            elif name == "origin":
                origin = raw.strip()
                if origin != document.origin and (
                    document.origin == "tip" or origin not in dict(CHOSEN_ORIGINS)
                ):
                    raise ValidationError(
                        _("The file of a tip stays a tip's.")
                        if document.origin == "tip"
                        else _("Choose one of the origins offered.")
                    )
                values[name] = origin
            else:
                address = _source_url(raw)
                # Unchanged, it stays (it was checked when written, and publication
                # checks it again); changed, the rule says whether it may be stored.
                values[name] = (
                    address
                    if address == document.source_url
                    else source_url_checked(document, address)
                )
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return values


def document_details_update(
    *, document: Document, data: dict[str, Any], base_version: object, user: User
) -> Corrected:
    """Correct the details `data` holds (the others keep their values) on the version
    `base_version` of them. Raises ValidationError (by field) on a value refused or a
    version missing, DetailsConflict when someone corrected them since; writes nothing
    then. Returns the document as saved and the names of the fields that changed."""
    with transaction.atomic():
        corrected = _details_write(document, data, base_version, user)
    # After the commit, as publication does: the search index is no part of the
    # transaction (the database engines read the origin and date from the row; tantivy
    # from its own entries, and every engine the title from them).
    if {"title", "origin", "date"} & set(corrected.fields):
        search.document_index(corrected.document)
    return corrected


def _details_write(
    document: Document, data: dict[str, Any], base_version: object, user: User
) -> Corrected:
    current = Document.objects.select_for_update().filter(id=document.id).first()
    if current is None:
        raise ValidationError(_("This document was deleted."))
    # The view checked the right on the row it read; a publication committed since (the
    # uploader's post on its way) makes the document a reviewer's only.
    if not permissions.may_correct_details(user, current):
        raise PermissionDenied
    if _version(base_version, current.version) != current.version:
        raise DetailsConflict(current)
    if not current.finished:
        raise ValidationError(
            _("This document is still being processed: correct its details once it is done.")
        )
    values = _cleaned(current, data)
    before = details_values(current)
    changed = [name for name in DETAILS if name in values and values[name] != before[name]]
    if not changed:
        return Corrected(current, [])
    written: dict[str, Any] = {}
    if "date" in changed:
        written["date"], written["date_precision"] = _first_day(values["date"])
        written["date_corrected_by"] = (
            "reviewer" if permissions.may_see_originals(user) else "uploader"
        )
    for name in ("title", "origin", "source_url"):
        if name in changed:
            written[name] = values[name]
    written["version"] = current.version + 1
    written["updated_at"] = timezone.now()
    # One UPDATE and one entry of the log that says what this was (a save would add a
    # second, "changed", entry of its own); the title is not in it: it may name someone.
    # On the version read only: where `select_for_update` locks nothing (SQLite's whole
    # database is the lock there), a correction committed in between still writes nothing.
    if not Document.objects.filter(id=current.id, version=current.version).update(**written):
        raise DetailsConflict(Document.objects.get(id=current.id))
    for name, value in written.items():
        setattr(current, name, value)
    details: dict[str, Any] = {"fields": changed, "version": current.version}
    for name in ("date", "origin"):
        if name in changed:
            details[name] = [before[name], values[name]]
    audit_record("details_corrected", target=current, details=details)
    if "title" in changed:
        title_changed(current)
    # The registry's sources citing it read its title, origin and date.
    document_sources_retitle(document=current)
    return Corrected(current, changed)
