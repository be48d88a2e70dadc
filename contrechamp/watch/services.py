"""Importing procurement records: read, resolve, score, keep (idempotently, with the
history of what changed), and log the run."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import JSONField, Q
from django.utils import timezone, translation
from stdnum.fr import siren as stdnum_siren

from contrechamp.lib.text import name_key
from contrechamp.lib.typography import day as written_day
from contrechamp.places.models import Commune, Department, Epci, Region
from contrechamp.registry.models import Organisation
from contrechamp.watch import boamp, decp, ted
from contrechamp.watch.fetching import FetchError, download, get_json
from contrechamp.watch.models import ImportRun, WatchRecord
from contrechamp.watch.scoring import fold, score_record

# Records written per transaction: a crash loses at most this many, and a re-run
# finds the rest unchanged.
BATCH = 500
ERROR_SAMPLES = 20
# The fields whose change is a change of the record (kept in its history).
TRACKED = ("buyer_siret", "buyer_name", "object", "cpv", "amount", "date", "holders", "place_code")


# A buyer that is a department or a region names itself so ("Département de la Vendée",
# "Conseil Départemental de la Gironde", "Région Occitanie"); "Parc naturel régional",
# "Service départemental d'incendie" only use the adjective, and are not.
_DEPARTMENT_BUYER = re.compile(
    r"^(?:le |la |l )?(?:departement|conseil departemental|conseil general) "
)
_REGION_BUYER = re.compile(r"^(?:la |le )?(?:region|conseil regional) ")
_OF = re.compile(r"^(?:(?:de la|de l|du|des|de|d) )?")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")
# Names regions go by besides their own.
REGION_ALIASES = {"sud": "93", "paca": "93", "aura": "84", "idf": "11", "grand est": "44"}


def _name_key(text: str) -> str:
    """A place's name as compared: the project's `name_key` (folded, dashes and
    apostrophes as spaces, "St" read as "saint"), punctuation ("(85)", a comma after
    the name) as spaces too."""
    return _NOT_LETTER.sub(" ", name_key(text)).strip()


def _named(rest: str, names: list[tuple[str, str]]) -> str:
    """The code of the longest name `rest` starts with, whole words only."""
    rest = _OF.sub("", rest)
    for name, code in names:
        if rest == name or rest.startswith(name + " "):
            return code
    return ""


class Places:
    """Buyer SIRET → SIREN → commune or intercommunality; a place of execution by its
    INSEE code, postal code or department; a department or region by the buyer's name
    when it is one. Loaded once per import."""

    def __init__(self) -> None:
        self.commune_by_siren: dict[str, tuple[int, str]] = {}
        self.commune_by_code: dict[str, tuple[int, str]] = {}
        self.commune_by_postal: dict[str, tuple[int, str]] = {}
        for pk, code, siren, postal, department in Commune.objects.filter(
            kind="commune"
        ).values_list("id", "code", "siren", "postal_codes", "department__code"):
            value = (pk, department or "")
            self.commune_by_code[code] = value
            if siren:
                self.commune_by_siren[siren] = value
            for item in (postal or "").replace(",", " ").split():
                # A postal code shared by several communes names none of them.
                self.commune_by_postal[item] = (
                    (0, value[1]) if item in self.commune_by_postal else value
                )
        self.epci_by_siren = dict(Epci.objects.values_list("siren", "id"))
        departments = Department.objects.filter(country="FR")
        self.region_of = dict(departments.values_list("code", "region__code"))
        by_length = lambda pair: -len(pair[0])  # noqa: E731 - "Haute-Savoie" before "Savoie"
        self.departments = sorted(
            ((_name_key(n), c) for c, n in departments.values_list("code", "name")), key=by_length
        )
        regions = [
            (_name_key(n), c)
            for c, n in Region.objects.filter(country="FR").values_list("code", "name")
        ]
        self.regions = sorted(regions + list(REGION_ALIASES.items()), key=by_length)

    def resolve(self, record: decp.Record) -> dict[str, Any]:
        siren = record.buyer_siret[:9]
        commune = self.commune_by_siren.get(siren)
        epci = self.epci_by_siren.get(siren)
        department = commune[1] if commune else ""
        if commune is None and epci is None:
            kind = record.place_type.lower()
            code = record.place_code.strip()
            if "commune" in kind:
                commune = self.commune_by_code.get(code)
            elif "postal" in kind:
                commune = self.commune_by_postal.get(code)
            elif "partement" in kind and len(code) in (2, 3):
                department = code
            if commune:
                department = commune[1]
        region = ""
        if commune is None and epci is None and not department:
            name = _name_key(record.buyer_name)
            if found := _DEPARTMENT_BUYER.match(name):
                department = _named(name[found.end() :], self.departments)
            elif found := _REGION_BUYER.match(name):
                region = _named(name[found.end() :], self.regions)
        return {
            "commune_id": commune[0] if commune and commune[0] else None,
            "epci_id": epci,
            "department": department[:3],
            "region": (self.region_of.get(department) or region or "")[:3],
        }


def known_vendors() -> dict[str, str]:
    """The registry's vendors with a SIREN, by SIREN."""
    return {
        siren: name
        for siren, name in Organisation.objects.filter(kind="vendor")
        .exclude(siren="")
        .values_list("siren", "name")
    }


class HolderVendor(NamedTuple):
    name: str  # empty when the record gives only the SIRET (the 2022 format)
    siret: str
    siren: str  # a valid SIREN, or empty
    known: bool  # the registry has it (by SIREN, or by name); otherwise proposed as new


class Registry(NamedTuple):
    """What the registry knows of organisations, read once for many records."""

    vendors: dict[str, str]  # vendors' names by SIREN
    names: set[str]  # every organisation's name, case-folded

    @classmethod
    def read(cls) -> Registry:
        names = {n.casefold() for n in Organisation.objects.values_list("name", flat=True)}
        return cls(known_vendors(), names)


def holder_vendors(
    holders: list[dict[str, str]], registry: Registry | None = None
) -> list[HolderVendor]:
    """A record's holders as the registry should know them: a holder whose SIREN is a
    known vendor's under the registry's name, whatever the record calls it ("SNEF SA",
    "S.N.E.F."); another under the record's name, with its SIREN when the SIRET carries
    a valid one, known if an organisation has that name, else a new vendor. A holder
    given by its SIRET alone, and unknown, has no name to propose."""
    registry = registry or Registry.read()
    found: list[HolderVendor] = []
    seen: set[str] = set()
    for holder in holders:
        digits = holder.get("siret", "")
        siren = digits[:9] if len(digits) in (9, 14) and stdnum_siren.is_valid(digits[:9]) else ""
        name = registry.vendors.get(siren) or " ".join(holder.get("name", "").split())[:200]
        seen_as = name.casefold() or digits
        if not seen_as or seen_as in seen:
            continue
        seen.add(seen_as)
        known = siren in registry.vendors or (bool(name) and name.casefold() in registry.names)
        found.append(HolderVendor(name, digits, siren, known))
    return found


_LOT = re.compile(r"\blots?\s*(?:n\s*[°o]\s*)?\d+\b|\W+")


def group_key(record: decp.Record, folded: str | None = None) -> str:
    """What the records of one contract share: the buyer (its SIREN, else its name), the
    object without its lot numbers, punctuation or lost accents, and the date."""
    buyer = record.buyer_siret[:9] or fold(record.buyer_name)
    words = _LOT.sub(" ", fold(record.object) if folded is None else folded).split()
    if not words:  # nothing to say two records are one contract
        words = [record.key]
    text = f"{record.kind}|{buyer}|{' '.join(words)}|{record.date or ''}"
    return hashlib.sha1(text.encode()).hexdigest()


def _digest(record: decp.Record) -> str:
    # repr: stable for these types (str, list, dict, Decimal, date), and five times
    # cheaper than JSON.
    return hashlib.sha256(repr([getattr(record, name) for name in TRACKED]).encode()).hexdigest()


def _tracked(row: WatchRecord) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in TRACKED}
    values["amount"] = str(values["amount"]) if values["amount"] is not None else None
    values["date"] = values["date"].isoformat() if values["date"] else None
    return values


def import_records(records: Iterable[decp.Record], *, source: str, inputs: list[str]) -> ImportRun:
    """Keep each record once per (source, key): new, changed (with its history) or
    unchanged; scored and resolved. Returns the run, saved with its counts."""
    run = ImportRun.objects.create(source=source, inputs=inputs)
    places = Places()
    vendors = known_vendors()
    batch: list[decp.Record] = []

    def flush() -> None:
        with transaction.atomic():
            _write(batch, run, places, vendors, source)
        batch.clear()

    for record in records:
        run.read += 1
        batch.append(record)
        if len(batch) >= BATCH:
            flush()
    flush()
    run.finished_at = timezone.now()
    run.save()
    return run


def _write(
    batch: list[decp.Record], run: ImportRun, places: Places, vendors: dict[str, str], source: str
) -> None:
    # The same key twice in a batch (a republication): the last one read wins.
    by_key = {r.key: r for r in batch}
    existing = {
        row.key: row for row in WatchRecord.objects.filter(source=source, key__in=list(by_key))
    }
    created: list[dict[str, Any]] = []
    for key, record in by_key.items():
        digest = _digest(record)
        row = existing.get(key)
        if row is not None and row.digest == digest:
            run.unchanged += 1
            continue
        folded = fold(record.object)
        score = score_record(
            text=record.object,
            cpv=record.cpv,
            holders=record.holders,
            vendors=vendors,
            folded=folded,
        )
        values = {
            "record_id": record.record_id,
            "kind": record.kind,
            "buyer_siret": record.buyer_siret,
            "buyer_name": record.buyer_name,
            "object": record.object,
            "cpv": record.cpv,
            "amount": record.amount,
            "date": record.date,
            "holders": record.holders,
            "place_code": record.place_code,
            "place_type": record.place_type,
            "score": score.score,
            "reasons": score.reasons,
            "technologies": score.technologies,
            "vendors": score.vendors,
            "digest": digest,
            "group": group_key(record, folded),
            **places.resolve(record),
        }
        if row is None:
            status = "new" if score.candidate else "below"
            created.append({"source": source, "key": key, "status": status, **values})
            run.new += 1
            run.candidates += score.candidate
            continue
        before = _tracked(row)
        for name, value in values.items():
            setattr(row, name, value)
        after = _tracked(row)
        changed = {k: before[k] for k in TRACKED if before[k] != after[k]}
        row.history = [
            *row.history,
            {"at": timezone.now().isoformat(), "run": run.id, "before": changed},
        ]
        # Only the import's own columns: a reviewer deciding the record meanwhile (its
        # status, deployment, reviewer) keeps the decision. `row.save()` wrote back the
        # whole row read before, and an accepted record waited in the queue again.
        row.save(update_fields=[*values, "history", "updated_at"])
        # A record that becomes a candidate joins the queue; one already decided keeps
        # its decision (its history shows what changed since). The status moves only
        # from the one read, in the same statement, as `records_rescore` does.
        if row.status == "below" and score.candidate:
            run.candidates += _join_queue([row.id], run.id)
        elif row.status == "new" and not score.candidate:
            WatchRecord.objects.filter(id=row.id, status="new").update(status="below")
        run.updated += 1
    _insert(_refused_before(created, run))


# What a reviewer refused of a contract holds for the records of it that come later (or
# reach the queue later); a contract turned into a deployment does not swallow them: a
# later lot's amount or holder waits for a reviewer, its deployment shown first
# (`near_deployments`), not marked attached without being cited.
REFUSED = ("rejected", "duplicate")


def _refusals(groups: set[str]) -> dict[str, WatchRecord]:
    """The last refusal (rejected, duplicate) of each of these contracts."""
    if not groups:
        return {}
    last: dict[str, WatchRecord] = {}
    now = timezone.now()  # an empty `decided_at` counts as the latest
    for row in WatchRecord.objects.filter(group__in=groups, status__in=REFUSED).order_by("id"):
        # By when it was decided, then by id (`decided_at` empty sorts differently on
        # SQLite and PostgreSQL: compared here, not ordered by the database).
        before = last.get(row.group)
        if before is None or (row.decided_at or now) >= (before.decided_at or now):
            last[row.group] = row
    return last


def _carried(decided: WatchRecord, run_id: int | None) -> dict[str, Any]:
    """The columns that give a record its contract's refusal."""
    now = timezone.now()
    return {
        "status": decided.status,
        "reason": decided.reason,
        "decided_by_id": decided.decided_by_id,
        "decided_at": now,
        "history": [{"at": now.isoformat(), "run": run_id, "decided_as": decided.id}],
    }


def _refused_before(created: list[dict[str, Any]], run: ImportRun) -> list[dict[str, Any]]:
    """`created` with each new candidate of a contract already refused given that
    refusal (rejected or a duplicate, with its reason): the same contract published
    again with its accents repaired, another lot or a later file's copy came back to the
    queue as a fresh candidate, the reviewer's decision lost at every re-encoding."""
    refusals = _refusals({r["group"] for r in created if r["status"] == "new" and r["group"]})
    for row in created:
        decided = refusals.get(row["group"]) if row["status"] == "new" else None
        if decided is not None:
            row.update(_carried(decided, run.id))
            run.candidates -= 1
    return created


def _join_queue(ids: list[int], run_id: int | None) -> int:
    """Move these records from below the threshold to the queue, only from there (a
    reviewer deciding meanwhile is never undone), each of a contract already refused
    taking that refusal instead. Returns how many joined the queue."""
    rows = list(
        WatchRecord.objects.filter(id__in=ids, status="below").only("id", "group", "history")
    )
    refusals = _refusals({r.group for r in rows if r.group})
    joined = 0
    for row in rows:
        waiting = WatchRecord.objects.filter(id=row.id, status="below")
        decided = refusals.get(row.group)
        if decided is None:
            joined += waiting.update(status="new")
            continue
        carried = _carried(decided, run_id)
        history = carried.pop("history")
        waiting.update(**carried, history=[*row.history, *history])
    return joined


def _insert(rows: list[dict[str, Any]]) -> None:
    """`bulk_create` without the per-value work of the ORM (four fifths of an import's
    time at a million records): values adapted once per type, one executemany."""
    if not rows:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    fields = [f for f in WatchRecord._meta.concrete_fields if f.name != "id"]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = []
    for row in rows:
        row_values: list[Any] = []
        for f in fields:
            if f.name in ("first_seen", "updated_at"):
                row_values.append(now)
                continue
            value = row[f.attname] if f.attname in row else defaults[f.attname]
            if isinstance(f, JSONField):
                value = ops.adapt_json_value(value, None)
            elif isinstance(value, Decimal):
                value = ops.adapt_decimalfield_value(value, 16, 2)
            elif isinstance(value, datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, date):
                value = ops.adapt_datefield_value(value)
            row_values.append(value)
        values.append(row_values)
    table = ops.quote_name(WatchRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def read_decp(paths: list[Path], run_errors: list[dict[str, Any]]) -> Iterator[decp.Record]:
    """The records of the DECP files, normalised; a record that cannot be read is logged
    in `run_errors` and skipped, a file that cannot be read at all too."""
    for path in paths:
        position = -1
        try:
            for position, raw in enumerate(decp.read_path(path)):
                try:
                    record = decp.normalise(raw)
                except (TypeError, ValueError, AttributeError) as error:
                    run_errors.append(
                        {"input": raw.input, "position": position, "error": str(error)}
                    )
                    continue
                if not record.record_id:
                    run_errors.append({"input": raw.input, "position": position, "error": "no id"})
                    continue
                yield record
        except Exception as error:  # noqa: BLE001 - any file that breaks is logged, not fatal
            run_errors.append(
                {
                    "input": str(path),
                    "position": position + 1,
                    "error": f"{type(error).__name__}: {error}",
                }
            )


def _error(source: str, position: int, error: BaseException) -> dict[str, Any]:
    return {"input": source, "position": position, "error": f"{type(error).__name__}: {error}"}


def import_decp(paths: list[Path]) -> ImportRun:
    errors: list[dict[str, Any]] = []
    run = import_records(read_decp(paths, errors), source="decp", inputs=[str(p) for p in paths])
    return _with_errors(run, errors)


def _with_errors(run: ImportRun, errors: list[dict[str, Any]]) -> ImportRun:
    run.errors = len(errors)
    run.error_samples = errors[:ERROR_SAMPLES]
    run.save(update_fields=["errors", "error_samples", "cursor"])
    return run


def _read_notices(
    paths: list[Path], read_path: Any, run_errors: list[dict[str, Any]]
) -> Iterator[decp.Record]:
    """The notices of the files (BOAMP or TED); a file that cannot be read is logged in
    `run_errors` and the next one is read."""
    for path in paths:
        try:
            yield from (r for r in read_path(path, run_errors) if r.record_id)
        except Exception as error:  # noqa: BLE001 - any file that breaks is logged, not fatal
            run_errors.append(_error(str(path), 0, error))


def import_boamp(paths: list[Path]) -> ImportRun:
    errors: list[dict[str, Any]] = []
    records = _read_notices(paths, boamp.read_path, errors)
    run = import_records(records, source="boamp", inputs=[str(p) for p in paths])
    return _with_errors(run, errors)


def import_ted(paths: list[Path]) -> ImportRun:
    """TED notices from files: Search API answers (JSON) or notices (eForms or
    TED_EXPORT XML)."""
    errors: list[dict[str, Any]] = []
    records = _read_notices(paths, ted.read_path, errors)
    run = import_records(records, source="ted", inputs=[str(p) for p in paths])
    return _with_errors(run, errors)


def _since(source: str, since: str | None) -> str:
    """Where a fetch starts: the date asked, else where the last fetch of the source got
    to, else a year back."""
    if since is not None:
        return since
    last = ImportRun.objects.filter(source=source).exclude(cursor="").first()
    return last.cursor if last else (timezone.now() - timedelta(days=365)).date().isoformat()


def _import_fetched(
    source: str,
    base: str,
    since: str,
    fetched: Iterator[tuple[Any, str]],
    normalise: Callable[[Any], decp.Record],
) -> ImportRun:
    """Import what a fetch yields (each notice with the cursor after it), each notice
    `normalise`d; resumable: the run keeps its cursor, also when the API fails midway
    (what was read is kept). A notice that cannot be read is logged and passed: it
    stopped the fetch, whose next one started again before it, so nothing published
    after it was ever read."""
    errors: list[dict[str, Any]] = []
    state = {"cursor": since}
    position = -1

    def records() -> Iterator[decp.Record]:
        nonlocal position
        try:
            for position, (notice, cursor) in enumerate(fetched):  # noqa: B007
                state["cursor"] = cursor
                try:
                    record = normalise(notice)
                except Exception as error:  # noqa: BLE001 - one crafted notice, not the rest
                    errors.append(_error(base, position, error))
                    continue
                record.index, record.input = position, base
                if record.record_id:
                    yield record
        except Exception as error:  # noqa: BLE001 - what was read is kept, and the cursor
            errors.append(_error(base, position + 1, error))

    run = import_records(records(), source=source, inputs=[base])
    run.cursor = state["cursor"]
    return _with_errors(run, errors)


# A fetch of the DECP keeps the file's Last-Modified as its cursor, prefixed so.
_MODIFIED = "modified:"


def _read_nothing(url: str) -> ImportRun:
    """The run of a fetch that read no record (nothing to import: the places are not
    loaded for it, as `import_records` would)."""
    return ImportRun.objects.create(source="decp", inputs=[url], finished_at=timezone.now())


def fetch_decp(*, since: str | None = None) -> ImportRun:
    """The DECP's consolidated file at WATCH_DECP_URL, downloaded to the data folder
    (resumed where a cut left it) and imported; with `since`, only the records dated
    from that day (and those without a date). Asked again, the file is downloaded only
    if it changed since the last fetch (HTTP If-Modified-Since), unless `since` is
    given; unchanged, the run reads nothing and says so in its cursor."""
    url = settings.WATCH_DECP_URL
    folder = Path(settings.DATA_DIR) / "watch"
    folder.mkdir(parents=True, exist_ok=True)
    # A name of its own (two fetches at once write two files); what a killed fetch left
    # is removed the next day.
    for stale in folder.glob("decp-*.download"):
        if stale.stat().st_mtime < time.time() - 86400:
            stale.unlink(missing_ok=True)
    target = folder / f"decp-{secrets.token_hex(8)}.download"
    last = ImportRun.objects.filter(source="decp", cursor__startswith=_MODIFIED).first()
    modified = last.cursor.removeprefix(_MODIFIED) if last and since is None else ""
    errors: list[dict[str, Any]] = []
    try:
        stamp = download(
            url,
            target,
            timeout=settings.WATCH_HTTP_TIMEOUT,
            max_bytes=settings.WATCH_DECP_MAX_MB * 2**20,
            modified_since=modified,
        )
    except FetchError as error:  # `download` leaves no file behind
        return _with_errors(_read_nothing(url), [_error(url, 0, error)])
    if stamp is None:  # not modified: nothing read, the same cursor
        run = _read_nothing(url)
        run.cursor = _MODIFIED + modified
        return _with_errors(run, errors)
    try:
        start = date.fromisoformat(since) if since else None
        records = (
            r for r in read_decp([target], errors) if start is None or not r.date or r.date >= start
        )
        run = import_records(records, source="decp", inputs=[url])
    finally:
        target.unlink(missing_ok=True)
    run.cursor = (_MODIFIED + stamp)[:40] if stamp and len(_MODIFIED + stamp) <= 40 else ""
    for logged in errors:  # the downloaded file's errors, under the address it came from
        logged["input"] = str(logged["input"]).replace(str(target), url).replace(target.name, url)
    return _with_errors(run, errors)


def fetch_boamp(*, since: str | None = None, get: Any = None) -> ImportRun:
    """The notices published since `since` (else since where the last fetch got to, else
    a year back), from the API at WATCH_BOAMP_URL."""
    since = _since("boamp", since)
    base = settings.WATCH_BOAMP_URL
    getter = get or (lambda url: get_json(url, timeout=settings.WATCH_HTTP_TIMEOUT))
    return _import_fetched(
        "boamp", base, since, boamp.fetch(base, since=since, get=getter), boamp.normalise
    )


def fetch_ted(*, since: str | None = None, post: Any = None) -> ImportRun:
    """The notices of French buyers with a CPV code of surveillance published since
    `since` (else since where the last fetch got to, else a year back), from the Search
    API at WATCH_TED_URL."""
    since = _since("ted", since)
    base = settings.WATCH_TED_URL
    poster = post or (
        lambda url, body: get_json(url, body=body, timeout=settings.WATCH_HTTP_TIMEOUT)
    )
    return _import_fetched(
        "ted", base, since, ted.fetch(base, since=since, post=poster), ted.normalise
    )


SCORED = ("score", "reasons", "technologies", "vendors")
PLACED = ("commune_id", "epci_id", "department", "region")


def records_rescore(*, source: str | None = None) -> dict[str, int]:
    """Score every kept record again, with the scorer's rules and the registry's vendors
    as they are now (after the words or CPV lists were tuned on the rejections' reasons,
    or a vendor got its SIREN), and resolve its buyer's place again (after the places
    were loaded anew, or a version that resolves more), a batch at a time. A record
    waiting below the threshold that now reaches it joins the queue, one in the queue
    that no longer does leaves it; a decided record keeps its decision. The status moves
    only from the one read, in the same statement: a reviewer deciding meanwhile is
    never undone. Returns counts."""
    vendors = known_vendors()
    places = Places()
    counts = {"read": 0, "changed": 0, "joined": 0, "left": 0}
    rows = (
        WatchRecord.objects.all() if source is None else WatchRecord.objects.filter(source=source)
    )
    last = 0
    while chunk := list(rows.filter(id__gt=last).order_by("id")[:BATCH]):
        last = chunk[-1].id
        changed: list[WatchRecord] = []
        joined: list[int] = []
        left: list[int] = []
        for row in chunk:
            score = score_record(text=row.object, cpv=row.cpv, holders=row.holders, vendors=vendors)
            placed = places.resolve(
                decp.Record(
                    record_id=row.record_id,
                    kind=row.kind,
                    buyer_siret=row.buyer_siret,
                    buyer_name=row.buyer_name,
                    place_code=row.place_code,
                    place_type=row.place_type,
                )
            )
            values = (score.score, score.reasons, score.technologies, score.vendors)
            values += tuple(placed[name] for name in PLACED)
            if tuple(getattr(row, name) for name in SCORED + PLACED) != values:
                for name, value in zip(SCORED + PLACED, values, strict=True):
                    setattr(row, name, value)
                changed.append(row)
            if row.status == "below" and score.candidate:
                joined.append(row.id)
            elif row.status == "new" and not score.candidate:
                left.append(row.id)
        with transaction.atomic():
            WatchRecord.objects.bulk_update(changed, [*SCORED, *PLACED])
            counts["joined"] += _join_queue(joined, None)
            counts["left"] += WatchRecord.objects.filter(id__in=left, status="new").update(
                status="below"
            )
        counts["read"] += len(chunk)
        counts["changed"] += len(changed)
    return counts


def candidate_json(row: WatchRecord) -> dict[str, Any]:
    """One candidate as `watch candidates --json` prints it."""
    return {
        "source": row.source,
        "record": row.record_id,
        "key": row.key,
        "buyer": {"siret": row.buyer_siret, "name": row.buyer_name},
        "commune": row.commune.code if row.commune else None,
        "epci": row.epci.siren if row.epci else None,
        "department": row.department or None,
        "region": row.region or None,
        "object": row.object,
        "cpv": row.cpv,
        "amount": float(row.amount) if isinstance(row.amount, Decimal) else None,
        "date": row.date.isoformat() if row.date else None,
        "holders": row.holders,
        "score": row.score,
        "reasons": row.reasons,
        "technologies": row.technologies,
        "vendors": row.vendors,
        "status": row.status,
    }


def run_json(run: ImportRun) -> dict[str, Any]:
    return {
        "source": run.source,
        "inputs": run.inputs,
        "read": run.read,
        "new": run.new,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "candidates": run.candidates,
        "errors": run.errors,
        "error_samples": run.error_samples,
        "cursor": run.cursor,
    }


# --- review ---------------------------------------------------------------------------

DECP_DATASET_URL = "https://www.data.gouv.fr/fr/datasets/5cd57bf68b4c4179299eb0e9/"


class AlreadyDecided(Exception):
    """The candidate was decided already (posted twice, or by two reviewers at once)."""


def _waiting(record_id: int) -> list[WatchRecord]:
    """The candidate and the other waiting records of its contract (lots, channels),
    under a lock, the candidate first; AlreadyDecided if it no longer waits."""
    row = WatchRecord.objects.filter(id=record_id, status="new").only("group").first()
    if row is None:
        raise AlreadyDecided
    rows = list(
        WatchRecord.objects.select_for_update(of=("self",))
        .select_related("commune", "epci")
        .filter(status="new")
        .filter(Q(id=record_id) | Q(group=row.group) if row.group else Q(id=record_id))
        .order_by("id")
    )
    first = next((r for r in rows if r.id == record_id), None)
    if first is None:  # decided between the two reads
        raise AlreadyDecided
    return [first, *[r for r in rows if r.id != record_id]]


def record_citation(row: WatchRecord) -> dict[str, Any]:
    """The record cited as a source: a BOAMP or TED notice by its page, a DECP contract
    by the dataset and its place in it."""
    if row.source == "boamp":
        url = "https://www.boamp.fr/pages/avis/?q=idweb:" + urllib.parse.quote(row.record_id)
        name, publisher = "BOAMP", "BOAMP (DILA)"
    elif row.source == "ted":
        # A notice never published (an example) has no page: TED's home, the notice
        # named in the fragment.
        url = ted.notice_url(row.record_id) or (
            "https://ted.europa.eu/en/#" + urllib.parse.quote(row.record_id)
        )
        name, publisher = "TED", "TED (Office des publications de l'Union européenne)"
    else:
        # One source per record (sources are found again by their address): the
        # dataset's page, the record named in the fragment.
        url = DECP_DATASET_URL + "#" + urllib.parse.quote(f"{row.buyer_siret}-{row.record_id}")
        name, publisher = "DECP", "data.gouv.fr (DECP)"
    return {
        "source": {
            "title": f"{name} – {row.buyer_name or row.buyer_siret} – {row.record_id}"[:400],
            "publisher": publisher,
            "url": url,
            "published_on": row.date.isoformat() if row.date else "",
        },
        "quote": row.object[:5000],
        "locator": f"{row.buyer_siret}:{row.record_id}"[:100],
    }


# Of a draft's description (20,000 characters at most), what the contract's object may
# take: some buyers paste a whole specification, and the draft was refused for a field
# its reviewer never typed. The whole object stays on the record the draft cites.
OBJECT_IN_DESCRIPTION = 15_000


def _description(row: WatchRecord) -> str:
    text = row.object
    if len(text) > OBJECT_IN_DESCRIPTION:
        text = text[:OBJECT_IN_DESCRIPTION].rsplit(maxsplit=1)[0] + " […]"
    # The record's facts as a list under the object: one line each ran together into
    # one paragraph on the draft's page (Markdown), its date in ISO (a walk).
    facts = []
    if row.amount is not None:
        facts.append(f"Montant : {row.amount:,.2f} €".replace(",", " ").replace(".", ",", 1))
    if row.date:
        with translation.override(settings.LANGUAGE_CODE):
            facts.append(f"Date : {written_day(row.date)}")
    if row.buyer_name or row.buyer_siret:
        facts.append(f"Acheteur : {row.buyer_name} ({row.buyer_siret})".strip())
    return "\n\n".join([text, "\n".join(f"- {fact}" for fact in facts)] if facts else [text])


def _sentence_case(text: str) -> str:
    """An object written in capitals ("EXTENSION DU SYSTEME DE VIDEOPROTECTION") as a
    title is written; any other as it is."""
    return text[:1] + text[1:].lower() if text.isupper() else text


def candidate_accept(*, record_id: int, user: Any) -> Any:
    """A new unpublished deployment from the candidate (place, technology, vendors,
    date, the record cited as its source). Returns the deployment. A holder the
    registry knows by its SIREN is that vendor; another is proposed as a new vendor,
    hidden with the draft until it is published, with its SIREN so that the next
    record of that holder is recognised."""
    from contrechamp.registry.schemas import empty_deployment
    from contrechamp.registry.services import deployment_create, organisation_get_or_create

    with transaction.atomic():
        rows = _waiting(record_id)
        row = rows[0]
        vendors = holder_vendors(row.holders)[:5]
        vendors = [vendor for vendor in vendors if vendor.name]
        for vendor in vendors:  # the new ones with their SIREN, hidden with the draft
            if not vendor.known:
                organisation_get_or_create(
                    name=vendor.name, kind="vendor", public=False, siren=vendor.siren
                )
        data = empty_deployment()
        technologies = row.technologies or ["videosurveillance"]
        place = row.commune.name if row.commune else row.buyer_name
        data.update(
            title=f"{_sentence_case(row.object[:150])} – {place}"[:300]
            if place
            else _sentence_case(row.object[:300]),
            status="announced",
            is_published=False,
            communes=[row.commune.code] if row.commune else [],
            epcis=[row.epci.siren] if row.epci else [],
            technologies=technologies,
            vendors=[vendor.name for vendor in vendors],
            start_date=row.date.isoformat() if row.date else "",
            description=_description(row),
            citations=[record_citation(r) for r in rows[:10]],
        )
        deployment = deployment_create(
            data=data, author=user, comment=f"{row.source} {row.record_id}"[:500]
        )
        for r in rows:
            _decide(r, "accepted", user, deployment=deployment)
        return deployment


def candidate_attach(*, record_id: int, deployment: Any, user: Any) -> Any:
    """The record cited as a source of an existing deployment."""
    from contrechamp.registry.models import Deployment
    from contrechamp.registry.services import deployment_snapshot, deployment_update

    with transaction.atomic():
        rows = _waiting(record_id)
        row = rows[0]
        locked = Deployment.objects.select_for_update().get(id=deployment.id)
        data = deployment_snapshot(locked)
        for r in rows[:10]:
            citation = record_citation(r)
            if not any(
                c.get("locator") == citation["locator"]
                and c["source"].get("url") == citation["source"]["url"]
                for c in data["citations"]
            ):
                data["citations"] = [*data["citations"], citation]
        updated = deployment_update(
            deployment=locked,
            data=data,
            base_version=locked.version,
            author=user,
            comment=f"{row.source} {row.record_id}"[:500],
        )
        for r in rows:
            _decide(r, "attached", user, deployment=updated)
        return updated


def candidates_decide(*, record_ids: list[int], status: str, user: Any, reason: str = "") -> int:
    """Reject (with a reason, kept to tune the scoring) or mark as duplicates; the
    candidates decided already are left as they are. Returns how many were decided."""
    if status not in ("rejected", "duplicate"):
        raise ValueError(status)
    decided = 0
    with transaction.atomic():
        groups = [
            g
            for g in WatchRecord.objects.filter(id__in=record_ids).values_list("group", flat=True)
            if g
        ]
        rows = WatchRecord.objects.select_for_update().filter(
            Q(id__in=record_ids) | Q(group__in=groups), status="new"
        )
        for row in rows:
            _decide(row, status, user, reason=reason)
            decided += 1
    return decided


def _decide(
    row: WatchRecord, status: str, user: Any, *, deployment: Any = None, reason: str = ""
) -> None:
    row.status = status
    row.decided_by = user
    row.decided_at = timezone.now()
    row.reason = reason[:2000]
    if deployment is not None:
        row.deployment = deployment
    row.save(update_fields=["status", "decided_by", "decided_at", "reason", "deployment"])


def near_deployments(row: WatchRecord, limit: int = 3) -> list[Any]:
    """Deployments of the registry the candidate may already be: first those other
    records of its contract became or were attached to (a later lot, the contract
    published again), then those of the same commune (or intercommunality) and one of
    its technologies."""
    from contrechamp.registry.models import Deployment

    ids = (
        WatchRecord.objects.filter(group=row.group, deployment__isnull=False)
        .exclude(id=row.id)
        .values_list("deployment_id", flat=True)
        if row.group
        else []
    )
    same_contract = list(Deployment.objects.filter(id__in=list(ids)).order_by("-updated_at"))
    found = Deployment.objects.exclude(id__in=[d.id for d in same_contract])
    if row.commune_id:
        found = found.filter(communes=row.commune_id)
    elif row.epci_id:
        found = found.filter(epcis=row.epci_id)
    else:
        return same_contract[:limit]
    if row.technologies:
        found = found.filter(technologies__slug__in=row.technologies)
    return [*same_contract, *found.distinct().order_by("-updated_at")][:limit]


# The sources `contrechamp watch fetch` and the daily job (settings.WATCH_FETCH) fetch.
FETCHES: dict[str, Callable[..., ImportRun]] = {
    "decp": fetch_decp,
    "boamp": fetch_boamp,
    "ted": fetch_ted,
}
