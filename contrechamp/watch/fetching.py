"""Calling a source's JSON API the way the watch's connectors all need to: each call
times out, and timeouts, connection errors, HTTP 429 and 5xx are tried again with
backoff, waiting what `Retry-After` or `X-RateLimit-Reset` says when they say it; any
other refusal, or the same failure past the retries, is a FetchError. A file too large to
hold in memory (the DECP's consolidated file) is downloaded to disk, resumed where a cut
left it."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from contrechamp.lib.numbers import digits


class FetchError(RuntimeError):
    """The API could not be read (after the retries)."""


# (url, timeout, body or None for a GET) → (status, headers, body).
Getter = Callable[[str, float, bytes | None], tuple[int, dict[str, str], bytes]]


def _call(url: str, timeout: float, data: bytes | None) -> tuple[int, dict[str, str], bytes]:
    """One GET, or one POST of a JSON body. `timeout` bounds each wait on the socket, and
    the whole call may take at most four times it: a server dripping a byte at a time is
    cut off too."""
    headers = {"Accept": "application/json", "User-Agent": "contrechamp-watch"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    deadline = time.monotonic() + 4 * timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            chunks = []
            while chunk := response.read1(65536):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the answer took over {4 * timeout:.0f} s")
            body = b"".join(chunks)
            length = digits(response.headers.get("Content-Length", ""))
            if length is not None and len(body) < length:
                raise http.client.IncompleteRead(body, length - len(body))
            return response.status, dict(response.headers), body
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read() or b""


def _wait_for(headers: dict[str, str], attempt: int, backoff: float) -> float:
    """Seconds to wait before the next try: what the server says, else exponential."""
    lowered = {k.lower(): v for k, v in headers.items()}
    retry_after = digits(lowered.get("retry-after", ""))
    if retry_after is not None:
        return float(retry_after)
    reset = lowered.get("x-ratelimit-reset", "")
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return max(0.0, moment.timestamp() - time.time())
        except ValueError:
            pass
    return backoff * (2**attempt)


def _pause(
    url: str,
    last: str,
    headers: dict[str, str],
    attempt: int,
    backoff: float,
    max_wait: float,
    sleep: Callable[[float], None] | None,
) -> None:
    """Wait before the next try, as long as the server asks or the backoff says; a wait
    over `max_wait` ends the tries."""
    wait = _wait_for(headers, attempt, backoff)
    if wait > max_wait:
        raise FetchError(f"{url}: {last}, and the server asks to wait {wait:.0f} s")
    (sleep or time.sleep)(wait)


def get_json(
    url: str,
    *,
    body: Any = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 1.0,
    max_wait: float = 300.0,
    getter: Getter = _call,
    sleep: Callable[[float], None] | None = None,
) -> Any:
    """GET a JSON document (POST `body` as JSON when there is one), retrying timeouts,
    connection errors, 429 and 5xx."""
    data = None if body is None else json.dumps(body).encode()
    last = ""
    for attempt in range(retries + 1):
        try:
            status, headers, answer = getter(url, timeout, data)
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            status, headers, answer, last = 0, {}, b"", f"{type(error).__name__}: {error}"
        if status == 200:
            try:
                return json.loads(answer)
            except ValueError as error:  # cut short without saying so: tried again
                status, last = 0, f"the answer is not JSON ({error})"
        if status and status != 429 and status < 500:
            raise FetchError(f"{url}: HTTP {status}: {answer[:200]!r}")
        last = last if not status else f"HTTP {status}"
        if attempt < retries:
            _pause(url, last, headers, attempt, backoff, max_wait, sleep)
    raise FetchError(f"{url}: {last} after {retries + 1} tries")


_CONTENT_RANGE_TOTAL = "/"


def _expected_total(status: int, headers: Any, start: int) -> int | None:
    """The file's whole size as the answer states it: its Content-Length (200), or the
    total of its Content-Range (206); None when it does not say."""
    if status == 206:
        return digits(str(headers.get("Content-Range", "")).rpartition(_CONTENT_RANGE_TOTAL)[2])
    length = digits(headers.get("Content-Length", ""))
    return None if length is None else start + length


def download(
    url: str,
    target: Path,
    *,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 1.0,
    max_wait: float = 300.0,
    max_bytes: int = 4 * 2**30,
    modified_since: str = "",
    sleep: Callable[[float], None] | None = None,
) -> str | None:
    """Download `url` to `target` a megabyte at a time, never holding it in memory.
    Each read times out; a connection cut, a timeout, 429 and 5xx are tried again with
    backoff, asking for the rest only (`Range`) when some has arrived, and from the start
    if the server ignores it. A file over `max_bytes` is refused and removed. Returns the
    answer's Last-Modified (empty if none), or None when the server says the file has
    not changed since `modified_since` (HTTP 304): then nothing is written. Whatever
    ends in a FetchError leaves no file."""
    target.unlink(missing_ok=True)
    try:
        return _download_to(
            url, target, timeout, retries, backoff, max_wait, max_bytes, modified_since, sleep
        )
    except FetchError:
        target.unlink(missing_ok=True)
        raise


def _download_to(
    url: str,
    target: Path,
    timeout: float,
    retries: int,
    backoff: float,
    max_wait: float,
    max_bytes: int,
    modified_since: str,
    sleep: Callable[[float], None] | None,
) -> str | None:
    got = 0
    last = ""
    for attempt in range(retries + 1):
        headers = {"User-Agent": "contrechamp-watch", "Accept-Encoding": "identity"}
        if got:
            headers["Range"] = f"bytes={got}-"
        elif modified_since:
            headers["If-Modified-Since"] = modified_since
        answer: Any = {}
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                answer = response.headers
                if response.status != 206:
                    got = 0  # the whole file, from its start
                total = _expected_total(response.status, answer, got)
                if total is not None and total > max_bytes:
                    raise FetchError(f"{url}: {total} bytes, over the {max_bytes} bytes allowed")
                with target.open("ab" if got else "wb") as out:
                    while chunk := response.read1(1 << 20):
                        got += len(chunk)
                        if got > max_bytes:
                            raise FetchError(f"{url}: over the {max_bytes} bytes allowed")
                        out.write(chunk)
                if total is None or got == total:
                    return str(answer.get("Last-Modified", ""))
                last = f"cut after {got} of {total} bytes"
        except urllib.error.HTTPError as error:
            answer = error.headers or {}
            if error.code == 304:
                return None
            if error.code == 416:  # the range asked no longer fits: from the start again
                got = 0
            elif error.code != 429 and error.code < 500:
                raise FetchError(f"{url}: HTTP {error.code}") from error
            last = f"HTTP {error.code}"
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            last = f"{type(error).__name__}: {error}"
            got = target.stat().st_size if got and target.exists() else got
        if attempt < retries:
            _pause(
                url, last, dict(answer.items()) if answer else {}, attempt, backoff, max_wait, sleep
            )
    raise FetchError(f"{url}: {last} after {retries + 1} tries")
