"""Does a procurement record buy surveillance technology of public space? A score with
its reasons, from the CPV codes, the words of the object (with the traps: "caméra" of a
school photographer, "vidéo" of a video conference), the technologies of the project's
taxonomy the object names, and the vendors the registry knows.

A record at or above THRESHOLD is a candidate for review. The threshold and weights
were set on the development part of the hand-labelled set (tests/watch/data); the
figures on the held-out part are in docs/quality.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from contrechamp.documents.entities import technologies_in
from contrechamp.lib.text import unaccent

THRESHOLD = 50

# CPV codes (8 digits, no check digit) and what each says of surveillance.
CPV_STRONG = {
    "32323500": "Système de surveillance vidéo",
    "35125300": "Caméras de sécurité",
    "32234000": "Caméras de télévision en circuit fermé",
    "32235000": "Système de surveillance en circuit fermé",
    "35123500": "Systèmes vidéo d'identification",
    "35125000": "Système de surveillance",
    "35125100": "Capteurs",
    "35125200": "Système de contrôle du temps ou enregistreur de présence",
    "34971000": "Caméras de contrôle de la vitesse",
    "35613000": "Véhicules aériens sans pilote",
}
CPV_WEAK = {
    "35120000": "Systèmes et appareils de surveillance et de sécurité",
    "34970000": "Équipement de surveillance de la circulation",
    "79714000": "Services de surveillance",
    "32323000": "Moniteurs vidéo",
    "32323300": "Matériel vidéo",
    "32333000": "Appareils d'enregistrement ou de reproduction vidéo",
    "48328000": "Logiciels de traitement d'image",
    "32500000": "Matériel de télécommunications",
    "45314000": "Installation de matériel de télécommunications",
}
# The same codes' labels in English (CPV 2008, Publications Office of the EU, CC BY 4.0:
# `../shared/watch-samples/cpv/cpv2008_fr_en_DERIVED.csv`). A reason stores its French
# label; the English page reads this one (`cpv_label`).
CPV_ENGLISH = {
    "32323500": "Video-surveillance system",
    "35125300": "Security cameras",
    "32234000": "Closed-circuit television cameras",
    "32235000": "Closed-circuit surveillance system",
    "35123500": "Video identification systems",
    "35125000": "Surveillance system",
    "35125100": "Sensors",
    "34971000": "Speed camera equipment",
    "35613000": "Unmanned aerial vehicles",
    "35120000": "Surveillance and security systems and devices",
    "34970000": "Traffic-monitoring equipment",
    "79714000": "Surveillance services",
    "32323000": "Video monitors",
    "32323300": "Video equipment",
    "32333000": "Video recording or reproducing apparatus",
    "48328000": "Image-processing software package",
    "32500000": "Telecommunications equipment and supplies",
    "45314000": "Installation of telecommunications equipment",
}


def cpv_label(code: str, language: str) -> str | None:
    """A scored CPV code's label in `language` ("fr" or "en"), None for another code."""
    if language.startswith("en") and code in CPV_ENGLISH:
        return CPV_ENGLISH[code]
    return CPV_STRONG.get(code) or CPV_WEAK.get(code)


# "35125200" is a time clock, not a camera: kept out of the strong list below.
CPV_STRONG.pop("35125200")
CPV_STRONG_POINTS = 45
CPV_WEAK_POINTS = 15

# Words of the object, read folded (no accents, lower case, a lost accent "?" as "e").
_WORDS: list[tuple[str, int, str]] = [
    (
        r"video ?-?(?:protection|surveillance|verbalisation)|videoprotege|videosurveille",
        60,
        gettext_noop("video surveillance"),
    ),
    (
        r"\bcameras?\b.{0,40}\b(?:surveillance|securite|protection|urbaine?s?|nomades?|pietons?)"
        r"|\b(?:surveillance|securite)\b.{0,30}\bcameras?\b",
        50,
        gettext_noop("cameras for surveillance"),
    ),
    (
        r"\bcsu\b|centre (?:de )?(?:supervision|surveillance) urbain|supervision urbaine"
        r"|hypervis",
        50,
        gettext_noop("urban supervision centre"),
    ),
    (
        r"\blapi\b|lecture automatique (?:des )?plaques|lecteurs? de plaques",
        50,
        gettext_noop("plate reading"),
    ),
    (
        r"reconnaissance faciale|biometri|analyse (?:automatique |intelligente )?(?:des )?images"
        r"|video ?-?analyse|videosurveillance (?:algorithmique|intelligente)",
        50,
        gettext_noop("image analysis or biometrics"),
    ),
    (r"\bdrones?\b|aeronefs? (?:sans|telepilote)", 25, gettext_noop("drones")),
    (
        r"capteurs? (?:sonores?|audio|acoustiques?)|detection (?:des )?(?:bruits|sons)",
        40,
        gettext_noop("audio sensors"),
    ),
    (r"\bvideo\b|\bcameras?\b", 15, gettext_noop("video or cameras")),
    (r"\bsurveillance\b|\bsurete\b|\bsecurisation\b", 10, gettext_noop("surveillance or security")),
]
# What looks like it and is not: each takes points away, with its reason.
_NEGATIVES: list[tuple[str, int, str]] = [
    (
        r"photograph(?:ie|es?) (?:scolaire|de classe|d.identite)|photos? de classe",
        60,
        gettext_noop("school photography"),
    ),
    (r"visio ?-?conference|video ?-?conference|visioconf", 60, gettext_noop("video conferencing")),
    (
        r"(?:production|realisation|tournage|montage) (?:de )?(?:films?|videos?|audiovisuel)"
        r"|captation video|\bfilms?\b|clips?",
        40,
        gettext_noop("video production"),
    ),
    (
        r"inspection (?:televisee|video|camera)|\bitv\b|canalisations?|assainissement|reseaux? "
        r"d.eaux?|endoscop",
        60,
        gettext_noop("pipe inspection"),
    ),
    (
        r"time ?-?lapse|prises? de vues?|photos? aeriennes?|orthophoto|topograph|releves?",
        40,
        gettext_noop("photography or survey"),
    ),
    (r"pedagogi|educati|programmables?|college|lycee|ecole", 25, gettext_noop("teaching")),
    (r"incendie|\bssi\b|desenfumage|intrusion", 20, gettext_noop("fire or intrusion alarm")),
    (
        r"courants? (?:forts?|faibles?)|\bcfo\b|\bcfa\b|electricite|electrique",
        15,
        gettext_noop("electrical works"),
    ),
    (
        r"\bsurveillance (?:de la qualite|medicale|sanitaire|epidemiolog|des eaux|de l.air"
        r"|des travaux|de chantier|environnementale|des sols|piezometr)",
        40,
        gettext_noop("surveillance of something else"),
    ),
    (
        r"gardiennage|agents? de securite|vigiles?|surveillance humaine",
        25,
        gettext_noop("guarding by people"),
    ),
]
_WORDS_RE = [(re.compile(p), points, why) for p, points, why in _WORDS]
_NEGATIVES_RE = [(re.compile(p), points, why) for p, points, why in _NEGATIVES]
# Any word or trap at all: most records have none, and then one search decides.
_ANY_WORD = re.compile("|".join(f"(?:{p})" for p, _, _ in _WORDS))
_ANY_NEGATIVE = re.compile("|".join(f"(?:{p})" for p, _, _ in _NEGATIVES))


def fold(text: str) -> str:
    """Lower case without accents; an accent the source lost (U+FFFD) read as "e", the
    commonest ("vid\ufffdoprotection" → "videoprotection")."""
    text = unaccent(text.replace("\ufffd", "e"))
    return _BLANKS.sub(" ", text.lower().replace("’", "'"))


_BLANKS = re.compile(r"[\s\u00a0]+")


@dataclass
class Score:
    score: int = 0
    # Each {"rule": "cpv" | "word" | "trap" | "vendor", "text": what (a CPV code and its
    # label, a reason in English marked for translation, vendor names), "points": n}.
    reasons: list[dict[str, Any]] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)

    @property
    def candidate(self) -> bool:
        return self.score >= THRESHOLD


def score_record(
    *,
    text: str,
    cpv: list[str],
    holders: list[dict[str, str]],
    vendors: dict[str, str],
    folded: str | None = None,
) -> Score:
    """The score of a record: `text` its object (and title), `cpv` its codes, `holders`
    its holders ({"siret", "name"}), `vendors` the registry's vendors by SIREN; `folded`
    the text through `fold` when the caller has it already."""
    result = Score()
    folded = fold(text) if folded is None else folded
    best_cpv = 0
    for code in cpv:
        if code in CPV_STRONG:
            points, label = CPV_STRONG_POINTS, CPV_STRONG[code]
        elif code in CPV_WEAK:
            points, label = CPV_WEAK_POINTS, CPV_WEAK[code]
        else:
            continue
        if points > best_cpv:
            best_cpv = points
            result.reasons = [r for r in result.reasons if r["rule"] != "cpv"]
            result.reasons.append({"rule": "cpv", "text": f"{code} {label}", "points": points})
    result.score += best_cpv
    # The strongest word counts in full, the others for a third: "vidéoprotection" and
    # "caméras" say one thing twice.
    words = sorted(
        (
            (points, why)
            for pattern, points, why in (_WORDS_RE if _ANY_WORD.search(folded) else [])
            if pattern.search(folded)
        ),
        reverse=True,
    )
    for rank, (points, why) in enumerate(words):
        gained = points if rank == 0 else points // 3
        result.score += gained
        result.reasons.append({"rule": "word", "text": why, "points": gained})
    for pattern, points, why in _NEGATIVES_RE if _ANY_NEGATIVE.search(folded) else []:
        if pattern.search(folded):
            result.score -= points
            result.reasons.append({"rule": "trap", "text": why, "points": -points})
    if words:
        # Only where a word of the field is: the taxonomy's wordings are a subset.
        repaired = text.replace("\ufffd", "é")
        result.technologies = sorted({f.value for f in technologies_in(repaired)})
    known = []
    for holder in holders:
        name = vendors.get(holder.get("siret", "")[:9])
        if name:
            known.append(name)
    if known:
        result.vendors = sorted(set(known))
        result.score += 25
        result.reasons.append({"rule": "vendor", "text": ", ".join(result.vendors), "points": 25})
    return result
