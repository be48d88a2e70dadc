"""Reading the DECP (données essentielles de la commande publique) as a stream.

Every shape the national dataset has had, one record at a time, never the whole file:
- the 2019 format (arrêté of 2019, until 2023): JSON `{"marches": [...]}`, contracts and
  concessions in one list (`_type`), from four publication channels and the PES files;
- the 2022 format (from 2024): JSON `{"marches": {"marche": [...], "contrat-concession":
  [...]}}`, buyers and holders by SIRET only, holders wrapped (`{"titulaire": {...}}`);
- the XML form of both (`<marches><marche>...`);
- the consolidated tabular files (`;` or `,` CSV with a BOM, dotted column names,
  holders in numbered columns);
- decp.info's daily consolidated file, in Parquet or CSV (columns flattened with `_`,
  one row per contract and holder: the rows of one `uid` are one record), the Parquet
  read a batch of rows at a time, only the columns the watch keeps;
- `.zip` archives of any of these.

`read_path` yields `Raw` records (the record as a dict, its position in its list); the
`normalise` function turns one into the fields the watch keeps."""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import html
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import ijson

# The lists of records in the JSON shapes, by the path ijson gives their items.
_JSON_LISTS = {
    "marches.item": "contract",  # 2019 (concessions say so in their `_type`)
    "marches.marche.item": "contract",  # 2022
    "marches.contrat-concession.item": "concession",  # 2022
    "item": "contract",  # a bare list of records
}
_XML_RECORDS = {"marche": "contract", "contrat-concession": "concession"}
# CSV files can hold long objects; the default limit of 128 KB per field is kept.
_CSV_DIALECT_SAMPLE = 4096
_PARQUET_MAGIC = b"PAR1"
_PARQUET_BATCH = 4096
# The columns of a tabular file the watch reads (any other is not even decoded from a
# Parquet file): the record's own, its buyer's, its place's and its holders'.
_TABULAR_FIELDS = {
    "uid",
    "id",
    "_type",
    "nature",
    "objet",
    "montant",
    "valeurGlobale",
    "codeCPV",
    "dateNotification",
    "dateSignature",
    "datePublicationDonnees",
}
# The holder's fields a tabular file gives (numbered, or alone in decp.info's rows).
_HOLDER_FIELDS = "id|nom|denominationSociale|typeIdentifiant"
_TABULAR_COLUMN = re.compile(
    r"(?:acheteur|autoriteConcedante)[._](?:id|nom)"
    r"|lieuExecution[._](?:code|typeCode)"
    rf"|titulaire_(?:{_HOLDER_FIELDS})(?:_\d+)?"
)
# decp.info's flattened columns (`acheteur_id`): the object each prefix stands for.
_UNDERSCORED = ("acheteur", "autoriteConcedante", "lieuExecution")


class DecpError(ValueError):
    """An input the reader cannot take at all (not one of the shapes above)."""


@dataclass
class Raw:
    data: dict[str, Any]
    kind: str  # "contract" or "concession", from where the record was found
    index: int  # 0-based position in its list (each list of the 2022 format counts apart)
    input: str  # the file (and archive member) it came from


@dataclass
class Record:
    """A DECP record in the watch's terms."""

    record_id: str
    kind: str
    buyer_siret: str = ""
    buyer_name: str = ""
    object: str = ""
    cpv: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    date: date | None = None
    holders: list[dict[str, str]] = field(default_factory=list)
    place_code: str = ""
    place_type: str = ""
    index: int = 0
    input: str = ""
    source: str = "decp"
    # The notice's page, where the source gives one (TED), and the buyer's town as the
    # notice writes it: read for the reader and the citation, not kept by an import (the
    # place is resolved from the SIRET or the postal code, the page from the number).
    url: str = ""
    city: str = ""

    @functools.cached_property
    def key(self) -> str:
        """What tells this record apart in its source. DECP ids are unique only per
        buyer, and not even that (two contracts of one buyer under one id in the real
        files): the buyer, the id and a short hash of the object and CPV codes. A BOAMP or
        TED notice is its number alone (its buyer's SIRET is not always given)."""
        if self.source in ("boamp", "ted"):
            return self.record_id[:250]
        what = hashlib.sha1(f"{self.object}|{','.join(self.cpv)}".encode()).hexdigest()[:10]
        return f"{self.buyer_siret}:{self.record_id}:{what}"[:250]


# --- reading --------------------------------------------------------------------------


def read_path(path: Path) -> Iterator[Raw]:
    """Every record of a file or a `.zip` archive, in order."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as member:
                    yield from read_stream(
                        member,
                        f"{path.name}/{info.filename}",
                        reopen=lambda info=info: archive.open(info),  # type: ignore[misc]
                    )
        return
    with path.open("rb") as stream:
        yield from read_stream(stream, path.name, reopen=lambda: path.open("rb"))


def read_stream(
    stream: IO[bytes], name: str, *, reopen: Callable[[], IO[bytes]] | None = None
) -> Iterator[Raw]:
    """Every record of one JSON, XML, CSV or Parquet stream, told apart by its first
    bytes. `reopen` gives the stream again from its start: the 2022 JSON shape is then
    read in one pass per list, each by the parser's C object builder (several times
    faster)."""
    buffered: Any = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[type-var]
    head = buffered.peek(_CSV_DIALECT_SAMPLE)[:_CSV_DIALECT_SAMPLE]  # type: ignore[attr-defined]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head.startswith(_PARQUET_MAGIC):
        yield from _read_parquet(buffered, name)
    elif start in (b"{", b"["):
        yield from _read_json(buffered, name, head, reopen)
    elif start == b"<":
        yield from _read_xml(buffered, name)
    elif start:
        yield from _read_csv(buffered, name, head)
    # An empty file has no record.


class _NanAsNull(io.RawIOBase):
    """The stream with the bare `NaN` some producers write (pandas' JSON, which Python's
    json accepts and a strict parser does not) read as `null`, chunk by chunk."""

    _NAN = re.compile(rb"([:\[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])")

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        # A byte-order mark is not JSON: dropped.
        first = stream.read(3)
        self.pending = first[3:] if first.startswith(b"\xef\xbb\xbf") else first

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        ended = False
        while len(self.pending) < 2 * _NAN_TAIL:
            chunk = self.stream.read(65536)
            if not chunk:
                ended = True
                break
            self.pending += chunk
        # Substituted whole; the last bytes wait for the next read unless the stream has
        # ended, since a NaN there may lack what follows it (a match spans far fewer).
        text = self._NAN.sub(rb"\1null", self.pending)
        cut = len(text) if ended else max(0, len(text) - _NAN_TAIL)
        out = text[: min(cut, len(buffer))]
        self.pending = text[len(out) :]
        buffer[: len(out)] = out
        return len(out)


_NAN_TAIL = 512


_MARCHES = re.compile(rb'"marches"\s*:\s*([\[{])')


def _items(stream: IO[bytes], prefix: str, name: str) -> Iterator[Raw]:
    """The records of one list, each built by ijson's C backend."""
    stream = io.BufferedReader(_NanAsNull(stream), 65536)  # type: ignore[arg-type]
    try:
        for index, item in enumerate(ijson.items(stream, prefix, use_float=True)):
            if isinstance(item, dict):
                yield Raw(item, _JSON_LISTS[prefix], index, name)
    except ijson.JSONError as error:
        raise DecpError(f"{name}: not valid JSON ({error})") from error


def _read_json(
    stream: IO[bytes], name: str, head: bytes, reopen: Callable[[], IO[bytes]] | None
) -> Iterator[Raw]:
    shape = _MARCHES.search(head)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        yield from _items(stream, "item", name)
        return
    if shape and shape[1] == b"[":
        yield from _items(stream, "marches.item", name)
        return
    if shape and reopen is not None:
        yield from _items(stream, "marches.marche.item", name)
        with reopen() as again:
            yield from _items(again, "marches.contrat-concession.item", name)
        return
    yield from _read_events(stream, name)


def _read_events(stream: IO[bytes], name: str) -> Iterator[Raw]:
    """Any shape, by the parser's events (a record built in Python: slower)."""
    stream = io.BufferedReader(_NanAsNull(stream), 65536)  # type: ignore[arg-type]
    builder: Any = None
    prefix_of_item = ""
    counts: dict[str, int] = {}
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if builder is None:
                if event == "start_map" and prefix in _JSON_LISTS:
                    builder = ijson.ObjectBuilder()
                    prefix_of_item = prefix
                    builder.event(event, value)
                continue
            builder.event(event, value)
            if event == "end_map" and prefix == prefix_of_item:
                index = counts.get(prefix, 0)
                counts[prefix] = index + 1
                yield Raw(builder.value, _JSON_LISTS[prefix], index, name)
                builder = None
    except ijson.JSONError as error:
        raise DecpError(f"{name}: not valid JSON ({error})") from error


def _element_value(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    value: dict[str, Any] = {}
    for child in children:
        item = _element_value(child)
        if child.tag in value:
            if not isinstance(value[child.tag], list):
                value[child.tag] = [value[child.tag]]
            value[child.tag].append(item)
        else:
            value[child.tag] = item
    return value


def _read_xml(stream: IO[bytes], name: str) -> Iterator[Raw]:
    depth = 0
    counts: dict[str, int] = {}
    root: ElementTree.Element | None = None
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = element
                continue
            depth -= 1
            if depth == 1 and element.tag in _XML_RECORDS:
                index = counts.get(element.tag, 0)
                counts[element.tag] = index + 1
                yield Raw(_element_value(element), _XML_RECORDS[element.tag], index, name)
                # What was read is dropped: the tree never holds more than one record.
                if root is not None:
                    root.clear()
    except ElementTree.ParseError as error:
        raise DecpError(f"{name}: not valid XML ({error})") from error


def _read_csv(stream: IO[bytes], name: str, head: bytes) -> Iterator[Raw]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    first_line = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(text, delimiter=delimiter)
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise DecpError(f"{name}: a CSV without an `id` column is not a DECP file")
    yield from _tabular(reader, name)


def _read_parquet(stream: IO[bytes], name: str) -> Iterator[Raw]:
    """A Parquet file, a batch of rows at a time. Its index is at its end: a stream that
    cannot seek (an archive's compressed member) is first copied to a temporary file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        stream.fileno()
        seekable = stream.seekable()
    except (OSError, ValueError, AttributeError):
        seekable = False
    with tempfile.TemporaryFile() if not seekable else contextlib.nullcontext() as spool:
        if spool is not None:
            shutil.copyfileobj(stream, spool, 1 << 20)
            spool.seek(0)
        source: Any = spool if spool is not None else stream
        try:
            parquet = pq.ParquetFile(source)
        except (pa.ArrowException, OSError) as error:
            raise DecpError(f"{name}: not a readable Parquet file ({error})") from error
        names = parquet.schema_arrow.names
        if "id" not in names:
            raise DecpError(f"{name}: a Parquet file without an `id` column is not a DECP file")
        columns = [c for c in names if c in _TABULAR_FIELDS or _TABULAR_COLUMN.fullmatch(c)]

        def rows() -> Iterator[dict[str, Any]]:
            try:
                for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=columns):
                    yield from batch.to_pylist()
            except (pa.ArrowException, OSError) as error:
                raise DecpError(f"{name}: a damaged Parquet file ({error})") from error

        yield from _tabular(rows(), name)


def _tabular(rows: Iterable[dict[str, Any]], name: str) -> Iterator[Raw]:
    """Rows of a tabular file as records. decp.info's file has one row per contract and
    holder, with the contract's `uid`: consecutive rows of one `uid` are one record with
    all its holders."""
    current: dict[str, Any] | None = None
    index = 0
    for row in rows:
        record = _unflatten(row)
        uid = record.get("uid")
        if current is not None and uid not in (None, "") and uid == current.get("uid"):
            current.setdefault("titulaires", []).extend(record.get("titulaires", []))
            continue
        if current is not None:
            yield Raw(current, "contract", index, name)
            index += 1
        current = record
    if current is not None:
        yield Raw(current, "contract", index, name)


def _unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """A flattened row (`acheteur.id`, `titulaire_id_1`; decp.info's `acheteur_id`,
    `titulaire_nom`) as the JSON shape's record. Parquet's typed values (numbers,
    dates) are read as the text the other shapes give."""
    record: dict[str, Any] = {}
    holders: dict[int, dict[str, str]] = {}
    for column, value in row.items():
        if column is None or value is None or value == "":
            continue
        if not isinstance(value, str):
            value = value.isoformat() if hasattr(value, "isoformat") else str(value)
        holder = _HOLDER_COLUMN.fullmatch(column) or _ONE_HOLDER_COLUMN.fullmatch(column)
        prefix, _, rest = column.partition("_")
        if holder:
            holders.setdefault(int(holder[2] or 1), {})[holder[1]] = value
        elif "." in column:
            outer, inner = column.split(".", 1)
            if isinstance(record.setdefault(outer, {}), dict):
                record[outer][inner] = value
        elif rest and prefix in _UNDERSCORED:
            if isinstance(record.setdefault(prefix, {}), dict):
                record[prefix][rest] = value
        else:
            record[column] = value
    if holders:
        record["titulaires"] = [holders[n] for n in sorted(holders)]
    return record


# --- normalising ----------------------------------------------------------------------

# Windows-1252 characters read as Latin-1 end up as C1 controls ("ma\x9cuvre").
_C1 = re.compile("[\x80-\x9f]")
# Control characters but tab and line breaks (PostgreSQL refuses NUL in text).
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAGS = re.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,40}>")
_SPACES = re.compile(r"\s+")
_HOLDER_COLUMN = re.compile(r"titulaire_(\w+?)_(\d+)")
_ONE_HOLDER_COLUMN = re.compile(rf"titulaire_({_HOLDER_FIELDS})()")
_CPV = re.compile(r"(?<!\d)(\d{7,9})(?:-\d)?(?!\d)")
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_NOT_DIGIT = re.compile(r"\D")


def clean_text(value: Any) -> str:
    """One line of text as a record gives it, repaired where it can be: HTML entities and
    tags, `_x0001_` separators, C1 controls from Windows-1252. Accents already lost as
    U+FFFD cannot be restored; they are kept (the scorer reads them as "e")."""
    if value is None:
        return ""
    text = str(value)
    if "&" in text:
        text = html.unescape(text)
    if "_x0001_" in text:
        text = text.replace("_x0001_", " ")
    if "<" in text:
        text = _TAGS.sub(" ", text)
    text = _C0.sub(" ", text)
    if not text.isascii():
        text = _C1.sub(lambda m: m.group().encode("latin-1").decode("cp1252", "replace"), text)
    return _SPACES.sub(" ", text).strip()


def cpv_codes(value: Any) -> list[str]:
    """CPV codes as eight digits: with or without their check digit ("45316110-9"), a lost
    leading zero ("9132100"), the check digit without its dash ("323235002"), a prefix
    ("INX 67151000-0"), several in one field."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = value.get("code") or value.get("codeCPV") or ""
    if isinstance(value, list):
        return [c for item in value for c in cpv_codes(item)]
    codes = []
    for match in _CPV.finditer(str(value)):
        digits = match.group(1)
        # Nine digits: the code and its check digit without the dash.
        code = digits[:8] if len(digits) == 9 else digits.zfill(8)
        if code not in codes:
            codes.append(code)
    return codes


def amount(value: Any) -> Decimal | None:
    """Euros as a number; "NC", empty, negative or absurd (over 100 billion) as none."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1e11"):
        return None
    return number.quantize(Decimal("0.01"))


def iso_date(value: Any) -> date | None:
    """A date as given ("2019-01-15", "2019-01-15+01:00", "2019-01-15T00:00:00")."""
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        found = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return found if 1990 <= found.year <= 2100 else None


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _holders(record: dict[str, Any]) -> list[dict[str, str]]:
    holders = []
    for container in ("titulaires", "concessionnaires"):
        value = record.get(container)
        # XML: <titulaires><titulaire>...</titulaire></titulaires>.
        if isinstance(value, dict):
            value = value.get("titulaire") or value.get("concessionnaire")
        for item in _as_list(value):
            if not isinstance(item, dict):
                continue
            # 2022 JSON: [{"titulaire": {...}}].
            inner = item.get("titulaire") or item.get("concessionnaire")
            item = inner if isinstance(inner, dict) else item
            siret = _NOT_DIGIT.sub("", str(item.get("id", "")))
            name = clean_text(item.get("denominationSociale") or item.get("nom"))
            if siret or name:
                holders.append(
                    {
                        "siret": siret[:14],
                        "name": name[:300],
                        "scheme": str(item.get("typeIdentifiant", "")),
                    }
                )
    return holders


def normalise(raw: Raw) -> Record:
    """The fields the watch keeps, from any of the shapes."""
    data = raw.data
    kind = raw.kind
    if str(data.get("_type", "")).lower().startswith("contrat"):
        kind = "concession"
    buyer = data.get("acheteur") or data.get("autoriteConcedante") or {}
    if not isinstance(buyer, dict):
        buyer = {"id": buyer}
    buyer_id = buyer.get("id") or data.get("acheteur.id") or data.get("autoriteConcedante.id")
    buyer_name = buyer.get("nom") or data.get("acheteur.nom") or ""
    place = data.get("lieuExecution") or {}
    if not isinstance(place, dict):
        place = {}
    record_id = clean_text(data.get("id") or data.get("uid") or "")
    value = data.get("montant") if "montant" in data else data.get("valeurGlobale")
    # An amendment changes the amount: the last one given counts.
    for change in _as_list(data.get("modifications")):
        if isinstance(change, dict):
            change = change.get("modification", change)
            if isinstance(change, dict) and change.get("montant") not in (None, ""):
                value = change["montant"]
    return Record(
        record_id=record_id[:200],
        kind=kind,
        buyer_siret=_NOT_DIGIT.sub("", str(buyer_id or ""))[:14],
        buyer_name=clean_text(buyer_name)[:300],
        object=clean_text(data.get("objet")),
        cpv=cpv_codes(data.get("codeCPV")),
        amount=amount(value),
        date=iso_date(
            data.get("dateNotification")
            or data.get("dateSignature")
            or data.get("datePublicationDonnees")
        ),
        holders=_holders(data),
        place_code=clean_text(place.get("code") or data.get("lieuExecution.code"))[:12],
        place_type=clean_text(place.get("typeCode") or data.get("lieuExecution.typeCode"))[:40],
        index=raw.index,
        input=raw.input,
    )
