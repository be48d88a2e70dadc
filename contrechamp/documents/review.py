"""Entity suggestions as a reviewer reads them: one row per entity of a document (same
kind, same normalised value: a commune code, an organisation, a technology slug, an
amount, a date), with its occurrences under it, instead of one row per occurrence ("Nice"
four times). Reads only; the decisions are in `services.entities_accept/_reject`."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import QuerySet

from contrechamp.documents.models import Entity, Page
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune
from contrechamp.registry.models import Technology

# What an organisation accepted into a deployment becomes there: its vendor, one of its
# funders, or a body the deployment only cites the page for (a prefecture that
# authorised it, a court that ruled, the CNIL, an association that contested it), which
# the registry keeps in no list. Every organisation accepted was made a vendor, so a
# prefecture accepted was published as the cameras' supplier.
ORGANISATION_ROLES = ("vendor", "funder", "cited")
# The names of bodies that sell nothing (after an article: "la CNIL", "le préfet"): the
# role offered first for them is "cited".
_NO_VENDOR = re.compile(
    r"(?:(?:la|le|les|l['’])[ \u00a0]*)?"
    r"(?:(?:sous-)?pr[ée]fe(?:cture|te?)|tribunal|tribunaux|cour|conseil|cnil|cada|"
    r"minist[èe]re|ministre|premier[ \u00a0]+ministre|gouvernement|[ée]tat|d[ée]fenseure?|"
    r"commission|comit[ée]|syndicat|ligue|ldh|association|(?:la[ \u00a0]+)?quadrature|"
    r"technopolice|union|f[ée]d[ée]ration|direction|agence[ \u00a0]+(?:nationale|r[ée]gionale|"
    r"d[ée]partementale|europ[ée]enne|de|du|des|d['’])|assembl[ée]e|s[ée]nat|parlement|"
    r"gendarmerie|police[ \u00a0]+(?:nationale|municipale|aux)|pr[ée]fecture|commissariat|"
    r"dgpn|dgsi|ddsp|dgse|igpn|iggn|iga|observatoire|haut[ -]commissariat|collectif|amnesty|"
    r"privacy[ \u00a0]+international|human[ \u00a0]+rights|r[ée]gion|d[ée]partement|"
    r"communaut[ée]|m[ée]tropole|collectivit[ée]|mairie|(?:ville|commune)[ \u00a0]+(?:de|du|des)|"
    r"(?:ville|commune)[ \u00a0]+d['’]|"
    r"chambre|inspection|procureur|parquet|universit[ée]|centre[ \u00a0]+hospitalier|"
    r"fonds|an2v|anru|anssi|anct|arcom|cncdh|cnaps|cglpl|cnctr|europol|frontex|ugap|gisti|"
    r"fcpe|cgt|cfdt|unsa|solidaires|barreau|autorit[ée])\b",
    re.I,
)
# What says a company whatever its first word ("Sud Ouest Sécurité", "Police Equipment
# SA", "Agence Vidéo Sud"): a legal form, or a trade's word written with its capital.
_COMPANY_WORDS = re.compile(
    r"\b(?:SA|SAS|SASU|SARL|EURL|SNC|SCOP|GmbH|Ltd|Inc)\b|"
    r"(?-i:\b(?:S[ée]curit[ée]|Security|Vid[ée]o|Video|Services|Alarmes?|Tech|Technologies|"
    r"Systems|Syst[èe]mes|Equipment|Investment|Solutions|Electronic|[ÉE]lectronique))\b"
)
# The kinds of the entity gazetteer's organisations (`data/gazetteer.json`), by name and
# alias: the offer follows what the suggestions already know of a name.
_ROLE_OF_KIND = {
    "vendor": "vendor",
    "funder": "funder",
    "funding_body": "funder",
    "public_body": "cited",
    "association": "cited",
    "venue": "cited",
}


@functools.cache
def _known_kinds() -> dict[str, str]:
    data = json.loads((Path(__file__).parent / "data" / "gazetteer.json").read_text())
    kinds: dict[str, str] = {}
    for item in data["organisations"]:
        for name in (item["name"], *item.get("aliases", ())):
            kinds.setdefault(name_key(name), item["kind"])
    return kinds


def organisation_role(value: str, registry_kind: str = "") -> str:
    """The role offered first for an organisation accepted into a deployment: what the
    registry says of it when it says more than its default ("public_body", "funder"),
    else what the entity gazetteer knows of the name (a public body, an association, a
    funder, a vendor), else "cited" for a name of a body that sells nothing
    ("Préfecture du Nord", "Tribunal administratif de Nice", "la CNIL") unless a legal
    form or a trade's word says a company ("Sud Ouest Sécurité"), else "vendor". The
    reviewer chooses. (A registry kind "vendor" says nothing: it is the default every
    organisation accepted before the roles was given.)"""
    if registry_kind == "funder":
        return "funder"
    if registry_kind in ("public_body", "other"):
        return "cited"
    known = _known_kinds().get(name_key(value))
    if known in _ROLE_OF_KIND:
        return _ROLE_OF_KIND[known]
    name = value.strip()
    if _NO_VENDOR.match(name) and not _COMPANY_WORDS.search(name):
        return "cited"
    return "vendor"


def entity_role(entity: Entity) -> str:
    """The role offered first for an organisation suggestion (`organisation_role`), from
    its value and what the registry says of the organisation it names."""
    registry_kind = entity.organisation.kind if entity.organisation else ""
    return organisation_role(entity.value, registry_kind)


# Characters of the page on each side of an occurrence in its short quote.
QUOTE_SIDE = 60
# Occurrences of one row quoted on the page (a crafted page can name a technology
# thousands of times; the row counts them all and quotes these).
QUOTED_OCCURRENCES = 50


@dataclass
class Occurrence:
    entity_id: int
    page: int
    status: str
    # The quote around the occurrence, in three parts so the page marks the occurrence;
    # empty when this person may not read the page's original text.
    before: str = ""
    text: str = ""
    after: str = ""
    # Its sentence seems to deny it ("il n'y aura pas de drone"): a hint to the
    # reviewer, read with the quote, for the technologies a denial matters for.
    denied: bool = False


@dataclass
class SuggestionGroup:
    kind: str
    kind_display: str
    value: str
    label: str
    text: str
    confidence: float
    # The entity the row's forms post: a waiting occurrence when there is one.
    key: int
    occurrences: list[Occurrence] = field(default_factory=list)
    # For an organisation: the role its accept form offers first (`organisation_role`).
    role: str = ""

    @property
    def waiting(self) -> int:
        return sum(1 for o in self.occurrences if o.status == "suggested")

    @property
    def status(self) -> str:
        """ "suggested" while any occurrence waits, else "accepted"."""
        return "suggested" if self.waiting else "accepted"

    @property
    def quoted(self) -> list[Occurrence]:
        return self.occurrences[:QUOTED_OCCURRENCES]

    @property
    def unquoted(self) -> int:
        return max(0, len(self.occurrences) - QUOTED_OCCURRENCES)

    @property
    def pages(self) -> list[int]:
        return sorted({o.page for o in self.occurrences})

    @property
    def page_counts(self) -> list[tuple[int, int]]:
        """(page, how many occurrences on it), in page order."""
        counts: dict[int, int] = {}
        for o in self.occurrences:
            counts[o.page] = counts.get(o.page, 0) + 1
        return sorted(counts.items())


def group_of(entity: Entity) -> QuerySet[Entity]:
    """Every entity of the same document, kind and value as `entity` (its row)."""
    return Entity.objects.filter(
        page__document_id=entity.page.document_id, kind=entity.kind, value=entity.value
    )


def suggestion_groups(entities: QuerySet[Entity], *, quotes: bool) -> list[SuggestionGroup]:
    """The rows of `entities` (of one document), in the order of the kinds and then of
    their first occurrence. `quotes`: with a short quote of each occurrence, read from the
    page's original text (for those who may read it)."""
    rows = list(
        entities.select_related("commune")
        .order_by("page__number", "start", "id")
        .values(
            "id",
            "kind",
            "value",
            "text",
            "start",
            "end",
            "confidence",
            "status",
            "page_id",
            "page__number",
            "commune__name",
            "organisation__kind",
        )
    )
    texts: dict[int, str] = {}
    if quotes and rows:
        texts = dict(
            Page.objects.filter(id__in={r["page_id"] for r in rows}).values_list("id", "text")
        )
    kinds = dict(Entity.KINDS)
    groups: dict[tuple[str, str], SuggestionGroup] = {}
    wordings: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row["kind"], row["value"])
        group = groups.get(key)
        if group is None:
            label = row["value"]
            if row["commune__name"]:
                label = f"{row['commune__name']} ({row['value']})"
            elif row["kind"] == "amount" and row["value"].isdigit():
                # "1 250 000 €", not "1250000": thousands apart by a narrow no-break space.
                label = f"{int(row['value']):,} €".replace(",", "\u202f")
            group = groups[key] = SuggestionGroup(
                kind=row["kind"],
                kind_display=str(kinds.get(row["kind"], row["kind"])),
                value=row["value"],
                label=label,
                text=row["text"],
                confidence=row["confidence"],
                key=row["id"],
                role=organisation_role(row["value"], row["organisation__kind"] or "")
                if row["kind"] == "organisation"
                else "",
            )
            wordings[key] = {}
        elif group.waiting == 0 and row["status"] == "suggested":
            group.key = row["id"]
        group.confidence = max(group.confidence, row["confidence"])
        wordings[key][row["text"]] = wordings[key].get(row["text"], 0) + 1
        occurrence = Occurrence(entity_id=row["id"], page=row["page__number"], status=row["status"])
        if quotes and len(group.occurrences) < QUOTED_OCCURRENCES:
            text = texts.get(row["page_id"], "")
            occurrence.before, occurrence.text, occurrence.after = _around(
                text, row["start"], row["end"], row["text"]
            )
            if row["kind"] == "technology" and row["value"] not in _DENIALS_UNREAD:
                occurrence.denied = denied(text, row["start"], row["end"])
        group.occurrences.append(occurrence)
    unnamed = {g.value for g in groups.values() if g.kind == "commune" and g.label == g.value}
    if unnamed:
        # A suggestion made before its commune was linked, or by hand: named by its code.
        names = dict(Commune.objects.filter(code__in=unnamed).values_list("code", "name"))
        for group in groups.values():
            if group.kind == "commune" and group.value in names and group.label == group.value:
                group.label = f"{names[group.value]} ({group.value})"
    slugs = {g.value for g in groups.values() if g.kind == "technology"}
    if slugs:
        # A technology is named as the taxonomy names it in the reader's language.
        technologies = {t.slug: t.name for t in Technology.objects.filter(slug__in=slugs)}
        for group in groups.values():
            if group.kind == "technology" and group.value in technologies:
                group.label = technologies[group.value]
    for key, group in groups.items():
        # The wording the document uses most names the row ("Nice", not "NICE").
        group.text = max(wordings[key].items(), key=lambda item: item[1])[0]
    order = [k for k, _label in Entity.KINDS]
    return sorted(
        groups.values(), key=lambda g: order.index(g.kind) if g.kind in order else len(order)
    )


def _around(text: str, start: int, end: int, wording: str) -> tuple[str, str, str]:
    """The occurrence and up to QUOTE_SIDE characters of whole words on each side, with "…"
    where the quote is cut; the stored wording when the offsets no longer fit the text."""
    if not (0 <= start < end <= len(text)):
        return "", wording, ""
    left = text[max(0, start - QUOTE_SIDE) : start]
    if start > QUOTE_SIDE:
        # Cut inside a word: drop the piece of it.
        cut = next((i for i, c in enumerate(left) if c.isspace()), len(left))
        left = "… " + left[cut:].lstrip()
    right = text[end : end + QUOTE_SIDE]
    if end + QUOTE_SIDE < len(text):
        cut = next((i for i in range(len(right) - 1, -1, -1) if right[i].isspace()), 0)
        right = right[:cut].rstrip() + " …"
    before = " ".join(left.split()) + (" " if left[-1:].isspace() else "")
    after = (" " if right[:1].isspace() else "") + " ".join(right.split())
    return before, " ".join(text[start:end].split()), after


# Plain cameras are named in every sentence about them, denials of other things
# included ("on ne sait pas combien de caméras", "il ne suffit pas d'installer des
# caméras"): the hint would be noise there. A denial matters for the rest ("il ne s'agit
# pas de reconnaissance faciale", "sans centre de supervision urbain", "il n'y aura pas
# de drone").
_DENIALS_UNREAD = frozenset({"videosurveillance"})
# What the hint reads on each side of an occurrence: bounded, whatever the page holds.
_DENIAL_LEFT, _DENIAL_RIGHT = 120, 100
# A clause ends there (not at a line break: a PDF's text wraps inside sentences; a
# dash between spaces parts a list's items: "logiciel non déployé - reconnaissance
# faciale").
_CLAUSE_END = re.compile(
    r"[.;:!?()\[\]•]|\s[-–—]\s|\b(?:mais|cependant|pourtant|toutefois)\b", re.I
)
_TOKEN = re.compile(r"[^\W\d_]{1,40}['’]?|,")
# Words a list or a phrase repeats between a negation and what it denies ("pas de
# drones, de capteurs sonores ou de lecteurs de plaques"); they do not count.
_JOINING = frozenset(
    "de d' du des la le les l' un une à au aux en ou et ni y n' ne tout toute tous".split()
)
_NEGATIONS = frozenset(
    "aucun aucune aucuns aucunes sans ni jamais nullement pas plus point".split()
)
# Words that deny what follows them: "le maire refuse la reconnaissance faciale",
# "l'abandon des drones", "exclut tout recours aux drones".
_REFUSALS = re.compile(r"(?:refus|renon[cç]|abandon|interdi|exclu|d[ée]menti|d[ée]ment)\w*", re.I)
# A negation of these says yes ("n'hésite pas à déployer", "n'a pas attendu pour
# autoriser", "n'a pas renoncé aux drones", "pas d'objection au centre").
_LITOTES = re.compile(
    r"(?:h[ée]sit|manqu|tard|cess|emp[êe]ch|oppos|cach|ignor|exclu|interdi|renon[cç]|dout|"
    r"oubli|n[ée]glig|attend|[ée]cart|refus|object|r[ée]sist|cause)\w*",
    re.I,
)
# "pas" as a noun ("franchir le pas", "un premier pas vers"); negations that restrict or
# add ("pas seulement", "ne … plus que", "plus que jamais", "sans doute", "sans que").
_NOUN_BEFORE_PAS = frozenset("le un du au ce premier grand petit dernier".split())
_NOT_DENYING_AFTER = {
    "pas": frozenset("seulement uniquement que qu' moins mal rien".split()),
    "plus": frozenset("que qu'".split()),
    "sans": frozenset(
        "doute cesse compter attendre oublier parler précédent tarder relâche que qu'".split()
    ),
    **dict.fromkeys(("aucun", "aucune", "aucuns", "aucunes"), frozenset({"doute"})),
    "jamais": frozenset("autant".split()),
}
# After it, its verb denied: "la reconnaissance faciale n'est pas prévue", "le CSU ne
# sera pas opérationnel" (not "les drones ne posent pas de problème").
_DENIAL_AFTER = re.compile(
    r"(?:\s*\([^()\n]{0,20}\))?(?:\s+[^\W\d_][\w'’-]{0,30}){0,3}?"
    r"\s+(?:ne\s+|n['’]\s*)(?:[^\W\d_][\w'’]{0,20}\s+){0,2}?(?:pas|plus|jamais|point)\s+"
    r"(?:encore\s+|été\s+|du\s+tout\s+)?"
    r"(?:pr[ée]vu|install|utilis|autoris|envisag|d[ée]ploy|retenu|mis\b|mise\b|activ|actif|"
    r"op[ée]rationnel|fonctionnel|exp[ée]riment|[ée]quip|question|d['’]actualit|en\s+place|"
    r"en\s+service|l[ée]gal|permis|financ|achet|acquis|command)",
    re.I,
)


def denied(text: str, start: int, end: int) -> bool:
    """Whether the sentence of text[start:end] seems to deny it: a negation or a refusal
    a few words before it in its clause ("il n'y aura pas de drone", "sans centre de
    supervision urbain", "ne comprend pas de drones, de capteurs sonores ou de lecteurs de
    plaques", "le maire refuse la reconnaissance faciale"), or its verb denied after it
    ("la reconnaissance faciale n'est pas prévue"). A hint, not a decision: what says yes
    through a negation ("n'hésite pas à déployer des drones", "pas seulement") is left
    out, but a sentence can still mislead it. It reads a bounded window around the
    occurrence, whatever the page."""
    if not 0 <= start < end <= len(text):
        return False
    left = text[max(0, start - _DENIAL_LEFT) : start]
    ends = list(_CLAUSE_END.finditer(left))
    tokens = [
        t.lower().replace("’", "'")
        for t in _TOKEN.findall(left[ends[-1].end() :] if ends else left)
    ]
    if _denied_before(tokens):
        return True
    return bool(_DENIAL_AFTER.match(text[end : end + _DENIAL_RIGHT]))


def _denied_before(tokens: list[str]) -> bool:
    """The clause's words before the occurrence: a negation or a refusal, then at most
    three words that are not a list's joining words (a comma counts as one, unless a
    list item follows it)."""
    counted = 0
    for at in range(len(tokens) - 1, -1, -1):
        word = tokens[at]
        following = tokens[at + 1] if at + 1 < len(tokens) else ""
        previous = tokens[at - 1] if at > 0 else ""
        if word in ("que", "qu'"):
            return False  # another clause: "on ne peut pas dire que les drones…"
        if word in _NEGATIONS or word == "non" or _REFUSALS.fullmatch(word):
            # (The litotes' verbs past the joining words: "pas d'objection au centre".)
            meaning = next((w for w in tokens[at + 1 :] if w not in _JOINING), "")
            return _denies(word, previous, following, meaning, tokens[max(0, at - 3) : at])
        if word == ",":
            counted += following not in _JOINING
        elif word not in _JOINING:
            counted += 1
        if counted > 3:
            return False
    return False


def _denies(word: str, previous: str, following: str, meaning: str, before: list[str]) -> bool:
    if following in _NOT_DENYING_AFTER.get(word, ()):
        return False
    if word == "pas" and previous in _NOUN_BEFORE_PAS:
        return False
    if word in ("plus", "point") and not any(w in ("ne", "n'") for w in before):
        return False  # "plus de caméras" is more of them
    if word == "jamais" and previous in ("que", "qu'"):
        return False
    if word == "non" and following in ("seulement", "pas"):
        return False
    if word in ("pas", "plus", "jamais", "point") and (
        _LITOTES.match(previous) or _LITOTES.match(meaning)
    ):
        return False
    # A refusal denied says yes: "n'a pas renoncé aux drones", "rien n'interdit l'usage".
    return not (
        _REFUSALS.fullmatch(word) and any(w in _NEGATIONS or w in ("ne", "n'") for w in before)
    )
