"""Writes of the document library: ingest, the processing pipeline, entity review.

The pipeline is a list of steps; each keeps its input (the original and the files and
rows of the steps before it), writes its own output, and records status, duration and
error on its `Step` row. A step that is done is skipped, so processing can be resumed
after the worker is killed, and a task that runs twice does no harm.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import pymupdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from contrechamp.audit.recording import delete_derived, update_derived
from contrechamp.documents import extract, files, metadata, permissions, search
from contrechamp.documents.entities import detect_document
from contrechamp.documents.extract import DocumentError
from contrechamp.documents.models import Document, Entity, Page, Step
from contrechamp.documents.ocr import OcrError, OcrResult, recognise_many
from contrechamp.documents.reasons import Reasoned
from contrechamp.documents.review import ORGANISATION_ROLES, entity_role
from contrechamp.lib.personal import cued_names, detect
from contrechamp.lib.text import stored_text, without_invisible
from contrechamp.lib.typography import quoted
from contrechamp.places.models import Commune
from contrechamp.registry.models import Deployment, Source, Technology
from contrechamp.registry.schemas import empty_deployment
from contrechamp.registry.services import (
    deployment_create,
    deployment_snapshot,
    deployment_update,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Field

logger = logging.getLogger(__name__)

# A step interrupted this many times (worker killed, out of memory) is not tried again:
# the file is probably what kills the worker.
MAX_ATTEMPTS = 3
PAGE_BATCH = 25
MIN_TEXT_CHARS = 20


class DocumentRejected(Reasoned):
    """Refused before anything is stored (too large, no room): one of `reasons.REASONS`
    (`str()` in English for the command line, `translated()` for a page)."""


def _refuse_unhandled(data: bytes | File) -> None:
    """A file whose first bytes say it is of no type the library reads (a program, an old
    Office file, RTF) is refused at once, with the reason the worker would give: it was
    announced "added", then failed, and stayed in the library. (A ZIP is told apart by
    its directory, at its end: the worker reads it.)"""
    if isinstance(data, bytes):
        head = data[:2048]
    else:
        data.seek(0)
        head = data.read(2048)
        data.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return
    try:
        extract.sniff(head)
    except extract.DocumentError as error:
        raise DocumentRejected(error.key, **error.params) from None


# A file this small is read whole to tell whether it holds anything but blank space.
_BLANK_CHECKED = 4096


def _blank(data: bytes | File, size: int) -> bool:
    """Whether a file is empty (`extract.is_blank`: no byte, or nothing but white space
    and a byte-order mark, what the worker's `extract.sniff` would fail as empty)."""
    if size > _BLANK_CHECKED:
        return False
    if isinstance(data, bytes):
        return extract.is_blank(data)
    data.seek(0)
    head = data.read(_BLANK_CHECKED + 1)
    data.seek(0)
    return extract.is_blank(head)


@dataclass
class Ingested:
    document: Document
    created: bool
    # A file sent again: the places its sending added to the document (said to them).
    places_added: list[Commune] = dataclasses.field(default_factory=list)


def document_ingest(
    *,
    data: bytes | File,
    filename: str,
    title: str = "",
    origin: str = "other",
    places: Iterable[Commune] = (),
    uploaded_by: User | None = None,
    parent: Document | None = None,
) -> Ingested:
    """Store a file once (by SHA-256) and queue its processing. The same content sent
    again returns the existing document, with the new places added to it when the sender
    may (see below). `data` may be
    an uploaded file: it is then hashed and stored a chunk at a time, never read whole."""
    size = len(data) if isinstance(data, bytes) else data.size
    if _blank(data, size):
        # Refused at once, named, rather than stored and then failed by the worker: an
        # empty document in the library that anyone would have to clear away.
        raise DocumentRejected("empty_file", file=filename)
    if size > settings.DOCUMENT_MAX_BYTES:
        limit = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise DocumentRejected(
            "too_large", file=filename, size=round(size / 1048576, 1), limit=limit
        )
    if origin not in dict(Document.ORIGINS):
        raise DocumentRejected("unknown_origin", origin=repr(origin))
    _refuse_unhandled(data)
    if isinstance(data, bytes):
        digest = hashlib.sha256(data).hexdigest()
    else:
        hasher = hashlib.sha256()
        data.seek(0)
        for chunk in data.chunks():
            hasher.update(chunk)
        digest = hasher.hexdigest()
        data.seek(0)
    places = list(places)

    def again(existing: Document) -> Ingested:
        # The same file sent again adds its places to the document only for the one
        # who sent it first, a reviewer or the system: another person's copy does
        # not rewrite someone else's document (a new user's walk added Nice to a
        # deliberation of Grenoble, and the review then offered Nice's deployments).
        # A tip has no sender to trust: its commune stays with the tip (an anonymous
        # tip of a published document's bytes put Lyon's minutes on Marseille's page).
        if uploaded_by is None:
            trusted = origin != "tip"
        else:
            trusted = uploaded_by.pk == existing.uploaded_by_id or (
                permissions.may_see_originals(uploaded_by)
            )
        if places and trusted:
            held = set(existing.places.values_list("id", flat=True))
            added = [p for p in places if p.id not in held]
            existing.places.add(*added)
            return Ingested(existing, created=False, places_added=added)
        return Ingested(existing, created=False)

    with transaction.atomic():
        existing = Document.objects.filter(sha256=digest).first()
        if existing is not None:
            return again(existing)
        path = files.original_path(digest)
        # A file kept from before is young again: the sweep of files no document owns
        # does not take it while this document's row is being written.
        files.touch(path)
        if not files.exists(path):
            try:
                files.save(path, data)
            except OSError as error:
                if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                    raise
                logger.error("no room left to store %s: %s", digest, error)
                raise DocumentRejected("no_room", file=filename) from error
        try:
            with transaction.atomic():
                document = Document.objects.create(
                    sha256=digest,
                    size=size,
                    filename=filename[:255],
                    # (Without a right-to-left override, U+202E, nor a zero-width space:
                    # "Evil" after an override read "livE" in the list, and in the
                    # published title.)
                    title=without_invisible(title or _title_from(filename))[:400],
                    origin=origin,
                    parent=parent,
                    uploaded_by=uploaded_by,
                )
        except IntegrityError:
            # The same file, sent by someone else at the same moment, committed between
            # the look above and this row (two members mailed the same minutes; two
            # e-mails with one attachment): theirs is the document, as if sent first
            # (a 500 before, and the files after it in a batch had no answer).
            existing = Document.objects.filter(sha256=digest).first()
            if existing is None:
                raise
            return again(existing)
        if places:
            document.places.add(*places)
        transaction.on_commit(lambda: _enqueue(document.id))
    return Ingested(document, created=True)


def _title_from(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem.replace("_", " ").strip() or name


# How long a queued document is left to its waiting task before `documents_resume` queues
# it again. Its task is a row of the same database and does not vanish; this only catches
# one lost between a commit and its enqueue, or taken by a worker killed before it claimed
# the document. A second task for a document does nothing, so a long queue costs little.
QUEUE_HOLD = timedelta(hours=2)


def _free(now: datetime) -> Q:
    """Documents no worker and no waiting task holds."""
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _enqueue(document_id: int) -> None:
    from contrechamp.documents.tasks import document_process_task

    # While its task waits, the document is held by the queue (see QUEUE_HOLD).
    Document.objects.filter(id=document_id, status="queued").update(
        lease_until=timezone.now() + QUEUE_HOLD
    )
    _queued_day_only_for_a_tip(document_id, document_process_task.enqueue(document_id).id)


def _midnight(moment: datetime) -> datetime:
    """The start of `moment`'s day, in the site's time zone: what a tip's traces keep."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _queued_day_only_for_a_tip(document_id: int, task_id: str) -> None:
    """The queue's row of a tip's file keeps the day only, as the file's own row: it was
    written with the minute the tip was sent (a new user's walk read it in the admin's
    task results). The row is deleted once the task has run (`task_result_forget`)."""
    if not Document.objects.filter(id=document_id, origin="tip").exists():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id).update(enqueued_at=_midnight(timezone.now()))


def task_result_forget(sender: object, task_result: Any, **kwargs: object) -> None:
    """Once a tip's file is processed, its task's row goes from the queue's table: the
    worker wrote in it when it took the task and when it finished (the minute, a few
    minutes after the tip was sent). Other tasks' rows stay, pruned after a week (see
    settings.PERIODIC_JOBS)."""
    from contrechamp.documents.tasks import document_process_task

    path = getattr(getattr(task_result, "task", None), "module_path", "")
    args = getattr(task_result, "args", None) or []
    if path != document_process_task.module_path or not args:
        return
    document = Document.objects.filter(id=args[0]).only("origin").first()
    # A document gone since: its origin is unknown, and its row tells nothing any more.
    if document is None or document.origin == "tip":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(id=task_result.id).delete()


def documents_resume(
    *, release_leases: bool = False, catch_up_since: datetime | None = None
) -> int:
    """Queue again every unfinished document nobody holds: its worker was stopped or
    killed (its lease ran out), or its task was lost (the queue's hold ran out). What is
    held is read on the documents' own rows, never in the task queue's tables.
    `release_leases` frees documents held by a dead worker at once, for when no other
    worker can be running (one machine, on SQLite); otherwise their lease expires on its
    own. The pages of documents whose index commit was lost with its worker are indexed
    (`catch_up_since`: of documents indexed since then only). Returns how many were
    queued."""
    from contrechamp.documents.tasks import document_process_task

    now = timezone.now()
    unfinished = Document.objects.filter(status__in=["queued", "processing"])
    if release_leases:
        unfinished.filter(status="processing").update(lease_until=None)
    count = 0
    for document_id in unfinished.filter(_free(now)).values_list("id", flat=True):
        # Held for the queue, unless a worker claimed it in the meantime.
        held = unfinished.filter(_free(now), id=document_id).update(
            status="queued", lease_until=now + QUEUE_HOLD
        )
        if held:
            queued = document_process_task.enqueue(document_id)
            _queued_day_only_for_a_tip(document_id, queued.id)
            count += 1
    # Pages of documents processed by a worker that died before its commit of the index.
    search.index_catch_up(since=catch_up_since)
    return count


# --- the pipeline ---------------------------------------------------------------------


def lease() -> timedelta:
    """How long a document stays held without news from its worker: longer than the
    slowest single operation (one OCR page may take up to OCR_TIMEOUT)."""
    return timedelta(seconds=settings.OCR_TIMEOUT + 120)


def _heartbeat(document: Document) -> None:
    """Renew the lease, at most every tenth of it: a row write per step and per batch of
    pages was a good part of the bookkeeping of a short document."""
    now = time.monotonic()
    if now - getattr(document, "_lease_renewed", -1e9) < lease().total_seconds() / 10:
        return
    renewed = timezone.now() + lease()
    # Only the lease this process holds: after a pause longer than it, another worker may
    # have taken the document (see `_still_held`).
    if Document.objects.filter(id=document.id, lease_until=_held_lease(document)).update(
        lease_until=renewed
    ):
        document._held_lease = renewed  # type: ignore[attr-defined]
    document._lease_renewed = now  # type: ignore[attr-defined]


def _held_lease(document: Document) -> datetime | None:
    return getattr(document, "_held_lease", None)


def _still_held(document: Document) -> bool:
    """Whether this process still holds the document's lease; inside a transaction, the
    row is locked until it ends. A worker paused longer than its lease (a frozen machine)
    finds another worker on the document, and must not write its outcome over that one's
    (a document processed marked failed by the late worker's collision on its pages)."""
    held = _held_lease(document)
    return (
        held is not None
        and Document.objects.select_for_update().filter(id=document.id, lease_until=held).exists()
    )


def _save_steps(document: Document, writes: list[tuple[Step, list[str]]]) -> bool:
    """Write each step row's `fields` if this process still holds the document's lease, in
    the one query the write costs anyway (the lease read in its WHERE): all of them or
    none. A worker paused past its lease stops at its next step instead of writing over
    the rows of the worker that took the document over and running the rest of the steps
    alongside it. Two rows are written in one statement where the pipeline ends a step
    and starts the next (nothing runs between the two writes)."""
    held = _held_lease(document)
    if held is None:
        return False
    # In SQL of its own: the ORM's UPDATE through a join (a subquery) cost twice the
    # plain write in building the query alone, a tenth of a short document's ingest.
    names = list(dict.fromkeys(name for _, fields in writes for name in fields))
    step_fields = [cast("Field[Any, Any]", Step._meta.get_field(name)) for name in names]
    lease_field = cast("Field[Any, Any]", Document._meta.get_field("lease_until"))
    quote = connection.ops.quote_name
    id_column = quote("id")
    params: list[Any] = []
    assignments = []
    for field in step_fields:
        if len(writes) == 1:
            assignments.append(f"{quote(field.column)} = %s")
            params.append(field.get_db_prep_save(getattr(writes[0][0], field.attname), connection))
            continue
        # Each row its own value: a field one of the writes leaves alone keeps its value.
        cases = []
        for step, fields in writes:
            if field.name in fields:
                cases.append("WHEN %s THEN %s")
                params += [
                    step.id,
                    field.get_db_prep_save(getattr(step, field.attname), connection),
                ]
        assignments.append(
            f"{quote(field.column)} = CASE {id_column} {' '.join(cases)} "
            f"ELSE {quote(field.column)} END"
        )
    ids = [step.id for step, _ in writes]
    sql = (
        f"UPDATE {quote(Step._meta.db_table)} SET "
        + ", ".join(assignments)
        + f" WHERE {id_column} IN ({', '.join(['%s'] * len(ids))}) AND EXISTS (SELECT 1 FROM "
        f"{quote(Document._meta.db_table)} WHERE {id_column} = %s AND "
        f"{quote(lease_field.column)} = %s)"
    )
    params += [*ids, document.id, lease_field.get_db_prep_value(held, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == len(writes)


def _taken_over(document: Document) -> Document:
    logger.warning("document %s: another worker took it over; this one stops", document.id)
    _read_again(document)
    return document


def _read_again(document: Document) -> None:
    """`refresh_from_db`, unless the row is gone (deleted meanwhile: its uploader may
    delete a document no worker holds); then `document.pk` is None."""
    try:
        document.refresh_from_db()
    except Document.DoesNotExist:
        document.pk = None


def _claim(document: Document) -> bool:
    """Take the document for this process: a queued one whatever the hold of the queue (this
    is its task, or a spare one), one in processing only if its worker's lease ran out."""
    now = timezone.now()
    claimed = (
        Document.objects.filter(id=document.id)
        .filter(Q(status="queued") | (Q(status="processing") & _free(now)))
        .update(lease_until=now + lease(), status="processing")
    )
    document._lease_renewed = time.monotonic()  # type: ignore[attr-defined]
    return claimed == 1


def document_process(*, document: Document, batch_index: bool = False) -> Document:
    """Run the steps that are not done yet. Returns the document: done, failed, or left
    as it is when another process holds it. The search index gets the document before
    this returns, unless `batch_index`: then it waits with others for one commit of the
    index, and the caller calls `search.index_flush` when its batch is over (the worker
    when its queue is empty, `documents add --wait` at the end)."""
    if document.finished or not _claim(document):
        _read_again(document)
        return document
    document.refresh_from_db()
    document._held_lease = document.lease_until  # type: ignore[attr-defined]
    # What an earlier run on this same object read is no run's of now (a reprocessing).
    document.__dict__.pop("_final_texts", None)
    try:
        return _run_steps(document)
    finally:
        # Not another worker's lease, when this one's was taken over; none left to
        # release when the outcome's write released it.
        if _held_lease(document) is not None:
            Document.objects.filter(id=document.id, lease_until=_held_lease(document)).update(
                lease_until=None
            )
        if not batch_index:
            # After the commit of a transaction around this call, as the queueing.
            search.index_flush_after_commit()


def _run_steps(document: Document) -> Document:
    # The document's step rows, read (and made, the first time) all at once.
    steps = {s.name: s for s in Step.objects.filter(document=document)}
    missing = [Step(document=document, name=name) for name, _ in STEPS if name not in steps]
    if missing:
        try:
            # The rows come back with their ids (no second read), unless another process
            # made some at the same moment (its lease ran out): then read what is there.
            with transaction.atomic():
                Step.objects.bulk_create(missing)
            if any(s.pk is None for s in missing):  # an engine that does not return ids
                raise IntegrityError
            steps.update((s.name, s) for s in missing)
        except IntegrityError:
            steps = {s.name: s for s in Step.objects.filter(document=document)}
    # The "done" write of a step goes with the "running" write of the next one.
    finished: list[tuple[Step, list[str]]] = []
    for name, run in STEPS:
        _heartbeat(document)
        step = steps[name]
        # What "detect", "extract" and "index" find (kind, page count, date) is saved with
        # the document's final status (one write, one audit entry): a process stopped
        # before that runs them again (the extraction keeps the pages it stored).
        unsaved = (
            (name == "detect" and document.kind == "unknown")
            or (name == "extract" and document.page_count == 0)
            or (name == "index" and document.date is None and not document.date_corrected_by)
        )
        if step.status == "done" and not unsaved:
            continue
        if step.attempts >= MAX_ATTEMPTS:
            if finished and not _save_steps(document, finished):
                return _taken_over(document)
            return _fail(
                document,
                step,
                Reasoned("stopped", attempts=step.attempts, step=name),
            )
        step.status, step.attempts, step.error = "running", step.attempts + 1, ""
        step.error_detail = {}
        step.started_at, step.finished_at = timezone.now(), None
        running = ["status", "attempts", "error", "error_detail", "started_at", "finished_at"]
        if not _save_steps(document, [*finished, (step, running)]):
            return _taken_over(document)
        began = time.perf_counter()
        try:
            output = run(document)
        except (DocumentError, OcrError) as error:
            return _fail(document, step, error, began=began)
        except Exception as error:  # a bug, or a library choking on the file
            logger.exception("document %s: step %s failed", document.id, name)
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            return _fail(
                document, step, Reasoned("unexpected", step=name, error=detail), began=began
            )
        step.status, step.output = "done", output or {}
        step.finished_at = timezone.now()
        step.duration_ms = int((time.perf_counter() - began) * 1000)
        finished = [(step, ["status", "output", "finished_at", "duration_ms"])]
    if finished and not _save_steps(document, finished):
        return _taken_over(document)
    now = timezone.now()
    # What the file says of itself, written by the pipeline: no audit entry (see
    # `audit.recording.DERIVED_UPDATES`); the upload's "created" entry stays. One
    # statement checks that this worker still holds the document, writes its outcome and
    # releases the lease: a worker paused past its lease writes nothing.
    written = update_derived(
        Document.objects.filter(id=document.id, lease_until=_held_lease(document)),
        **{name: getattr(document, name) for name in _FOUND},
        status="done",
        error="",
        error_detail={},
        processed_at=now,
        updated_at=now,
        lease_until=None,
    )
    if not written:
        return _taken_over(document)
    document.status, document.error, document.processed_at = "done", "", now
    document.error_detail = {}
    document.updated_at, document.lease_until = now, None
    document._held_lease = None  # type: ignore[attr-defined]  # released with the outcome
    _day_only_for_a_tip(document)
    return document


def _day_only_for_a_tip(document: Document) -> None:
    """A file sent with a tip keeps the day it came, not the time: the tip promises its
    sender that (its upload, its processing a few minutes later and its steps' times
    would each tell when it was sent). Durations stay."""
    if document.origin != "tip":
        return
    day = _midnight(document.created_at)
    update_derived(
        Document.objects.filter(id=document.id),
        created_at=day,
        updated_at=day,
        processed_at=day if document.processed_at else None,
    )
    document.created_at = document.updated_at = day
    document.processed_at = day if document.processed_at else None
    steps = Step.objects.filter(document_id=document.id)
    steps.filter(started_at__isnull=False).update(started_at=day)
    steps.filter(finished_at__isnull=False).update(finished_at=day)
    # And its files on the disk (and in a backup's archive, which keeps their times).
    files.day_only(document, day)


# Fields of the document the steps fill in, saved with its final status.
_FOUND = ["kind", "mime", "page_count", *metadata.DATE_FIELDS]


def _fail(document: Document, step: Step, reason: Reasoned, began: float | None = None) -> Document:
    with transaction.atomic():
        if not _still_held(document):
            # The error is likely the other worker's rows (its pages): not the file's.
            return _taken_over(document)
        # In English, as the command line and the API show it, and as its key and details,
        # from which a page writes it in its reader's language.
        step.status, step.finished_at = "failed", timezone.now()
        step.error, step.error_detail = str(reason), reason.detail
        if began is not None:
            step.duration_ms = int((time.perf_counter() - began) * 1000)
        step.save()
        document.status, document.error = "failed", str(reason)
        document.error_detail = reason.detail
        document.processed_at = timezone.now()
        document.save(
            update_fields=[*_FOUND, "status", "error", "error_detail", "processed_at", "updated_at"]
        )
        _day_only_for_a_tip(document)
    return document


def _step_detect(document: Document) -> dict[str, Any]:
    data = files.original(document)
    sniffed = extract.sniff(data)
    # Saved with the extraction's results (one write of the document, one audit entry).
    document.kind, document.mime = sniffed.kind, sniffed.mime
    return {"kind": sniffed.kind, "mime": sniffed.mime, "bytes": len(data)}


def _step_extract(document: Document) -> dict[str, Any]:
    """Text layer of every page; pages without one are marked for OCR. Pages are written
    in batches, and a resumed run starts after the last page stored."""
    output: dict[str, Any] = {}
    if document.kind != "pdf":
        rendition_path = files.derived_path(document, "rendition.pdf")
        withheld = _attachments_withheld(document)
        rendition = extract.render(
            document.kind,
            files.original(document),
            max_attachments=settings.DOCUMENT_MAX_ATTACHMENTS,
            max_pages=settings.DOCUMENT_MAX_PAGES,
            attachments_withheld=withheld,
        )
        if withheld:
            output["attachments_withheld"] = withheld
        if rendition.pdf is not None:
            files.save(rendition_path, rendition.pdf)
        if rendition.date:
            metadata.date_from_file(document, (rendition.date, "day"), "metadata")
        if rendition.title and document.title == _title_from(document.filename):
            document.title = rendition.title[:400]
        document.save(update_fields=["kind", "mime", *metadata.DATE_FIELDS, "title", "updated_at"])
        children = []
        refused = []
        for attachment in rendition.attachments:
            # (`extract` leaves out an empty attachment, which the library would refuse.)
            try:
                child = document_ingest(
                    data=attachment.data,
                    filename=attachment.filename,
                    origin=document.origin,
                    places=document.places.all(),
                    uploaded_by=document.uploaded_by,
                    parent=document,
                ).document
            except DocumentRejected as rejected:
                # A program or a file of no type the library reads, attached: said in
                # the step's output (for reviewers), the e-mail kept.
                refused.append(f"{attachment.filename[:100]} ({rejected.translated()})")
                continue
            # An attachment already in the library keeps its parent (or none): it may be
            # someone else's document, which an e-mail must not take over nor move out of
            # the list. The link is kept in this step's output only.
            children.append(child.id)
        output["attachments"] = children
        if refused:
            output["attachments_refused"] = refused
    pdf = extract.open_pdf(
        files.rendition(document),
        max_pages=settings.DOCUMENT_MAX_PAGES,
        max_side=settings.DOCUMENT_MAX_PAGE_SIDE,
    )
    if document.kind == "pdf" and not document.date:
        metadata.date_from_file(document, _pdf_date(pdf.metadata or {}), "metadata")
    document.page_count = pdf.page_count
    done = set(Page.objects.filter(document=document).values_list("number", flat=True))
    batch: list[tuple[int, str, str, bool, float, float]] = []
    to_ocr = 0
    texts: list[str] = []
    for index in range(pdf.page_count):
        number = index + 1
        if number in done:
            continue
        page = pdf[index]
        try:
            text = stored_text(page.get_text("text"))
        except Exception as error:
            raise DocumentError("page_unreadable", page=number, error=error) from error
        has_text = len(text.strip()) >= MIN_TEXT_CHARS
        needs_ocr = (
            document.kind == "image"
            or (not has_text and _has_images(page))
            # Text that is not what the page shows: a scan carrying a line printed on it
            # ("Document communiqué le…"), or glyphs without their characters' map.
            # Neither was read before: the names in the picture were never suggested
            # for redaction, nor found by search (a hostile review).
            or (has_text and (garbled(text) or _stamped_scan(page, text)))
        )
        # A page of text with a large picture of a text pasted on it (a resident's
        # letter beside a typed paragraph): its layer stays the page's text, and the
        # picture is read by OCR after it. It was read by nothing: its words were never
        # found by search nor seen by the detectors (a hostile review).
        pasted = has_text and not needs_ocr and bool(pasted_pictures(page))
        to_ocr += needs_ocr or pasted
        texts.append(text if has_text or not needs_ocr else "")
        rect = page.rect
        method = "text" if has_text and not needs_ocr else ("ocr" if needs_ocr else "empty")
        batch.append((number, texts[-1], method, needs_ocr or pasted, rect.width, rect.height))
        if len(batch) >= PAGE_BATCH:
            _insert_pages(document, batch)
            batch = []
            _heartbeat(document)
    _insert_pages(document, batch)
    output["pages"] = pdf.page_count
    # Counted as the pages were made; read back only when an earlier run stored some.
    output["pages_to_ocr"] = (
        Page.objects.filter(document=document, needs_ocr=True).count() if done else to_ocr
    )
    if output["pages_to_ocr"]:
        # OCR takes minutes: the page count shows meanwhile. Otherwise it is saved with
        # the final status.
        document.save(update_fields=[*_FOUND, "updated_at"])
    elif not done:
        # Every page read in this run, none for OCR: their texts are final, and the steps
        # after this one in the same run take them from here instead of the database.
        document._final_texts = texts  # type: ignore[attr-defined]
    return output


# The columns a page is made with; the others take their defaults (see `_insert_pages`).
_PAGE_COLUMNS = ["number", "text", "method", "needs_ocr", "width", "height"]
_PAGE_DEFAULTS = {
    "ocr_confidence": None,
    "words": None,
    "indexed": False,
    "published_text": "",
    "ocr_from": None,
}


def _insert_pages(document: Document, rows: list[tuple[int, str, str, bool, float, float]]) -> None:
    """Insert the pages `rows` ((number, text, method, needs_ocr, width, height)) of
    `document` in one statement (all or none of them). Written in SQL of its own:
    the ORM's `bulk_create` made a model object per page and prepared each of its
    columns, a tenth of the ingest of a text PDF (the fields here need no preparation;
    `test_ingest_bookkeeping` compares the rows with the ORM's)."""
    words = cast("Field[Any, Any]", Page._meta.get_field("words"))
    defaults = [
        _PAGE_DEFAULTS["ocr_confidence"],
        words.get_db_prep_save(_PAGE_DEFAULTS["words"], connection),
        _PAGE_DEFAULTS["indexed"],
        _PAGE_DEFAULTS["published_text"],
        _PAGE_DEFAULTS["ocr_from"],
    ]
    _insert_rows(
        Page,
        ["document", *_PAGE_COLUMNS, *_PAGE_DEFAULTS],
        [[document.id, *row, *defaults] for row in rows],
    )


def _insert_rows(
    model: type[models.Model], names: list[str], rows: list[list[Any]], *, batch: int = 0
) -> None:
    """Insert `rows` (each the values of the fields `names`, ready for the database) into
    `model`'s table, in one statement, or in statements of `batch` rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(cast("Field[Any, Any]", model._meta.get_field(name)).column) for name in names
    )
    marks = "(" + ", ".join(["%s"] * len(names)) + ")"
    size = batch or len(rows)
    with connection.cursor() as cursor:
        for first in range(0, len(rows), size):
            part = rows[first : first + size]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
                + ", ".join([marks] * len(part)),
                [value for row in part for value in row],
            )


def _final_texts(document: Document) -> list[str] | None:
    """The page texts the extraction of this run read, when no page needs OCR; else None
    (a resumed run, pages for OCR): read them from the database."""
    return getattr(document, "_final_texts", None)


def _attachments_withheld(document: Document) -> str:
    """Why the attachments of `document` are not taken out, or "". An e-mail forwarded
    inside an e-mail inside an e-mail... is expanded DOCUMENT_MAX_DEPTH levels deep, and
    one upload makes at most about DOCUMENT_MAX_ATTACHMENTS documents in all (a hundred
    e-mails of a hundred e-mails would otherwise make a million)."""
    depth, root = 0, document
    while root.parent_id is not None and depth <= settings.DOCUMENT_MAX_DEPTH:
        depth += 1
        root = Document.objects.only("id", "parent_id").get(id=root.parent_id)
    if depth >= settings.DOCUMENT_MAX_DEPTH:
        return gettext("attached %(depth)s levels deep, beyond the limit of %(limit)s levels") % {
            "depth": depth,
            "limit": settings.DOCUMENT_MAX_DEPTH,
        }
    made, level = 0, [root.id]
    for _ in range(settings.DOCUMENT_MAX_DEPTH):
        level = list(Document.objects.filter(parent_id__in=level).values_list("id", flat=True))
        made += len(level)
    if made >= settings.DOCUMENT_MAX_ATTACHMENTS:
        return gettext(
            "the e-mail they came in has already given %(count)s attachments, the limit"
        ) % {"count": made}
    return ""


# A page whose text layer holds fewer characters than this while pictures cover most of
# it is a scan with a line printed on it, read by OCR (a scanner's own invisible text
# layer holds the page's whole text, and stays as it is).
STAMP_MAX_CHARS = 200
SCAN_COVERAGE = 0.5


def _stamped_scan(page: pymupdf.Page, text: str) -> bool:
    """Whether `page` is a picture of a page with a little text added over or beside it
    (a stamp, a reference, a page number): pictures cover half of it or more and its
    text layer is a line or two, drawn (a scanner's own OCR layer is invisible: it is the
    picture's text, and stays)."""
    if len(text.strip()) >= STAMP_MAX_CHARS or not _has_images(page):
        return False
    try:
        spans = page.get_texttrace()
    except Exception:
        return False
    drawn = sum(len(s["chars"]) for s in spans if s["type"] != 3 and s["opacity"] > 0)
    if drawn * 2 < sum(len(s["chars"]) for s in spans):
        return False
    area = abs(page.rect)
    if not area:
        return False
    try:
        boxes = [pymupdf.Rect(info["bbox"]) & page.rect for info in page.get_image_info()]
    except Exception:
        return False
    # (Overlapping pictures are counted once each: a scan is one picture.)
    return max((abs(box) for box in boxes), default=0.0) / area >= SCAN_COVERAGE


# Characters that no text of a page holds: control characters (a font whose glyphs lost
# their map reads "&RXUULHU\x03GH\x030RQVLHXU" for "Courrier de Monsieur"), private use
# code points, and the replacement character.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")


_TOKEN = re.compile(r"[^\W\d_]{2,}")
_LOWER_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]")


def unreadable(text: str) -> bool:
    """Whether more than one character in twenty of a text layer (not counting spaces)
    is one no page writes: it is no text, whatever else it holds."""
    visible = len(text) - sum(c.isspace() for c in text)
    return bool(visible) and len(_UNREADABLE.findall(text)) * 20 > visible


def garbled(text: str) -> bool:
    """Whether a page's text layer may not be text: more than one character in twenty of
    it (not counting spaces) no page writes, or words of which hardly any holds a
    lower-case vowel ("&RXUULHU GH 0RQVLHXU -HDQ 'XSRQW", the same font drawn word by
    word). A page of capitals passes the second test too: its OCR then reads the same
    words, and its own layer is kept (`_keeps_layer`)."""
    if unreadable(text):
        return True
    # (Prose is one part in ten of these vowels or more: read at C speed, the words are
    # looked at only on pages short of them.)
    if sum(text.count(v) for v in "aeiou") * 20 >= len(text):
        return False
    tokens = _TOKEN.findall(text)
    return len(tokens) >= 5 and sum(bool(_LOWER_VOWEL.search(t)) for t in tokens) * 5 < len(tokens)


def _keeps_layer(layer: str, read: str) -> bool:
    """Whether a page OCR'd for its doubtful text layer keeps its layer after all: the
    OCR read no words the layer lacks, or fewer than the layer holds (a cover page's
    few white words over a photograph, which the OCR misreads: "jean.dupont@orange:fr"
    is no address for the detection, and the layer is the exact text; a scan with a
    line printed on it reads a whole letter the layer lacks)."""
    if not layer.strip() or _UNREADABLE.search(layer):
        return False
    known = {t.lower() for t in _TOKEN.findall(layer)}
    new = {t.lower() for t in _TOKEN.findall(read)} - known
    return len(new) < max(5, len(known))


# A picture covering more of a page than this is a page's worth of text, or could be:
# on a page of text, and with no text of the page on it, it is read by OCR after the
# page's layer (see `pasted_pictures`). Redaction suggests such a picture as a box too,
# and publishes the invisible layer of its words kept only over pictures this large.
PASTED_SHARE = 0.6


def pasted_pictures(page: pymupdf.Page, *, inline: bool = False) -> list[pymupdf.Rect]:
    """The pictures of `page` (within its box) that cover more than PASTED_SHARE of it
    and that no text of the page lies on: a text pasted as a picture, which nothing has
    read (a scanner's own text layer lies on its scan, and reads it).

    The common page, with no picture in its resources, is answered without reading its
    content: where the pictures are is as costly to read as the page's text (the
    bulletin of the ingest benchmark). A picture written inside the content itself (an
    inline image, rare and small in practice) is then missed, unless `inline`:
    redaction asks for it, and suggests such a picture as a box all the same."""
    area = abs(page.rect)
    try:
        if not area or not (inline or page.get_images(full=False)):
            return []
        boxes = [pymupdf.Rect(info["bbox"]) & page.rect for info in page.get_image_info()]
    except Exception:
        return []
    large = [box for box in boxes if not box.is_empty and abs(box) > PASTED_SHARE * area]
    if not large:
        return []
    words = [pymupdf.Rect(w[:4]) for w in page.get_text("words")]
    return [box for box in large if not any(box.contains(w) for w in words)]


def _has_images(page: pymupdf.Page) -> bool:
    try:
        return bool(page.get_images(full=False)) or bool(page.get_image_info())
    except Exception:
        return True


def _pdf_date(metadata: dict[str, str]) -> tuple[date, str] | None:
    """The PDF's creation (else modification) date and its precision: a PDF date may
    stop after its year or its month ("D:2023", "D:202305"), which is a year or a month,
    not its first day."""
    raw = (metadata.get("creationDate") or metadata.get("modDate") or "").removeprefix("D:")
    digits = re.match(r"\d{4}(?:\d\d(?:\d\d)?)?", raw)
    if digits is None:
        return None
    written = digits.group()
    try:
        day = date(int(written[0:4]), int(written[4:6] or 1), int(written[6:8] or 1))
    except ValueError:
        return None
    if not 1990 <= day.year <= 2100:
        return None
    return day, {4: "year", 6: "month"}.get(len(written), "day")


# Tests may replace the OCR engine (never in CI: the real Tesseract runs there).
ocr_engine: Callable[[bytes], OcrResult] | None = None


def _step_ocr(document: Document) -> dict[str, Any]:
    """OCR of the pages marked for it that have no OCR text yet, several at once; each
    page is saved as soon as it is read, so a resumed run redoes at most a few. A page of
    text marked for it (its method stays "text") has its pasted pictures read, not the
    page: their text is put after the layer's (`Page.ocr_from`)."""
    if _final_texts(document) is not None:  # the extraction of this run found none
        return {"pages": 0}
    todo = list(
        Page.objects.filter(
            document=document, needs_ocr=True, ocr_confidence__isnull=True
        ).order_by("number")
    )
    if not todo:
        return {"pages": 0}
    pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
    dpi = settings.OCR_DPI
    by_number = {p.number: p for p in todo}
    # Per page, how to bring the pixels of its image back to PDF points: the scale and
    # the top left corner of what was rendered.
    placed: dict[int, tuple[float, float, float]] = {}

    def images() -> Iterable[tuple[int, bytes]]:
        for page in todo:
            source = pdf[page.number - 1]
            clip = source.rect
            if page.method == "text":
                pictures = pasted_pictures(source)
                if not pictures:  # nothing left to read (not expected: the same file)
                    page.ocr_confidence = 0.0
                    page.save(update_fields=["ocr_confidence"])
                    continue
                clip = pymupdf.Rect(pictures[0])
                for picture in pictures[1:]:
                    clip |= picture
            # Keep huge pages under ~50 megapixels whatever their size.
            scale = min(dpi / 72, (50_000_000 / max(1.0, clip.width * clip.height)) ** 0.5)
            pixmap = source.get_pixmap(
                matrix=pymupdf.Matrix(scale, scale), colorspace=pymupdf.csGRAY, clip=clip
            )
            # (The pixmap's corner, in the scaled page: the clip's, rounded to a pixel.)
            placed[page.number] = (scale, pixmap.x / scale, pixmap.y / scale)
            yield page.number, pixmap.tobytes("png")

    began = time.perf_counter()
    confidences = []
    for number, result in recognise_many(images(), engine=ocr_engine):
        page = by_number[number]
        scale, left, top = placed[number]
        if isinstance(result, OcrError):
            raise result
        page.ocr_confidence = result.confidence if result.confidence is not None else 0.0
        if result.confidence is not None:
            confidences.append(result.confidence)
        words = [
            [
                round(left + w[0] / scale, 1),
                round(top + w[1] / scale, 1),
                round(left + w[2] / scale, 1),
                round(top + w[3] / scale, 1),
                w[4],
                w[5],
            ]
            for w in result.words
            if isinstance(w[0], float)
            and isinstance(w[1], float)
            and isinstance(w[2], float)
            and isinstance(w[3], float)
        ]
        if page.method == "text":
            # Its pasted pictures: their text after the layer's, which stays as it is.
            read = stored_text(result.text).strip()
            if read:
                layer = page.text + ("\n" if page.text.endswith("\n") else "\n\n")
                page.text, page.ocr_from, page.words = layer + read, len(layer), words
            page.save(update_fields=["text", "words", "ocr_confidence", "ocr_from"])
            _heartbeat(document)
            continue
        if page.text and _keeps_layer(page.text, result.text):
            # Its own layer was the page's text after all (see `_keeps_layer`): kept,
            # as a page of text; the OCR is marked done.
            page.method = "text"
            page.save(update_fields=["method", "ocr_confidence"])
            _heartbeat(document)
            continue
        page.text = stored_text(result.text)
        page.words = words
        page.method = "ocr" if result.text.strip() else "empty"
        page.save(update_fields=["text", "words", "ocr_confidence", "method"])
        _heartbeat(document)
    seconds = time.perf_counter() - began
    return {
        "pages": len(todo),
        "seconds_per_page": round(seconds / len(todo), 2),
        "mean_confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
    }


def _step_index(document: Document) -> dict[str, Any]:
    # A document without a date takes its metadata's or its first dated sentence's: the
    # date filter of search reads it. Saved with the final status, like what detect and
    # extract found (a process stopped before that runs this step again).
    metadata.document_date_fill(document, save=False, texts=_final_texts(document))
    pages = search.document_index(document, batch=True)
    return {"pages": pages, "backend": search.backend_name()}


def _step_entities(document: Document) -> dict[str, Any]:
    # Suggestions are recomputed; what a reviewer decided stays.
    delete_derived(Entity.objects.filter(page__document=document))
    decided = set(
        Entity.objects.filter(page__document=document)
        .exclude(status="suggested")
        .values_list("page_id", "kind", "start")
    )
    rows = [
        e
        for e in detect_document(document, heartbeat=lambda: _heartbeat(document))
        if (e.page_id, e.kind, e.start) not in decided
    ]
    _insert_entities(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.kind] = counts.get(row.kind, 0) + 1
    return {"entities": counts}


# The columns a suggestion is written with; the others are the review's, empty.
_ENTITY_COLUMNS = [
    "page",
    "kind",
    "text",
    "value",
    "start",
    "end",
    "confidence",
    "commune",
    "organisation",
    "technology",
    "status",
]
_ENTITY_BATCH = 500


def _insert_entities(rows: list[Entity]) -> None:
    """Insert the suggestions `rows` (unsaved, status "suggested") in statements of their
    own, as `_insert_pages` does the pages: the ORM's `bulk_create` prepared each column
    of each row, a sixth of the entity step on short pages (`test_ingest_bookkeeping`
    compares the rows with the ORM's). The review's columns stay empty."""
    attnames = [
        cast("Field[Any, Any]", Entity._meta.get_field(name)).attname for name in _ENTITY_COLUMNS
    ]
    _insert_rows(
        Entity,
        _ENTITY_COLUMNS,
        [[getattr(row, name) for name in attnames] for row in rows],
        batch=_ENTITY_BATCH,
    )


STEPS: list[tuple[str, Callable[[Document], dict[str, Any]]]] = [
    ("detect", _step_detect),
    ("extract", _step_extract),
    ("ocr", _step_ocr),
    ("index", _step_index),
    ("entities", _step_entities),
]
assert [name for name, _ in STEPS] == Step.NAMES


def document_reprocess(*, document: Document) -> None:
    """Start a failed document again from its original (after a fix to the pipeline, or
    a limit raised by the administrator)."""
    with transaction.atomic():
        search.document_unindex(document.id)
        Page.objects.filter(document=document).delete()
        Step.objects.filter(document=document).delete()
        # New pages have no published text: the document is private until published again.
        document.status, document.error, document.is_public = "queued", "", False
        document.error_detail = {}
        document.save(update_fields=["status", "error", "error_detail", "is_public", "updated_at"])
        transaction.on_commit(lambda: _enqueue(document.id))


# --- deletion ---------------------------------------------------------------------------


class DocumentInUse(Exception):
    """A deletion refused: `blockers` says why, in the reader's language."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__("; ".join(blockers))
        self.blockers = blockers


def with_attachments(document: Document) -> list[Document]:
    """The document and the files attached to it, at any depth (an e-mail's)."""
    family, parents = [document], [document.id]
    while parents:
        children = list(Document.objects.filter(parent_id__in=parents))
        family += children
        parents = [c.id for c in children]
    return family


# Models of the library's own and of its redaction: deleted with the document. Rows of
# any other app that point to it (a request's answer, a tip, a group's work) are links
# that a deletion cuts; the registry's sources are the exception (`Source`, protected).
_DOCUMENT_OWN_APPS = {"documents", "redaction"}


def _links_elsewhere(ids: list[int]) -> int:
    """How many rows of other apps point to these documents (a request, a tip's message,
    a group's work item, through their relation's table for the many-to-many ones)."""
    count = 0
    for relation in Document._meta.get_fields(include_hidden=True):
        if not (isinstance(relation, models.ForeignObjectRel) and relation.one_to_many):
            continue
        model = cast("type[models.Model]", relation.related_model)
        if model._meta.app_label in _DOCUMENT_OWN_APPS or model is Source:
            continue
        count += model._default_manager.filter(**{f"{relation.field.name}__in": ids}).count()
    return count


def document_links_elsewhere(document: Document) -> int:
    """How many records of other apps a deletion of `document` unlinks."""
    return _links_elsewhere([d.id for d in with_attachments(document)])


def _cited(ids: list[int]) -> bool:
    return Source.objects.filter(document_id__in=ids, citations__isnull=False).exists()


_CITED = gettext_noop(
    "It is cited in the registry: remove those citations first (they are listed on its page)."
)
_PROCESSING = gettext_noop("It is being processed: try again once processing is over.")


def document_deletion_blockers(document: Document, user: Any) -> list[str]:
    """Why `user` may not delete `document` now, each reason in a sentence; none: they
    may (their right to, `permissions.may_delete_document`, is checked apart).

    An uploader is told nothing of records they may not know of (a citation in a
    reviewer's draft, a tip or another person's request holding the same file, which the
    library keeps once): their deletion leaves such a document to the reviewers
    (`document_delete`). Told "linked to a tip", the uploader of marked copies of a file
    would learn which copy reached the observatory."""
    ids = [d.id for d in with_attachments(document)]
    blockers = []
    reviewer = permissions.may_see_originals(user)
    if reviewer and _cited(ids):
        blockers.append(gettext(_CITED))
    if (
        Document.objects.filter(id__in=ids, status="processing")
        .exclude(_free(timezone.now()))
        .exists()
    ):
        blockers.append(gettext(_PROCESSING))
    if not reviewer and Document.objects.filter(id__in=ids, is_public=True).exists():
        blockers.append(gettext("A file attached to it is published: ask a reviewer."))
    return blockers


def document_delete(*, document: Document, user: Any) -> bool:
    """Delete `document`, the files attached to it, and all that was made from them: pages
    and their text, suggestions, redactions, published copies, the search index's entries,
    and (once the deletion is committed) the original and every derived file. Sources of
    the registry that name it and cite nothing go with it; links from other records (a
    request's answer, a tip, a group's work) are cut. Raises `DocumentInUse` with the
    reasons of `document_deletion_blockers`, checked on the rows locked.

    Its uploader (not a reviewer) deletes it only when no other record holds it (a
    citation, a request, a tip, a group's work): otherwise it leaves their uploads and
    stays for the reviewers, and they are told the same (see the blockers). Returns
    whether the rows were deleted."""
    with transaction.atomic():
        family = with_attachments(document)
        ids = [d.id for d in family]
        # The rows locked before anything is read: a publication or a worker committing
        # meanwhile is seen (on PostgreSQL, reads do not wait for writers). On SQLite the
        # write takes the database's lock. The write changes nothing; it counts the rows
        # no worker holds.
        locked = {d.id: d for d in Document.objects.select_for_update().filter(id__in=ids)}
        fresh = locked.get(document.id)
        if fresh is None:
            raise DocumentInUse([gettext("It was deleted meanwhile.")])
        if not permissions.may_delete_document(user, fresh):
            if fresh.is_public:
                raise DocumentInUse([gettext("It was published meanwhile: ask a reviewer.")])
            # Left to the reviewers by the same person's first click: the same answer as
            # a document deleted by it (its second click must not tell them apart).
            raise DocumentInUse([gettext("It was deleted meanwhile.")])
        blockers = document_deletion_blockers(fresh, user)
        free = update_derived(
            Document.objects.filter(id__in=ids).filter(
                ~Q(status="processing") | _free(timezone.now())
            ),
            lease_until=models.F("lease_until"),
        )
        if free < len(ids) and gettext(_PROCESSING) not in blockers:
            blockers.append(gettext(_PROCESSING))
        if blockers:
            raise DocumentInUse(blockers)
        if not permissions.may_see_originals(user) and (_cited(ids) or _links_elsewhere(ids)):
            for each in family:
                if each.uploaded_by_id == getattr(user, "pk", None):
                    each.uploaded_by = None
                    each.save(update_fields=["uploaded_by", "updated_at"])
            # Their decisions on its suggestions no longer tie them to it (their data
            # export listed them; the audit log keeps who decided).
            Entity.objects.filter(page__document_id__in=ids, reviewed_by=user).update(
                reviewed_by=None
            )
            return False
        # The suggestions nobody decided on go without an audit entry each, as when a
        # document is processed again (a reviewer's decisions are recorded as deleted).
        delete_derived(Entity.objects.filter(page__document_id__in=ids))
        # The redaction app's model, from the relation: the app is above this one.
        redactions = cast("type[models.Model]", Page._meta.get_field("redactions").related_model)
        delete_derived(
            redactions._default_manager.filter(
                Q(page__document_id__in=ids) | Q(title_of_id__in=ids)
            )
        )
        for each in family:
            search.document_unindex(each.id)
        hashes = [d.sha256 for d in family]
        try:
            Source.objects.filter(document_id__in=ids).delete()
            fresh.delete()
        except models.ProtectedError as error:  # a citation made since the check
            raise DocumentInUse([gettext(_CITED)]) from error

        # The files once the rows are gone for good: a deletion rolled back keeps them.
        def _delete_files() -> None:
            for sha256 in hashes:
                try:
                    files.document_files_delete(sha256)
                except OSError:
                    logger.exception("document files left after its deletion")

        transaction.on_commit(_delete_files)
        return True


# --- entity review --------------------------------------------------------------------


# Where a sentence ends: a full stop (or ! ?) then a line, or a space and a capital, a
# quote, a bracket or a digit; a blank line. Not after a title or an abbreviation
# ("M. Benali", "Mme", "tél.", "n°", "art."), nor after an initial ("J.-P. Castellani"):
# a quote cut there ended on "évoquée par M." and left out "mais écartée".
_SENTENCE_END = re.compile(
    r"(?<![.!?…])[.!?…]++[»\"”)]?(?=[ \t\u00a0]*\n|[ \u00a0]+[A-ZÀ-Ý«\"“(\d])|\n[ \t\u00a0]*\n"
)
_WORD_BEFORE = re.compile(r"([\w°]+)\Z")
_ABBREVIATIONS = frozenset(
    "mme mlle mm mmes dr pr me st ste sr cf av bd tél fig éd pp ex n° no cie".split()
)


# "M. Benali", "J.-P. Castellani": a title or an initial before a capitalised name; not
# before an article or a pronoun opening a sentence ("catégorie A. Les…").
_NAME_AFTER = re.compile(r"[ \u00a0]*-?[ \u00a0]*[A-ZÀ-Ý][a-zà-ÿ'’-]")
# After a code's letter, its article's number: "L. 251-1", "R. 123-4", "D.\u00a0321".
_ARTICLE_AFTER = re.compile(r"[ \u00a0]*\d+(?:-\d+)*\b")
_SENTENCE_OPENING = re.compile(r"[ \u00a0]*(?:Les?|La|L['’]|Un|Une|Des|Ce|Cette|Il|Elle)\b")


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """The offsets where sentences end between `start` and `end` (see `_SENTENCE_END`);
    the pattern looks a few characters past `end` (the capital after ". ")."""
    ends = []
    for match in _SENTENCE_END.finditer(text, start, min(len(text), end + 3)):
        if match.end() > end:
            break
        if match.group().startswith("."):
            word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
            before = word.group(1) if word else ""
            if before.lower() in _ABBREVIATIONS:
                continue
            # An article of a code ("articles L. 251-1 à L. 255-1"): a quote began on
            # "255-1 ;" (a new user's walk).
            if len(before) == 1 and before.isupper() and _ARTICLE_AFTER.match(text, match.end()):
                continue
            # "M." or an initial, when a name follows (not "catégorie A. Les…").
            if (
                len(before) == 1
                and before.isupper()
                and _NAME_AFTER.match(text, match.end())
                and not _SENTENCE_OPENING.match(text, match.end(), match.end() + 12)
            ):
                continue
        ends.append(match.end())
    return ends


# The length of a suggestion's quote: a sentence around the mention, or, in a longer one,
# its clause ("Vu l'arrêté … ;"), cut between words past this.
QUOTE_LIMIT = 300


def entity_quote(entity: Entity, *, limit: int = QUOTE_LIMIT) -> str:
    """The sentence of the page that holds the entity, as the citation's quote, with
    personal data masked."""
    return _entity_passage(entity, limit=limit)[0]


def _entity_passage(
    entity: Entity, *, limit: int = QUOTE_LIMIT, names: set[str] | None = None
) -> tuple[str, float]:
    """The entity's quote (`entity_quote`) and the share of its original characters that
    personal data took (masked in the quote): a quote of the residents' paragraph ("M.
    [X], [X], téléphone [X]…") says nothing of the deployment."""
    text = entity.page.text
    before = _sentence_ends(text, max(0, entity.start - 3000), entity.start)
    left = before[-1] if before else max(0, entity.start - 3000)
    after = _sentence_ends(text, entity.end, min(len(text), entity.end + 3000))
    right = after[0] if after else len(text)
    if len(" ".join(text[left:right].split())) > limit:
        # A long sentence of a deliberation runs its "Vu …;" and "Considérant …;" into
        # one: the clause of the mention is the quote.
        start = text.rfind(";", left, entity.start)
        end = text.find(";", entity.end, right)
        left = start + 1 if start >= 0 else left
        right = end + 1 if end >= 0 else right
    original = text[left:right]
    names = _document_names(entity.page) if names is None else names
    findings = detect(original, names=names)
    redacted = sum(f.end - f.start for f in findings) / max(1, len(original.strip()))
    quote = _masked(original, names)
    if len(quote) > limit:
        # Masking shifts offsets: find the entity in the quote, else guess proportionally.
        at = quote.find(" ".join(entity.text.split()))
        if at < 0:
            at = (entity.start - left) * len(quote) // max(1, right - left)
        quote = _words_around(quote, at, limit - 4)
    return quote, redacted


def _words_around(text: str, at: int, limit: int) -> str:
    """Whole words of `text` around offset `at`, at most `limit` characters, with "…"
    where words were left out: a quote cut inside a word misquotes the document."""
    words = text.split(" ")
    ends, position = [], 0
    for w in words:
        position += len(w) + 1
        ends.append(position)
    centre = next((i for i, end in enumerate(ends) if end > at), len(words) - 1)
    first = last = centre
    length = len(words[centre])
    while True:
        grew = False
        if last + 1 < len(words) and length + 1 + len(words[last + 1]) <= limit:
            last += 1
            length += 1 + len(words[last])
            grew = True
        if first > 0 and length + 1 + len(words[first - 1]) <= limit:
            first -= 1
            length += 1 + len(words[first])
            grew = True
        if not grew:
            break
    quote = " ".join(words[first : last + 1])
    return ("… " if first > 0 else "") + quote + (" …" if last < len(words) - 1 else "")


# What stands for a person's data in a quote: not "[…]", which separates a quote's
# passages (`_GAP`), so that a name masked inside a sentence never reads as a cut
# between two passages (the public quote was stitched together from the pieces). The
# published text marks what was redacted with it too (`redaction.services`).
MASK = "[X]"
_MASK = MASK


def _document_names(page: Page) -> set[str]:
    """The names of persons on `page` and those a civility introduces on the other pages
    of its document: a passage naming one by surname alone ("Lavalette a voté contre")
    is masked too."""
    names = {f.text for f in detect(page.text) if f.kind == "person"}
    for text in (
        Page.objects.filter(document_id=page.document_id)
        .exclude(id=page.id)
        .values_list("text", flat=True)
    ):
        names |= cued_names(text)
    return names


def personal_data_masked(text: str, names: Iterable[str] = ()) -> str:
    """The text with the personal data `detect` finds replaced by [X] (and the surnames
    of `names` alone), its lines kept: the rule for any text put in a public field of
    the registry from a private one (a quote of a document, a tip's text)."""
    for finding in sorted(detect(text, names=names), key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + _MASK + text[finding.end :]
    return text


def _masked(passage: str, names: Iterable[str] = ()) -> str:
    """The passage with personal data replaced by [X] (and the surnames of `names`
    alone): a quote goes into a public citation, which may be published before the
    document is."""
    return " ".join(personal_data_masked(passage, names).split())


# What a source names a library document by until the document is published: its own
# title (a file name, an e-mail subject) may hold a person's name and is only read for
# personal data, and redacted, at publication.
UNPUBLISHED_SOURCE_TITLE = gettext_noop("Document of the library, not yet published")


def document_source_title(document: Document) -> str:
    """The title a registry source gives a library document, wherever the registry is read
    (pages, API, exports, dumps, history): the published title, which publication has
    redacted, or a neutral label while the document is not published. The label is
    stored in the site's language, as the rest of the registry's text is."""
    if document.is_public:
        return document.title[:400]
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(UNPUBLISHED_SOURCE_TITLE)


def document_source_fields(document: Document) -> dict[str, str]:
    """What a registry source says of a library document: its title
    (`document_source_title`), and, once it is published only, its origin and its date.
    Before, a private document's date and origin were public beside the neutral title
    ("autre, 14 juillet 2026"; "signalement anonyme" said a tip had come): a leaked
    memo's date names it as well as its title."""
    if not document.is_public:
        return {"title": document_source_title(document), "publisher": "", "published_on": ""}
    with translation.override(settings.LANGUAGE_CODE):
        publisher = str(dict(Document.ORIGINS).get(document.origin, ""))
    return {
        "title": document_source_title(document),
        "publisher": publisher,
        "published_on": document.date_value,
    }


def document_sources_retitle(*, document: Document) -> int:
    """Name again every source of the document by `document_source_fields` (at
    publication, withdrawal, publication again). Returns how many sources changed."""
    fields = document_source_fields(document)
    changed = Source.objects.filter(document=document).exclude(**fields)
    return changed.update(**fields)


def source_title_from_document(sender: type[Source], instance: Source, **kwargs: object) -> None:
    """pre_save of registry sources (connected in the app config): a source of a library
    document never keeps the title, origin or date its caller gave (a form, the API, an
    import, an old revision restored may carry the original title), it takes the rule's."""
    if instance.document is not None:
        for name, value in document_source_fields(instance.document).items():
            setattr(instance, name, value)


def _document_citation(entity: Entity, quote: str) -> dict[str, Any]:
    document = entity.page.document
    return {
        "source": {
            "document": document.id,
            **document_source_fields(document),
            "url": "",
        },
        "quote": quote,
        "locator": f"p. {entity.page.number}",
        "accessed_on": timezone.localdate().isoformat(),
    }


class SuggestionDecided(ValidationError):
    """None of the suggestions is waiting any more: accepted or rejected already (posted
    twice, from another tab, by another reviewer). Nothing was done."""


# A suggestion accepted at once on many pages ("Nice" on 40 pages) cites its first pages
# only: forty citations of one document would bury the deployment's other sources, and a
# few pages are proof enough; the other occurrences point at the first page's citation.
CITED_PAGES_MAX = 10


def entity_accept(
    *, entity: Entity, deployment: Deployment | None = None, user: User | None
) -> Deployment:
    """Accept one suggestion (see `entities_accept`). Returns the deployment."""
    return entities_accept(entities=[entity], deployment=deployment, user=user)


def entities_accept(
    *,
    entities: Iterable[Entity],
    deployment: Deployment | None = None,
    user: User | None,
    role: str = "",
) -> Deployment:
    """Accept suggestions of one document into a deployment (a new unpublished one when
    none is given): link or create the registry objects they name and cite each page they
    are on, with the sentence around each. Only the suggestions still waiting are taken,
    under a lock: the same accept posted twice, or by two people at once, makes one
    deployment and one set of citations, and the second raises `SuggestionDecided`.
    `role` says what an organisation is in the deployment (`review.ORGANISATION_ROLES`:
    its vendor, a funder, or a body only cited); without one, the role
    `review.organisation_role` offers first.
    Raises ValidationError (nothing changed) when the deployment would be invalid.
    Returns the deployment."""
    if role and role not in ORGANISATION_ROLES:
        raise ValidationError(gettext("Choose what the organisation is in the deployment."))
    ids = [e.id for e in entities]
    with transaction.atomic():
        waiting = list(
            Entity.objects.select_for_update(of=("self",))
            .filter(id__in=ids, status="suggested")
            .select_related("page__document")
            .order_by("page__number", "start", "id")
        )
        if not waiting:
            raise SuggestionDecided(
                gettext("These suggestions were already accepted or rejected; nothing was done.")
            )
        documents = {e.page.document_id for e in waiting}
        if len(documents) > 1:
            raise ValueError("suggestions of several documents accepted at once")
        first = waiting[0]
        document = first.page.document
        if first.kind == "organisation" and not role:
            role = entity_role(first)
        pages = sorted({e.page.number for e in waiting})
        cited = pages[:CITED_PAGES_MAX]
        on_page = {n: [e for e in waiting if e.page.number == n] for n in cited}
        # Public (the home page, the history), and kept: the value accepted, not the
        # private text's words, and no document's number (a document published now may
        # be withdrawn; the citation itself names its source).
        label = first.commune.name if first.kind == "commune" and first.commune else first.value
        comment = f"{first.get_kind_display()} {quoted(label)}"[:500]
        if deployment is None:
            data = _new_deployment_data(first, role)
            for entity in waiting[1:]:
                _apply_entity(data, entity, role)
            data["citations"] = []
            for number in cited:
                for mentions in _by_suggestion(on_page[number]):
                    data["citations"] = _cite_mentions(data["citations"], mentions)
            deployment = deployment_create(data=data, author=user, comment=comment)
        else:
            # Read again under a lock: a form loaded minutes ago is not the base.
            deployment = Deployment.objects.select_for_update().get(id=deployment.id)
            data = deployment_snapshot(deployment)
            unchanged = dict(data)
            for entity in waiting:
                _apply_entity(data, entity, role)
            for number in cited:
                for mentions in _by_suggestion(on_page[number]):
                    data["citations"] = _cite_mentions(data["citations"], mentions)
            # A suggestion the deployment already holds and quotes (a prefecture named in
            # the sentence cited for the vendor) makes no version: a version whose
            # history reads "No difference" (a new user's walk) says nothing.
            if data != unchanged:
                deployment = deployment_update(
                    deployment=deployment,
                    data=data,
                    base_version=deployment.version,
                    author=user,
                    comment=comment,
                )
        by_page = {
            number: deployment.citations.filter(source__document=document, locator=f"p. {number}")
            .order_by("-id")
            .first()
            for number in cited
        }
        now = timezone.now()
        for entity in waiting:
            entity.status, entity.reviewed_by, entity.reviewed_at = "accepted", user, now
            entity.citation = by_page.get(entity.page.number) or by_page[cited[0]]
            entity.save(update_fields=["status", "reviewed_by", "reviewed_at", "citation"])
    return deployment


# A quote whose original was more than this share personal data, masked in it ("M. [X],
# [X], téléphone [X], Mme [X], [X], [X]."), is never chosen: it says nothing of the
# deployment and reads as a list of blanks.
MOSTLY_REDACTED = 1 / 3
# A page's citation grows by a passage per suggestion it does not quote yet, up to this
# length: past it, the suggestion points at the citation as it is.
PAGE_QUOTE_MAX = 1000


def _by_suggestion(entities: list[Entity]) -> list[list[Entity]]:
    """A page's accepted mentions, one list per suggestion (kind and value), in the order
    of their first mention: several suggestions accepted at once ("accept all") each get
    their passage, as one accepted after another would."""
    groups: dict[tuple[str, str], list[Entity]] = {}
    for entity in entities:
        groups.setdefault((entity.kind, entity.value), []).append(entity)
    return list(groups.values())


def _mentioned(entity: Entity, quote: str) -> bool:
    """Whether `quote` already shows the entity's wording."""
    wording = " ".join(entity.text.split()).casefold()
    return bool(wording) and wording in " ".join(quote.split()).casefold()


def _cite_mentions(citations: list[dict[str, Any]], entities: list[Entity]) -> list[dict[str, Any]]:
    """`citations` with the page of `entities` (occurrences of one accepted suggestion on
    one page) cited once. The quote is one passage around a mention, not one per
    occurrence (a commune named in the title, the residents' addresses and the signature
    had all three quoted): of the passages not mostly personal data, the one with the
    fewest masks, the first on the page among equals. A page already cited keeps its
    citation: a passage is added to its quote only when the quote does not show the
    mention yet, and never a passage it holds already."""
    first = entities[0]
    document, locator = first.page.document_id, f"p. {first.page.number}"
    at = next(
        (
            i
            for i, c in enumerate(citations)
            if c["source"].get("document") == document and c["locator"] == locator
        ),
        None,
    )
    held = citations[at]["quote"] if at is not None else ""
    if held and any(_mentioned(e, held) for e in entities):
        return citations
    names = _document_names(first.page)  # the entities are on one page
    passages = [
        (*_entity_passage(entity, names=names), order) for order, entity in enumerate(entities)
    ]
    candidates: list[tuple[float, int, str]] = [
        (quote.count(_MASK), order, quote)
        for quote, redacted, order in passages
        if quote and redacted <= MOSTLY_REDACTED
    ]
    if not candidates:
        # Every passage mostly personal data (a mention only in "Mme [X] ([X]) confirme
        # que la ville de Saint-Étienne…"): the least of them, masked, rather than a
        # citation quoting nothing.
        candidates = sorted(
            (redacted, order, quote) for quote, redacted, order in passages if quote
        )[:1]
    if at is None:
        best = min(candidates)[2] if candidates else ""
        return [*citations, _document_citation(first, best)]
    joined_quotes = [_joined_quote(held, quote) for _masks, _order, quote in sorted(candidates)]
    if held in joined_quotes:
        return citations  # one of the passages is quoted already
    for joined in joined_quotes:
        if len(joined) <= PAGE_QUOTE_MAX:
            return [*citations[:at], {**citations[at], "quote": joined}, *citations[at + 1 :]]
    return citations


_CUT = "…"
_GAP = "[…]"


def _joined_quote(quote: str, passage: str) -> str:
    """`quote` (passages separated by "[…]", each perhaps cut at either end by "…") with
    `passage` joined to the one it overlaps, or added after them."""
    if not quote:
        return passage
    parts = [p.strip() for p in quote.split(_GAP)]
    for i, part in enumerate(parts):
        joined = _joined_passages(part, passage)
        if joined is not None:
            parts[i] = joined
            # The joined passage may now reach the next ones.
            while i + 1 < len(parts):
                further = _joined_passages(parts[i], parts[i + 1])
                if further is None:
                    break
                parts[i : i + 2] = [further]
            return f" {_GAP} ".join(parts)
    return f"{quote} {_GAP} {passage}"


def _joined_passages(a: str, b: str, overlap: int = 4) -> str | None:
    """Two cut passages of one text as one, when one holds the other or they share at
    least `overlap` words where one ends and the other begins; else None."""

    def words(passage: str) -> tuple[bool, list[str], bool]:
        items = passage.split()
        head = bool(items) and items[0] == _CUT
        tail = len(items) > int(head) and items[-1] == _CUT
        return head, items[int(head) : len(items) - int(tail)], tail

    head_a, wa, tail_a = words(a)
    head_b, wb, tail_b = words(b)
    if not wa or not wb:
        return None

    def shown(head: bool, items: list[str], tail: bool) -> str:
        return " ".join([*([_CUT] if head else []), *items, *([_CUT] if tail else [])])

    def inside(small: list[str], large: list[str]) -> bool:
        n = len(small)
        return any(large[k : k + n] == small for k in range(len(large) - n + 1))

    if inside(wb, wa):
        return a
    if inside(wa, wb):
        return b
    for first, second, head, tail in ((wa, wb, head_a, tail_b), (wb, wa, head_b, tail_a)):
        for k in range(min(len(first), len(second)) - 1, overlap - 1, -1):
            if first[-k:] == second[:k]:
                return shown(head, [*first, *second[k:]], tail)
    return None


def _apply_entity(data: dict[str, Any], entity: Entity, role: str = "vendor") -> None:
    """Add what `entity` names to the deployment's `data`: an organisation in its `role`
    (a body only cited adds nothing but the citation)."""
    kind = entity.kind
    if kind == "organisation" and role != "vendor":
        if role != "funder":
            return
        kind = "funder"
    if kind == "commune" and entity.value not in data["communes"]:
        data["communes"] = [*data["communes"], entity.value]
    elif kind == "technology" and entity.value not in data["technologies"]:
        data["technologies"] = [*data["technologies"], entity.value]
    elif kind == "organisation" and entity.value not in data["vendors"]:
        data["vendors"] = [*data["vendors"], entity.value]
    elif kind == "funder" and entity.value not in [f["funder"] for f in data["fundings"]]:
        data["fundings"] = [
            *data["fundings"],
            {"funder": entity.value, "amount_eur": None, "programme": ""},
        ]
    elif entity.kind == "date" and not data["start_date"]:
        data["start_date"] = entity.value


def _new_deployment_data(entity: Entity, role: str = "vendor") -> dict[str, Any]:
    """A draft deployment from one suggestion and what else the document suggests."""

    document = entity.page.document
    suggested = Entity.objects.filter(page__document=document).exclude(status="rejected")
    technologies = [entity.value] if entity.kind == "technology" else []
    if not technologies:
        counts: dict[str, int] = {}
        for slug in suggested.filter(kind="technology").values_list("value", flat=True):
            counts[slug] = counts.get(slug, 0) + 1
        technologies = sorted(counts, key=lambda s: -counts[s])[:1]
    if not technologies:
        raise ValidationError(
            gettext(
                "This document suggests no technology: create the deployment with the form, "
                "then accept the suggestion into it."
            )
        )
    communes = (
        [entity.value]
        if entity.kind == "commune"
        else list(document.places.values_list("code", flat=True))
    )
    if not communes:
        # (Before, the registry's own rule answered: "a local deployment needs at least
        # one commune or intercommunality", which said nothing of what to do here.)
        raise ValidationError(
            gettext(
                "This document has no place yet: accept one of its communes first, or "
                "accept this suggestion into an existing deployment."
            )
        )
    data = empty_deployment()
    data.update(
        status="announced", is_published=False, communes=communes, technologies=technologies
    )
    _apply_entity(data, entity, role)
    technology = Technology.objects.filter(slug=technologies[0]).first()
    place = Commune.objects.filter(code__in=data["communes"][:1]).first()
    data["title"] = (
        " – ".join(
            str(part)
            for part in (technology.name if technology else "", place.name if place else "")
            if part
        )
        or document.title
    )
    return data


def entity_reject(*, entity: Entity, user: User | None) -> None:
    entities_reject(entities=[entity], user=user)


def entities_restore(*, entities: Iterable[Entity], user: User | None) -> int:
    """Bring back the rejected suggestions among `entities`, waiting again (a reject made
    by mistake); one accepted since keeps its decision. Each row is saved on its own, so
    the audit log records who brought it back. Returns how many came back."""
    return _entities_moved(entities, "rejected", "suggested", reviewed_by=None, reviewed_at=None)


def entities_reject(*, entities: Iterable[Entity], user: User | None) -> int:
    """Reject the suggestions still waiting among `entities`; one already decided keeps
    its decision (a reject posted after an accept does not undo it). Each row is saved on
    its own, so the audit log records every decision. Returns how many were rejected."""
    return _entities_moved(
        entities, "suggested", "rejected", reviewed_by=user, reviewed_at=timezone.now()
    )


def _entities_moved(
    entities: Iterable[Entity],
    before: str,
    after: str,
    *,
    reviewed_by: User | None,
    reviewed_at: datetime | None,
) -> int:
    """Those of `entities` still `before` made `after`, with that review, under a lock,
    each saved on its own (an audit entry each). Returns how many."""
    with transaction.atomic():
        rows = list(
            Entity.objects.select_for_update().filter(
                id__in=[e.id for e in entities], status=before
            )
        )
        for entity in rows:
            entity.status, entity.reviewed_by, entity.reviewed_at = after, reviewed_by, reviewed_at
            entity.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return len(rows)


def documents_about_place(
    documents: models.QuerySet[Document], code: str
) -> models.QuerySet[Document]:
    """The documents among `documents` about a place: a commune (its INSEE code), a
    department (its code) or an intercommunality (its SIREN), by the places each document
    holds (the uploader's, and the communes a reviewer confirmed). A city's documents
    include its municipal arrondissements' (Paris, Lyon, Marseille: an arrondissement has
    no intercommunality of its own, its city's is). One subquery, no DISTINCT over the
    documents' columns."""
    communes = Commune.objects.filter(
        Q(code=code)
        | Q(parent__code=code)
        | Q(department__code=code)
        | Q(epci__siren=code)
        | Q(parent__epci__siren=code)
    )
    held = Document.places.through.objects.filter(commune__in=communes)
    return documents.filter(id__in=held.values("document_id"))


def documents_listed_alone(documents: models.QuerySet[Document]) -> models.QuerySet[Document]:
    """The documents of `documents` that are no attachment of another of them: an e-mail
    stands for its attachments, which its page lists. An attachment whose e-mail is not
    among them (private, or left out by a filter) is listed itself, or a published
    attachment of a private e-mail would be in no list and on no place's page."""
    # (NOT EXISTS, not NOT IN: PostgreSQL would hash every id of the list on each request,
    # or check them row by row when the hash does not fit in its memory.)
    return documents.filter(
        Q(parent__isnull=True) | ~Exists(documents.filter(pk=OuterRef("parent_id")))
    )


def documents_filtered(
    documents: models.QuerySet[Document],
    *,
    place: str = "",
    origin: str = "",
    kind: str = "",
    publication: str = "",
) -> models.QuerySet[Document]:
    """The library list's filters (`forms.LibraryFilterForm`), each one left out when empty.
    `publication`: "waiting" (not yet published) or "published"."""
    if publication:
        documents = documents.filter(is_public=publication == "published")
    if place:
        documents = documents_about_place(documents, place)
    if origin:
        documents = documents.filter(origin=origin)
    if kind:
        documents = documents.filter(kind=kind)
    return documents
