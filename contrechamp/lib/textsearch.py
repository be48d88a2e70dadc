"""French text normalisation for the embedded (SQLite FTS5) index.

PostgreSQL does the same work with its `french` Snowball stemmer behind `unaccent`
(the `contrechamp_fr` configuration created by a migration); on SQLite we stem in Python
with the same Snowball algorithm so both backends find "caméras" from "camera".
Accents go as in every comparison of names (`contrechamp.lib.text.unaccent`).
"""

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

from contrechamp.lib.text import unaccent

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("french")

# The `french` configuration of PostgreSQL drops these; we do the same so that a query
# made only of them matches nothing rather than everything.
STOPWORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma
    mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son
    sur ta te tes toi ton tu un une vos votre vous c d j l a m n s t y""".split()
)


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stem(word: str) -> str:
    """The Snowball stem of one lower-case, unaccented word (cached)."""
    return _stem(word)


def french_terms(text: str) -> list[str]:
    """Lower-cased, unaccented, stemmed words of `text`, stop words removed."""
    words = _WORD.findall(unaccent(text.lower()))
    return [_stem(w) for w in words if w not in STOPWORDS]


def fts5_document(text: str) -> str:
    return " ".join(french_terms(text))


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression: every word asked required, in any of its spellings (see
    `query_spellings`), a spelling of several words as a phrase, each term quoted (no
    syntax injection)."""
    groups = []
    for spellings in query_spellings(text):
        alternatives = []
        for words in spellings:
            terms = [_stem(w) for w in words if w not in STOPWORDS]
            if terms:
                alternatives.append('"' + " ".join(terms) + '"')
        alternatives = list(dict.fromkeys(alternatives))
        if alternatives:
            groups.append(
                alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
            )
    if not groups:
        return ""
    # What the query excludes ("-Nice"): FTS5's NOT, after the words asked for.
    excluded = list(
        dict.fromkeys(
            '"' + " ".join(terms) + '"'
            for words in excluded_spellings(text)
            if (terms := [_stem(w) for w in words if w not in STOPWORDS])
        )
    )
    asked = " AND ".join(groups)
    return f"({asked}) NOT ({' OR '.join(excluded)})" if excluded else asked


def tsquery_text(text: str) -> str:
    """The same for PostgreSQL's `to_tsquery`, which stems each word itself and counts the
    stop words of a phrase in its distances: every word asked required, in any of its
    spellings, each word quoted (no syntax injection: words are letters and digits). What
    the query excludes is `tsquery_excluded`'s."""
    groups = []
    for spellings in query_spellings(text):
        alternatives = [" <-> ".join(f"'{w}'" for w in words) for words in spellings]
        groups.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    return " & ".join(groups)


def tsquery_excluded(text: str) -> str:
    """What the query excludes ("-Nice"), for `to_tsquery`: any of its wordings, each as
    a phrase; "" when it excludes nothing. Kept apart from `tsquery_text`: PostgreSQL
    drops the stop words of its own list from a query, and "ai & !nice" would become
    "!nice", every deployment without Nice."""
    excluded = [" <-> ".join(f"'{w}'" for w in words) for words in excluded_spellings(text)]
    return " | ".join(f"({a})" for a in excluded)


# --- the words of the field -------------------------------------------------------------

# Names a reader takes for one thing, whatever their spelling: each group has one key,
# written after every variant in the indexed text and put in place of a variant in a
# query. "vidéo-surveillance" then finds a page that says "vidéosurveillance", and
# "hyperviseur" a page that says "centre de supervision urbain". Variants are written
# folded (lower case, no accents, see `fold`); between the words of a variant, any run of
# spaces, hyphens or apostrophes, or nothing ("video surveillance", "video-surveillance",
# "videosurveillance"); a final "s" or "x" is optional. Keys are single words made for
# the purpose, so that they never meet a word of a text.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "kvideosurveillance": (
        "video surveillance",
        "video protection",
        "systeme de videoprotection",
        "cameras de surveillance",
    ),
    "khypervision": (
        "hyperviseur",
        "hypervision",
        "centre de supervision urbain",
        "centre urbain de supervision",
        "centre de supervision urbaine",
        "csu",
    ),
    "klapi": (
        "lapi",
        "l a p i",
        "lecture automatisee de plaque",
        "lecture automatique de plaque",
        "lecture automatisee des plaque",
        "lecture automatique des plaque",
        "lecteur automatique de plaque",
        "lecteur automatique des plaque",
    ),
    "kdrone": ("drone", "aeronef", "aeronefs sans personne a bord", "aeronef sans pilote"),
    "kreconnaissancefaciale": (
        "reconnaissance faciale",
        "biometrie faciale",
        "identification faciale",
        "reconnaissance du visage",
    ),
    "kvsa": (
        "videosurveillance algorithmique",
        "videoprotection algorithmique",
        "video surveillance algorithmique",
        "video protection algorithmique",
        "cameras augmentee",
        "traitement algorithmique",
    ),
    "kdetectionsonore": ("capteur sonore", "micro", "microphone", "detection sonore"),
}

_DASH_LIKE = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad\ufe63\uff0d"
_APOSTROPHE_LIKE = "\u2019\u2018\u201b\u02bc\u00b4`\uff07"
# What `fold` replaces after the accents: every dash a hyphen, every apostrophe a
# straight one, œ and æ spelt out. One `str.replace` per character present: each is a
# scan in C, where `str.translate` with a table looks each character up in Python's
# mapping (ten times slower on a page, a twentieth of the ingestion of a text PDF).
_SPELLING = [
    *((dash, "-") for dash in _DASH_LIKE),
    *((apostrophe, "'") for apostrophe in _APOSTROPHE_LIKE),
    ("œ", "oe"),
    ("æ", "ae"),
]


def _spelt(text: str) -> str:
    for old, new in _SPELLING:
        if old in text:
            text = text.replace(old, new)
    return text


# Addresses in text: a word found only inside one ("…/videoprotection-nice.pdf") must
# not rank a page.
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+|\b[\w.-]+@[\w-]+\.[\w.-]+", re.I)


def fold(text: str) -> str:
    """`text` as it is indexed and queried: compatibility forms first (NFKC: the
    ligatures ﬁ ﬂ ﬀ become fi fl ff), lower case, no accents, œ spelt out, every dash a
    hyphen and every apostrophe a straight one."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _spelt(unaccent(text))


def _variant_pattern(variant: str) -> str:
    """Each word with an optional plural; between words any run of spaces, hyphens,
    dots or apostrophes, or nothing."""
    return r"[\s'.-]*".join(re.escape(w) + r"[sx]?" for w in variant.split()) + r"\.?"


SYNONYM_KEYS = frozenset(SYNONYMS)
# What a variant implies besides its own key: an algorithmic camera is a camera.
_IMPLIES = {"kvsa": "kvideosurveillance"}
# One pattern for every variant, the longest first: "vidéoprotection algorithmique" is
# one name (VSA), not "vidéoprotection" followed by a word.
SYNONYM_VARIANTS = sorted(
    ((variant, key) for key, variants in SYNONYMS.items() for variant in variants),
    key=lambda pair: -len(pair[0]),
)


def _by_first_letter() -> str:
    """The variants grouped under their first letter, each group led by that letter as
    a plain character: the regex engine then scans a page for those letters in C and
    tries a variant only where one stands at a word's start (twice as fast on council
    minutes as lookaheads before the variants, which made every position a try). The
    letter is matched once for its group, the rest of each variant in its own named
    group, so `lastgroup` still names the variant; within a group, the variants keep
    their order, the longest first."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for i, (variant, _) in enumerate(SYNONYM_VARIANTS):
        groups.setdefault(variant[0], []).append((i, variant))
    branches = []
    for first, variants in groups.items():
        letter = re.escape(first)
        rests = []
        for i, variant in variants:
            pattern = _variant_pattern(variant)
            if not pattern.startswith(letter):
                raise ValueError(f"{variant!r}: its pattern does not begin with {first!r}")
            rests.append(f"(?P<v{i}>{pattern[len(letter) :]})")
        branches.append(letter + rf"(?<![\w.]{letter})" + "(?:" + "|".join(rests) + ")")
    return "(?:" + "|".join(branches) + r")(?![\w-])"


SYNONYM_PATTERN = re.compile(_by_first_letter())


def _synonyms(text: str, *, replace: bool) -> str:
    def key_of(match: re.Match[str]) -> str:
        name = match.lastgroup or ""
        key = SYNONYM_VARIANTS[int(name[1:])][1]
        if replace:
            return f" {key} "
        return f"{match.group()} {key} {_IMPLIES.get(key, '')} "

    return SYNONYM_PATTERN.sub(key_of, text)


def _without_addresses(text: str) -> str:
    # Most pages hold no address: three scans in C spare the pattern's try at each word.
    if "@" in text or "http" in text or "www." in text:
        return _URL.sub(" ", text)
    return text


def index_text(text: str) -> str:
    """The words of `text` every engine indexes (each then stems them its own way): folded,
    addresses dropped, the key of each variant of the field's names written after it, stop
    words left out (so that the words around one are neighbours on every engine)."""
    folded = _synonyms(_without_addresses(fold(text)), replace=False)
    # A list, not a generator: `join` makes one of it anyway (a third faster on a page).
    return " ".join([w for w in _WORD.findall(folded) if w not in STOPWORDS])


# What a query asks pages not to hold ("caméras -Nice"): a minus sign or any dash, at
# the start of the query or after a space, glued to a word ("-Nice", "–Saint-Denis",
# "--Nice") or to words in quotes (-"centre ville", -« centre ville », -'centre ville').
# A hyphen inside a word ("vidéo-surveillance", "2019-2020"), a dash between spaces
# ("Nice - caméras") and a minus inside a query in quotes ("caméras -port" in quotes)
# exclude nothing.
_MINUS = "-" + _DASH_LIKE.replace("\u00ad", "")
_EXCLUDED = re.compile(
    rf"(?<!\S)[{_MINUS}]+"
    r"(?:\"([^\"]*)\"?|«([^»]*)»?|“([^”]*)”?|„([^“”]*)[“”]?|‘([^’]*)’?|'([^']*)'?"
    r"|(?=\w)([^\s\"«»“”„‘’]+))"
)
_QUOTED_SPAN = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”|„[^“”]*[“”]')
# Words PostgreSQL's `french` configuration drops besides `STOPWORDS` (its french.stop,
# folded): a wording to leave out made only of them, or of words longer than tantivy
# indexes (40 characters), is not read, so that every engine leaves out the same pages
# ("caméras -est" left out nearly every page on SQLite and none on PostgreSQL).
_MORE_STOPWORDS = frozenset(
    """ete etee etees etes etant etante etants etantes suis es est sommes etes sont serai
    seras sera serons serez seront serais serait serions seriez seraient etais etait
    etions etiez etaient fus fut fumes futes furent sois soit soyons soyez soient fusse
    fusses fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as
    avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez
    auraient avais avait avions aviez avaient eut eumes eutes eurent aie aies ait ayons
    ayez aient eusse eusses eut eussions eussiez eussent""".split()
)
# Left out of an exclusion on every engine.
_EXCLUSION_STOPWORDS = STOPWORDS | _MORE_STOPWORDS
_LONGEST_WORD = 40
# How much of a query's exclusions is read: its first 16 wordings, the first 8 words of
# each (a query of thousands made the API work for seconds).
MAX_EXCLUDED = 16
MAX_EXCLUDED_WORDS = 8


class _Exclusion(NamedTuple):
    """One wording a query excludes: as written, its words (folded, stop words kept), and
    the key of the field's name it is, if it is one ("vidéo-protection")."""

    written: str
    words: tuple[str, ...]
    key: str | None


@lru_cache(maxsize=256)
def _exclusions(text: str) -> tuple[str, tuple[_Exclusion, ...]]:
    """`text` without what it excludes, and what it excludes (at most `MAX_EXCLUDED`)."""
    if not any(dash in text for dash in _MINUS):
        return text, ()
    quoted = [m.span() for m in _QUOTED_SPAN.finditer(text)]
    kept: list[_Exclusion] = []
    spans: list[tuple[int, int]] = []
    for match in _EXCLUDED.finditer(text):
        if any(a < match.start() < b for a, b in quoted):
            continue  # a dash inside a phrase in quotes
        spans.append(match.span())
        if len(kept) >= MAX_EXCLUDED:
            continue
        written = next((group for group in match.groups() if group is not None), "").strip()
        words: list[str] = []
        counted = 0
        for word in _WORD.findall(_without_addresses(fold(written))):
            if word in _EXCLUSION_STOPWORDS or len(word) > _LONGEST_WORD:
                if words:
                    words.append(word)
                continue
            if counted == MAX_EXCLUDED_WORDS:
                break
            words.append(word)
            counted += 1
        while words and words[-1] in _EXCLUSION_STOPWORDS:
            words.pop()
        if not counted:
            continue
        asked = query_words(" ".join(words))
        key = asked[0] if len(asked) == 1 and asked[0] in SYNONYM_KEYS else None
        exclusion = _Exclusion(written, tuple(words), key)
        if all(e.words != exclusion.words for e in kept):
            kept.append(exclusion)
    rest, cursor = [], 0
    for a, b in spans:
        rest += [text[cursor:a], " "]
        cursor = b
    rest.append(text[cursor:])
    return "".join(rest), tuple(kept)


def without_excluded(text: str) -> str:
    """`text` without the wordings it asks pages not to hold (`excluded_phrases`)."""
    return _exclusions(text)[0]


def excluded_wordings(text: str) -> list[str]:
    """What a query excludes, as its person wrote it ("Nice" for "caméras -Nice")."""
    return [e.written for e in _exclusions(text)[1]]


def excluded_phrases(text: str) -> list[list[str]]:
    """What a query asks pages not to hold, each wording as words of the pages' index
    (`index_text`): a name of the field as its key (every spelling of it), any other
    wording as its words, stop words left out. A wording of several words
    ("-Saint-Denis", -"centre ville") is a phrase: a page holding "saint" alone is
    kept."""
    phrases: list[list[str]] = []
    for exclusion in _exclusions(text)[1]:
        phrase = (
            [exclusion.key] if exclusion.key else [w for w in exclusion.words if w not in STOPWORDS]
        )
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _spellings(word: str) -> list[list[str]]:
    """The spellings that stand for one word of a query, for an index that holds the
    text as written: a name of the field's, every variant of its group and of the groups
    that imply it (an algorithmic camera is a camera), in words or as one word; any
    other word, itself. Stop words kept (a phrase's distances count them); a spelling of
    stop words only left out."""
    if word in SYNONYM_KEYS:
        keys = [word, *(k for k, implied in _IMPLIES.items() if implied == word)]
        variants = [
            spelling
            for key in keys
            for variant in SYNONYMS[key]
            for spelling in (variant, variant.replace(" ", ""))
        ]
    else:
        variants = [word]
    spellings: list[list[str]] = []
    for variant in variants:
        words = _WORD.findall(variant)
        if any(w not in STOPWORDS for w in words) and words not in spellings:
            spellings.append(words)
    return spellings


def excluded_spellings(text: str) -> list[list[str]]:
    """The spellings of what a query excludes, for an index that holds the text as
    written (the registry's): a name of the field's in any of its variants, any other
    wording as its words side by side (stop words kept, as in `query_spellings`)."""
    found: list[list[str]] = []
    for exclusion in _exclusions(text)[1]:
        alternatives = _spellings(exclusion.key) if exclusion.key else [list(exclusion.words)]
        found += [a for a in alternatives if a not in found]
    return found


def query_spellings(text: str) -> list[list[list[str]]]:
    """The words a query asks for (`query_words`), each with the spellings that stand for
    it, for an index that holds the text as written (the registry's): a name of the
    field's, every variant of its group, in words or as one word ("vidéoprotection" finds
    "vidéosurveillance", "video surveillance" and "CSU" finds "centre de supervision
    urbain"); any other word, itself. Each spelling is its words, folded, stop words
    kept (a phrase's distances count them); one of stop words only is left out."""
    groups = []
    for word in query_words(text):
        spellings = _spellings(word)
        if spellings:
            groups.append(spellings)
    return groups


def phrase_words(text: str) -> list[str]:
    """The words of a query in quotes as the pages hold them, in order and without the
    field's keys ("centre de supervision urbain": centre, supervision, urbain): every
    engine indexes a variant's own words side by side, its key after them, so that the
    phrase is found as written (its key alone is one word, any variant)."""
    folded = _without_addresses(fold(without_excluded(text)))
    return [w for w in _WORD.findall(folded) if w not in STOPWORDS]


def query_words(text: str) -> list[str]:
    """The words a query asks for, each once, in order: folded, a variant of the field's
    names made its key, stop words left out; the words it excludes ("-Nice") are not
    asked for."""
    folded = _synonyms(_without_addresses(fold(without_excluded(text))), replace=True)
    return list(dict.fromkeys(w for w in _WORD.findall(folded) if w not in STOPWORDS))
