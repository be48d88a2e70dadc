"""TED notices (Tenders Electronic Daily, the EU's procurement journal): read from files,
or fetched from its Search API.

Three shapes, told apart by their first bytes and their root element:
- the Search API v3's answers (`{"notices": [...], "totalNoticeCount",
  "iterationNextToken"}`): each notice holds the fields asked for, a text field as a
  string, a list, or an object by language (`{"fra": ["…"]}`), a scalar sometimes as a
  list; French is read first, then English, then any language;
- eForms notices (UBL 2.3 XML since 2023: `ContractNotice`, `ContractAwardNotice`,
  `PriorInformationNotice`). Organisations are listed once and referenced by id: the
  buyer is the one `cac:ContractingParty` references (not the eSender, the review body,
  or the first listed), the winners those the winning tenders' tendering parties name;
- TED XML before eForms (`TED_EXPORT`, R2.0.9): one form per original language, the
  French one read when there is one.

A notice's key is its publication number as the API writes it (`727192-2023`, where the
eForms XML says `00727192-2023` and the Official Journal `2021/S 005-008298`): the same
notice read from the API and from its XML is one record.

XML is parsed by the standard library's expat, fed a chunk at a time, with any document
type declaration refused: no entity is ever declared, so none is expanded (billion
laughs) or fetched (an external entity). A notice is one document of tens of kilobytes;
a file over MAX_XML_BYTES is refused rather than built as a tree.

The API (`POST /v3/notices/search`) is asked for the French buyers' notices carrying a
CPV code of surveillance, 250 a call, walked in its ITERATION mode (the token of each
answer asks for the next page, with no limit of depth) and sorted by publication date,
which is the cursor a fetch resumes from. Calls go through `fetching.get_json`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from contrechamp.watch.decp import Record, amount, clean_text, cpv_codes, iso_date
from contrechamp.watch.fetching import FetchError
from contrechamp.watch.scoring import CPV_STRONG, CPV_WEAK, fold

API_PATH = "/v3/notices/search"
PAGE = 250
MAX_XML_BYTES = 20 * 2**20
# The scorer's CPV codes but two so broad (telecommunications equipment, and its
# installation) that they would bring thousands of notices a year for almost none of
# surveillance; the scorer still counts them on notices the other codes bring.
BROAD_CPV = {"32500000", "45314000"}
QUERY_CPV = sorted((set(CPV_STRONG) | set(CPV_WEAK)) - BROAD_CPV)
FIELDS = [
    "publication-number",
    "publication-date",
    "notice-type",
    "notice-title",
    "buyer-name",
    "buyer-city",
    "buyer-country",
    "classification-cpv",
    "description-lot",
    "total-value",
    "winner-name",
]
_LANGUAGES = ("fra", "FRA", "fr", "FR", "eng", "ENG", "en", "EN")
_NUMBER = re.compile(r"(?:(\d{4})/S\s*\d+\s*-\s*(\d+))|(?:^\s*0*(\d+)-(\d{4})\s*$)")
_DIGITS = re.compile(r"\d+")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})")
# TED's day: the Official Journal is dated in Luxembourg and Brussels time.
_TED_ZONE = ZoneInfo("Europe/Brussels")
_EFORMS = {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"}


class TedError(ValueError):
    """An input the reader cannot take (not one of the shapes, broken, or hostile)."""


def publication_number(value: Any) -> str:
    """The publication number as the API writes it ("727192-2023") from any of its
    forms ("00727192-2023", "2021/S 005-008298"); "" when the value is none of them."""
    match = _NUMBER.search(str(value or ""))
    if not match:
        return ""
    if match[1]:
        return f"{int(match[2])}-{match[1]}"
    return f"{int(match[3])}-{match[4]}"


def publication_date(value: Any) -> date | None:
    """The day of publication. The API gives some dates as the instant the day began in
    Brussels, in UTC ("2022-02-06T23:00:00Z" is 7 February): read in Brussels time."""
    text = str(value or "").strip()
    if _INSTANT.fullmatch(text):
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return instant.astimezone(_TED_ZONE).date()
    return iso_date(text)


def notice_url(number: str) -> str:
    """The notice's page on TED, or "" when `number` is not a publication number."""
    found = publication_number(number)
    return f"https://ted.europa.eu/en/notice/{found}/html" if found == number else ""


@dataclass
class Party:
    """An organisation as a notice names it."""

    name: str = ""
    ids: list[str] = field(default_factory=list)
    city: str = ""
    postal_code: str = ""
    country: str = ""

    @property
    def siret(self) -> str:
        """A French organisation's SIRET or SIREN (its identifier is free text, often
        with spaces); "" for any other country's, whose numbers would resolve to a
        French company by chance."""
        if self.country.upper() not in ("FRA", "FR"):
            return ""
        for value in self.ids:
            for digits in _DIGITS.findall(value.replace(" ", "").replace(".", "")):
                if len(digits) in (9, 14):
                    return digits
        return ""

    def holder(self) -> dict[str, str]:
        return {"siret": self.siret, "name": self.name[:300], "scheme": ""}


def _record(
    *,
    number: str,
    kind: str,
    buyer: Party,
    title: str,
    description: str,
    cpv: list[str],
    value: Decimal | None,
    date: Any,
    winners: list[Party],
) -> Record:
    # The title says what is bought in a line; the description often says it better
    # ("caméras de vidéoprotection"): both are read by the scorer, once where one of
    # them repeats the other whole.
    text = title
    if fold(title) in fold(description):
        text = description
    elif fold(description) not in fold(title):
        text = f"{title} – {description}"
    french = buyer.country.upper() in ("FRA", "FR")
    return Record(
        record_id=number[:200],
        kind=(kind or "notice").lower()[:20],
        buyer_siret=buyer.siret,
        buyer_name=buyer.name[:300],
        object=text[:3000],
        cpv=cpv,
        amount=value,
        date=publication_date(date),
        holders=[w.holder() for w in winners],
        place_code=buyer.postal_code[:12] if french and buyer.postal_code else "",
        place_type="Code postal" if french and buyer.postal_code else "",
        source="ted",
        url=notice_url(number),
        city=buyer.city,
    )


# --- the Search API's notices ---------------------------------------------------------


def _texts(value: Any) -> list[str]:
    """The texts of a field in the preferred language: French, English, any."""
    if isinstance(value, dict):
        for language in _LANGUAGES:
            if language in value and _texts(value[language]):
                return _texts(value[language])
        return next((t for t in (_texts(v) for v in value.values()) if t), [])
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    text = clean_text(value)
    return [text] if text else []


def _first(value: Any) -> str:
    texts = _texts(value)
    return texts[0] if texts else ""


def _total(values: list[Decimal | None]) -> Decimal | None:
    """The sum of amounts, or none if any could not be read."""
    found = [v for v in values if v is not None]
    return sum(found, Decimal(0)) if found and len(found) == len(values) else None


def _value(value: Any) -> Decimal | None:
    """An amount of the API: a number, or one per lot (their sum)."""
    return _total([amount(v) for v in (value if isinstance(value, list) else [value])])


def normalise(notice: dict[str, Any]) -> Record:
    """A notice of the Search API in the watch's terms. Its amounts are taken as euros:
    the API gives no currency beside them, and the query asks for French buyers."""
    number = publication_number(_first(notice.get("publication-number") or notice.get("ND")))
    winners: list[Party] = []
    for name in _texts(notice.get("winner-name")):
        if name not in [w.name for w in winners]:
            winners.append(Party(name=name))
    country = _first(notice.get("buyer-country"))
    return _record(
        number=number,
        kind=_first(notice.get("notice-type")),
        buyer=Party(
            name=_first(notice.get("buyer-name")),
            city=_first(notice.get("buyer-city")),
            country=country,
        ),
        title=_first(notice.get("notice-title") or notice.get("TI")),
        description=_first(notice.get("description-lot")),
        cpv=list(
            dict.fromkeys(cpv_codes(_texts(notice.get("classification-cpv") or notice.get("PC"))))
        ),
        value=_value(notice.get("total-value")),
        date=_first(notice.get("publication-date") or notice.get("PD")),
        winners=winners,
    )


def notices_of(data: Any) -> list[dict[str, Any]]:
    """The notices of an answer (or a bare list of them), each once: an answer can
    repeat a notice, and a notice without a publication number is left out."""
    items = data.get("notices") if isinstance(data, dict) else data
    found: dict[str, dict[str, Any]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            number = publication_number(_first(item.get("publication-number") or item.get("ND")))
            if number and number not in found:
                found[number] = item
    return list(found.values())


# --- XML ------------------------------------------------------------------------------


class _Refused(Exception):
    pass


class _NoDocumentType(ElementTree.TreeBuilder):
    """A tree builder that stops at a document type declaration, before expat reads
    what it declares: that is where entities are declared, and no notice has one."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _Refused


def parse_xml(stream: IO[bytes], name: str) -> ElementTree.Element:
    """The document's root, its namespaces dropped from the tags (the schemas' versions
    differ by their namespace, not by the names used here)."""
    parser = ElementTree.XMLParser(target=_NoDocumentType())
    size = 0
    try:
        while chunk := stream.read(65536):
            size += len(chunk)
            if size > MAX_XML_BYTES:
                raise TedError(f"{name}: over {MAX_XML_BYTES // 2**20} MB, not one notice")
            parser.feed(chunk)
        root = parser.close()
    except ElementTree.ParseError as error:
        raise TedError(f"{name}: not valid XML ({error})") from error
    except _Refused:
        raise TedError(
            f"{name}: a document type declaration (DTD, entities) is refused; no TED notice has one"
        ) from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def _text(element: ElementTree.Element | None) -> str:
    return "" if element is None else clean_text(" ".join(element.itertext()))


def _in_language(elements: list[ElementTree.Element]) -> str:
    """The text of the element in French, else English, else the first."""
    by_language = {(e.get("languageID") or "").upper(): _text(e) for e in elements}
    for language in ("FRA", "ENG"):
        if by_language.get(language):
            return by_language[language]
    return next((_text(e) for e in elements if _text(e)), "")


def _eforms_party(company: ElementTree.Element) -> Party:
    return Party(
        name=_in_language(company.findall("PartyName/Name")),
        ids=[_text(e) for e in company.findall("PartyLegalEntity/CompanyID") if _text(e)],
        city=_text(company.find("PostalAddress/CityName")),
        postal_code=_text(company.find("PostalAddress/PostalZone")),
        country=_text(company.find("PostalAddress/Country/IdentificationCode")),
    )


def _euros(elements: list[ElementTree.Element]) -> Decimal | None:
    """The sum of amounts in euros; none if any is in another currency or unreadable."""
    return _total(
        [
            amount(_text(e)) if (e.get("currencyID") or "EUR").upper() == "EUR" else None
            for e in elements
        ]
    )


def _eforms_winners(root: ElementTree.Element, parties: dict[str, Party]) -> list[Party]:
    """The organisations of the winning tenders: lot result (winner chosen) → its
    tenders → their tendering party → its tenderers."""
    result = root.find(".//NoticeResult")
    if result is None:
        return []
    party_of_tender = {
        _text(t.find("ID")): _text(t.find("TenderingParty/ID")) for t in result.findall("LotTender")
    }
    tenderers = {
        _text(p.find("ID")): [_text(t.find("ID")) for t in p.findall("Tenderer")]
        for p in result.findall("TenderingParty")
    }
    winners: list[Party] = []
    for lot in result.findall("LotResult"):
        if _text(lot.find("TenderResultCode")) not in ("", "selec-w"):
            continue
        for tender in lot.findall("LotTender"):
            for org in tenderers.get(party_of_tender.get(_text(tender.find("ID")), ""), []):
                if org in parties and parties[org] not in winners:
                    winners.append(parties[org])
    return winners


def _eforms(root: ElementTree.Element) -> Record:
    parties = {
        _text(c.find("PartyIdentification/ID")): _eforms_party(c)
        for c in root.findall(".//Organizations/Organization/Company")
    }
    buyer = next(
        (
            parties[ref]
            for ref in (
                _text(p.find("Party/PartyIdentification/ID"))
                for p in root.findall("ContractingParty")
            )
            if ref in parties
        ),
        Party(),
    )
    project = root.find("ProcurementProject")
    projects = [
        p
        for p in [project, *root.findall("ProcurementProjectLot/ProcurementProject")]
        if p is not None
    ]
    cpv: list[str] = []
    for each in projects:
        for code in each.findall(
            "MainCommodityClassification/ItemClassificationCode"
        ) + each.findall("AdditionalCommodityClassification/ItemClassificationCode"):
            if code.get("listName", "cpv") == "cpv":
                cpv.extend(c for c in cpv_codes(_text(code)) if c not in cpv)
    # Awarded (the notice's total) before estimated (the procedure's, else its lots').
    value = _euros(root.findall(".//NoticeResult/TotalAmount"))
    if value is None and project is not None:
        value = _euros(project.findall("RequestedTenderTotal/EstimatedOverallContractAmount"))
    if value is None:
        value = _euros(
            root.findall(
                "ProcurementProjectLot/ProcurementProject/RequestedTenderTotal/"
                "EstimatedOverallContractAmount"
            )
        )
    number = publication_number(_text(root.find(".//Publication/NoticePublicationID")))
    return _record(
        # An unpublished notice (the SDK's examples) has only its identifier (a UUID).
        number=number or _text(root.find("ID")),
        kind=_text(root.find("NoticeTypeCode")) or root.tag,
        buyer=buyer,
        title=_in_language(project.findall("Name")) if project is not None else "",
        description=_in_language(project.findall("Description")) if project is not None else "",
        cpv=cpv,
        value=value,
        date=_text(root.find(".//Publication/PublicationDate"))
        or _text(root.find("RequestedPublicationDate"))
        or _text(root.find("IssueDate")),
        winners=_eforms_winners(root, parties),
    )


def _ted_party(address: ElementTree.Element | None) -> Party:
    if address is None:
        return Party()
    country = address.find("COUNTRY")
    return Party(
        name=_text(address.find("OFFICIALNAME")),
        ids=[_text(address.find("NATIONALID"))] if address.find("NATIONALID") is not None else [],
        city=_text(address.find("TOWN")),
        postal_code=_text(address.find("POSTAL_CODE")),
        country=(country.get("VALUE") or "") if country is not None else "",
    )


def _ted_export(root: ElementTree.Element) -> Record:
    """A TED_EXPORT notice: its original form in French if there is one, else the
    first original language's."""
    originals = [_text(e) for e in root.findall("CODED_DATA_SECTION/NOTICE_DATA/LG_ORIG")]
    section = root.find("FORM_SECTION")
    forms = list(section) if section is not None else []
    if not forms:
        raise TedError("a TED_EXPORT without a form")
    ranked = sorted(
        forms,
        key=lambda f: (
            f.get("CATEGORY", "ORIGINAL") != "ORIGINAL",
            f.get("LG") != "FR",
            originals.index(f.get("LG", "")) if f.get("LG") in originals else len(originals),
        ),
    )
    form = ranked[0]
    contract = form.find("OBJECT_CONTRACT")
    cpv: list[str] = []
    if contract is not None:
        for code in contract.findall("CPV_MAIN/CPV_CODE") + contract.findall(
            ".//CPV_ADDITIONAL/CPV_CODE"
        ):
            cpv.extend(c for c in cpv_codes(code.get("CODE")) if c not in cpv)
    # The procedure's total, else its estimate, else (an award notice gives a value per
    # contract awarded) the total of the contracts.
    values = [
        contract.findall("VAL_TOTAL") if contract is not None else [],
        contract.findall("VAL_ESTIMATED_TOTAL") if contract is not None else [],
        form.findall("AWARD_CONTRACT/AWARDED_CONTRACT/VALUES/VAL_TOTAL"),
    ]
    value = next((v for v in map(_euros, values) if v is not None), None)
    winners: list[Party] = []
    for address in form.findall(
        "AWARD_CONTRACT/AWARDED_CONTRACT/CONTRACTORS/CONTRACTOR/ADDRESS_CONTRACTOR"
    ):
        party = _ted_party(address)
        if party.name and party.name not in [w.name for w in winners]:
            winners.append(party)
    published = _text(root.find("CODED_DATA_SECTION/REF_OJS/DATE_PUB"))
    return _record(
        number=publication_number(root.get("DOC_ID"))
        or publication_number(_text(root.find("CODED_DATA_SECTION/NOTICE_DATA/NO_DOC_OJS"))),
        kind=form.get("FORM") or form.tag,
        buyer=_ted_party(form.find("CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY")),
        title=_text(contract.find("TITLE")) if contract is not None else "",
        description=_text(contract.find("SHORT_DESCR")) if contract is not None else "",
        cpv=cpv,
        value=value,
        date=f"{published[:4]}-{published[4:6]}-{published[6:8]}" if len(published) == 8 else "",
        winners=winners,
    )


def read_xml(stream: IO[bytes], name: str) -> Record:
    """The notice of one XML document (eForms or TED_EXPORT)."""
    root = parse_xml(stream, name)
    if root.tag in _EFORMS:
        return _eforms(root)
    if root.tag == "TED_EXPORT":
        return _ted_export(root)
    raise TedError(f"{name}: a <{root.tag}> is not a TED notice")


def read_path(path: Path, errors: list[dict[str, Any]] | None = None) -> Iterator[Record]:
    """The notices of a file: an API answer (JSON) or one notice (XML). A notice of an
    answer that cannot be read is logged in `errors` and the next one read (with no
    list, it raises)."""
    with path.open("rb") as stream:
        head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        stream.seek(0)
        if head in (b"{", b"["):
            try:
                data = json.load(stream)
            except ValueError as error:
                raise TedError(f"{path.name}: not valid JSON ({error})") from error
            records = []
            for index, notice in enumerate(notices_of(data)):
                try:
                    records.append(normalise(notice))
                except Exception as error:  # noqa: BLE001 - one crafted notice, not the file
                    if errors is None:
                        raise
                    errors.append(
                        {
                            "input": path.name,
                            "position": index,
                            "error": f"{type(error).__name__}: {error}",
                        }
                    )
        elif head == b"<":
            records = [read_xml(stream, path.name)]
        else:
            raise TedError(f"{path.name}: neither JSON nor XML")
    for index, record in enumerate(records):
        record.index, record.input = index, path.name
        yield record


# --- the API --------------------------------------------------------------------------


def query(since: str) -> str:
    """The expert query: a CPV code of surveillance, a French buyer, published since
    `since` (YYYY-MM-DD), oldest first (the cursor is the last date read)."""
    codes = " ".join(QUERY_CPV)
    return (
        f"classification-cpv IN ({codes}) AND buyer-country=FRA "
        f"AND publication-date>={since.replace('-', '')} SORT BY publication-date ASC"
    )


def fetch(
    base: str, *, since: str, post: Callable[[str, dict[str, Any]], Any]
) -> Iterator[tuple[dict[str, Any], str]]:
    """Every notice of the query published since `since` (YYYY-MM-DD), each once, with
    the cursor to resume from after it (the latest publication date read).

    A walk that ends (no next token) short of the answer's `totalNoticeCount` is taken
    again from the latest date read: the API's limits on a walk are not all documented,
    and the notices are sorted by date, so nothing is skipped (the notices of that day
    read twice are each yielded once)."""
    url = base.rstrip("/") + API_PATH
    seen: set[str] = set()
    tokens: set[str] = set()
    cursor = start = since
    body = _search_body(since)
    walked = 0
    while True:
        page = post(url, body)
        if not isinstance(page, dict) or not isinstance(page.get("notices"), list):
            raise FetchError(f"{url}: the answer holds no list of notices")
        walked += len(page["notices"])
        for notice in notices_of(page):
            number = publication_number(_first(notice.get("publication-number")))
            if number in seen:  # a notice an earlier page gave already
                continue
            seen.add(number)
            published = publication_date(_first(notice.get("publication-date")))
            if published and published.isoformat() > cursor:
                cursor = published.isoformat()
            yield notice, cursor
        token = page.get("iterationNextToken")
        if token and page["notices"]:
            if token in tokens:
                raise FetchError(f"{url}: the API gave the same iterationNextToken twice")
            tokens.add(token)
            body = {**body, "iterationNextToken": token}
            continue
        total = page.get("totalNoticeCount")
        if not isinstance(total, int) or walked >= total:
            return
        if cursor == start:
            raise FetchError(
                f"{url}: the walk stopped at {walked} of {total} notices, all published "
                f"since {start}: narrow the query"
            )
        start, body, walked = cursor, _search_body(cursor), 0


def _search_body(since: str) -> dict[str, Any]:
    return {
        "query": query(since),
        "fields": FIELDS,
        "limit": PAGE,
        "scope": "ALL",
        "paginationMode": "ITERATION",
    }
