"""Entity suggestions as a reviewer reads them: one row per entity of a document (same
kind, same normalised value: a commune code, an organisation, a technology slug, an
amount, a date), with its occurrences under it, instead of one row per occurrence ("Nice"
four times). Reads only; the decisions are in `services.entities_accept/_reject`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from contrechamp.documents.models import Entity, Page
from contrechamp.places.models import Commune
from contrechamp.registry.models import Technology

# Characters of the page on each side of an occurrence in its short quote.
QUOTE_SIDE = 60


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

    @property
    def waiting(self) -> int:
        return sum(1 for o in self.occurrences if o.status == "suggested")

    @property
    def status(self) -> str:
        """ "suggested" while any occurrence waits, else "accepted"."""
        return "suggested" if self.waiting else "accepted"

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
            )
            wordings[key] = {}
        elif group.waiting == 0 and row["status"] == "suggested":
            group.key = row["id"]
        group.confidence = max(group.confidence, row["confidence"])
        wordings[key][row["text"]] = wordings[key].get(row["text"], 0) + 1
        occurrence = Occurrence(entity_id=row["id"], page=row["page__number"], status=row["status"])
        if quotes:
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
_WORD = r"[^\W\d_][\w'’-]*"
# A negation up to three words before, in the same clause: "aucune", "sans" (not "sans
# doute"), "ni", "jamais", "pas" (not "pas seulement", nor the noun: "franchir le
# pas"), "ne … plus".
_DENIAL_BEFORE = re.compile(
    r"(?:\b(?:aucune?s?|sans(?![ \u00a0]+(?:doute|cesse|compter)\b)|ni|jamais|nullement)\b"
    r"|(?<!\ble )(?<!\bdu )(?<!\bau )\bpas\b"
    r"(?![ \u00a0]+(?:seulement|uniquement|que|qu['’]|encore|moins|mal)\b)"
    rf"|\b(?:ne|n['’])[ \u00a0]*{_WORD}(?:[ \u00a0]+{_WORD})?[ \u00a0]+(?:plus|point)\b)"
    rf"(?:[ \u00a0]+{_WORD}){{0,3}}[ \u00a0]*\Z",
    re.I,
)
# A negation of its verb after it: "la reconnaissance faciale n'est pas prévue", "ne
# sera jamais utilisée" (not "n'est pas seulement").
_DENIAL_AFTER = re.compile(
    rf"[^,;:.!?\n]{{0,40}}?(?:\bne[ \u00a0]+|\bn['’][ \u00a0]*)(?:{_WORD}[ \u00a0]+){{0,2}}?"
    r"(?:pas|plus|jamais|point|nullement)\b(?![ \u00a0]+(?:seulement|uniquement|que|qu['’]))",
    re.I,
)


def denied(text: str, start: int, end: int) -> bool:
    """Whether the sentence of text[start:end] seems to deny it: a negation just before
    it in its clause, or after it on its verb. A hint, not a decision: "il n'est pas
    question de renoncer aux drones" reads as a denial."""
    left = text[max(0, start - 80) : start]
    cut = max(left.rfind(c) for c in ',;:.!?\n()«»"')
    return bool(_DENIAL_BEFORE.search(left[cut + 1 :]) or _DENIAL_AFTER.match(text, end))
