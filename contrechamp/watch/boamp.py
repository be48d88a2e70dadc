"""BOAMP notices (Bulletin officiel des annonces des marchés publics), from the DILA's
Opendatasoft portal: read from files, or fetched from its API.

A notice's top-level fields give its number (`idweb`), object, buyer's name, date and
departments; its CPV codes, buyer SIRET and estimated value are only inside `donnees`, a
JSON string of the eForms notice (UBL as JSON). The buyer is the organisation the
`cac:ContractingParty` references, not the first one listed (the review body, the
mediator and the eSender are organisations too).

The API (Explore v2.1) gives 100 records a call and refuses `offset + limit` over
10,000: the fetch walks by publication date, and starts again from the last date seen
when the offset would pass that limit. Calls time out, and HTTP 429 and 5xx are retried
with backoff, waiting what `Retry-After` or `X-RateLimit-Reset` says when they say it."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from contrechamp.watch.decp import Record, amount, clean_text, cpv_codes, iso_date

API_PATH = "/api/explore/v2.1/catalog/datasets/boamp/records"
PAGE = 100
OFFSET_LIMIT = 10_000
# The notices worth reading: the API searches the object for these words (a filter
# before the scorer, so that a fetch reads thousands of notices, not a million).
QUERY_WORDS = [
    "vidéoprotection",
    "vidéosurveillance",
    "vidéo protection",
    "vidéo surveillance",
    "caméras",
    "supervision urbaine",
    "lecture automatisée des plaques",
    "LAPI",
    "drone",
    "reconnaissance faciale",
    "capteurs sonores",
]


class FetchError(RuntimeError):
    """The API could not be read (after the retries)."""


# --- one notice -----------------------------------------------------------------------


def _walk(value: Any, key: str) -> Iterator[Any]:
    """Every value under `key` anywhere in a JSON tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("#text", ""))
    return "" if value is None else str(value)


def _buyer_siret(notice: Any) -> str:
    """The SIRET of the organisation the contracting party references."""
    referenced = {
        _text(party_id)
        for party in _walk(notice, "cac:ContractingParty")
        for party_id in _walk(party, "cbc:ID")
    }
    for organisation in _walk(notice, "efac:Organization"):
        for item in organisation if isinstance(organisation, list) else [organisation]:
            company = item.get("efac:Company", {}) if isinstance(item, dict) else {}
            ids = {_text(v) for v in _walk(company.get("cac:PartyIdentification", {}), "cbc:ID")}
            if ids & referenced:
                for legal in _walk(company, "cbc:CompanyID"):
                    digits = "".join(c for c in _text(legal) if c.isdigit())
                    if len(digits) == 14:
                        return digits
    return ""


def normalise(fields: dict[str, Any]) -> Record:
    """A notice's `fields` (API v1) or record (API v2.1) in the watch's terms."""
    notice: Any = {}
    raw = fields.get("donnees")
    if isinstance(raw, str) and raw.strip().startswith("{"):
        try:
            notice = json.loads(raw)
        except ValueError:
            notice = {}
    elif isinstance(raw, dict):
        notice = raw
    cpv: list[str] = []
    for value in _walk(notice, "cbc:ItemClassificationCode"):
        for code in cpv_codes(_text(value)):
            if code not in cpv:
                cpv.append(code)
    value_eur = next(
        (amount(_text(v)) for v in _walk(notice, "cbc:EstimatedOverallContractAmount")), None
    )
    departments = fields.get("code_departement_prestation") or fields.get("code_departement")
    if isinstance(departments, list):
        departments = ",".join(str(d) for d in departments)
    department = str(departments or "").split(",")[0].strip()
    if department.isdigit() and len(department) == 1:
        department = department.zfill(2)  # the v2.1 API loses the leading zero
    holders = [
        {"siret": "", "name": clean_text(name)[:300], "scheme": ""}
        for name in _as_names(fields.get("titulaire"))
    ]
    return Record(
        record_id=clean_text(fields.get("idweb") or fields.get("id") or "")[:200],
        kind=clean_text(fields.get("nature") or "notice").lower()[:20],
        buyer_siret=_buyer_siret(notice),
        buyer_name=clean_text(fields.get("nomacheteur"))[:300],
        object=clean_text(fields.get("objet")),
        cpv=cpv,
        amount=value_eur,
        date=iso_date(fields.get("dateparution")),
        holders=holders,
        place_code=department[:12],
        place_type="Code département" if department else "",
        source="boamp",
    )


def _as_names(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [part for part in str(value).split(",") if part.strip()]


def records_of(data: Any) -> list[dict[str, Any]]:
    """The notices of a file or a response: a list of `fields` objects, an API v2.1
    response (`results`), an API v1 response (`records[].fields`), or a collector's
    list of wrappers (`raw_fields`)."""
    if isinstance(data, dict):
        if isinstance(data.get("results"), list):
            data = data["results"]
        elif isinstance(data.get("records"), list):
            data = [r.get("fields", r) for r in data["records"] if isinstance(r, dict)]
        else:
            data = [data]
    items = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            items.append(item.get("raw_fields") or item.get("fields") or item)
    return items


def read_path(path: Path) -> Iterator[Record]:
    """The notices of a JSON file (small files: the API's pages, a collector's output)."""
    with path.open("rb") as stream:
        data = json.load(stream)
    for index, fields in enumerate(records_of(data)):
        record = normalise(fields)
        record.index, record.input = index, path.name
        yield record


# --- the API --------------------------------------------------------------------------


@dataclass
class Page:
    records: list[dict[str, Any]]
    total: int


Getter = Callable[[str, float], tuple[int, dict[str, str], bytes]]


def _get(url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """One GET. `timeout` bounds each wait on the socket, and the whole call may take at
    most four times it: a server dripping a byte at a time is cut off too."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "contrechamp-watch"}
    )
    deadline = time.monotonic() + 4 * timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            chunks = []
            while chunk := response.read1(65536):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the answer took over {4 * timeout:.0f} s")
            body = b"".join(chunks)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and len(body) < int(length):
                raise http.client.IncompleteRead(body, int(length) - len(body))
            return response.status, dict(response.headers), body
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read() or b""


def _wait_for(headers: dict[str, str], attempt: int, backoff: float) -> float:
    """Seconds to wait before the next try: what the server says, else exponential."""
    lowered = {k.lower(): v for k, v in headers.items()}
    retry_after = lowered.get("retry-after", "")
    if retry_after.isdigit():
        return float(retry_after)
    reset = lowered.get("x-ratelimit-reset", "")
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return max(0.0, moment.timestamp() - time.time())
        except ValueError:
            pass
    return backoff * (2**attempt)


def get_json(
    url: str,
    *,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 1.0,
    max_wait: float = 300.0,
    getter: Getter = _get,
    sleep: Callable[[float], None] | None = None,
) -> Any:
    """GET a JSON document, retrying timeouts, connection errors, 429 and 5xx."""
    last = ""
    for attempt in range(retries + 1):
        try:
            status, headers, body = getter(url, timeout)
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            status, headers, body, last = 0, {}, b"", f"{type(error).__name__}: {error}"
        if status == 200:
            try:
                return json.loads(body)
            except ValueError as error:  # cut short without saying so: tried again
                status, last = 0, f"the answer is not JSON ({error})"
        if status and status != 429 and status < 500:
            raise FetchError(f"{url}: HTTP {status}: {body[:200]!r}")
        last = last if not status else f"HTTP {status}"
        if attempt < retries:
            wait = _wait_for(headers, attempt, backoff)
            if wait > max_wait:
                raise FetchError(f"{url}: {last}, and the server asks to wait {wait:.0f} s")
            (sleep or time.sleep)(wait)
    raise FetchError(f"{url}: {last} after {retries + 1} tries")


def query_url(base: str, *, since: str, offset: int) -> str:
    words = " OR ".join(f'search(objet, "{w}")' for w in QUERY_WORDS)
    params = {
        "where": f"dateparution >= date'{since}' AND ({words})",
        "order_by": "dateparution ASC, idweb ASC",
        "limit": str(PAGE),
        "offset": str(offset),
    }
    return base.rstrip("/") + API_PATH + "?" + urllib.parse.urlencode(params)


def fetch(
    base: str, *, since: str, get: Callable[[str], Any]
) -> Iterator[tuple[dict[str, Any], str]]:
    """Every notice published since `since` (YYYY-MM-DD) matching the query words, with
    the cursor to resume from after it (its publication date)."""
    offset = 0
    cursor = since
    while True:
        page = get(query_url(base, since=cursor, offset=offset))
        results = records_of(page)
        for fields in results:
            yield fields, str(fields.get("dateparution") or cursor)[:10]
        if len(results) < PAGE:
            return
        offset += PAGE
        if offset + PAGE > OFFSET_LIMIT:
            # The API stops at 10,000: start again from the last date read (the notices
            # of that date read twice are one item each, imports being idempotent).
            last = str(results[-1].get("dateparution") or "")[:10]
            if not last or last == cursor:
                raise FetchError(
                    f"more than {OFFSET_LIMIT} notices published on {cursor}: narrow the query"
                )
            cursor, offset = last, 0
