"""Personal data in a page of text: what should be redacted before publication.

E-mail addresses and phone numbers must never be missed (their recall is tested at
100 %), so their rules are broad: a false suggestion costs a reviewer one click, a
missed one publishes someone's number. Phone numbers come from `phonenumbers` (French
and international formats), IBANs are checked with `python-stdnum`, names of persons
from spaCy plus the cues of administrative letters ("M.", "Mme", "Affaire suivie par",
signature blocks). Public figures acting as such stay readable: the reviewer lists them
per document or per place, and they are not suggested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from stdnum import iban

from contrechamp.lib.text import name_key, nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc

KINDS = ["email", "phone", "address", "iban", "person", "plate"]


@dataclass
class Finding:
    kind: str
    text: str
    start: int
    end: int
    confidence: float


# Labels of a domain never hold an underscore, and a plain dot is never followed by a
# space: "par @nice_carnaval. La" is a social media handle ending a sentence. A space
# before a plain "@" is taken only after a name with a dot, a digit or an underscore in
# it ("jean.dupont @mairie.fr", as OCR reads it), never after a word ("Suivez
# @nice.carnaval" is a handle too); see _is_email.
_DOMAIN_LABEL = r"[^\W_]+(?:-+[^\W_]+)*"
_EMAIL = re.compile(
    r"(?<![\w.+-])(?P<local>[\w.+-]+)(?P<at>\s?@\s?|\s?(?:\(at\)|\[at\])\s?|\s(?:arobase|at)\s)"
    rf"{_DOMAIN_LABEL}(?:(?:\.|\s?\(dot\)\s?|\s?\[dot\]\s?){_DOMAIN_LABEL})+",
    re.IGNORECASE,
)
# Web addresses: the digits in them are identifiers of pages, not phone numbers.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
# Four digits that read as a year, between dashes or slashes: "26-2025-040" numbers an
# act, "2024-06-178" a deliberation.
_DATED_NUMBER = re.compile(r"(?:^|[-/_.])(?:19|20)\d\d(?:[-/_.]|$)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
# French plates since 2009 (AA-123-AA; I, O, U are never used) and the older format
# (123 ABC 42).
_PLATE = re.compile(
    r"\b[A-HJ-NP-TV-Z]{2}[- ]\d{3}[- ][A-HJ-NP-TV-Z]{2}\b|\b\d{1,4}\s[A-Z]{2,3}\s(?:\d{2}|2[AB])\b"
)
_STREET = (
    r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|impasse|all[ée]e|route|quai|cours|"
    r"square|r[ée]sidence|lotissement|passage|sentier|villa|cit[ée]|hameau|lieu-dit)"
)
# With its postal code, the street name may run over a line break.
_ADDRESS_FULL = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[A-D]))?,?\s+{_STREET}\s+(?:[^\n,;]|\n(?!\s*\n)){{2,60}}?"
    rf",?\s*\d{{5}}\s+[A-ZÉÈ][\w'’-]+(?:[ -][A-ZÉÈa-zé][\w'’-]+)*",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[A-D]))?,?\s+{_STREET}\s+[^\n,;]{{2,60}}?"
    rf"(?:,?\s*(?:\n\s*)?\d{{5}}\s+[A-ZÉÈ][\w'’ -]+)?(?=[\n,;.]|$)",
    re.IGNORECASE,
)
_TITLE = r"(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Me|Ma[îi]tre|Dr|Docteur|Pr)"
# Text taken from PDFs joins names with non-breaking hyphens and spaces
# ("Jean‑Baptiste", "Me Sophie Durand‑Vasseur"), and cuts them at a line's end after a
# hyphen ("Durand-" / "Vasseur"): the name goes on through all of them.
_NAME_WORD = r"[A-ZÉÈÀÂÎÔÇ][\w'’\u2010\u2011-]+"
_NAME = rf"{_NAME_WORD}(?:(?:[ \t\u00a0\u202f]+|(?<=[-\u2010\u2011])\n[ \t]*){_NAME_WORD}){{0,3}}"
_TITLED = re.compile(rf"\b{_TITLE}\s+(?P<name>{_NAME})")
# The cue is matched in any case, the name only with its capitals ("Contact presse" is
# no one).
_FOLLOWED_BY = re.compile(
    rf"(?i:affaire suivie par|dossier suivi par|contact|interlocut(?:eur|rice)|r[ée]dacteur|"
    rf"r[ée]dactrice|signataire|plaignant|requ[ée]rant)\s*:?\s*(?:{_TITLE}\s+)?(?P<name>{_NAME})"
)
_CLOSING = re.compile(
    r"(?i:cordialement|bien cordialement|salutations distingu[ée]es|sinc[èe]res salutations|"
    r"bien [àa] vous|respectueusement)[.,]?\s*\n+\s*(?P<name>" + _NAME + r")\s*(?:\n|$)"
)


def detect(text: str, *, public: Iterable[str] = (), doc: Doc | None = None) -> list[Finding]:
    """Personal data of one page, in reading order; names in `public` are left out.
    `doc` is spaCy's reading of `text` when the caller has one (a batch of pages is
    read in one pass); otherwise the text is read here."""
    keep = {name_key(name) for name in public if name.strip()}
    found: list[Finding] = []
    for match in _EMAIL.finditer(text):
        if _is_email(match):
            found.append(Finding("email", match.group(), match.start(), match.end(), 0.99))
    urls = [match.span() for match in _URL.finditer(text)]
    for number in phonenumbers.PhoneNumberMatcher(
        text, "FR", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        raw, start = number.raw_string, number.start
        # The matcher keeps an opening bracket that is not closed: "(07 81 45 62 30".
        if raw.startswith("(") and ")" not in raw:
            raw, start = raw[1:], start + 1
        if _is_phone(raw) and not any(a <= start < b for a, b in urls):
            found.append(Finding("phone", raw, start, start + len(raw), 0.95))
    for match in _IBAN.finditer(text):
        if iban.is_valid(match.group()):
            found.append(Finding("iban", match.group(), match.start(), match.end(), 0.99))
    for match in _PLATE.finditer(text):
        found.append(Finding("plate", match.group(), match.start(), match.end(), 0.8))
    for pattern in (_ADDRESS_FULL, _ADDRESS):
        for match in pattern.finditer(text):
            address = match.group().strip()
            found.append(
                Finding("address", address, match.start(), match.start() + len(address), 0.85)
            )
    found += _persons(text, doc)
    found = [f for f in found if not (f.kind == "person" and _is_public(f.text, keep))]
    return _without_overlaps(found)


def _is_email(match: re.Match[str]) -> bool:
    at = match.group("at")
    if at.lstrip().startswith("@") and at[0].isspace():
        return bool(re.search(r"[._\d]", match.group("local")))
    return True


def _is_phone(raw: str) -> bool:
    """Whether what the (lenient) matcher took for a phone number is written as one. An
    international number ("+33 …", "0033 …") is taken as it is; a national one is
    French, ten digits from a 0, and its groups do not hold a year: "26-2025-040" and
    "2024-06-178" number acts."""
    if raw.lstrip("(").startswith(("+", "00")):
        return True
    digits = re.sub(r"\D", "", raw)
    return len(digits) == 10 and digits.startswith("0") and not _DATED_NUMBER.search(raw)


def _is_public(name: str, keep: set[str]) -> bool:
    """Whether a name found is a kept public figure's: the whole kept name, perhaps after
    words before it ("le maire Michel Dupont"). A part of it is not enough: "Mme Dupont",
    a resident sharing the mayor's surname, was dropped before, in every document of the
    place (a hostile review); a mention of the mayor by surname alone is suggested, for
    the reviewer to leave readable."""
    found = name_key(name)
    return any(found == k or found.endswith(" " + k) for k in keep)


def _persons(text: str, doc: Doc | None) -> list[Finding]:
    found = []
    for pattern, confidence in ((_TITLED, 0.9), (_FOLLOWED_BY, 0.9), (_CLOSING, 0.85)):
        for match in pattern.finditer(text):
            found.append(
                Finding(
                    "person",
                    match.group("name"),
                    match.start("name"),
                    match.end("name"),
                    confidence,
                )
            )
    doc = doc if doc is not None else nlp()(text)
    for entity in doc.ents:
        if entity.label_ != "PER":
            continue
        # A name ends at the line's end; the title before it stays readable.
        raw = entity.text.split("\n")[0]
        title = re.match(rf"{_TITLE}\s+", raw)
        offset = title.end() if title else 0
        name = raw[offset:].strip()
        # One capitalised word alone is too often a place or an organisation; "le Maire"
        # is a role, not a name.
        if len(name.split()) < 2 or not all(w[0].isupper() for w in name.split()):
            continue
        start = entity.start_char + offset
        found.append(Finding("person", name, start, start + len(name), 0.7))
    return found


_PRIORITY = {"email": 0, "iban": 1, "phone": 2, "plate": 3, "address": 4, "person": 5}


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """Where two findings overlap, the surer kind wins (an e-mail over the name inside
    it), then the longer span."""
    ordered = sorted(
        found, key=lambda f: (_PRIORITY[f.kind], -f.confidence, -(f.end - f.start), f.start)
    )
    kept: list[Finding] = []
    for item in ordered:
        if all(item.end <= k.start or k.end <= item.start for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)
