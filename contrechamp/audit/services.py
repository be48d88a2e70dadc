"""Writing the audit log, chaining it, checking it.

`audit_record` is the public API for explicit events; changes to the project's models are
recorded automatically (recording.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from contrechamp.audit import context
from contrechamp.audit.models import AuditEntry, AuditHead, AuditLink

logger = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^[a-z][a-z_]{1,39}$")
EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[a-z]{2,}", re.IGNORECASE)

# Link builders: "app_label.model_name" -> a function giving the history page of an object.
# Filled in by higher apps (the registry, in its AppConfig.ready), which the audit log may
# not import.
HISTORY_LINKS: dict[str, Callable[[models.Model], str]] = {}

# Models whose text (str()) may hold something personal or secret: an account's user name
# (an e-mail address for some), a recovery code, a tip's text, a detected name. Their
# entries carry the model and the id only.
NO_LABEL_APPS = {"auth", "accounts", "otp_totp", "otp_static", "tips"}
# Labels that may hold a private person's name (a proof's file name, a private
# document's title): the log is kept for ever and outlives account deletion.
NO_LABEL_MODELS = {
    "redaction.redaction",
    "documents.entity",
    "documents.document",
    "access.attachment",
}


def register_history_link(model_label: str, builder: Callable[[models.Model], str]) -> None:
    """Let the log link entries about `model_label` ("registry.deployment") to a page."""
    HISTORY_LINKS[model_label.lower()] = builder


def mask_emails(text: str) -> str:
    return EMAIL.sub("[…]", text)


def target_of(obj: models.Model) -> dict[str, str]:
    meta = obj._meta
    label = f"{meta.app_label}.{meta.model_name}"
    if (
        meta.app_label in NO_LABEL_APPS
        or label in NO_LABEL_MODELS
        # Django's "Citation object (36)" says nothing the model and id do not.
        or type(obj).__str__ is models.Model.__str__
    ):
        text = ""
    else:
        try:
            text = mask_emails(str(obj))[:200]
        except Exception:  # a __str__ that follows a relation already deleted
            text = ""
    url = ""
    builder = HISTORY_LINKS.get(label)
    if builder is not None:
        try:
            url = builder(obj)[:300]
        except Exception:  # no history page for this one (a related row already gone)
            url = ""
    return {
        "target_app": meta.app_label,
        "target_model": meta.model_name or "",
        "target_id": str(obj.pk)[:64] if obj.pk is not None else "",
        "target_label": text,
        "target_url": url,
    }


_anonymous: ContextVar[bool] = ContextVar("audit_anonymous", default=False)
# The entries recorded inside `audit_seals_batched`, chained when it ends.
_batched: ContextVar[list[int] | None] = ContextVar("audit_batched", default=None)


@contextmanager
def audit_seals_batched() -> Iterator[None]:
    """The entries recorded inside are chained together when the block ends (one lock of
    the head and one write of the links for all), not each on its own: for a command that
    makes many rows one after the other (`documents add FOLDER`), where the seals were most
    of the upload's cost. Each entry still commits with its change; a process stopped
    before the end leaves its entries to the hourly seal (`tasks.seal`), as a crash between
    a commit and its seal does on PostgreSQL, and `audit verify` counts them as unsealed
    until then. Nested blocks chain at the end of the outermost."""
    if _batched.get() is not None:
        yield
        return
    pending: list[int] = []
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
        if pending and connection.in_atomic_block:
            # After the caller's transaction commits (and never if it rolls back): not
            # while it holds its rows (see models.py), nor in a transaction an error
            # already broke, which would hide that error behind the seal's.
            transaction.on_commit(lambda: _seal_all(pending), robust=True)
        elif pending:
            _seal_all(pending)


_SEAL_CHUNK = 500


def _seal_all(ids: list[int]) -> None:
    """Chain `ids`; a failure (a deadlock, the database gone) is logged and left to the
    hourly seal, as after a single entry's commit: every change is committed already, and
    the command that made them must still say what it did."""
    try:
        # Entries rolled back with their change are simply not found.
        for start in range(0, len(ids), _SEAL_CHUNK):
            audit_seal(ids=ids[start : start + _SEAL_CHUNK])
    except Exception:
        logger.exception("audit: %d entries left for the hourly seal", len(ids))


@contextmanager
def audit_anonymous() -> Iterator[None]:
    """Whatever is recorded inside carries no actor and no origin (an anonymous tip, and
    the document made from it)."""
    token = _anonymous.set(True)
    try:
        yield
    finally:
        _anonymous.reset(token)


def audit_record(
    action: str,
    *,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    actor_id: int | None = None,
    anonymous: bool = False,
) -> AuditEntry:
    """Write one entry, in the caller's transaction; it is chained right after the commit.

    The actor and origin come from the current request (or the command or task running);
    `actor_id` overrides the actor (a log-in, whose user is not yet on the request)."""
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"not an audit action: {action!r}")
    ctx = context.current()
    if anonymous or ctx.anonymous or _anonymous.get():
        ctx = replace(ctx, actor=lambda: None, origin="")
        actor_id = None
        anonymous = True
    tip = _about_a_tip(target)
    if tip:
        # Never a network next to a tip; and no actor but a reviewer acting on it.
        ctx = replace(ctx, origin="")
        if not anonymous and not _is_reviewer(actor_id if actor_id else ctx.actor()):
            ctx = replace(ctx, actor=lambda: None)
            actor_id = None
    actor = actor_id if actor_id is not None else ctx.actor()
    when = timezone.now()
    if anonymous or tip:
        # The day only, as the tip itself keeps: an exact time could be matched with
        # other traces of the sender (the worker processes a tip's file minutes after it
        # was sent).
        when = timezone.localtime(when).replace(hour=0, minute=0, second=0, microsecond=0)
    entry = AuditEntry(
        when=when,
        actor_id=actor,
        actor_system="" if actor is not None else ctx.system,
        action=action,
        details=details or {},
        origin=ctx.origin,
        **(target_of(target) if target is not None else {}),
    )
    entry.save()
    batch = _batched.get()
    if batch is not None:
        batch.append(entry.pk)
        return entry
    if connection.vendor == "sqlite":
        # SQLite has one writer: the caller's transaction (BEGIN IMMEDIATE) holds the
        # database already, so the link is written in it, with no second commit.
        audit_seal(ids=[entry.pk])
        return entry
    # PostgreSQL: after the commit, in a transaction of its own (see models.py); at once
    # when the caller is not in a transaction. A failure to chain leaves the entry for the
    # next seal. (A function, not a partial: Django names it when logging a failure.)
    pk = entry.pk
    transaction.on_commit(lambda: _seal_quietly(pk), robust=True)
    return entry


def _about_a_tip(target: models.Model | None) -> bool:
    """A tip, or a file sent with one (a document whose origin is a tip)."""
    if target is None:
        return False
    if target._meta.app_label == "tips":
        return True
    return (
        target._meta.label_lower == "documents.document" and getattr(target, "origin", "") == "tip"
    )


def _seal_quietly(pk: int) -> None:
    audit_seal(ids=[pk])


def _is_reviewer(user_id: int | None) -> bool:
    if user_id is None:
        return False
    from django.contrib.auth import get_user_model

    from contrechamp.accounts.models import has_role

    user = get_user_model().objects.filter(pk=user_id).first()
    return has_role(user, "reviewer")


def entry_content(entry: AuditEntry) -> str:
    """The canonical text of an entry that its link hashes (read back from the database)."""
    when = entry.when.astimezone(timezone.get_fixed_timezone(0)).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "id": entry.pk,
            "when": when,
            "actor_id": entry.actor_id,
            "actor_system": entry.actor_system,
            "action": entry.action,
            "target": [
                entry.target_app,
                entry.target_model,
                entry.target_id,
                entry.target_label,
                entry.target_url,
            ],
            "details": entry.details,
            "origin": entry.origin,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def link_hash(prev_hash: str, entry: AuditEntry) -> str:
    message = f"{prev_hash}\n{entry_content(entry)}".encode()
    return hmac.new(context.chain_key(), message, hashlib.sha256).hexdigest()


def _lock_head() -> AuditHead:
    # An UPDATE first: on PostgreSQL it takes the row lock (as select_for_update would) and
    # a waiting sealer then reads the head its predecessor left; on SQLite the write lock
    # is taken at BEGIN IMMEDIATE already. A missing head (a new or flushed database) is
    # created; two creators at once: one fails on the primary key and tries again.
    for _attempt in range(3):
        if AuditHead.objects.filter(pk=1).update(position=models.F("position")):
            return AuditHead.objects.select_for_update().get(pk=1)
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:  # created by a concurrent sealer: lock it on the next turn
            continue
    raise RuntimeError("the audit head row could not be locked")


def audit_seal(ids: list[int] | None = None) -> int:
    """Chain the entries given (or every entry not yet chained); return how many."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and ids is not None:
            # A link lost in a crash is written again by the next sweep (`audit verify`)
            # from its entry, committed durably with the change: no need to wait for
            # the disk here.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        head = _lock_head()
        pending = AuditEntry.objects.filter(link__isnull=True)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        position, last = head.position, head.hash
        links = []
        for entry in pending.order_by("id"):
            position += 1
            digest = link_hash(last, entry)
            links.append(AuditLink(position=position, entry=entry, prev_hash=last, hash=digest))
            last = digest
        if links:
            AuditLink.objects.bulk_create(links, batch_size=_SEAL_CHUNK)
            AuditHead.objects.filter(pk=1).update(position=position, hash=last)
    return len(links)


@dataclass
class Verification:
    checked: int
    broken_at: int | None = None  # the position of the first broken link
    entry_id: int | None = None
    reason: str = ""
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.reason


def audit_verify(*, chunk: int = 2000) -> Verification:
    """Walk the chain from the start; stop at the first broken link."""
    prev, expected, checked = "", 1, 0
    last_position = 0
    links = AuditLink.objects.order_by("position").values_list(
        "position", "entry_id", "prev_hash", "hash"
    )
    batch: list[tuple[int, int, str, str]] = []

    def check(rows: list[tuple[int, int, str, str]]) -> Verification | None:
        nonlocal prev, expected, checked, last_position
        entries = AuditEntry.objects.in_bulk([r[1] for r in rows])
        for position, entry_id, prev_hash, digest in rows:
            if position != expected:
                return Verification(checked, expected, None, f"link {expected} is missing")
            entry = entries.get(entry_id)
            if entry is None:
                return Verification(checked, position, entry_id, "its entry is missing")
            if prev_hash != prev:
                return Verification(checked, position, entry_id, "it does not follow the last")
            if link_hash(prev, entry) != digest:
                return Verification(checked, position, entry_id, "the entry was changed")
            prev, expected, checked, last_position = digest, expected + 1, checked + 1, position
        return None

    for row in links.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            if (found := check(batch)) is not None:
                return found
            batch = []
    if batch and (found := check(batch)) is not None:
        return found
    unsealed = AuditEntry.objects.filter(link__isnull=True).count()
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.position, head.hash) != (last_position, prev):
        return Verification(
            checked, last_position + 1, None, "links after the last one found are missing"
        )
    return Verification(checked, unsealed=unsealed)


@contextmanager
def audit_purge_allowed(using: Any = None) -> Iterator[None]:
    """Let DELETE and TRUNCATE through the triggers, for emptying a whole database (the
    `flush` command, a restore): in this process and connection only; UPDATE stays refused.
    On SQLite the triggers ask a function this process registers (any other client is
    refused); on PostgreSQL they read a setting of the session."""
    from contrechamp.audit import triggers

    conn = using if using is not None else connection
    token = triggers.purge.set(True)
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SET contrechamp.audit_purge = 'on'")
    try:
        yield
    finally:
        triggers.purge.reset(token)
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("RESET contrechamp.audit_purge")
