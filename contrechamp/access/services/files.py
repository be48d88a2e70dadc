"""Files of a request: the private proofs kept with it (sending, receipt), and the CADA
referral file assembled as one PDF."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pymupdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contrechamp.access.models import AccessRequest, Attachment, Event
from contrechamp.access.services.letters import letter
from contrechamp.documents import extract, files
from contrechamp.documents import permissions as document_permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

    # Who asks for the referral file: whether they may read originals decides what it holds.
    Viewer = AbstractBaseUser | AnonymousUser


ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


# What a proof may be: a scan or photo, a PDF, the e-mail as sent, a text.
ATTACHMENT_KINDS = ("pdf", "image", "email", "text")


def attachment_add(
    *,
    request: AccessRequest,
    data: bytes,
    filename: str,
    kind: str = "sending",
    user: User | None = None,
) -> Attachment:
    """Keep a proof with the request (private to the requester and reviewers)."""
    if kind not in dict(Attachment.KINDS):
        raise ValidationError(_("Unknown kind of proof."))
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("A proof may weigh %d MB at most.") % (ATTACHMENT_MAX_BYTES // 1024 // 1024)
        )
    try:
        sniffed = extract.sniff(data)
    except extract.DocumentError as error:
        raise ValidationError(
            _("%(file)s: %(reason)s") % {"file": filename, "reason": error.translated()}
        ) from error
    if sniffed.kind not in ATTACHMENT_KINDS:
        raise ValidationError(
            _("A proof is a PDF, an image, an e-mail (.eml) or a text file; “%s” is none.")
            % filename
        )
    attachment = Attachment(
        request=request,
        kind=kind,
        filename=filename[:255] or "preuve",
        mime=sniffed.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    files.save(attachment.path, data)
    attachment.save()
    return attachment


def attachment_data(attachment: Attachment) -> bytes:
    return files.read(attachment.path)


def _as_pdf(data: bytes) -> bytes:
    """A proof or a document as PDF pages, for the referral file."""
    sniffed = extract.sniff(data)
    rendition = extract.render(
        sniffed.kind, data, max_attachments=settings.DOCUMENT_MAX_ATTACHMENTS
    )
    return rendition.pdf if rendition.pdf is not None else data


def missing_proofs(request: AccessRequest) -> list[str]:
    """The proofs the referral letter lists ("preuve de son envoi et de sa réception")
    that no file kept with the request gives, by their kinds' names: the letter promised
    them and the file came without them, unsaid (a new user's walk)."""
    kept = {a.kind for a in request.attachments.all()}
    wanted = ["sending"] + (["receipt"] if request.received_on else [])
    names = dict(Attachment.KINDS)
    return [str(names[kind]) for kind in wanted if kind not in kept]


def referral_file(request: AccessRequest, *, user: Viewer, series: bool = False) -> bytes:
    """What the CADA asks for, in one PDF: the referral letter (for the whole series when
    `series`), the request as sent, the proofs of sending and receipt, and the written
    refusal when the user may read the original (reviewers) or filed it themselves (the
    file they sent, whose bytes they hold: the letter lists it; another editor of the
    request joins their own copy)."""
    kind = "cada_referral_series" if series else "cada_referral"
    parts = [
        letter(request, kind),
        letter(request, "request_" + request.channel),
    ]
    with translation.override("fr"):
        titles = [_("Referral to the CADA"), _("The request as sent")]
    out = pymupdf.open()
    for title, (subject, text) in zip(titles, parts, strict=True):
        blocks = [("h1", str(title)), ("meta", subject)]
        blocks += [("p", part) for part in text.split("\n\n")]
        out.insert_pdf(pymupdf.open(stream=extract.text_pdf(blocks), filetype="pdf"))
    for attachment in request.attachments.all():
        _join_proof(out, attachment)
    with translation.override("fr"):
        if missing := missing_proofs(request):
            note = (
                "Pièces à joindre vous-même, que ce dossier ne contient pas : "
                + " ; ".join(missing)
                + "."
            )
            out.insert_pdf(pymupdf.open(stream=extract.text_pdf([("p", note)]), filetype="pdf"))
    reviewer = document_permissions.may_see_originals(user)
    decisions = request.events.filter(kind__in=["refusal", "partial"]).exclude(document=None)
    for event in decisions.select_related("document").order_by("date", "id"):
        if reviewer or (user.pk is not None and event.created_by_id == user.pk):
            _join_decision(out, event)
    data: bytes = out.tobytes(garbage=3, deflate=True)
    return data


def _joined(out: pymupdf.Document, data: bytes) -> bool:
    """Join `data`'s pages to `out`; False when it cannot be read or joined (damaged,
    cut short, under a password, past the pages the library reads)."""
    try:
        with pymupdf.open(stream=_as_pdf(data), filetype="pdf") as pdf:
            if pdf.needs_pass or pdf.page_count > settings.DOCUMENT_MAX_PAGES:
                return False
            out.insert_pdf(pdf)
            return True
    except (extract.DocumentError, ValueError, RuntimeError, OSError):
        return False


def _join_note(out: pymupdf.Document, note: str) -> None:
    out.insert_pdf(pymupdf.open(stream=extract.text_pdf([("p", note)]), filetype="pdf"))


def _join_proof(out: pymupdf.Document, attachment: Attachment) -> None:
    """A proof's pages; one that cannot be read is named instead, so that the rest of
    the file still comes (a hostile review: a receipt under a password, or a download cut
    short, made the referral file answer 500 for good, proofs having no delete)."""
    if _joined(out, attachment_data(attachment)):
        return
    with translation.override("fr"):
        note = (
            f"La pièce « {attachment.filename} » ({attachment.get_kind_display()}) n’a pas "
            "pu être jointe (fichier illisible ou protégé) : joignez-en vous-même une copie."
        )
    _join_note(out, note)


def _join_decision(out: pymupdf.Document, event: Event) -> None:
    """The decision's pages, from the original as the proofs are (a decision filed a
    minute ago has no rendition until the worker has read it); a file that cannot be read
    or joined (damaged, under a password, past the pages the library reads) is named
    instead, so that the letter, the request and the proofs still come (a hostile review:
    the whole file answered 500)."""
    assert event.document is not None
    try:
        data = files.original(event.document)
    except OSError:
        data = b""
    if data and _joined(out, data):
        return
    with translation.override("fr"):
        note = (
            f"La décision du {date_format(event.date, 'j F Y')} "
            f"({event.get_kind_display()}) n’a pas pu être jointe (fichier illisible ou "
            "protégé) : joignez-en vous-même une copie."
        )
    _join_note(out, note)
