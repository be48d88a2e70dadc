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

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from stdnum import iban

from contrechamp.lib.text import name_key, nlp, unaccent

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
# A number that counts parts of an act, not a house: "Périmètre 2 Place Halle", "Article
# 3 rue …" (a real prefectoral act).
_NUMBERED_BEFORE = re.compile(
    r"(?i:\b(?:p[ée]rim[èe]tre|article|art\.|lot|zone|secteur|site|cam[ée]ra))[ \u00a0]*\Z"
)
# Civilities before a name; the plural ones open a list ("MM. Dupont et Martin").
_TITLE = (
    r"(?:MM\.|M\.|Mmes|Mme\.?|Mlles|Mlle\.?|Messieurs|Mesdames|Monsieur|Madame|Mademoiselle|"
    r"Me|Ma[îi]tre|Dr|Docteur|Pr|Professeur|MME|MLLE|MONSIEUR|MADAME|MA[ÎI]TRE)"
)
_PLURAL_TITLE = re.compile(r"MM\.|Mmes|Mlles|Messieurs|Mesdames")
_TITLED = re.compile(rf"\b(?P<title>{_TITLE})\s+(?=[^\W\d_])")
# The cue is matched in any case, the name only with its capitals ("Contact presse" is
# no one).
_FOLLOWED_BY = re.compile(
    rf"(?i:affaire suivie par|dossier suivi par|contact|interlocut(?:eur|rice)|r[ée]dacteur|"
    rf"r[ée]dactrice|signataire|plaignant|requ[ée]rant)\s*:?\s*(?:(?P<title>{_TITLE})\s+)?"
    r"(?=[^\W\d_])"
)
_CLOSING = re.compile(
    r"(?i:cordialement|bien cordialement|salutations distingu[ée]es|sinc[èe]res salutations|"
    r"bien [àa] vous|respectueusement)[.,]?\s*\n+\s*(?=[^\W\d_])"
)
# After a list's name, the next one: "MM. Jean Dupont, Paul Martin et Luc Durand".
_LIST_LINK = re.compile(rf"[ \t\u00a0\u202f]*(?:,|\bet\b)[ \t\u00a0\u202f]*(?:{_TITLE}\s+)?")

# --- the extent of a name ----------------------------------------------------------
# A name is read word by word from where it starts, so that it takes its particles
# ("Béatrice de Lavalette", "d'Estienne d'Orves", "van der Berg", "DE LAVALETTE") and
# never stops on one: a reviewer who accepts "Béatrice" publishes "Mme ▇ de Lavalette"
# (a new user's walk). It never runs into the sentence either: a particle is taken only
# before a capitalised word that is not a common noun ("Mme Dupont de la commune", "M.
# Martin du Service urbanisme" stop at the surname). The trade-off: a capitalised place
# after "de" ("Mme Dupont de Marseille") is taken with the name; more is hidden, nothing
# is published by accident.
#
# Text taken from PDFs joins names with non-breaking hyphens and spaces
# ("Jean‑Baptiste", "Me Sophie Durand‑Vasseur"), and cuts them at a line's end after a
# hyphen ("Durand-" / "Vasseur"): the name goes on through all of them.
_TOKEN = re.compile(r"[^\W\d_][\w'’\u2010\u2011-]*")
_GAP = re.compile(r"[ \t\u00a0\u202f]+|(?<=[-\u2010\u2011])\n[ \t\u00a0\u202f]*")
# A justified page cuts "M. Jérôme" / "PONCEYRI" or "Mme Béatrice de" / "Lavalette" over
# two lines, with no hyphen: the name goes on at the start of the next line after a
# particle ending a line, or after a civility and one word (`_name_end` says which words
# may start the next line).
_LINE_GAP = re.compile(r"[ \t\u00a0\u202f]*\n[ \t\u00a0\u202f]*(?=[^\W\d_])")
_ELIDED = re.compile(r"[dD]['’](?=[^\W\d_])")
_PARTICLES = frozenset(
    "de du des del della der den di da do dos das van von vom ten ter zu le la ben bin ibn "
    "el al y mac mc".split()
)
# Words that are no one's name after an article or a particle: roles and titles ("le
# maire", "la présidente", "M. le Préfet"), the bodies and services a name is followed by
# ("de la Commune", "du Service"). A name never opens on one after an article ("Monsieur
# Le Maire") nor without a civility ("Contact : Service Urbanisme"), and a particle
# followed by one ends the name before the particle. Right after a civility or a name
# word they are surnames too ("Mme Bureau", "Mme Anne BUREAU").
_PERSON_ROLES = frozenset(
    unaccent(word)
    for word in (
        "maire adjoint adjointe président présidente vice-président vice-présidente préfet "
        "préfète sous-préfet sous-préfète directeur directrice sous-directeur "
        "sous-directrice secrétaire rapporteur rapporteure député députée sénateur "
        "sénatrice ministre procureur procureure commissaire juge conseiller conseillère "
        "délégué déléguée chef cheffe responsable chargé chargée élu élue greffier "
        "greffière bâtonnier avocat avocate notaire huissier gérant gérante agent "
        "gardien brigadier lieutenant capitaine commandant colonel général généraux "
        "amiral gouverneur recteur rectrice doyen doyenne inspecteur inspectrice "
        "contrôleur contrôleuse officier ingénieur architecte"
    ).split()
)
# Bodies, services, places of an administration.
_BODIES = frozenset(
    unaccent(word)
    for word in (
        "commune communes ville mairie municipalité conseil service services direction "
        "département région préfecture sous-préfecture police gendarmerie cabinet "
        "société association collectif syndicat métropole agglomération communauté "
        "tribunal cour république état ministère bureau pôle mission délégation "
        "division agence office établissement centre groupe comité commission "
        "assemblée quartier secteur brigade compagnie circonscription académie "
        "université lycée collège école hôpital cellule sécurité urbanisme "
        "finances affaires information communication patrimoine"
    ).split()
)
_ROLES = _PERSON_ROLES | _BODIES
# The headings and small words of a text in capitals ("M. DUPONT ET MME DURAND",
# "ARTICLE 2"): never a name's.
_SMALL_WORDS = frozenset(
    unaccent(word)
    for word in (
        "article arrête décide vu considérant objet délibération annexe "
        "et ou pour par avec sur dans en au aux"
    ).split()
)
# The words that name a street or a square before a person's name ("rue Jean Jaurès",
# "avenue du Général Leclerc", "place Charles de Gaulle", "bd Victor Hugo", "r. Pierre
# Brossolette", "RUE JEAN JAURÈS"): nobody's personal data. Abbreviations only with
# their dot where a bare one is a word ("r.", "pl.", "ch."). "place" and "cours" apart:
# "à la place de M. Dupont", "en place", "au cours de" are no streets.
_STREET_WORDS = (
    r"rue|r\.|avenue|av\.?|boulevard|bd|bld|blvd|bvd|boul\.|pl\.|all[ée]e|all\.|impasse|"
    r"imp\.|quai|square|sq\.|chemin|ch\.|route|rte|passage|esplanade|promenade|parvis|"
    r"rond-point|carrefour|ruelle|venelle|sentier|faubourg|fbg|mont[ée]e|traverse|voie|"
    r"pont|r[ée]sidence|cit[ée]|hameau|lotissement|villa"
)
# And the buildings and facilities named after someone ("collège Jean Moulin", "gymnase
# Pierre de Coubertin", "salle Georges Brassens", "stade Auguste Delaune", "médiathèque
# Louise Michel", "centre social Jean Vilar", "école élémentaire Jules Ferry"), perhaps
# with the words that say which one. Never with "de" after them: "la maison de Jean
# Dupont" is someone's house.
_BUILDING_WORDS = (
    r"coll[èe]ge|lyc[ée]e|[ée]cole|groupe[ \u00a0]+scolaire|gymnase|stade|salle|"
    r"m[ée]diath[èe]que|biblioth[èe]que|ludoth[èe]que|piscine|conservatoire|complexe|"
    r"espace|maison[ \u00a0]+de[ \u00a0]+quartier|"
    r"centre[ \u00a0]+(?:social|culturel|sportif|aquatique|nautique|hospitalier)|"
    r"halle|th[ée][âa]tre|cin[ée]ma|auditorium|h[ôo]pital|clinique|ehpad|cr[èe]che|parc|"
    r"jardin|gare|caserne|mus[ée]e"
)
_BUILDING_QUALIFIERS = (
    r"municipale?|communale?|intercommunale?|d[ée]partementale?|r[ée]gionale?|publique?|"
    r"polyvalente?|sporti(?:f|ve)|omnisports|multisports|culturelle?|sociale?|"
    r"[ée]l[ée]mentaire|maternelle|primaire|professionnel(?:le)?|couverte?|nautique|"
    r"aquatique|des[ \u00a0]+sports|des[ \u00a0]+f[êe]tes"
)
# Between them and the name: spaces, or a line's end (a justified page).
_SPACE = r"(?:[ \t\u00a0\u202f]*\n)?[ \t\u00a0\u202f]*(?<=[\s\u00a0\u202f])"
_STREET_BEFORE = re.compile(
    rf"(?i:\b(?:{_STREET_WORDS}|(?<!la )(?<!en )place|(?<!au )(?<!en )cours){_SPACE}"
    r"(?:(?:du|de[ \u00a0]+la|de[ \u00a0]+l['’]|de|des|d['’])[ \u00a0]*)?\Z)"
    # "la place Pierre Louis" is a square; "à la place de M. Dupont" is not.
    r"|(?i:\bla[ \u00a0]+place)[ \u00a0]+\Z"
    rf"|(?i:(?<![\w-])(?:{_BUILDING_WORDS})(?:{_SPACE}(?:{_BUILDING_QUALIFIERS}))*{_SPACE}\Z)"
)
# A name that opens on such a word is the place's ("Impasse Louise Michel", "AVENUE
# VICTOR HUGO", "Collège Jean Moulin": spaCy takes the word with the name). Not the
# words that are surnames too, which open a list's "PONT Michel" or "JARDIN Claire".
_STREET_OPENING = re.compile(
    r"(?i:(?:rue|avenue|boulevard|place|all[ée]e|impasse|quai|square|chemin|route|cours|"
    r"passage|esplanade|promenade|parvis|rond-point|r[ée]sidence|lotissement|hameau|"
    r"coll[èe]ge|lyc[ée]e|[ée]cole|groupe[ \u00a0]+scolaire|gymnase|stade|salle|"
    r"m[ée]diath[èe]que|biblioth[èe]que|piscine|conservatoire|complexe|espace|"
    r"maison[ \u00a0]+de[ \u00a0]+quartier|centre[ \u00a0]+(?:social|culturel|sportif))"
    r"[ \t\u00a0\u202f\n]+)"
)


def detect(
    text: str,
    *,
    public: Iterable[str] = (),
    doc: Doc | None = None,
    names: Iterable[str] = (),
) -> list[Finding]:
    """Personal data of one page, in reading order; names in `public` are left out.
    `doc` is spaCy's reading of `text` when the caller has one (a batch of pages is
    read in one pass); otherwise the text is read here. The surnames of the persons
    found on the page, and of `names` (found on the document's other pages), are
    found alone too ("Lavalette a voté contre", see `with_surnames`)."""
    keep = {name_key(name) for name in public if name.strip()}
    found = _contacts(text)
    for match in _PLATE.finditer(text):
        found.append(Finding("plate", match.group(), match.start(), match.end(), 0.8))
    for pattern in (_ADDRESS_FULL, _ADDRESS):
        for match in pattern.finditer(text):
            if _NUMBERED_BEFORE.search(text, max(0, match.start() - 20), match.start()):
                continue
            address = match.group().strip()
            found.append(
                Finding("address", address, match.start(), match.start() + len(address), 0.85)
            )
    found += _persons(text, doc)
    found = [
        f
        for f in found
        if not (f.kind == "person" and (_is_public(f.text, keep) or _in_office(text, f.end)))
    ]
    return with_surnames(text, found, names, public=public)


def _contacts(text: str) -> list[Finding]:
    """The e-mail addresses, phone numbers and IBANs of `text`: found by rules alone,
    without reading the text with spaCy."""
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
    return found


def contacts_masked(text: str, mask: str = "[…]") -> str:
    """`text` with its e-mail addresses, phone numbers and IBANs replaced by `mask`: for
    a line written by a program (an error's message) shown to someone who should not
    read the personal data it may carry."""
    parts, end = [], 0
    # Overlapping findings (a phone number inside an address) are masked as one.
    for finding in sorted(_contacts(text), key=lambda f: f.start):
        if finding.start >= end:
            parts.append(text[end : finding.start] + mask)
        end = max(end, finding.end)
    return "".join(parts) + text[end:]


# A name followed by the public office its bearer acts in: "sous la présidence de M.
# Gilles Durand, Maire", "M. Paul Henry, préfet de la Sarthe". Mayors, presidents of a
# public body, prefects and members of Parliament acting as such stay readable (the
# review page says so). Everything else after a name is suggested, for the reviewer to
# keep readable if she judges it public: the president of an association, a club, a
# collective, a co-ownership ("syndicat des copropriétaires"), a company or a trade union
# is a private person (a hostile review: "M. Jean Dupont, président de l'association des
# riverains" was published after "accept all"); so is a deputy ("adjoint au maire",
# "maire-adjoint", "maire adjointe", or a civil servant "adjointe au chef du bureau") and
# anyone whose office is past ("ancien maire", "ex-préfet", "maire de 1995 à 2001",
# "maire honoraire", see `_PAST_OFFICE`). The trade-off: a public body missing from
# `_PUBLIC_BODY` (a university, "Nice Côte d'Azur" without "Métropole") makes its
# president suggested, one click to keep; never the other way round.
_SPACE = r"[ \t\u00a0\u202f]"
_SPACES = r"[ \t\u00a0\u202f]+(?:\n[ \t\u00a0\u202f]*)?|\n[ \t\u00a0\u202f]*"
_W = rf"(?:{_SPACES})"
# What may follow a region, a department or a metropolis that is the public one.
_PLACE_OR_END = rf"(?={_SPACE}*(?:$|[^\w\s]|\n|(?:de|du|des|d['’])\b|(?-i:[A-ZÀ-Þ])))"
_OF = rf"(?:de{_W}la{_W}|de{_W}l['’]|du{_W}|des{_W}|de{_W}|d['’])"
_CAPITALISED = r"(?-i:[A-ZÀ-Þ][\w'’-]*)"
# What a president of a public body presides, with its "de", "du", "de la"…
_PUBLIC_BODY = (
    rf"(?:{_OF}(?:r[ée]publique|s[ée]nat|assembl[ée]e{_W}nationale"
    rf"|conseil{_W}(?:d[ée]partemental|r[ée]gional|g[ée]n[ée]ral|municipal|communautaire"
    rf"|m[ée]tropolitain|territorial|constitutionnel|d['’][ée]tat|de{_W}Paris)"
    rf"|communaut[ée]{_W}(?:de{_W}communes|d['’]agglom[ée]ration|urbaine)"
    rf"|agglom[ée]ration|intercommunalit[ée]|EPCI|PETR|SIVU|SIVOM"
    rf"|syndicat{_W}(?:intercommunal|mixte|d[ée]partemental)"
    rf"|tribunal|cour{_W}(?:d['’]appel|administrative|de{_W}cassation|des{_W}comptes"
    rf"|d['’]assises|nationale)|chambre{_W}(?:r[ée]gionale|territoriale){_W}des{_W}comptes"
    rf"|CNIL|CADA|CNCTR|CNDP|Arcom|(?:haute{_W})?autorit[ée]"
    rf"|commission{_W}nationale{_W}(?:de{_W}l['’]informatique|de{_W}contr[ôo]le|du{_W}d[ée]bat)"
    rf"|commission{_W}d['’]acc[èe]s{_W}aux{_W}documents)"
    # A region, a department or a metropolis is the public one when a place, a capital
    # or the end of the phrase follows ("de la Région Bretagne", "du département de la
    # Sarthe", "de la métropole,"), not a common word ("du département informatique" of
    # a company); "de Métropole Football Club" has no article.
    rf"|(?:de{_W}la{_W}(?:r[ée]gion|m[ée]tropole)|du{_W}d[ée]partement){_PLACE_OR_END}"
    # "de la CA du Grand Annecy" (a communauté), not "du CA" (a board of directors).
    rf"|de{_W}la{_W}(?-i:C[ACU])"
    # An intercommunality named with its place: "du Grand Lyon", "de Grand Paris Sud",
    # "de Rennes Métropole", with no article ("de la Fédération Métropole Sport" is none).
    rf"|(?:du|de){_W}(?-i:Grand){_W}{_CAPITALISED}"
    rf"|(?:de{_W}|d['’])(?:{_CAPITALISED}{_W}){{1,4}}(?-i:Métropole|Agglom[ée]ration|Agglo))\b"
)
_IN_OFFICE_AFTER = re.compile(
    rf"{_SPACE}*,{_W}?(?:(?:le|la){_W})?"
    rf"(?:(?:premi[eè]re?{_W})?maire(?![-\u2010\u2011]|{_W}adjointe?s?\b)"
    rf"|(?:vice-)?pr[ée]sidente?{_W}{_PUBLIC_BODY}"
    rf"|pr[ée]f[eè]te?|sous-pr[ée]f[eè]te?|d[ée]put[ée]e?|s[ée]nat(?:eur|rice)|ministre"
    rf"|conseill[eè]re?{_W}(?:municipal|communautaire|d[ée]partemental|r[ée]gional"
    rf"|m[ée]tropolitain)e?s?)\b",
    re.I,
)
# An office held in the past, in the rest of the phrase that names it: "maire de 1995 à
# 2001", "préfet de la Sarthe (2010-2014)", "maire jusqu'en 2020", "maire honoraire",
# "le maire de l'époque". A range of years may be the current term ("maire de 2020 à
# 2026"): suggested too, the reviewer keeps it in one click.
_PAST_OFFICE = re.compile(
    r"(?:[^,;.\n]|\n(?![ \t]*\n)){0,80}?"
    r"(?:\b(?:de|entre)\s+(?:19|20)\d\d\s+(?:[àa]|et)\s+(?:19|20)?\d\d\b"
    r"|\b(?:19|20)\d\d\s*[-\u2010-\u2014]\s*(?:19|20)?\d\d\b"
    r"|\bjusqu|\bhonoraire|\b(?:de|[àa])\s+l['’]\s?[ée]poque\b)",
    re.I,
)


def _in_office(text: str, end: int) -> bool:
    """Whether the name ending at `end` is followed by a public office its bearer holds
    now."""
    office = _IN_OFFICE_AFTER.match(text, end)
    return office is not None and not _PAST_OFFICE.match(text, office.end())


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


def _key(word: str) -> str:
    return unaccent(word).lower().strip("-\u2010\u2011")


def _name_end(text: str, start: int, *, titled: bool) -> int | None:
    """Where the name that starts at `start` ends, or None when what starts there is no
    name ("le Maire", "la Présidente", "Service urbanisme"). After a civility (`titled`)
    a name may open on a particle ("Mme de Lavalette")."""
    position, names, end = start, 0, None
    # Particles read since the last word of the name, with where each ends.
    pending: list[tuple[str, int]] = []
    # Whether the word read is the first of a new line, after a name cut without a
    # hyphen (`crossed`) or with one (`cut`).
    crossed = cut = False
    for _ in range(14):
        token = _TOKEN.match(text, position)
        if token is None:
            break
        word = token.group()
        if crossed and not _goes_on(text, token, pending):
            break
        elided = _ELIDED.match(word)
        core = word[elided.end() :] if elided else word
        if cut and names and not pending and word[0].islower():
            end = token.end()  # the rest of a word cut at a line's end: "M. Pa-" / "trick"
        elif not elided and core.lower() in _PARTICLES:
            if names == 0 and not titled and core[0].islower():
                return None
            pending.append((word, token.end()))
        elif core[0].isupper() and len(core) > 1:
            link = [p for p, _ in pending] + ([word[: elided.end()]] if elided else [])
            key = _key(core)
            if key in _SMALL_WORDS:
                pending = []
                break
            if key in _ROLES and (names or link or not titled):
                if names == 0:
                    return None
                # "Yann Le Maire" and "Anne BUREAU" are names; "Mme Dupont de la
                # Commune" and "M. DUPONT DE LA COMMUNE" end before the particle.
                if link and (core.isupper() or any(p[0].islower() for p in link)):
                    pending = []
                    break
            names += 1
            end = token.end()
            pending = []
            if names == 5:
                break
        else:
            break
        gap = _GAP.match(text, token.end())
        crossed = False
        if (names and pending and pending[-1][0].islower()) or (
            titled and names == 1 and not pending
        ):
            line = _LINE_GAP.match(text, token.end())
            if line is not None and (gap is None or "\n" not in gap.group()):
                gap, crossed = line, True
        if gap is None:
            break
        cut = not crossed and "\n" in gap.group()
        position = gap.end()
    if end is None:
        return None
    # A capitalised particle ending the name is a name too ("Mme Sarah Ben, riveraine"),
    # unless the sentence goes on after it ("M. Dupont Le conseil…").
    if pending and all(p[0].isupper() for p, _ in pending):
        last = pending[-1][1]
        if not re.match(r"[ \t\u00a0\u202f]*[^\W\d_]", text[last : last + 40]):
            end = last
    return end


_CIVILITIES = frozenset(
    "m mm mme mmes mlle mlles monsieur madame mademoiselle messieurs mesdames me maitre "
    "dr docteur pr professeur".split()
)
# What opens the line after a name in a list of those present: no one's name.
_LIST_WORDS = frozenset(
    unaccent(word)
    for word in (
        "présent présente présents présentes absent absente absents absentes excusé "
        "excusée excusés excusées représenté représentée pouvoir procuration suppléant "
        "suppléante"
    ).split()
)


def _goes_on(text: str, token: re.Match[str], pending: list[tuple[str, int]]) -> bool:
    """Whether the word opening a line goes on with the name that ended the line above:
    not a civility, a role, a heading or a word of a list of those present ("M. Dupont"
    / "Excusé"), nor a capitalised particle opening a sentence ("M. Dupont" / "Le
    conseil…"), nor a label ("Absents :")."""
    word = token.group()
    elided = _ELIDED.match(word)
    core = word[elided.end() :] if elided else word
    key = _key(core)
    if key in _CIVILITIES or key in _ROLES or key in _SMALL_WORDS or key in _LIST_WORDS:
        return False
    if re.match(r"[ \t\u00a0\u202f]*:", text[token.end() : token.end() + 4]):
        return False
    if not elided and core.lower() in _PARTICLES:
        return bool(pending) or core[0].islower()
    return True


def _name_words(name: str) -> int:
    """How many words of `name` are not particles (a word cut at a line's end after a
    hyphen is one: "Pa-" / "ris")."""
    words = _TOKEN.findall(re.sub(r"(?<=[-\u2010\u2011])\n[ \t\u00a0\u202f]*", "", name))
    return sum(1 for w in words if w.lower() not in _PARTICLES or _ELIDED.match(w))


def _on_a_street(text: str, start: int) -> bool:
    """Whether a name at `start` names a street or a building ("rue Monsieur Le Prince",
    "avenue Jean Jaurès", "collège Jean Moulin", "salle polyvalente Georges Brassens"),
    or opens on such a word ("Impasse Louise Michel"): nobody's personal data."""
    return bool(
        _STREET_BEFORE.search(text[max(0, start - 60) : start])
        or _STREET_OPENING.match(text, start)
    )


def cued_names(text: str) -> set[str]:
    """The names of persons a civility or a letter's cue introduces in `text` ("Mme
    Béatrice de Lavalette", "Affaire suivie par…"), without spaCy: quick enough to read
    every page of a document for the surnames a passage of one of them names alone."""
    return {f.text for f in _persons(text, None, named_entities=False)}


def _persons(text: str, doc: Doc | None, *, named_entities: bool = True) -> list[Finding]:
    found = []

    def add(start: int, *, titled: bool, confidence: float, line_end: bool = False) -> int | None:
        end = _name_end(text, start, titled=titled)
        if end is None:
            return None
        if line_end and not re.match(r"[ \t\u00a0\u202f]*(?:\n|$)", text[end:]):
            return None
        found.append(Finding("person", text[start:end], start, end, confidence))
        return end

    for match in _TITLED.finditer(text):
        if _on_a_street(text, match.start()):
            continue
        end = add(match.end(), titled=True, confidence=0.9)
        # "MM. Jean Dupont et Paul Martin": every name of the list.
        while end is not None and _PLURAL_TITLE.fullmatch(match.group("title")):
            link = _LIST_LINK.match(text, end)
            if link is None or link.end() == end:
                break
            end = add(link.end(), titled=True, confidence=0.9)
    for match in _FOLLOWED_BY.finditer(text):
        add(match.end(), titled=bool(match.group("title")), confidence=0.9)
    for match in _CLOSING.finditer(text):
        add(match.end(), titled=False, confidence=0.85, line_end=True)
    if not named_entities:
        return found
    doc = doc if doc is not None else nlp()(text)
    for entity in doc.ents:
        if entity.label_ != "PER":
            continue
        # The title before a name stays readable.
        raw = entity.text.split("\n")[0]
        title = re.match(rf"{_TITLE}\s+", raw)
        start = entity.start_char + (title.end() if title else 0)
        while start < len(text) and text[start].isspace():
            start += 1
        end = _name_end(text, start, titled=bool(title))
        # One capitalised word alone is too often a place or an organisation.
        if end is None or _name_words(text[start:end]) < 2 or _on_a_street(text, start):
            continue
        found.append(Finding("person", text[start:end], start, end, 0.7))
    return found


# --- a surname alone, once the whole name is known ---------------------------------
# Minutes name a councillor in full once ("Mme Béatrice de Lavalette"), then by surname
# alone, on that page or the next ("Lavalette a voté contre", "LAVALETTE",
# "Lavalette’s"): redacting the whole name and publishing the surname names her all the
# same. A surname alone is taken only where it reads as that surname: capitalised, a
# whole word (not "Saint-Martin", "Martinez", "la boulangerie" for Mme Boulanger), not
# named a street ("rue Martin"), nor after another capitalised word that makes it part
# of another proper name ("Saint Martin", "Collège Boulanger"). The trade-off: a
# surname that is also a capitalised word opening a sentence ("Petit à petit" for M.
# Petit) is suggested, one click for the reviewer to keep.
_NAME_PART = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")
_BEFORE_WORD = re.compile(r"(?P<word>[^\W\d_][\w’'\u2010\u2011-]*)[ \t\u00a0\u202f]+\Z")
# Words that open a sentence before a surname without making a name with it ("Selon
# Lavalette", "Contre Lavalette"): spaCy's French stop words and a few more.
_OPENERS = frozenset(
    "contre chez vers envers sauf malgré hormis excepté outre puis mais donc or ni car "
    "ainsi enfin aussi".split()
)


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _OPENERS


def _surname_key(word: str) -> str:
    """A surname's key, its hyphens of any kind written alike ("Dupuis‐Ferrand")."""
    return _key(word).replace("\u2010", "-").replace("\u2011", "-")


def surnames(names: Iterable[str]) -> dict[str, set[str]]:
    """The surnames of `names` (keys: lower case, no accents), each with the other words
    of the names it ends ("Béatrice de Lavalette": "lavalette", with "beatrice"). A
    surname is the name's words in capitals where others are not ("Jean DUPONT",
    "DUPONT Jean"), otherwise its last word ("Marc-Antoine Dupuis-Ferrand":
    "dupuis-ferrand"); never a role, a civility or a heading word ("Mme Anne BUREAU"
    gives no surname: "Bureau" alone is a body)."""
    found: dict[str, set[str]] = {}
    for name in names:
        words = [w for w in _NAME_PART.findall(name) if len(w) > 1 and w.lower() not in _PARTICLES]
        if not words:
            continue
        capitals = [w for w in words if w.isupper()]
        chosen = capitals if capitals and len(capitals) < len(words) else words[-1:]
        for word in chosen:
            key = _surname_key(word)
            if key in _ROLES or key in _SMALL_WORDS or key in _CIVILITIES:
                continue
            found.setdefault(key, set()).update(_key(w) for w in words if w != word)
    return found


def reads_as_name(text: str) -> bool:
    """Whether a text redacted by hand reads as a person's name: two to six words, each
    capitalised but its particles ("Béatrice de Lavalette", "JEAN DUPONT"), none a
    role, a body or a heading word."""
    words = _TOKEN.findall(text)
    if not 2 <= len(words) <= 6 or len(words) != len(text.split()):
        return False
    named = [w for w in words if w.lower() not in _PARTICLES or w[0].isupper()]
    return len(named) >= 2 and all(
        w[0].isupper() and _key(w) not in _ROLES | _SMALL_WORDS | _CIVILITIES for w in named
    )


def with_surnames(
    text: str, found: list[Finding], names: Iterable[str] = (), *, public: Iterable[str] = ()
) -> list[Finding]:
    """`found` (the findings of one page) with the mentions of a surname alone: the
    surnames of the persons in `found` and of `names`, unless the surname alone is a
    name in `public`. Returns findings without overlaps, in reading order: where a
    mention lies inside a whole name found, the whole name stays."""
    keep = {name_key(name) for name in public if name.strip()}
    known = surnames([*names, *(f.text for f in found if f.kind == "person")])
    known = {key: others for key, others in known.items() if not _is_public(key, keep)}
    if not known:
        return _without_overlaps(found)
    stop = _stop_words()
    mentions = []
    for match in _NAME_PART.finditer(text):
        word = match.group()
        key = _surname_key(word)
        if key not in known or not word[0].isupper():
            continue
        start, end = match.span()
        # A word cut at a line's end ("Saint-" / "Martin"), or going on with a hyphen.
        if re.search(r"[-\u2010\u2011]\s*\Z", text[max(0, start - 3) : start]):
            continue
        if text[end : end + 1] in ("-", "\u2010", "\u2011") or _on_a_street(text, start):
            continue
        before = _BEFORE_WORD.search(text, max(0, start - 40), start)
        if before is not None:
            other = before.group("word")
            other_key = _key(other)
            if (
                other[0].isupper()
                and not other.isupper()
                and not re.fullmatch(_TITLE, other)
                and other_key not in _CIVILITIES | _PERSON_ROLES | _SMALL_WORDS | known[key]
                and other.lower() not in stop
            ):
                continue  # part of another proper name: "Saint Martin", "Collège Boulanger"
        mentions.append(Finding("person", word, start, end, 0.65))
    return _without_overlaps(found + mentions)


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
