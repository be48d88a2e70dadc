"""French text normalisation for the embedded (SQLite FTS5) index.

PostgreSQL does the same work with its `french` Snowball stemmer behind `unaccent`
(the `contrechamp_fr` configuration created by a migration); on SQLite we stem in Python
with the same Snowball algorithm so both backends find "caméras" from "camera".
Accents go as in every comparison of names (`contrechamp.lib.text.unaccent`).
"""

import re
from functools import lru_cache

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
    """An FTS5 MATCH expression: every term required, each quoted (no syntax injection)."""
    terms = french_terms(text)
    return " AND ".join(f'"{t}"' for t in terms)
