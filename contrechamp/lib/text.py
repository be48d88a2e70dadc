"""Text helpers every app shares: the one normaliser of names, and the spaCy pipeline.

`name_key` is the form under which a name is looked up, wherever names are compared:
places (stored in `Commune.name_key`, the commune search of the API and of the access
requests, the deployment form) and entity matching in documents (gazetteers, public
figures left out of redaction). Before there was one, the two copies disagreed:
"St-Étienne" was "st etienne" for places and "saint etienne" for entities, and place
look-ups did not split on U+2010, the hyphen PDF text is full of.

This module imports nothing from the apps of the project: it sits at the bottom of the
layers (docs/architecture.md).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.text import slugify

if TYPE_CHECKING:
    import numpy
    from spacy.language import Language


def unaccent(text: str) -> str:
    """`text` without its combining marks ("Étienne" → "Etienne"); compatibility
    characters are decomposed too (NFKD), so offsets may move: use it on keys, not on
    text whose offsets matter."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    # One regular expression rather than a test per character: every page indexed goes
    # through here, and the loop was a tenth of the time of ingesting a text PDF.
    stripped = _combining_marks().sub("", decomposed)
    # No character beyond the Basic Multilingual Plane (two UTF-16 units each): one
    # encoding in C, where `max` over the characters was a third of this function.
    if len(stripped.encode("utf-16-le", "surrogatepass")) == 2 * len(stripped):
        return stripped
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


_marks: re.Pattern[str] | None = None


def _combining_marks() -> re.Pattern[str]:
    """Every combining character of the Basic Multilingual Plane in one character class,
    built on first use (20 ms); those of the other planes are rare, and `unaccent` tests
    them one by one."""
    global _marks
    if _marks is None:
        marks = "".join(chr(c) for c in range(0x10000) if unicodedata.combining(chr(c)))
        _marks = re.compile("[" + re.escape(marks) + "]+")
    return _marks


# Every character Unicode files as a dash (category Pd: the hyphen U+2010, the
# non-breaking hyphen U+2011, figure dash, en and em dashes, the two- and three-em dashes,
# the small and full-width forms...) and the minus sign, which OCR returns for a hyphen.
# Listed rather than computed at import (scanning the tables takes 0.2 s per process);
# tests/lib/test_text.py checks the list against the Unicode tables.
DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e17\u2e1a"
    "\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
)
# The typewriter apostrophe, the typographic ones (’ ‘ ‛), the modifier letters that
# keyboards and OCR put in their place (ʼ ʻ ʽ), the acute and grave accents used as
# apostrophes, the prime, and the full-width form.
APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u02bb\u02bd\u00b4`\u2032\uff07"
_SEPARATORS = re.compile("[\\s" + re.escape(DASHES + APOSTROPHES) + "]+")
# Letters NFKD leaves whole: "Œuilly" is looked up as "oeuilly".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# Abbreviations of place names and saints' names, as written in documents.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def stored_text(text: str) -> str:
    """Text as the project stores, indexes and reads it: Unicode compatibility forms
    made plain (NFKC). The typographic ligatures ﬁ ﬂ ﬀ that PDF text extraction returns
    become fi fl ff, so "Identiﬁcation" is found by "identification"; full-width letters
    and superscripts become plain. Apply it before storing: lengths may change."""
    return unicodedata.normalize("NFKC", text)


def stored_text_with_offsets(text: str) -> tuple[str, list[int]]:
    """`stored_text(text)` and, for each of its offsets (and its end), the offset in
    `text` it comes from: what is found in the normalised text can be pointed at in the
    original one. Normalised a base character and its combining marks at a time, so an
    accent typed apart is composed as NFKC composes it."""
    if unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text) + 1))
    parts: list[str] = []
    origins: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and unicodedata.combining(text[index]):
            continue
        chunk = unicodedata.normalize("NFKC", text[start:index])
        parts.append(chunk)
        origins.extend([start] * len(chunk))
        start = index
    origins.append(len(text))
    return "".join(parts), origins


# Joiners a script needs (a Persian name's zero-width non-joiner, an emoji's joiner): the
# only format characters a person's name may hold.
_JOINERS = "\u200c\u200d"
# Letters that show nothing (Hangul fillers): a name of them looks empty.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"


def _invisible(c: str) -> bool:
    return (
        unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn") and c not in _JOINERS
    ) or c in _BLANK_LETTERS


def invisible_characters(text: str) -> list[str]:
    """The characters of `text` that show nothing or turn it around: controls, format
    characters (a right-to-left override, a zero-width space, a soft hyphen) but the
    joiners, private-use and unassigned code points, and blank letters."""
    return [c for c in text if _invisible(c)]


def without_invisible(text: str) -> str:
    """`text` without `invisible_characters` (a name saved before they were refused)."""
    return "".join(c for c in text if not _invisible(c))


def name_key(text: str) -> str:
    """The form of a name used to compare it: "St-Étienne", "Saint‐Étienne" (U+2010),
    "SAINT ETIENNE" and "Saint–Étienne" all give "saint etienne".

    Compatibility forms first (NFKC: the ligatures ﬁ ﬂ ﬀ become fi fl ff, full-width
    letters become plain), then case folded, accents dropped, œ and æ spelt out, every
    dash, apostrophe and run of white space made one space, and "St"/"Ste" read as
    "saint"/"sainte".
    """
    folded = unaccent(unicodedata.normalize("NFKC", text).casefold()).translate(_LIGATURES)
    words = [_ABBREVIATIONS.get(w, w) for w in _SEPARATORS.split(folded) if w]
    return " ".join(words)


def slug_of(text: str, default: str) -> str:
    """The address form of a title ("Caméras du cœur de ville" → "cameras-du-coeur-de-ville"):
    Django's `slugify` after the letters it would drop are spelt out (œ, æ as names are
    compared; ß by case folding; ø, ł, đ: "cur" for "cœur" before), then `default` for a
    title of no letter at all."""
    spelt = unicodedata.normalize("NFKC", text).casefold().translate(_SLUG_LETTERS)
    return slugify(spelt) or default


_SLUG_LETTERS = {**_LIGATURES, **str.maketrans({"ø": "o", "ł": "l", "đ": "d"})}


def name_key_prefixes(typed: str) -> list[str]:
    """The keys a name being typed may begin with, for completion: `name_key(typed)`, and
    when the last word typed is "St" or "Ste" with nothing after it, the same key with
    that word as typed, since it may be the start of "Strasbourg" or "Stenay" rather
    than an abbreviation. "St-Ét" is finished with "St": only "saint et" is meant."""
    key = name_key(typed)
    words = _SEPARATORS.split(
        unaccent(unicodedata.normalize("NFKC", typed).casefold()).translate(_LIGATURES)
    )
    last = words[-1] if words else ""
    if last in _ABBREVIATIONS:
        return [key, key.rsplit(" ", 1)[0] + " " + last if " " in key else last]
    return [key]


# What may stand between two words of one name: a space, a dash or an apostrophe, alone
# or a dash spaced out ("Saint - Étienne"), or nothing at all.
_SPACE = "[ \u00a0\u202f]"
_DASH = "[" + re.escape(DASHES) + "]"
_NAME_GAP = re.compile(
    f"{_SPACE}|[{re.escape(DASHES + APOSTROPHES)}]|{_DASH}?{_SPACE}?|{_SPACE}{_DASH}{_SPACE}"
)
_NAME_SEPARATOR = re.compile("[\\s" + re.escape(DASHES + APOSTROPHES) + "]")


def joins_name_words(gap: str) -> bool:
    """Whether `gap`, the text between two words, may stand inside one name: "Saint-"
    and "Étienne" make one name across "-", "\u2010", "’" or " ", not across ", "."""
    return _NAME_GAP.fullmatch(gap) is not None


def has_separator(text: str) -> bool:
    """Whether `text` holds more than one word of a name (a space, dash or apostrophe)."""
    return _NAME_SEPARATOR.search(text) is not None


# --- spaCy ------------------------------------------------------------------------------

_nlp_lock = threading.Lock()
_nlp: Language | None = None


def nlp_loaded() -> bool:
    """Whether this process has loaded the pipeline already (a command says it is
    loading it, since that takes seconds)."""
    return _nlp is not None


def nlp() -> Language:
    """The French pipeline with only what named entities need (loaded once, ~5 s)."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            # Imported here on purpose: spaCy takes seconds to import, and most processes
            # (the web server, every command but detection) never need it.
            import spacy

            loaded = spacy.load(
                settings.SPACY_MODEL,
                exclude=["morphologizer", "parser", "attribute_ruler", "lemmatizer"],
            )
            # The shared tok2vec of the French models feeds the tagger and the parser
            # only; the entity recogniser embeds its own. Left in, it ran on every page
            # for nothing: half the time of entity detection.
            if "tok2vec" in loaded.pipe_names and not getattr(
                loaded.get_pipe("tok2vec"), "listening_components", ["unknown"]
            ):
                loaded.remove_pipe("tok2vec")
            loaded.max_length = 2_000_000
            _nlp = loaded
        return _nlp


def french_words_among(candidates: Iterable[str]) -> set[str]:
    """Those of `candidates` (in lower case) that are common words of French: nouns,
    adjectives, verbs and adverbs and their inflected forms, as the lemmatiser's tables
    of the spaCy model know them ("place", "pont", "berne", "rennes"). A capitalised word
    that is one ("Place", "Bourg") may be the word rather than a place of that name.
    None of them when the model ships no such tables.

    The tables (200,000 forms) are read once per process and model, and only the words'
    hashes are kept, sorted (about 2.2 MB; loading the tables whole held 170 MB): a
    search's spelling suggestion asks about new words at every query."""
    from spacy.strings import get_string_id

    known = _french_word_ids()
    if not len(known):
        return set()
    import numpy

    words = list(dict.fromkeys(candidates))
    if not words:
        return set()
    ids = numpy.fromiter((get_string_id(word) for word in words), dtype=numpy.uint64)
    at = numpy.searchsorted(known, ids).clip(max=len(known) - 1)
    return {word for word, hit in zip(words, known[at] == ids, strict=True) if hit}


_french_ids_lock = threading.Lock()
_french_ids: dict[str, numpy.ndarray] = {}


def _french_word_ids() -> numpy.ndarray:
    """The sorted hashes of the French words of the model `SPACY_MODEL` names (see
    `french_words_among`), read once per process and model."""
    model = str(settings.SPACY_MODEL)
    with _french_ids_lock:
        if model not in _french_ids:
            _french_ids[model] = _read_french_word_ids(model)
        return _french_ids[model]


def _read_french_word_ids(model: str) -> numpy.ndarray:
    import numpy
    import spacy.util
    from spacy.strings import get_string_id
    from srsly.msgpack import Unpacker

    none = numpy.zeros(0, dtype=numpy.uint64)
    # A package's name, or a model's folder (both load).
    folder = Path(model)
    if not folder.is_dir():
        try:
            folder = spacy.util.get_package_path(model)
        except ModuleNotFoundError:
            return none
    files = sorted(
        [
            *folder.glob("lemmatizer/lookups/lookups.bin"),
            *folder.glob("*/lemmatizer/lookups/lookups.bin"),
        ]
    )
    if not files:
        return none
    lemmas: set[str] = set()
    ids: set[int] = set()
    # Forms read before the lemma index (it comes first in the models shipped).
    early: list[tuple[int, list[str]]] = []
    parts = {get_string_id(p) for p in ("noun", "adj", "verb", "adv")}
    with files[0].open("rb") as stream:
        unpacker = Unpacker(stream, raw=False, max_buffer_size=0)
        for _ in range(unpacker.read_map_header()):
            table = unpacker.unpack()
            if table == "lemma_index":  # part of speech's hash -> its lemmas
                for part, words in unpacker.unpack().items():
                    if part in parts:
                        lemmas.update(words)
            elif table == "lemma_lookup":  # form's hash -> its lemmas
                for _ in range(unpacker.read_map_header()):
                    form, its_lemmas = unpacker.unpack(), unpacker.unpack()
                    if not lemmas:
                        early.append((form, its_lemmas))
                    elif not lemmas.isdisjoint(its_lemmas):
                        ids.add(form)
            else:
                unpacker.skip()
    ids.update(form for form, its_lemmas in early if not lemmas.isdisjoint(its_lemmas))
    ids.update(get_string_id(lemma) for lemma in lemmas)
    return numpy.array(sorted(ids), dtype=numpy.uint64)
