"""Writes of access-to-documents requests: bodies, requests and campaigns, sending,
events, answers into the library, reminders."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.access import letters
from contrechamp.access.deadlines import (
    NO_ACKNOWLEDGEMENT,
    NOTE_TEXTS,
    Calendar,
    Deadline,
    Facts,
    Note,
    add_months,
    compute,
    subdivision_of,
)
from contrechamp.access.models import (
    Attachment,
    Campaign,
    DirectoryEntry,
    Event,
    FeedToken,
    PublicBody,
    ReminderLog,
    Request,
)
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune, Department, Epci, PlaceDataLoad, Region

# The event that sets a request's status, latest first wins.
_STATUS_OF_EVENT = {
    "reply": "answered",
    "partial": "partial",
    "refusal": "refused",
    "implicit_refusal": "refused",
    "cada_referral": "cada",
    "cada_ack": "cada",
    "cada_opinion": "cada",
    "decision": "cada",
    "court": "court",
    "judgment": "closed",
    "withdrawal": "withdrawn",
}


DEADLINE_NAMES = {
    "received": gettext_lazy("Estimated receipt of the request"),
    "reminder": gettext_lazy("Reminder to the administration"),
    "implicit_refusal": gettext_lazy("Implicit refusal"),
    "cada_referral_limit": gettext_lazy("Last day to refer to the CADA"),
    "cada_opinion_due": gettext_lazy("CADA opinion due"),
    "refusal_confirmed": gettext_lazy("Refusal confirmed by silence"),
    "decision_after_opinion": gettext_lazy("Administration's decision after the opinion"),
    "court_limit": gettext_lazy("Last day to apply to the tribunal administratif"),
}


DEADLINE_ACTIONS = {
    "received": gettext_lazy(
        "Record the date of receipt when the acknowledgement or the postal proof arrives: "
        "every date below depends on it."
    ),
    "reminder": gettext_lazy("Send a reminder: one week before silence becomes a refusal."),
    "implicit_refusal": gettext_lazy(
        "Without an answer, the request is refused: it can be referred to the CADA from this date."
    ),
    "cada_referral_limit": gettext_lazy(
        "Refer the refusal to the CADA before this date; the referral is required before "
        "any court application."
    ),
    "cada_opinion_due": gettext_lazy(
        "The CADA should have given its opinion; it often takes longer, which does not "
        "change the dates below."
    ),
    "refusal_confirmed": gettext_lazy(
        "Without a new decision, the refusal is final: the tribunal administratif can be seized."
    ),
    "decision_after_opinion": gettext_lazy(
        "The administration tells the CADA what it decides; after a favourable opinion, "
        "send the letter asking for the documents again."
    ),
    "court_limit": gettext_lazy("Apply to the tribunal administratif before the end of this day."),
}


def deadline_name(deadline: Deadline) -> str:
    return str(DEADLINE_NAMES.get(deadline.key, deadline.name))


def deadline_action(deadline: Deadline) -> str:
    return str(DEADLINE_ACTIONS.get(deadline.key, deadline.action))


def deadline_note(note: Note) -> str:
    """The note in the active language, its dates as the pages write dates."""
    from django.utils.formats import date_format

    text = _(NOTE_TEXTS[note.key]) % {k: date_format(v) for k, v in note.dates.items()}
    if note.key == "silence_mentions" and note.acknowledged is False:
        text = f"{_(NO_ACKNOWLEDGEMENT)} {text}"
    return text


def today() -> dt.date:
    return timezone.localdate()


# --- bodies -----------------------------------------------------------------------------
# The bodies of the places dataset are made the first time a request goes to them; forms
# and the API name them by reference: "commune:42218", "epci:244200770", "department:42",
# "prefecture:42", "region:84"; a body added by hand is "body:17".
# A campaign is followed request by request: beyond this many, split it.
CAMPAIGN_MAX_REQUESTS = 1000


def _body(lookup: dict[str, Any], **defaults: Any) -> PublicBody:
    try:
        with transaction.atomic():
            body, _created = PublicBody.objects.get_or_create(**lookup, defaults=defaults)
    except IntegrityError:  # made meanwhile by another request
        body = PublicBody.objects.get(**lookup)
    return body


def body_for_commune(commune: Commune) -> PublicBody:
    """The commune's own body (its town hall)."""
    return _body({"kind": "commune", "commune": commune}, name=_body_name("commune", commune))


def bodies_for_communes(communes: list[Commune]) -> list[PublicBody]:
    """The town halls of many communes at once (a campaign across a department), in
    the order given: those missing made together."""

    def existing() -> dict[int, PublicBody]:
        found = PublicBody.objects.filter(kind="commune", commune__in=communes)
        return {b.commune_id: b for b in found.select_related("commune__department")}  # type: ignore[misc]

    known = existing()
    missing = [c for c in communes if c.id not in known]
    if missing:
        PublicBody.objects.bulk_create(
            [PublicBody(kind="commune", commune=c, name=_body_name("commune", c)) for c in missing],
            ignore_conflicts=True,  # made meanwhile by another request
        )
        known = existing()
    return [known[c.id] for c in communes]


def _body_name(kind: str, place: Any) -> str:
    if kind == "commune":
        return f"Mairie de {place.name}"
    if kind == "department":
        return f"Conseil départemental ({place.name})"
    if kind == "prefecture":
        return f"Préfecture ({place.name})"
    if kind == "region":
        return f"Conseil régional ({place.name})"
    return str(place.name)


def body_for_place(kind: str, place: Any) -> PublicBody:
    """The body of a place of the dataset: a commune's town hall, an intercommunality,
    a department's council or its prefecture, a region's council; for "body", the body
    added by hand itself (what `body_reference` returns, made into a body)."""
    if kind == "body":
        return place
    if kind == "commune":
        return body_for_commune(place)
    name = _body_name(kind, place)
    if kind == "epci":
        # Its department, for the holidays of the deadlines: where most members are.
        main = (
            place.communes.values("department")
            .annotate(n=Count("id"))
            .order_by("-n", "department")
            .first()
        )
        return _body(
            {"kind": "epci", "epci": place},
            name=name,
            department_id=main["department"] if main else None,
        )
    if kind in ("department", "prefecture"):
        return _body({"kind": kind, "department": place}, name=name)
    if kind == "region":
        return _body({"kind": "region", "region": place}, name=name)
    raise ValueError(kind)


def body_reference(reference: str) -> tuple[str, Any]:
    """What a reference names: ("epci", <Epci>), ("body", <PublicBody>)…, without
    making anything. A reference may end a label: "Préfecture (Loire) [prefecture:42]"."""
    match = re.search(r"\[?\b([a-z]+):([0-9A-Za-z]+)\]?\s*$", reference.strip())
    kind, code = match.groups() if match else ("", "")
    found: Any = None
    if kind == "commune":
        found = Commune.objects.filter(code=code).first()
    elif kind == "epci":
        found = Epci.objects.filter(siren=code).first()
    elif kind in ("department", "prefecture"):
        found = Department.objects.filter(code=code.upper()).first()
    elif kind == "region":
        found = Region.objects.filter(code=code).first()
    elif kind == "body" and code.isdigit():
        found = PublicBody.objects.filter(id=int(code)).first()
    if found is None:
        raise ValidationError(_("No public body answers to “%s”.") % reference.strip())
    return kind, found


def directory_sync() -> int:
    """Rebuild the bodies directory when the places were loaded again since it was built
    (a load is rare; a search is not). Returns the places load it reflects (0: none)."""
    latest = PlaceDataLoad.objects.order_by("-id").values_list("id", flat=True).first() or 0
    built = DirectoryEntry.objects.values_list("places_load", flat=True).first()
    if built == latest:
        return latest
    entries: list[DirectoryEntry] = []

    def add(kind: str, code: str, name: str, place_name: str) -> None:
        entries.append(
            DirectoryEntry(
                reference=f"{kind}:{code}",
                kind=kind,
                name=name,
                name_key=name_key(place_name),
                code=code.upper(),
                position=len(entries),
                places_load=latest,
            )
        )

    for region in Region.objects.all():
        add("region", region.code, _body_name("region", region), region.name)
    for department in Department.objects.all():
        for kind in ("prefecture", "department"):
            name = _body_name(kind, department)
            add(kind, department.code, f"{name[:-1]}, {department.code})", department.name)
    for siren, name in Epci.objects.values_list("siren", "name"):
        add("epci", siren, name, name)
    try:
        with transaction.atomic():
            DirectoryEntry.objects.all().delete()
            DirectoryEntry.objects.bulk_create(entries, batch_size=500)
    except IntegrityError:  # rebuilt meanwhile by another process, from the same load
        pass
    return latest


def _starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a form the column's index serves. SQLite's LIKE
    is case-insensitive, so it cannot use an ordinary index and reads all 35,000
    communes; a range does, and under SQLite's binary collation the strings in
    [prefix, prefix + U+10FFFF) are exactly those that start with it. PostgreSQL's
    collation may not order that way (a locale collation can ignore U+10FFFF): LIKE."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def body_search(query: str, *, limit: int = 20) -> list[dict[str, str]]:
    """Bodies a request can go to whose name (accents optional) or code starts with or
    contains `query`: bodies added by hand, regions, departments and their prefectures,
    intercommunalities, then communes, most populated first. For autocompletion: three
    indexed queries, whatever the number of places."""
    key, code = name_key(query), query.strip().upper()
    if len(key) < 2:
        return []
    directory_sync()
    found = [
        {"reference": f"body:{body.id}", "name": body.name, "kind": body.kind}
        for body in PublicBody.objects.filter(
            commune__isnull=True,
            epci__isnull=True,
            department__isnull=True,
            region__isnull=True,
            name_key__contains=key,
        ).only("id", "name", "kind")[:limit]
    ]
    places = DirectoryEntry.objects.filter(Q(name_key__contains=key) | Q(code=code))
    found += [
        {"reference": entry.reference, "name": entry.name, "kind": entry.kind}
        for entry in places[: limit - len(found)]
    ]
    communes = Commune.objects.filter(
        _starts_with("name_key", key) | Q(code=code), kind="commune"
    ).order_by(F("population").desc(nulls_last=True), "code")
    for commune in communes[: max(limit - len(found), 0)]:
        name = _body_name("commune", commune)
        found.append(
            {
                "reference": f"commune:{commune.code}",
                "name": f"{name} ({commune.code})",
                "kind": "commune",
            }
        )
    return found[:limit]


def request_create(
    *,
    body: PublicBody,
    requester: Any,
    title: str,
    documents_asked: str,
    channel: str = "email",
    show_requester: bool = False,
    places: Iterable[Commune] = (),
    deployments: Iterable[Any] = (),
    campaign: Campaign | None = None,
) -> Request:
    if not title.strip():
        raise ValidationError(_("Give the request a subject."))
    if not any(line.strip() for line in documents_asked.splitlines()):
        raise ValidationError(_("List at least one document to ask for."))
    if channel not in dict(Request.CHANNELS):
        raise ValidationError(_("Choose e-mail or registered post."))
    with transaction.atomic():
        request = Request.objects.create(
            body=body,
            requester=requester,
            title=title.strip()[:300],
            documents_asked=documents_asked.strip(),
            channel=channel,
            show_requester=show_requester,
            campaign=campaign,
        )
        places = list(places)
        if body.commune_id and body.commune_id not in {p.id for p in places}:
            places.append(body.commune)  # type: ignore[arg-type]
        if places:
            request.places.add(*places)
        deployments = list(deployments)
        if deployments:
            request.deployments.add(*deployments)
        request.letter = letter(request, "request_" + channel, events=[])[1]
        request.save(update_fields=["letter"])
    return request


def campaign_create(
    *, bodies: list[PublicBody], requester: Any, title: str, **fields: Any
) -> Campaign:
    """The same request to many bodies (e.g. every commune of a department)."""
    if not bodies:
        raise ValidationError(_("Choose at least one body."))
    if len(bodies) > CAMPAIGN_MAX_REQUESTS:
        raise ValidationError(
            _("A campaign goes to at most %(max)d bodies; this one has %(n)d: split it.")
            % {"max": CAMPAIGN_MAX_REQUESTS, "n": len(bodies)}
        )
    with transaction.atomic():
        campaign = Campaign.objects.create(title=title.strip()[:300], created_by=requester)
        for body in bodies:
            request_create(body=body, requester=requester, title=title, campaign=campaign, **fields)
    return campaign


def requests_draft(
    *,
    requester: Any,
    title: str,
    communes: Iterable[Commune] = (),
    places: Iterable[tuple[str, Any]] = (),
    new_body: dict[str, str] | None = None,
    **fields: Any,
) -> Request | Campaign:
    """Draft a request to one body, or a campaign to several: the town halls of
    `communes`, the bodies of `places` (from `body_reference`), a body added by hand.
    Nothing is kept when the drafting fails."""
    with transaction.atomic():
        bodies = bodies_for_communes(list(communes))
        bodies += [body_for_place(kind, found) for kind, found in places]
        if new_body:
            if not new_body.get("name", "").strip():
                raise ValidationError(_("Give the new body a name."))
            bodies.append(PublicBody.objects.create(**new_body))
        bodies = list({body.id: body for body in bodies}.values())
        if not bodies:
            raise ValidationError(_("Choose the body the request goes to."))
        if len(bodies) == 1:
            return request_create(body=bodies[0], requester=requester, title=title, **fields)
        return campaign_create(bodies=bodies, requester=requester, title=title, **fields)


def request_send(
    *, request: Request, sent_on: dt.date, received_on: dt.date | None = None, channel: str = ""
) -> Request:
    """Record the request as sent (and received, when the proof is known)."""
    if sent_on > today():
        raise ValidationError(_("The date of sending cannot be in the future."))
    if received_on is not None and received_on < sent_on:
        raise ValidationError(_("The date of receipt cannot come before the date of sending."))
    if channel:
        request.channel = channel
    request.sent_on, request.received_on = sent_on, received_on
    if request.status == "draft":
        request.status = "sent"
    request.letter = letter(request, "request_" + request.channel)[1]
    request.save()
    implicit_refusal_sync(request)
    return request


def event_add(
    *,
    request: Request,
    kind: str,
    date: dt.date,
    note: str = "",
    favourable: bool | None = None,
    document: Any = None,
    user: Any = None,
    series: bool = False,
) -> Event:
    """Add to the timeline (`series`: recorded for every request of a series at once);
    the status and the recorded implicit refusal follow."""
    if kind not in dict(Event.KINDS):
        raise ValidationError(_("Unknown event."))
    if request.sent_on is None:
        raise ValidationError(_("Record the request as sent first."))
    if date < request.sent_on:
        raise ValidationError(_("An event cannot come before the request was sent."))
    if date > today():
        raise ValidationError(_("An event cannot be in the future."))
    with transaction.atomic():
        event = Event.objects.create(
            request=request,
            kind=kind,
            date=date,
            note=note.strip(),
            favourable=favourable,
            document=document,
            created_by=user,
            series=series,
        )
        if kind == "acknowledgement" and request.received_on is None:
            request.received_on = date
        request.save(update_fields=["received_on", "updated_at"])
        implicit_refusal_sync(request)  # sets the status the timeline now gives
    return event


# An answer or a refusal on or before the implicit refusal's date means there was no
# silence; a withdrawal ends the request.
_ENDS_SILENCE = ("reply", "partial", "refusal", "withdrawal")


def implicit_refusal_sync(
    request: Request, on: dt.date | None = None, events: list[Event] | None = None
) -> Event | None:
    """Record the implicit refusal once its date has come (one month of silence after
    receipt, R311-12 and R311-13 CRPA), as an automatic event of the timeline, so that
    statuses and statistics count it; keep it in step when the facts change (a receipt
    or an answer recorded late moves or removes it). Returns the recorded event."""
    on = on or today()
    # `events`: the request's as read by the caller; otherwise read now.
    events = list(request.events.order_by("date", "id")) if events is None else list(events)
    recorded = [e for e in events if e.automatic and e.kind == "implicit_refusal"]
    due = None
    manual = any(e.kind == "implicit_refusal" and not e.automatic for e in events)
    if request.sent_on and not manual:
        implicit = compute(facts(request, events)).get("implicit_refusal")
        if implicit and implicit.date <= on:
            silent = not any(e.kind in _ENDS_SILENCE and e.date <= implicit.date for e in events)
            due = implicit.date if silent else None
    with transaction.atomic():
        event = None
        if due is not None:
            event = recorded.pop(0) if recorded else None
            if event is None:
                event = Event.objects.create(
                    request=request, kind="implicit_refusal", date=due, automatic=True
                )
                events.append(event)
            elif event.date != due:
                event.date = due
                event.save(update_fields=["date"])
        for stale in recorded:
            stale.delete()
            events.remove(stale)
        status = status_of(request, events)
        if status != request.status:
            request.status = status
            request.save(update_fields=["status", "updated_at"])
    return event


def implicit_refusals_record(*, on: dt.date | None = None) -> int:
    """The daily pass: record the implicit refusals whose date has come. Returns how
    many requests became implicitly refused."""
    count = 0
    ids = list(Request.objects.filter(status="sent").values_list("id", flat=True))
    for start in range(0, len(ids), 500):  # one transaction per batch, not per request
        batch = Request.objects.filter(id__in=ids[start : start + 500], status="sent")
        batch = batch.select_related("body__commune__department", "body__department")
        with transaction.atomic():
            for request in batch.prefetch_related("events"):
                events = list(request.events.all())
                if implicit_refusal_sync(request, on, events) is not None:
                    count += 1
    return count


def status_of(request: Request, events: list[Event] | None = None) -> str:
    """The status the timeline gives (`events`: the request's, when the caller has them)."""
    if events is None:
        events = list(request.events.order_by("date", "id"))
    status = "sent" if request.sent_on else "draft"
    for event in sorted(events, key=lambda e: (e.date, e.id)):
        if event.kind == "decision" and event.favourable:
            status = "answered"
        elif event.kind in _STATUS_OF_EVENT:
            status = _STATUS_OF_EVENT[event.kind]
    return status


def answer_attach(
    *, request: Request, data: bytes, filename: str, kind: str, date: dt.date, user: Any
) -> Event:
    """A file received in answer: into the library (private until redacted and
    published), linked to the request and its places, and to the timeline."""
    from contrechamp.documents.services import document_ingest

    if kind not in ("reply", "partial", "refusal", "acknowledgement", "decision", "cada_opinion"):
        raise ValidationError(_("A file answers a request as a reply, a refusal or an opinion."))
    ingested = document_ingest(
        data=data,
        filename=filename,
        origin="access_request",
        places=list(request.places.all()),
        uploaded_by=user,
    )
    request.documents.add(ingested.document)
    return event_add(request=request, kind=kind, date=date, document=ingested.document, user=user)


# --- proofs and the CADA referral file ---------------------------------------------------
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# What a proof may be: a scan or photo, a PDF, the e-mail as sent, a text.
ATTACHMENT_KINDS = ("pdf", "image", "email", "text")


def attachment_add(
    *, request: Request, data: bytes, filename: str, kind: str = "sending", user: Any = None
) -> Attachment:
    """Keep a proof with the request (private to the requester and reviewers)."""
    import hashlib

    from contrechamp.documents import extract, files

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
        raise ValidationError(f"{filename}: {error}") from error
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
    from contrechamp.documents import files

    return files.read(attachment.path)


def _as_pdf(data: bytes) -> bytes:
    """A proof or a document as PDF pages, for the referral file."""
    from contrechamp.documents import extract

    sniffed = extract.sniff(data)
    rendition = extract.render(
        sniffed.kind, data, max_attachments=settings.DOCUMENT_MAX_ATTACHMENTS
    )
    return rendition.pdf if rendition.pdf is not None else data


def referral_file(request: Request, *, user: Any, series: bool = False) -> bytes:
    """What the CADA asks for, in one PDF: the referral letter (for the whole series when
    `series`), the request as sent, the proofs of sending and receipt, and the written
    refusal when the user may read the original (reviewers; a requester joins their own
    copy, which the letter lists)."""
    import pymupdf

    from contrechamp.documents import extract
    from contrechamp.documents import files as document_files
    from contrechamp.documents import permissions as document_permissions

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
        out.insert_pdf(pymupdf.open(stream=_as_pdf(attachment_data(attachment)), filetype="pdf"))
    if document_permissions.may_see_originals(user):
        for event in request.events.filter(kind__in=["refusal", "partial"]).exclude(document=None):
            refusal = document_files.rendition(event.document)  # type: ignore[arg-type]
            out.insert_pdf(pymupdf.open(stream=refusal, filetype="pdf"))
    data: bytes = out.tobytes(garbage=3, deflate=True)
    return data


# --- what the rules say ---------------------------------------------------------------


def facts(request: Request, events: list[Event] | None = None) -> Facts:
    if events is None:
        events = list(request.events.all())

    def first(*kinds: str, favourable: bool | None = None) -> dt.date | None:
        dates = [
            e.date
            for e in events
            if e.kind in kinds and (favourable is None or e.favourable is favourable)
        ]
        return min(dates) if dates else None

    # A refusal recorded after the request went to the CADA is the administration's new
    # decision, whatever kind the requester picked for it: a plain "explicit refusal"
    # there must not be lost behind the first refusal (R421-2 CJA turns on it).
    referred = first("cada_referral", "cada_ack")
    refusals = [e.date for e in events if e.kind == "refusal"]
    later = [d for d in refusals if referred is not None and d > referred]
    decided = [d for d in (first("decision", favourable=False), *later[:1]) if d is not None]
    return Facts(
        sent=request.sent_on,
        channel=request.channel,
        received=request.received_on or first("acknowledgement"),
        refused=first("refusal", "partial"),
        cada_registered=first("cada_ack"),
        cada_opinion=first("cada_opinion"),
        final_refusal=min(decided) if decided else None,
        subdivision=subdivision_of(request.body.department_code),
        acknowledged=any(e.kind == "acknowledgement" for e in events) if request.sent_on else None,
    )


def calendar(request: Request) -> Calendar:
    if request.status in ("draft", "answered", "closed", "withdrawn"):
        return Calendar()
    return compute(facts(request))


def implicitly_refused_on(
    request: Request, derived: Calendar | None = None, on: dt.date | None = None
) -> dt.date | None:
    """The date a sent request became implicitly refused, if that date has come
    (`derived`: its calendar, when the caller has it already)."""
    if request.status != "sent":
        return None
    implicit = (derived or calendar(request)).get("implicit_refusal")
    return implicit.date if implicit and implicit.date <= (on or today()) else None


def _receipt(known: Facts, derived: Calendar) -> dt.date | None:
    """The date of receipt: known, or estimated by the rules."""
    estimated = derived.get("received")
    return known.received or (estimated.date if estimated else None)


def next_deadline(request: Request, on: dt.date | None = None) -> Deadline | None:
    return calendar(request).next_after(on or today())


def letter(request: Request, kind: str, events: list[Event] | None = None) -> tuple[str, str]:
    """Subject and text of one of the request's letters, with the dates of the rules
    (`events`: the request's, when the caller has them)."""
    known = facts(request, events)
    derived = compute(known)

    def date_of(key: str) -> dt.date | None:
        deadline = derived.get(key)
        return deadline.date if deadline else None

    received = _receipt(known, derived)
    requester = request.requester
    name = requester.get_full_name() or requester.get_username()
    context = {
        "request": request,
        "body": request.body,
        "asked": request.asked(),
        "requester": name,
        "received": received,
        "received_estimated": known.received is None,
        "refused": known.refused,
        "implicit_refusal": date_of("implicit_refusal"),
        "cada_opinion": known.cada_opinion,
        "deadlines": derived.deadlines,
    }
    campaign = request.campaign
    if kind == "cada_referral_series" and campaign is not None:
        context["series"] = series_rows(campaign)
    if kind == "series_notice" and campaign is not None and campaign.referral_lead:
        context["referred_on"] = campaign.referred_on
        context["lead_body"] = campaign.referral_lead.body.name
    return letters.render(kind, context)


# --- campaigns and series ---------------------------------------------------------------
# The same request sent by the same requester to at least this many administrations is a
# series (L342-1 CRPA, second and third paragraphs, from the loi 3DS of 21 February 2022,
# and its decree): the CADA is then referred only one refusal, the requester identifies
# every request of the series and informs the administrations, and one opinion is given.
SERIES_MIN_REQUESTS = 5


def with_timeline(requests: Any) -> Any:
    """The requests with what their dates are computed from read in a fixed number of
    queries, whatever their number: the body's department (for its holidays) and the
    events (prefetched, so `facts` reads no more)."""
    return requests.select_related(
        "body__commune__department", "body__department", "campaign"
    ).prefetch_related("events")


def campaign_requests(campaign: Campaign) -> list[Request]:
    return list(with_timeline(campaign.requests.all()).order_by("body__name", "id"))


def is_series(campaign: Campaign) -> bool:
    """Enough of its requests are sent for the CADA to treat them as a series."""
    return campaign.requests.exclude(sent_on=None).count() >= SERIES_MIN_REQUESTS


def awaits_referral(request: Request, implicit_since: dt.date | None) -> bool:
    """Refused (explicitly, in part, or by silence since `implicit_since`, from
    `implicitly_refused_on`) and not yet referred to the CADA."""
    return request.status in ("refused", "partial") or implicit_since is not None


def series_refused(campaign: Campaign, on: dt.date | None = None) -> list[Request]:
    """The requests of a campaign awaiting a referral on `on`."""
    return [
        request
        for request in campaign_requests(campaign)
        if awaits_referral(request, implicitly_refused_on(request, on=on))
    ]


def _state(request: Request, on: dt.date) -> str:
    """Where a request of a series stands, in French, for the grouped referral."""
    events = list(request.events.order_by("date", "id"))
    known = facts(request, events)

    def first(kind: str) -> dt.date | None:
        return next((e.date for e in events if e.kind == kind), None)

    if request.status in ("answered", "closed"):
        replied = first("reply")
        return f"réponse reçue le {_french_date(replied)}" if replied else "communiquée"
    if request.status == "withdrawn":
        return "demande retirée"
    if known.refused:
        what = "communication partielle" if first("partial") else "refus exprès"
        return f"{what} du {_french_date(known.refused)}"
    implicit = implicitly_refused_on(request, on=on) or first("implicit_refusal")
    if implicit:
        return f"refus implicite né le {_french_date(implicit)}"
    return "sans réponse, délai d'un mois non expiré"


def _french_date(day: dt.date) -> str:
    from django.utils.formats import date_format

    with translation.override("fr"):
        return date_format(day, "j F Y")


def series_rows(campaign: Campaign, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every sent request of the series, as the grouped referral lists them."""
    on = on or today()
    return [
        {
            "request": request,
            "body": request.body.name,
            "sent": request.sent_on,
            "received": request.received_on,
            "state": _state(request, on),
        }
        for request in campaign_requests(campaign)
        if request.sent_on
    ]


def campaign_send(
    *,
    campaign: Campaign,
    sent_on: dt.date,
    channel: str = "",
    received_on: dt.date | None = None,
) -> int:
    """Record every draft of the campaign as sent the same day. Returns how many."""
    drafts = [r for r in campaign_requests(campaign) if r.status == "draft"]
    with transaction.atomic():
        for request in drafts:
            request_send(request=request, sent_on=sent_on, received_on=received_on, channel=channel)
    return len(drafts)


def campaign_refer(
    *, campaign: Campaign, lead: Request | None, date: dt.date, user: Any
) -> list[Event]:
    """The grouped referral of a series: one refusal (`lead`) referred to the CADA on
    behalf of every refused request of the series, each of which gets the referral in
    its timeline. Once made, refusals that came since join it (`lead` unused)."""
    if not is_series(campaign):
        raise ValidationError(
            _(
                "Fewer than %d requests of this campaign were sent: it is not a series, "
                "each refusal is referred to the CADA on its own."
            )
            % SERIES_MIN_REQUESTS
        )
    refused = series_refused(campaign, on=date)
    if campaign.referred_on and not refused:
        raise ValidationError(_("No refused request of the series is left to refer."))
    if not campaign.referred_on and (lead is None or lead.id not in {r.id for r in refused}):
        raise ValidationError(_("The referral is made on a refused request of the series."))
    with transaction.atomic():
        events = [
            event_add(request=request, kind="cada_referral", date=date, user=user, series=True)
            for request in refused
        ]
        if not campaign.referred_on:
            campaign.referral_lead, campaign.referred_on = lead, date
            campaign.save(update_fields=["referral_lead", "referred_on"])
    return events


def campaign_event(
    *,
    campaign: Campaign,
    kind: str,
    date: dt.date,
    favourable: bool | None = None,
    note: str = "",
    user: Any = None,
) -> list[Event]:
    """What the CADA does once for the whole series (registers the referral, gives its
    one opinion), recorded on every request it was referred for."""
    if kind not in ("cada_ack", "cada_opinion"):
        raise ValidationError(_("Only the CADA's registration and opinion concern a series."))
    if not campaign.referred_on:
        raise ValidationError(_("Record the grouped referral first."))
    referred = set(
        Event.objects.filter(
            request__campaign=campaign, kind="cada_referral", series=True
        ).values_list("request_id", flat=True)
    )
    with transaction.atomic():
        return [
            event_add(
                request=request,
                kind=kind,
                date=date,
                favourable=favourable,
                note=note,
                user=user,
                series=True,
            )
            for request in campaign_requests(campaign)
            if request.id in referred
        ]


def answered_on_time(request: Request) -> bool:
    """A reply (or a partial one) within the month after receipt (the events read once,
    prefetched by `with_timeline` for a list)."""
    events = list(request.events.all())
    known = facts(request, events)
    received = _receipt(known, compute(known))
    if received is None:
        return False
    limit = add_months(received, 1)
    return any(e.kind in ("reply", "partial") and e.date <= limit for e in events)


# --- the private feed of deadlines ------------------------------------------------------


def _feed_digest(token: str) -> str:
    # SHA-256, not a slow password hash: the key is 256 random bits, nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_renew(*, user: Any) -> str:
    """A new random key for the user's feed address, replacing (revoking) the old one.
    Returns the key: the only time it exists outside the feed reader, since only its
    hash is stored."""
    token = secrets.token_urlsafe(32)
    # The date shown is the current key's, not the first one's.
    FeedToken.objects.update_or_create(
        user=user, defaults={"digest": _feed_digest(token), "created_at": timezone.now()}
    )
    return token


def feed_token_user(token: str) -> Any:
    """The active user whose feed this key opens, or None."""
    found = (
        FeedToken.objects.select_related("user")
        .filter(digest=_feed_digest(token), user__is_active=True)
        .first()
    )
    return found.user if found else None


# --- reminders ------------------------------------------------------------------------


def due_soon(
    user: Any, *, on: dt.date | None = None, days: int = 7
) -> list[tuple[Request, Deadline]]:
    """The user's requests with a date within `days`, soonest first."""
    on = on or today()
    items = []
    for request in (
        Request.objects.filter(requester=user)
        .exclude(status__in=["draft", "answered", "closed", "withdrawn"])
        .select_related("body__commune__department", "body__department")
    ):
        for deadline in calendar(request).deadlines:
            if on <= deadline.date <= on + dt.timedelta(days=days):
                items.append((request, deadline))
    return sorted(items, key=lambda item: item[1].date)


def reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each requester what is due within 7 days, once a day. Returns how many
    e-mails were sent."""
    from django.contrib.auth import get_user_model

    day = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(access_requests__isnull=False).distinct()
    for user in users:
        items = due_soon(user, on=day)
        if not items or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, day=day, items=len(items))
        except IntegrityError:
            continue  # already reminded today
        with translation.override("fr"):
            lines = [
                f"- {deadline.date.isoformat()} : {deadline_name(deadline)} — {request.title} "
                f"({request.body.name}), {settings.SITE_URL}{request.get_absolute_url()}"
                for request, deadline in items
            ]
        send_mail(
            f"Contrechamp : {len(items)} échéance(s) dans les 7 jours",
            "\n".join(lines) + "\n",
            None,
            [user.email],
        )
        sent += 1
    return sent
