"""BOAMP notices (Bulletin officiel des annonces des marchés publics), from the DILA's
Opendatasoft portal: read from files, or fetched from its API.

A notice's top-level fields give its number (`idweb`), object, buyer's name, date and
departments; its CPV codes, buyer SIRET and estimated value are only inside `donnees`, a
JSON string of the eForms notice (UBL as JSON). The buyer is the organisation the
`cac:ContractingParty` references, not the first one listed (the review body, the
mediator and the eSender are organisations too).

The API (Explore v2.1) gives 100 records a call and refuses `offset + limit` over
10,000: the fetch walks by publication date, and starts again from the last date seen
when the offset would pass that limit. Calls go through `fetching.get_json` (timeouts,
retries with backoff on 429 and 5xx)."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from contrechamp.watch.decp import Record, amount, clean_text, cpv_codes, iso_date
from contrechamp.watch.fetching import FetchError

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


def read_path(path: Path, errors: list[dict[str, Any]] | None = None) -> Iterator[Record]:
    """The notices of a JSON file (small files: the API's pages, a collector's output). A
    notice that cannot be read is logged in `errors` and the next one read (with no
    list, it raises)."""
    with path.open("rb") as stream:
        data = json.load(stream)
    for index, fields in enumerate(records_of(data)):
        try:
            record = normalise(fields)
        except Exception as error:  # noqa: BLE001 - one crafted notice, not the file
            if errors is None:
                raise
            errors.append(
                {"input": path.name, "position": index, "error": f"{type(error).__name__}: {error}"}
            )
            continue
        record.index, record.input = index, path.name
        yield record


# --- the API --------------------------------------------------------------------------


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
