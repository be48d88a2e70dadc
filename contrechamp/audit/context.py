"""Who acts and from where, for the entries written during a request, command or task."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

# A request under these paths is an anonymous tip (app `tips`, mounted at /signaler/): what
# it writes is recorded without actor nor origin, since the tip promises no IP is kept and a
# hashed network tied to a tip's id would be such a link. The reviewers' queue of tips is
# not anonymous: a reviewer's reply is theirs (tests/audit/test_privacy.py checks both
# against the tips app's URLs).
ANONYMOUS_PATHS = ("/signaler/",)
NOT_ANONYMOUS_PATHS = ("/signaler/file/",)


def is_anonymous_path(path: str) -> bool:
    return path.startswith(ANONYMOUS_PATHS) and not path.startswith(NOT_ANONYMOUS_PATHS)


@dataclass
class AuditContext:
    # Read at the time of each entry: a log-in changes the user within the request.
    actor: Callable[[], int | None] = field(default=lambda: None)
    system: str = ""
    origin: str = ""
    anonymous: bool = False
    task: bool = False


def _process_name() -> str:
    """ "command <name>" for `contrechamp <name>` (or manage.py), else the program's name."""
    program = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if program in {"", "-", "-c"}:  # python -c, or a script on standard input
        program = "python"
    if program in {"contrechamp", "manage.py", "__main__.py"} and len(sys.argv) > 1:
        return f"command {sys.argv[1]}"[:120]
    return f"command {program}"[:120]


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    found = _current.get()
    return found if found is not None else AuditContext(system=_process_name())


@contextmanager
def acting(context: AuditContext) -> Iterator[AuditContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def task_started(name: str) -> None:
    """For a task worker: the entries that follow are the task's. A task run at once inside
    a request (the immediate backend) stays the request's."""
    found = _current.get()
    if found is None or found.task:
        _current.set(AuditContext(system=name[:120], task=True))


def task_finished() -> None:
    found = _current.get()
    if found is not None and found.task:
        _current.set(None)


def _key(purpose: str) -> bytes:
    return _derive(purpose, settings.SECRET_KEY)


@lru_cache(maxsize=16)
def _derive(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"contrechamp.audit.{purpose}:{secret}".encode()).digest()


def month_salt(moment: datetime | None = None) -> bytes:
    """The salt of the month (UTC): derived from SECRET_KEY and the month, never stored,
    so that last month's origins cannot be computed again from an address once it ends
    unless one holds the secret key."""
    moment = moment or timezone.now()
    month = moment.astimezone(UTC).strftime("%Y-%m")
    return hmac.new(_key("origin"), month.encode(), hashlib.sha256).digest()


def network_of(address: str) -> str | None:
    """The client's network: /24 for IPv4, /48 for IPv6 (an IPv4-mapped address counts as
    IPv4); None for anything that is not an address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def origin_of(address: str, moment: datetime | None = None) -> str:
    """A coarse hashed origin: two actions from one network in the same month share it,
    the address is never stored, and without the salt the 2^24 IPv4 networks cannot be
    tried against it."""
    network = network_of(address)
    if network is None:
        return ""
    return hmac.new(month_salt(moment), network.encode(), hashlib.sha256).hexdigest()[:32]


def keyed_hash(value: str) -> str:
    """A short keyed hash under the month's salt (a typed log-in identifier: failures on
    one account can be linked within the month, the identifier is not kept)."""
    return hmac.new(month_salt(), value.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def chain_key() -> bytes:
    # The chain is keyed: someone who can write the database but does not hold the
    # secret key cannot compute a valid chain again after editing an entry.
    return _key("chain")
