"""Rate limits counted in the shared cache, keyed by a hash that rotates with the window.

    from contrechamp.lib import ratelimit

    decision = ratelimit.hit(request, "tips")          # counts this request
    if not decision.allowed:
        return ratelimit.refused(request, decision)     # French 429 page (or JSON under /api/)

`hit(request, scope, *, limit=None, window=None, key=None) -> Decision` counts one event
and says whether it stays within `limit` per `window` seconds; `check(...)` says whether
one more would (without counting). `limit`/`window` default to `settings.RATE_LIMITS[scope]`
("N/period", e.g. "10/15m"). `key` is what is counted: None for the client's address
(`client_address`), or an account identifier given by the caller.

No address or identifier is stored in clear: the cache key is an HMAC, under a key derived
from SECRET_KEY, of the scope, the window's number and the identifier, so the salt changes
with every window and a key says nothing once its window is over. Counting uses a sliding
window estimated from two fixed ones (the previous window's count weighted by how much of
it still overlaps), so a burst across a window boundary is not counted twice as allowed.

Behind a reverse proxy, REMOTE_ADDR is the proxy's: set RATE_LIMIT_PROXY_COUNT to the
number of proxies you run in front of Contrechamp (1 for a single nginx) and the client is
read from X-Forwarded-For, that many entries from the right (the one your outermost proxy
appended); entries further left are the client's own claims and are ignored. With 0 (the
default) X-Forwarded-For is never read: a forged one changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("contrechamp.ratelimit")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until one more would be allowed; 0 when allowed.
    retry_after: int
    count: int
    limit: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


ALLOWED = Decision(allowed=True, retry_after=0, count=0, limit=0)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/15m" → (10, 900); "300/m" → (300, 60); "5/3600" → (5, 3600)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"a rate is N/period, e.g. 10/15m or 300/m, got {rate!r}")
    count, amount, unit = match.groups()
    window = int(amount or 1) * _UNITS[unit or "s"]
    if window <= 0:
        raise ValueError(f"a rate's period must be positive, got {rate!r}")
    return int(count), window


def client_address(request: HttpRequest) -> str:
    """The client's address as counted: an IPv4 address, or the /64 network of an IPv6
    one (a single subscriber usually holds a whole /64, and picking a new address in it
    is free). IPv4 mapped in IPv6 counts as IPv4."""
    raw = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.RATE_LIMIT_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            raw = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(raw.strip().strip("[]").split("%")[0])
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _identifier(request: HttpRequest, key: str | None) -> str:
    return "addr:" + client_address(request) if key is None else "key:" + key


def _cache_key(scope: str, identifier: str, window: int, index: int) -> str:
    message = f"{scope}\x00{window}\x00{index}\x00{identifier}".encode()
    secret = hashlib.sha256(b"contrechamp.ratelimit\x00" + settings.SECRET_KEY.encode()).digest()
    return f"rl:{scope}:{hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]}"


def _cache():  # type: ignore[no-untyped-def]
    return caches[settings.RATE_LIMIT_CACHE]


def _limits(scope: str, limit: int | None, window: int | None) -> tuple[int, int]:
    if limit is None or window is None:
        default_limit, default_window = parse_rate(settings.RATE_LIMITS[scope])
        limit = default_limit if limit is None else limit
        window = default_window if window is None else window
    return limit, window


def _ceil(estimate: float) -> int:
    # Up, so that 9.9996 failures (six just before a window's end, four just after) count
    # as the ten they are; the float noise of the weighting never adds one.
    return math.ceil(estimate - 1e-6)


def _decide(
    current: int, previous: int, *, now: float, index: int, limit: int, window: int
) -> Decision:
    """Whether one more event, on top of `current` in this window and the overlapping part
    of `previous`, stays within `limit`; if not, in how long one would."""
    elapsed = now - index * window
    weight = (window - elapsed) / window
    estimate = previous * weight + current + 1
    if estimate <= limit:
        return Decision(True, 0, _ceil(estimate), limit)
    if current + 1 <= limit and previous > 0:
        # Later in this window, once the previous window's share has shrunk enough.
        wait = window * (1 - (limit - current - 1) / previous) - elapsed
    elif current > 0:
        # In the next window, once this window's share (then the previous) has shrunk.
        wait = window - elapsed + window * max(0.0, 1 - (limit - 1) / current)
    else:
        wait = window - elapsed
    return Decision(False, max(1, math.ceil(wait)), _ceil(estimate), limit)


def hit(
    request: HttpRequest,
    scope: str,
    *,
    limit: int | None = None,
    window: int | None = None,
    key: str | None = None,
) -> Decision:
    """Count one event of `scope` for `key` (or the client's address); allowed while the
    count within the last `window` seconds, this one included, is at most `limit`.

    If the cache fails, the event is allowed and the failure logged: an unreachable cache
    must not close the site."""
    limit, window = _limits(scope, limit, window)
    identifier = _identifier(request, key)
    now = time.time()
    index = int(now // window)
    current_key = _cache_key(scope, identifier, window, index)
    previous_key = _cache_key(scope, identifier, window, index - 1)
    cache = _cache()
    try:
        # Incremented first: past the window's first event the key exists, and that is
        # one short transaction. Kept two windows: the next window still weighs this one.
        try:
            current = cache.incr(current_key)
        except ValueError:
            if cache.add(current_key, 1, timeout=2 * window + 1):
                current = 1
            else:  # another process created it in between
                current = cache.incr(current_key)
        previous = cache.get(previous_key, 0)
        decision = _decide(current - 1, previous, now=now, index=index, limit=limit, window=window)
        if not decision.allowed:
            # A refused event is not counted: the limit is of events let through, and the
            # wait announced stays true however often someone retries.
            cache.decr(current_key)
    except Exception:
        logger.exception("rate limit %s: cache unavailable, allowing", scope)
        return ALLOWED
    return decision


def check(
    request: HttpRequest,
    scope: str,
    *,
    limit: int | None = None,
    window: int | None = None,
    key: str | None = None,
) -> Decision:
    """Whether one more event of `scope` would be allowed, without counting it."""
    limit, window = _limits(scope, limit, window)
    identifier = _identifier(request, key)
    now = time.time()
    index = int(now // window)
    try:
        counts = _cache().get_many(
            [
                _cache_key(scope, identifier, window, index),
                _cache_key(scope, identifier, window, index - 1),
            ]
        )
    except Exception:
        logger.exception("rate limit %s: cache unavailable, allowing", scope)
        return ALLOWED
    current = counts.get(_cache_key(scope, identifier, window, index), 0)
    previous = counts.get(_cache_key(scope, identifier, window, index - 1), 0)
    return _decide(current, previous, now=now, index=index, limit=limit, window=window)


def block(request: HttpRequest, scope: str, *, seconds: int, key: str | None = None) -> bool:
    """Refuse `scope` to `key` (or the address) for `seconds` from now; True if this
    started a block, False if one was already running (it is not extended)."""
    if blocked(request, scope, seconds=seconds, key=key):
        return False
    now = time.time()
    index = int(now // seconds)
    cache_key = _cache_key(f"{scope}:block", _identifier(request, key), seconds, index)
    try:
        return bool(_cache().add(cache_key, now + seconds, timeout=seconds + 1))
    except Exception:
        logger.exception("rate limit %s: cache unavailable, not blocking", scope)
        return False


def blocked(request: HttpRequest, scope: str, *, seconds: int, key: str | None = None) -> int:
    """Seconds left of a block of `scope` for `key` (or the address); 0 when none."""
    now = time.time()
    index = int(now // seconds)
    identifier = _identifier(request, key)
    # A block is stored under the key of the period it started in: this one or the last.
    keys = [_cache_key(f"{scope}:block", identifier, seconds, i) for i in (index, index - 1)]
    try:
        found = _cache().get_many(keys)
    except Exception:
        logger.exception("rate limit %s: cache unavailable, not blocked", scope)
        return 0
    until = max(found.values(), default=0.0)
    return max(0, math.ceil(until - now))


def refused(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The 429 answer: the API's JSON error envelope under /api/, a page elsewhere; both
    with Retry-After."""
    minutes = decision.retry_after_minutes
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "error": {
                    "code": "rate_limited",
                    "message": f"Too many requests: retry in {decision.retry_after} seconds.",
                    "field": None,
                }
            },
            status=429,
        )
    else:
        message = ngettext(
            "Too many requests from you. Please try again in %(minutes)d minute.",
            "Too many requests from you. Please try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = HttpResponse(
            render_to_string(
                "429.html",
                {"message": message, "minutes": minutes, "title": _("Too many requests")},
                request=request,
            ),
            status=429,
        )
    response["Retry-After"] = str(decision.retry_after)
    return response


@dataclass(frozen=True)
class Rule:
    """Which requests a scope counts: URL names (or a path prefix), methods, and an
    optional test of the request (a list page counts as a search only with `q`)."""

    scope: str
    url_names: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset({"POST"})
    per_account: bool = False
    when: Callable[[HttpRequest], bool] | None = None


def _has_query(request: HttpRequest) -> bool:
    return bool(request.GET.get("q", "").strip())


# The one table of what is limited where (the rates themselves are in settings).
RULES: tuple[Rule, ...] = (
    # Both send an e-mail to an address anyone types: a mailbox is not to be flooded.
    Rule("signup", frozenset({"signup", "password_reset"})),
    Rule(
        "uploads",
        frozenset({"document-upload", "request-answer", "request-proof"}),
        per_account=True,
    ),
    # Each request to join e-mails the group's coordinators (asking and withdrawing in a
    # loop sent them one mail a time, the review found).
    Rule("group-joins", frozenset({"group-join"}), per_account=True),
    Rule("search", frozenset({"search"}), methods=frozenset({"GET", "HEAD"})),
    Rule(
        "search",
        frozenset({"deployment-list", "organisation-list", "document-list", "request-list"}),
        methods=frozenset({"GET", "HEAD"}),
        when=_has_query,
    ),
)
API_PREFIX = "/api/v1/"
TIP_PATHS = ("/signaler/", "/signaler/suivi/")


class RateLimitMiddleware:
    """Applies RULES (by URL name, after resolving) and the API's per-address limit (by
    path, before anything else runs). Placed after the authentication middleware, so that
    uploads are counted per account when someone is logged in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            decision = hit(request, "api")
            if not decision.allowed:
                return refused(request, decision)
        elif request.method == "POST" and request.path in TIP_PATHS:
            decision = hit(request, "tips")
            if not decision.allowed:
                return refused(request, decision)
            request._contrechamp_tip_counted = True  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        name = match.view_name
        for rule in RULES:
            if name not in rule.url_names or request.method not in rule.methods:
                continue
            if rule.scope == "tips" and getattr(request, "_contrechamp_tip_counted", False):
                return None
            if rule.when is not None and not rule.when(request):
                continue
            key = None
            user = getattr(request, "user", None)
            if rule.per_account and user is not None and user.is_authenticated:
                key = f"user:{user.pk}"
            decision = hit(request, rule.scope, key=key)
            if not decision.allowed:
                return refused(request, decision)
            return None
        return None
