"""Writes of tips: receive one (cleaning its files first), follow it with the receipt
code, add to it, reply, change its status.

The files of a tip go through the library's `document_ingest` like any other document
(origin "tip", no uploader, not public), so they are extracted, OCRed, indexed for
reviewers and get redaction suggestions; they are cleaned of their metadata before, in
a private temporary folder, and a file that cannot be cleaned is refused whole.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.documents.models import Document
from contrechamp.documents.services import (
    DocumentRejected,
    document_ingest,
    document_source_fields,
    personal_data_masked,
)
from contrechamp.places.models import Commune
from contrechamp.registry.models import Deployment
from contrechamp.registry.schemas import empty_deployment
from contrechamp.registry.services import deployment_create
from contrechamp.tips.clean import CannotClean, Cleaned, clean_file, private_folder
from contrechamp.tips.models import Tip, TipMessage
from contrechamp.tips.permissions import may_handle_tips

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Crockford-like base32 without the letters read as digits: 25 characters of 5 bits,
# 125 bits, shown as five groups of five.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 25
GROUP = 5
# What people misread or mistype, mapped to the letter it stands for.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


class Upload(Protocol):
    """What a tip needs of an uploaded file: its bytes, a chunk at a time."""

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


class TipRefused(Exception):
    """A file of the tip could not be cleaned or is too large: nothing of the tip was
    kept. The message is for the sender."""


@dataclass
class Received:
    tip: Tip
    code: str  # shown to the sender, never stored
    # The same form sent again (a reload of the answer, a double click, a second click
    # while the first sending runs): the tip it made, its code shown again.
    again: bool = False


def receipt_new() -> str:
    """A fresh receipt code, "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def receipt_of_form(token: str) -> str:
    """The receipt code of the tip form that drew `token` (a random token of its page):
    the same form sent again makes the same code, so the tip is taken once, in the same
    transaction as its first sending, and its code can be shown again to whoever holds
    the page. Nothing of the token is kept; without the server's key the code cannot be
    told from it."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"tip-receipt:" + token.encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    return _grouped("".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH)))


def once_hash(token: str) -> str | None:
    """What a follow page's addition keeps of its form's token, to take it once."""
    return hashlib.sha256(b"tip-addition:" + token.encode()).hexdigest() if token else None


def receipt_normalise(code: str) -> str:
    """The code as typed, without spaces, dashes or case, look-alike digits read as
    letters."""
    kept = "".join(c for c in code.upper() if c.isalnum())
    return kept.translate(_LOOKALIKES)


def receipt_hash(code: str) -> str:
    """SHA-256 of the normalised code. Not salted nor slowed: with 125 random bits the
    code cannot be guessed from its hash, and a hash that does not depend on a secret
    survives a change of SECRET_KEY."""
    return hashlib.sha256(receipt_normalise(code).encode()).hexdigest()


def tip_find(*, code: str) -> Tip | None:
    """The tip of this receipt code, or None (for any wrong code alike)."""
    normalised = receipt_normalise(code)
    if len(normalised) != CODE_LENGTH or any(c not in ALPHABET for c in normalised):
        # Still hashed and looked up, so a malformed code costs the same as a wrong one.
        normalised = "-"
    return Tip.objects.filter(receipt_hash=receipt_hash(normalised)).first()


def _stored_title(tip_id: int, index: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Tip %(tip)s, file %(number)s") % {"tip": tip_id, "number": index}


def _ingest_cleaned(
    tip_id: int, cleaned: Sequence[Cleaned], place: Commune | None, number: int
) -> list[Document]:
    documents = []
    for offset, item in enumerate(cleaned):
        index = number + offset
        # The name the sender's file had is dropped: names often carry a person's name, a
        # date or a device ("IMG_20250312_0914.jpg").
        filename = f"signalement-{tip_id}-{index}{item.extension}"
        with item.path.open("rb") as handle:
            try:
                ingested = document_ingest(
                    data=File(handle, name=filename),
                    filename=filename,
                    # In the site's first language, whoever sent it: made in the page's,
                    # it told the reviewers which language the anonymous sender used (a
                    # walk: "Tip 1, file 1" among French titles).
                    title=_stored_title(tip_id, index),
                    origin="tip",
                    places=[place] if place else [],
                    uploaded_by=None,
                )
            except DocumentRejected as error:
                raise TipRefused(error.translated()) from error
        documents.append(ingested.document)
    return documents


def _clean_all(uploads: Sequence[Upload], folder: Path) -> list[Cleaned]:
    cleaned = []
    for number, upload in enumerate(uploads, start=1):
        own = folder / str(number)
        own.mkdir()
        try:
            cleaned.append(clean_file(upload.chunks(), own))
        except CannotClean as error:
            raise TipRefused(
                _("File %(number)s: %(reason)s") % {"number": number, "reason": error}
            ) from error
    return cleaned


def tip_create(
    *,
    text: str,
    uploads: Sequence[Upload] = (),
    place: Commune | None = None,
    once: str = "",
) -> Received:
    """Receive a tip. Every file is cleaned first; if one cannot be, nothing is kept
    (TipRefused). No account, address or time of day is taken, whoever sends it.
    `once`: the form's token; the same form sent again returns the tip it made, `again`."""
    code = receipt_of_form(once) if once else receipt_new()
    if existing := tip_find(code=code):
        return Received(existing, code, again=True)
    with private_folder() as folder:
        cleaned = _clean_all(uploads, Path(folder))
        try:
            with transaction.atomic():
                # The row first: a second sending of the same form running alongside
                # waits here for the first, then finds its tip.
                tip = Tip.objects.create(
                    text=text,
                    place=place,
                    received_on=timezone.localdate(),
                    receipt_hash=receipt_hash(code),
                )
                tip.documents.add(*_ingest_cleaned(tip.id, cleaned, place, 1))
        except IntegrityError:
            if existing := tip_find(code=code):
                return Received(existing, code, again=True)
            raise
    return Received(tip, code)


def tip_add(*, tip: Tip, text: str, uploads: Sequence[Upload] = (), once: str = "") -> TipMessage:
    """The sender adds text or files to their tip (they proved it with the code).
    `once`: the form's token; the same form sent again adds nothing and returns the
    message it added."""
    kept = once_hash(once)
    if kept and (existing := TipMessage.objects.filter(tip=tip, once_hash=kept).first()):
        return existing
    with private_folder() as folder:
        cleaned = _clean_all(uploads, Path(folder))
        try:
            with transaction.atomic():
                message = TipMessage.objects.create(
                    tip=tip,
                    author="sender",
                    text=text,
                    written_on=timezone.localdate(),
                    once_hash=kept,
                )
                number = tip.documents.count() + 1
                documents = _ingest_cleaned(tip.id, cleaned, tip.place, number)
                message.documents.add(*documents)
                tip.documents.add(*documents)
                if tip.status == "closed":
                    # New material reopens a closed tip, so that it is read; saved so that
                    # the audit log has the move (no actor: the sender's page).
                    tip.status = "handling"
                    tip.save(update_fields=["status"])
        except IntegrityError:
            if kept and (existing := TipMessage.objects.filter(tip=tip, once_hash=kept).first()):
                return existing
            raise
    return message


def tip_reply(*, tip: Tip, text: str, reviewer: User) -> TipMessage:
    """A reviewer's reply, shown to the sender when they come back with the code."""
    with transaction.atomic():
        message = TipMessage.objects.create(
            tip=tip,
            author="reviewer",
            text=text,
            written_by=reviewer,
            written_on=timezone.localdate(),
        )
        if tip.status == "new":
            # Saved, not updated in place: the move is in the audit log like a status
            # set by hand (day-only, as every entry about a tip).
            tip.status = "handling"
            tip.save(update_fields=["status"])
    return message


def tip_set_status(*, tip: Tip, status: str) -> Tip:
    if status not in dict(Tip.STATUSES):
        raise ValueError(f"unknown status {status!r}")
    tip.status = status
    tip.save(update_fields=["status"])
    return tip


class TipDrafted(Exception):
    """The tip was made into a draft already (a second click, or two reviewers at once):
    nothing new was made. `deployment` is that draft (None if it was deleted since)."""

    def __init__(self, deployment: Deployment | None) -> None:
        super().__init__("tip already drafted")
        self.deployment = deployment


# A draft's technology when the reviewer names none (she corrects it in the draft).
DEFAULT_TECHNOLOGY = "videosurveillance"
# Of a tip's first line, what a draft's title takes.
TITLE_WORDS = 100


def _draft_title(text: str, tip: Tip) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > TITLE_WORDS:
        first = first[:TITLE_WORDS].rsplit(maxsplit=1)[0] + " […]"
    if not first:
        with translation.override(settings.LANGUAGE_CODE):
            first = _("Tip %(number)s") % {"number": tip.id}
    return f"{first} – {tip.place.name}"[:300] if tip.place else first[:300]


def tip_to_deployment(
    *,
    tip: Tip,
    reviewer: User,
    technology: str = "",
    cite: Sequence[int] = (),
    communes: Sequence[str] = (),
) -> Deployment:
    """A draft deployment from the tip, linked both ways (the tip to the draft, the draft's
    first version says "tip N"). It takes the tip's commune, the technology the reviewer
    chose (video surveillance if none), and the tip's text as its description with the
    personal data the library masks in quotes replaced by [X] (the rule of every private
    text put in the registry): an address or a number the sender wrote would be
    published with the draft. The sender's later messages are not copied, and the tip's
    files are cited only when the reviewer chooses them (`cite`, ids of the tip's
    documents), as library documents, private until published with their redactions.
    `communes` (INSEE codes) place a tip that names no commune. Raises TipDrafted when
    the tip already has a draft, ValidationError when the data does not pass."""
    with transaction.atomic():
        locked = Tip.objects.select_for_update(of=("self",)).select_related("place").get(id=tip.id)
        if locked.deployment_id is not None:
            raise TipDrafted(Deployment.objects.filter(id=locked.deployment_id).first())
        text = personal_data_masked(locked.text).strip()
        chosen = locked.documents.filter(id__in=list(cite)).order_by("id")
        data = empty_deployment()
        data.update(
            title=_draft_title(text, locked),
            status="announced",
            is_published=False,
            communes=[locked.place.code] if locked.place else list(communes),
            # Every deployment names one; the watch's drafts take the same default.
            technologies=[technology or DEFAULT_TECHNOLOGY],
            description=text[:20_000],
            citations=[
                {
                    "source": {"document": d.id, **document_source_fields(d), "url": ""},
                    "quote": "",
                    "locator": "",
                    "accessed_on": timezone.localdate().isoformat(),
                }
                for d in chosen
            ],
        )
        with translation.override(settings.LANGUAGE_CODE):
            comment = _("made from tip %(number)s") % {"number": locked.id}
        deployment = deployment_create(data=data, author=reviewer, comment=comment)
        locked.deployment = deployment
        fields = ["deployment"]
        if locked.status == "new":
            locked.status = "handling"
            fields.append("status")
        locked.save(update_fields=fields)
        return deployment


def tip_origins(reader: Any, deployment: Deployment) -> list[tuple[str, str]]:
    """The tips a draft was made from, as links to them in the reviewers' list, for
    whoever handles tips; nobody else learns that a tip was behind it."""
    if not may_handle_tips(reader):
        return []
    return [
        (
            _("anonymous tip %(number)s (reviewers only)") % {"number": tip.id},
            f"{reverse('tip-queue')}?status={tip.status}#tip-{tip.id}",
        )
        for tip in Tip.objects.filter(deployment=deployment).order_by("id")
    ]
