"""Spelling suggestions for the search: "vidéosurveilance Marseile", which no page holds,
is offered as "vidéosurveillance Marseille" when that finds pages.

The words suggested are public words only: the field's words below, the taxonomy's
technologies and their synonyms, the communes' names and the public organisations'
names. Never the documents' own words: a suggestion drawn from them would tell a
visitor that a private document holds a name ("Dupont", a draft's vendor), whatever the
search then lets them read.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import defaultdict

from django.db.models import Count, Max

from contrechamp.lib.text import french_words_among
from contrechamp.lib.textsearch import STOPWORDS, SYNONYMS, fold
from contrechamp.places.models import Commune, Department
from contrechamp.registry.models import Organisation, Technology

# The words people search the library for, as the field writes them (the accents are
# shown in the suggestion; the search folds them anyway).
FIELD_WORDS = """
vidéosurveillance vidéoprotection vidéo caméra caméras surveillance protection
reconnaissance faciale biométrique biométrie identification émotions algorithmique
algorithmes algorithme intelligence artificielle drone drones aéronefs aéronef captation
images enregistrement lecture automatisée automatique plaques immatriculation
minéralogiques hypervision hyperviseur supervision centre urbain urbaine capteurs capteur
sonores sonore micros microphones détection police municipale nationale gendarmerie
prédictive sécurité tranquillité publique prévention délinquance signalement application
citoyenne citoyens réseaux sociaux portiques fichiers piétons mobiles nomades déploiement
installation extension subvention subventions financement fonds interministériel marché
marchés public publics contrat convention délibération délibérations conseil municipal
communautaire métropolitain arrêté préfectoral préfecture préfet autorisation commission
départementale avis tribunal administratif recours référé décision jugement conseil
état constitutionnel cnil cada demande document documents budget investissement
fonctionnement maintenance fournisseur prestataire entreprise société commune communes
mairie maire adjoint opposition association collectif ligue quadrature technopolice
manifestation manifestations stade transports gare école lycée collège parking quartier
centre-ville
"""

_WORD = re.compile(r"\w+", re.UNICODE)
# Words shorter than this are not corrected ("Nice", "CSU", "LAPI" are left as typed).
MIN_LENGTH = 5
# How alike a word and its correction must be (difflib's ratio).
CUTOFF = 0.8

_lock = threading.Lock()
_cache: dict[object, tuple[set[str], dict[tuple[str, int], list[str]], dict[str, str]]] = {}


def _generation() -> object:
    """What the vocabulary depends on that changes: the public organisations and the
    technologies (the communes change with `places load`, a restart's business)."""
    organisations = Organisation.objects.public().aggregate(n=Count("id"), at=Max("updated_at"))
    technologies = Technology.objects.aggregate(n=Count("id"))
    return (organisations["n"], organisations["at"], technologies["n"])


def _vocabulary() -> tuple[set[str], dict[tuple[str, int], list[str]], dict[str, str]]:
    """The folded words, the same by first letter and length, and each one's spelling."""
    generation = _generation()
    with _lock:
        if generation in _cache:
            return _cache[generation]
    spelt: dict[str, str] = {}

    def add(text: str) -> None:
        for word in _WORD.findall(text):
            folded = fold(word)
            if len(folded) >= MIN_LENGTH and folded not in STOPWORDS:
                spelt.setdefault(folded, word.lower() if word.isupper() else word)

    add(FIELD_WORDS)
    for variants in SYNONYMS.values():
        add(" ".join(variants))
    for name_fr, name_en in Technology.objects.values_list("name_fr", "name_en"):
        add(f"{name_fr} {name_en}")
    for name in Commune.objects.values_list("name", flat=True):
        add(name)
    for name in Department.objects.values_list("name", flat=True):
        add(name)
    for name in Organisation.objects.public().values_list("name", flat=True):
        add(name)
    buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
    for folded in spelt:
        buckets[folded[0], len(folded)].append(folded)
    built = (set(spelt), dict(buckets), spelt)
    with _lock:
        _cache.clear()
        _cache[generation] = built
    return built


def _nearest(folded: str, words: set[str], buckets: dict[tuple[str, int], list[str]]) -> str:
    """The word of the vocabulary nearest `folded` (same first letter, at most two
    letters longer or shorter), or "" when none is alike enough."""
    candidates = [
        word
        for length in range(len(folded) - 2, len(folded) + 3)
        for word in buckets.get((folded[0], length), ())
    ]
    found = difflib.get_close_matches(folded, candidates, n=1, cutoff=CUTOFF)
    return found[0] if found else ""


def suggestion(query: str) -> str:
    """`query` with its misspelt words corrected ("vidéosurvaillance Marsielle" →
    "vidéosurveillance Marseille"), or "" when it has none that the vocabulary corrects.
    A word of French ("policiers", "plainte") is left as typed, though a commune's name
    is near it (Poitiers, Plaintel); so are digits and short words."""
    words, buckets, spelt = _vocabulary()
    query = query.replace("\u00ad", "")  # a soft hyphen splits no word
    corrections: dict[str, str] = {}
    for word in _WORD.findall(query):
        folded = fold(word)
        if (
            len(folded) < MIN_LENGTH
            or folded in words
            or folded in STOPWORDS
            or any(c.isdigit() for c in folded)
            or not folded[0].isalpha()
        ):
            continue
        nearest = _nearest(folded, words, buckets)
        if nearest:
            corrections[word] = spelt[nearest]
    if not corrections:
        return ""
    french = french_words_among({w.lower() for w in corrections})
    corrections = {w: c for w, c in corrections.items() if w.lower() not in french}
    if not corrections:
        return ""
    corrected = _WORD.sub(lambda m: corrections.get(m.group(), m.group()), query)
    return corrected if corrected != query else ""
