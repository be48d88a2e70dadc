"""French full-text search over document pages, ranked, with highlighted snippets.

Two engines, chosen by `SEARCH_BACKEND` (see the README for the measurements behind the
default):

- tantivy: an embedded index in the data directory. BM25 with block-max WAND: it finds
  the top hits without scoring every match, which keeps common words fast on a million
  pages. The index is derived data; `contrechamp documents reindex` rebuilds it.
- database: SQLite FTS5 (stemmed in Python, bm25) or PostgreSQL (`contrechamp_fr`
  configuration: unaccent then the French Snowball stemmer, GIN index, ts_rank). Nothing
  outside the database, so several machines can share it.

Both stem and unaccent the same way: "caméras" finds "camera", "Reconnaissance
Faciale" finds "reconnaissance faciale".

Only the text a viewer may see is searched: each page is indexed twice, its full text
(for reviewers) and, once the document is published, the text of the published,
redacted copy (for everyone else). A search by someone who is not a reviewer never
reads the first.
"""

from __future__ import annotations

import fcntl
import functools
import html
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy

from contrechamp.documents.models import Document, Page, Step
from contrechamp.documents.permissions import may_see_originals
from contrechamp.lib.partialdate import latest_first_days, period_last_day
from contrechamp.lib.textsearch import (
    STOPWORDS,
    SYNONYM_KEYS,
    SYNONYM_PATTERN,
    SYNONYM_VARIANTS,
    excluded_phrases,
    excluded_wordings,
    fold,
    french_terms,
    fts5_document,
    index_text,
    phrase_words,
    query_words,
    stem,
    unaccent,
    without_excluded,
)

SNIPPET_CHARS = 220


# The date filters' rule, as the page says it: a document known to the month or the year
# only is not claimed to be within dates that hold part of that month or year.
DATE_RULE = gettext_lazy(
    "A document dated only by a month or a year is listed when that whole month or year "
    "is within these dates: one dated May 2023 is not listed for 10 to 20 May 2023, nor "
    "for May 2023 one dated 2023."
)


@dataclass
class SearchFilters:
    place: str = ""  # an INSEE commune code, a department code or an EPCI SIREN
    origin: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    document_id: int | None = None


@dataclass
class Viewer:
    """Whose eyes: the full text for reviewers, the published text for everyone else."""

    sees_all: bool = False

    @classmethod
    def of(cls, user: Any) -> Viewer:
        return cls(sees_all=may_see_originals(user))

    def text(self, page: Page) -> str:
        """The text of the page these eyes may read."""
        return page.text if self.sees_all else page.published_text


@dataclass
class Hit:
    page_id: int
    document_id: int
    number: int
    score: float
    matched: int = 0  # how many of the query's words the page holds
    phrase: bool = False  # the query's words side by side, in order
    snippet: str = ""  # safe HTML: escaped text, matches in <mark>
    # The same passage as plain text, in pieces: (text, whether it is a match).
    passage: list[tuple[str, bool]] = field(default_factory=list, repr=False)
    document: Document | None = field(default=None, repr=False)


# Best pages shown under each document of the grouped results.
PAGES_PER_DOCUMENT = 3
# Words of a query searched for (the others are ignored).
MAX_QUERY_WORDS = 16


@dataclass
class DocumentHit:
    """One document of the results, with its best pages (best first)."""

    document_id: int
    pages: list[Hit]
    document: Document | None = field(default=None, repr=False)

    @property
    def best(self) -> Hit:
        return self.pages[0]

    @property
    def matched(self) -> int:
        return self.best.matched


@dataclass
class SearchResult:
    """Documents for a query, best first. `words` is how many words the query asks for;
    when no page holds them all, the results are the pages holding the most
    (`all_words` False): the page says so."""

    documents: list[DocumentHit]
    words: int = 0
    has_next: bool = False
    # A query in quotes: whether the pages hold its words side by side (else, none does,
    # and these hold its words anywhere: the page says so).
    quoted: bool = False
    exact: bool = False
    # What the query asked pages not to hold ("caméras -Nice"), as written: the page
    # says so; and whether it asked for a word besides (else the page asks for one).
    excluded: list[str] = field(default_factory=list)
    asked: bool = True

    @property
    def all_words(self) -> bool:
        return not self.documents or self.documents[0].matched >= self.words

    @property
    def partial_from(self) -> int | None:
        """The index of the first document that lacks some of the words, if any."""
        for index, group in enumerate(self.documents):
            if group.matched < self.words:
                return index
        return None


def backend_name() -> str:
    configured = settings.SEARCH_BACKEND
    if configured not in ("tantivy", "database"):
        raise ValueError(f"SEARCH_BACKEND must be tantivy or database, not {configured!r}")
    return str(configured)


def _place_terms(document: Document) -> list[str]:
    return _places_terms([document.id]).get(document.id, [])


def _places_terms(ids: list[int]) -> dict[int, list[str]]:
    """The place terms (commune, department, EPCI) of each of the documents `ids`, in
    one query (a batch of the pipeline made one per document)."""
    terms: dict[int, set[str]] = {}
    for document_id, code, department, epci in Document.places.through.objects.filter(
        document_id__in=ids
    ).values_list(
        "document_id", "commune__code", "commune__department__code", "commune__epci__siren"
    ):
        terms.setdefault(document_id, set()).update(t for t in (code, department, epci) if t)
    return {document_id: sorted(found) for document_id, found in terms.items()}


def _day(value: date | None) -> int:
    return int(value.strftime("%Y%m%d")) if value else 0


def _after_commit(write: Callable[[], None]) -> None:
    """Run a write of the tantivy index once the transaction around it commits, or at once
    outside a transaction; a transaction rolled back drops it. The index is a directory,
    not part of the database: written inside the transaction, it would keep an entry for a
    page that the rollback removed (or publish a text that was never made public).

    The blocks a test case opens around each test count as no transaction, as they do for
    Django's own durable blocks: the test sees what production sees after a commit."""
    blocks = transaction.get_connection().atomic_blocks
    if all(getattr(block, "_from_testcase", False) for block in blocks):
        write()
    else:
        # robust: the commit is done and stands; an index write that fails there is
        # logged, and `contrechamp documents reindex` rebuilds the index from the rows.
        transaction.on_commit(write, robust=True)


def document_index(document: Document, *, batch: bool = False) -> int:
    """Put every page of `document` in the index (replacing what was there). Returns the
    number of pages indexed.

    `batch` (the pipeline): with tantivy, the document waits with others for one commit
    of the index (`index_flush`, or when the batch is full or old enough, see
    `_Tantivy.queue`); a commit for each document was a third of the time of ingesting
    text PDFs. Its pages are marked `indexed` once that commit is done: a process that
    dies before leaves them unmarked, and `index_catch_up` indexes them again."""
    if backend_name() == "tantivy" and batch:
        engine = _tantivy()
        # The pipeline's document knows its page count (only the batch's size reads it).
        count = document.page_count or document.pages.count()
        _after_commit(lambda: engine.queue(document.id, count))
        return count
    pages = list(document.pages.order_by("number"))
    public = document.is_public
    if backend_name() == "tantivy":
        engine = _tantivy()
        _after_commit(lambda: engine.replace(document, pages))
    elif connection.vendor == "postgresql":
        # The words of `index_text` (the field's names, no addresses), not the column.
        title = index_text(document.title)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE documents_page SET search_vector = "
                "setweight(to_tsvector('contrechamp_fr', %s), 'A') || "
                "to_tsvector('contrechamp_fr', %s), published_vector = CASE WHEN %s THEN "
                "setweight(to_tsvector('contrechamp_fr', %s), 'A') || "
                "to_tsvector('contrechamp_fr', %s) END WHERE id = %s",
                [
                    (title, index_text(p.text), public, title, index_text(p.published_text), p.id)
                    for p in pages
                ],
            )
    else:
        ids = [p.id for p in pages]
        title = fts5_document(index_text(document.title))
        with connection.cursor() as cursor:
            for table, texts in (
                ("documents_page_fts", [(p.id, p.text) for p in pages]),
                ("documents_page_public_fts", [(p.id, p.published_text) for p in pages]),
            ):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid IN ({','.join('%s' for _ in ids) or 'NULL'})",
                    ids,
                )
                if table == "documents_page_public_fts" and not public:
                    continue
                cursor.executemany(
                    f"INSERT INTO {table}(rowid, body) VALUES (%s, %s)",
                    [
                        (page_id, title + " " + fts5_document(index_text(text)))
                        for page_id, text in texts
                    ],
                )
    Page.objects.filter(document=document).update(indexed=True)
    return len(pages)


def document_unindex(document_id: int) -> None:
    if backend_name() == "tantivy":
        engine = _tantivy()
        _after_commit(lambda: engine.delete(document_id))
    elif connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            for table in ("documents_page_fts", "documents_page_public_fts"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid IN "
                    "(SELECT id FROM documents_page WHERE document_id = %s)",
                    [document_id],
                )
    # On PostgreSQL the vector lives on the page row and goes with it.


def search_pages(
    text: str,
    *,
    viewer: Viewer,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """The best `limit` pages for `text`, best first, with their document and snippet:
    pages holding every word of the query first, the exact phrase above the same words
    apart; when fewer than `limit` pages hold every word, the pages holding the most
    follow (`Hit.matched` says how many)."""
    hits, _words, _exact = _search(text, viewer, filters or SearchFilters(), limit, offset, None)
    return _complete(hits, text, viewer)


def search_documents(
    text: str,
    *,
    viewer: Viewer,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    pages: int = PAGES_PER_DOCUMENT,
) -> SearchResult:
    """The best `limit` documents for `text` (after the first `offset`), each with its
    best `pages` pages: a long document takes one place in the results however many of
    its pages match. Documents rank by their best page (see `search_pages`)."""
    hits, words, exact = _search(text, viewer, filters or SearchFilters(), limit + 1, offset, pages)
    groups: dict[int, DocumentHit] = {}
    for hit in _complete(hits, text, viewer):
        if hit.document_id not in groups:
            groups[hit.document_id] = DocumentHit(hit.document_id, [], hit.document)
        groups[hit.document_id].pages.append(hit)
    documents = list(groups.values())
    return SearchResult(
        documents=documents[:limit],
        words=words,
        has_next=len(documents) > limit,
        quoted=_quoted(without_excluded(text)),
        exact=exact,
        excluded=excluded_wordings(text),
        asked=bool(query_words(text)),
    )


# A query written between quotes, of any kind: its words side by side are asked for.
_QUOTED = re.compile(r'\A\s*["“”«„‟]\s*[^"“”«»„‟]+?\s*["“”»„‟]\s*\Z')


def _quoted(text: str) -> bool:
    return bool(_QUOTED.match(text))


def _search(
    text: str,
    viewer: Viewer,
    filters: SearchFilters,
    limit: int,
    offset: int,
    group: int | None,
) -> tuple[list[Hit], int, bool]:
    """Hits of the engine in use, how many words the query asks for, and whether the hits
    hold the query's words side by side because it asked for that (a query in quotes:
    only the pages that do, or, when none does, the pages holding its words). Every word
    is asked for first (the fast query); when that does not fill the page, any word,
    ranked by how many each page holds."""
    # A pasted paragraph asks for its first words only: each word is a clause to count.
    words = query_words(text)[:MAX_QUERY_WORDS]
    if not words:
        return [], 0, False
    # What the query excludes ("caméras -Nice"): no page holding it, whatever the rest.
    excluded = excluded_phrases(text)
    text = without_excluded(text)
    engine: Callable[..., tuple[list[Hit], int]]
    if backend_name() == "tantivy":
        engine = _tantivy().search
    else:
        engine = _database_search
    # The engine with the query's filters, for the words it is asked for.
    asked = functools.partial(
        engine,
        excluded=excluded,
        group=group,
        viewer=viewer,
        filters=filters,
        limit=limit,
        offset=offset,
    )
    hits: list[Hit] = []
    count = 0
    # A query in quotes: its words as the pages hold them, side by side (not the field's
    # keys: "centre de supervision urbain" is one key, which any variant matches, and
    # "usage de drones" put the key of drones after "usage" where the pages have the
    # word itself). A single word is side by side with itself.
    literal = phrase_words(text)[:MAX_QUERY_WORDS] if _quoted(text) else []
    if len(literal) > 1:
        hits, count = asked(literal, every=True, exact=True)
        if hits or offset:
            return hits, count, True
    for every in (True, False):
        hits, count = asked(words, every=every)
        found = len({h.document_id for h in hits}) if group else len(hits)
        if count <= 1 or found >= limit:
            break
    return hits, count, len(literal) == 1


def _complete(hits: list[Hit], text: str, viewer: Viewer) -> list[Hit]:
    """The hits with their document and snippet; those the viewer may not read dropped."""
    pages = Page.objects.in_bulk([h.page_id for h in hits])
    # (With their parents: the API says an attachment's e-mail to whom may read it.)
    documents = Document.objects.select_related("parent").in_bulk({h.document_id for h in hits})
    found = []
    for hit in hits:
        page = pages.get(hit.page_id)
        if page is None:  # deleted since it was indexed
            continue
        hit.document = documents.get(hit.document_id)
        if not viewer.sees_all and not (hit.document and hit.document.is_public):
            # The rows say who may read, not the index: an entry left by a write that
            # failed after a withdrawal must not show the page.
            continue
        hit.passage = passage(viewer.text(page), text)
        hit.snippet = as_html(hit.passage)
        found.append(hit)
    return found


# --- snippets -------------------------------------------------------------------------


def _fold_table(text: str, *, dashes: bool = False) -> dict[int, str]:
    """Per-character lower-case, unaccented equivalents that keep offsets unchanged (a
    character whose folding is not one character is left as it is); with `dashes`, every
    dash a hyphen and every apostrophe a straight one, as `fold` makes them."""
    table = {}
    for char in set(text):
        folded = fold(char) if dashes else unaccent(char.lower())
        if folded != char and len(folded) == 1:
            table[ord(char)] = folded
    return table


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones made one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


_ACCENTED = {
    "a": "aàâäáã",
    "e": "eéèêë",
    "i": "iîïíì",
    "o": "oôöóò",
    "u": "uùûüú",
    "c": "cç",
    "y": "yÿ",
    "n": "nñ",
}


def _candidates(stems: set[str]) -> re.Pattern[str]:
    """Words that may have one of `stems`: Snowball only rewrites the end of a word, so
    a word shares the first three letters of its stem (accents aside)."""
    prefixes = sorted({s[:3] for s in stems}, key=len, reverse=True)
    alternatives = [
        "".join(f"[{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in prefix)
        for prefix in prefixes
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\w*")


def highlight(text: str, query: str, *, width: int = SNIPPET_CHARS) -> str:
    """The passage of `text` with the most query words, escaped, matches in <mark>."""
    return as_html(passage(text, query, width=width))


def as_html(pieces: list[tuple[str, bool]]) -> str:
    """A `passage` as safe HTML: its text escaped, its matches in <mark>."""
    return "".join(
        f"<mark>{html.escape(piece)}</mark>" if matched else html.escape(piece)
        for piece, matched in pieces
    )


def as_text(pieces: list[tuple[str, bool]]) -> tuple[str, list[list[int]]]:
    """A `passage` as plain text, with its matches' [start, end) offsets in it."""
    text, spans = "", []
    for piece, matched in pieces:
        if matched:
            spans.append([len(text), len(text) + len(piece)])
        text += piece
    return text, spans


def passage(text: str, query: str, *, width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The passage of `text` with the most query words, as plain pieces (text, whether
    it is a match), spaces made single, "…" where it is cut: `as_html` and `as_text`
    give it to a page and to the API."""
    wanted = set(french_terms(without_excluded(query)))
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep offsets
        lowered = text.translate(_fold_table(text))
    matches = []
    if wanted:
        for m in _candidates(wanted).finditer(lowered):
            word = unaccent(m.group())
            if word not in STOPWORDS and stem(word) in wanted:
                matches.append((m.start(), m.end()))
    keys = {w for w in query_words(query) if w in SYNONYM_KEYS}
    if keys:
        # The variants of the field's names the query asked for ("vidéosurveillance" for
        # "vidéo-protection"), found on a folded copy of the same length.
        folded = text.translate(_fold_table(text, dashes=True))
        for m in SYNONYM_PATTERN.finditer(folded):
            if SYNONYM_VARIANTS[int((m.lastgroup or "v0")[1:])][1] in keys:
                matches.append((m.start(), m.end()))
        matches = _merged(matches)
    if not matches:
        passage_start = 0
    else:
        # The window starting at a match that holds the most matches.
        best, best_count = matches[0][0], 0
        for index, (start, _) in enumerate(matches):
            count = 0
            for _, e in matches[index:]:
                if e > start + width:
                    break
                count += 1
            if count > best_count:
                best, best_count = start, count
        passage_start = max(0, best - 40)
        space = text.rfind(" ", 0, passage_start + 1)
        passage_start = space + 1 if space > 0 and best - space < 60 else passage_start
    passage_end = min(len(text), passage_start + width)
    if passage_end < len(text) and not text[passage_end].isspace():
        # At the end of a word: a snippet cut inside one ("vidéoprot …") reads as a typo.
        space = max(
            text.rfind(" ", passage_start, passage_end),
            text.rfind("\n", passage_start, passage_end),
        )
        if space > passage_start + width // 2:
            passage_end = space
    raw = []
    cursor = passage_start
    for start, end in matches:
        if start < passage_start or end > passage_end:
            continue
        raw.append((text[cursor:start], False))
        raw.append((text[start:end], True))
        cursor = end
    raw.append((text[cursor:passage_end], False))
    # Runs of spaces and line breaks made one space, across pieces; none at the ends.
    pieces: list[tuple[str, bool]] = []
    after_space = True
    for piece, matched in raw:
        piece = re.sub(r"\s+", " ", piece)
        if after_space and piece.startswith(" "):
            piece = piece[1:]
        if piece:
            pieces.append((piece, matched))
            after_space = piece.endswith(" ")
    if pieces and pieces[-1][0].endswith(" "):
        last, matched = pieces.pop()
        if last := last[:-1]:
            pieces.append((last, matched))
    if pieces and passage_start > 0:
        pieces.insert(0, ("… ", False))
    if pieces and passage_end < len(text):
        pieces.append((" …", False))
    return pieces


# --- database engines -----------------------------------------------------------------


def _filters_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    sql, params = "", list[Any]()
    if filters.origin:
        sql += " AND d.origin = %s"
        params.append(filters.origin)
    if filters.kind:
        sql += " AND d.kind = %s"
        params.append(filters.kind)
    if filters.date_from:
        sql += " AND d.date >= %s"
        params.append(filters.date_from)
    if filters.date_to:
        # The whole period within (`latest_first_days`): a date is stored as the first
        # day of its month or year.
        latest = latest_first_days(filters.date_to)
        sql += (
            " AND d.date <= CASE d.date_precision WHEN 'month' THEN %s WHEN 'year' THEN %s"
            " ELSE %s END"
        )
        params += [latest["month"], latest["year"], latest["day"]]
    if filters.document_id:
        sql += " AND d.id = %s"
        params.append(filters.document_id)
    if filters.place:
        sql += (
            " AND EXISTS (SELECT 1 FROM documents_document_places dp"
            " JOIN places_commune c ON c.id = dp.commune_id"
            " LEFT JOIN places_department dep ON dep.id = c.department_id"
            " LEFT JOIN places_epci e ON e.id = c.epci_id"
            " WHERE dp.document_id = d.id AND (c.code = %s OR dep.code = %s OR e.siren = %s))"
        )
        params += [filters.place] * 3
    return sql, params


def _ranked_sql(hits: str, group: int | None, *, exact: bool = False) -> str:
    """Rows of `hits` (a query giving id, document_id, number, score, matched, phrase) in
    rank order: most words, then the phrase, then the engine's score. Grouped: the
    documents ranked by their best page, each with its best `group` pages. `exact`: the
    rows holding the phrase only."""
    if exact:
        hits = f"SELECT * FROM ({hits}) AS any_hits WHERE phrase = 1"
    order = "matched DESC, phrase DESC, score DESC, id"
    if group is None:
        return (
            f"WITH hits AS ({hits}) SELECT id, document_id, number, score, matched, phrase "
            f"FROM hits ORDER BY {order} LIMIT %s OFFSET %s"
        )
    return (
        f"WITH hits AS ({hits}), ranked AS (SELECT hits.*, row_number() OVER "
        f"(PARTITION BY document_id ORDER BY {order}) AS r FROM hits), "
        "docs AS (SELECT document_id AS doc, matched AS dm, phrase AS dp, score AS ds, "
        "id AS di FROM ranked WHERE r = 1 ORDER BY dm DESC, dp DESC, ds DESC, di "
        "LIMIT %s OFFSET %s) "
        "SELECT id, document_id, number, score, matched, phrase FROM ranked "
        f"JOIN docs ON docs.doc = ranked.document_id WHERE r <= {int(group)} "
        "ORDER BY dm DESC, dp DESC, ds DESC, di, r"
    )


def _database_search(
    words: list[str],
    *,
    every: bool,
    exact: bool = False,
    excluded: list[list[str]] | None = None,
    group: int | None,
    viewer: Viewer,
    filters: SearchFilters,
    limit: int,
    offset: int,
) -> tuple[list[Hit], int]:
    """Hits and the number of words asked for (the engine may drop some as stop words);
    no page holding one of the `excluded` phrases."""
    where, params = _filters_sql(filters)
    if not viewer.sees_all:
        where += " AND d.is_public"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT array(SELECT plainto_tsquery('contrechamp_fr', w)::text "
                "FROM unnest(%s::text[]) w), phraseto_tsquery('contrechamp_fr', %s)::text",
                [words, " ".join(words)],
            )
            lexemes, phrase = cursor.fetchone()
            terms = list(dict.fromkeys(t for t in lexemes if t))
            if not terms:
                return [], 0
            vector = "search_vector" if viewer.sees_all else "published_vector"
            if excluded:
                cursor.execute(
                    "SELECT array(SELECT phraseto_tsquery('contrechamp_fr', w)::text "
                    "FROM unnest(%s::text[]) w)",
                    [[" ".join(words) for words in excluded]],
                )
                unwanted = [t for t in cursor.fetchone()[0] if t]
                if unwanted:
                    where += f" AND NOT (p.{vector} @@ CAST(%s AS tsquery))"
                    params.append(" | ".join(f"({t})" for t in unwanted))
            matched = " + ".join(f"(p.{vector} @@ CAST(%s AS tsquery))::int" for _ in terms)
            has_phrase = len(terms) > 1 and "<" in phrase
            hits = (
                f"SELECT p.id, p.document_id, p.number, ts_rank(p.{vector}, q) AS score, "
                f"{matched if not every else len(terms)} AS matched, "
                f"{f'(p.{vector} @@ CAST(%s AS tsquery))::int' if has_phrase else '0'} AS phrase "
                "FROM documents_page p JOIN documents_document d ON d.id = p.document_id, "
                f"CAST(%s AS tsquery) q WHERE p.{vector} @@ q{where}"
            )
            query = (" & " if every else " | ").join(f"({t})" for t in terms)
            cursor.execute(
                _ranked_sql(hits, group, exact=exact and has_phrase),
                [
                    *([] if every else terms),
                    *([phrase] if has_phrase else []),
                    query,
                    *params,
                    limit,
                    offset,
                ],
            )
        else:
            fts = "documents_page_fts" if viewer.sees_all else "documents_page_public_fts"
            terms = list(dict.fromkeys(stem(w) for w in words))
            if excluded:
                where += f" AND p.id NOT IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
                params.append(
                    " OR ".join('"' + " ".join(stem(w) for w in ws) + '"' for ws in excluded)
                )
            quoted = [f'"{t}"' for t in terms]
            matched = " + ".join(
                f"(p.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))" for _ in terms
            )
            has_phrase = len(terms) > 1
            in_phrase = f"(p.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))"
            hits = (
                f"SELECT p.id, p.document_id, p.number, -bm25({fts}) AS score, "
                f"{matched if not every else len(terms)} AS matched, "
                f"{in_phrase if has_phrase else '0'} AS phrase "
                f"FROM {fts} JOIN documents_page p ON p.id = {fts}.rowid "
                f"JOIN documents_document d ON d.id = p.document_id WHERE {fts} MATCH %s{where}"
            )
            cursor.execute(
                _ranked_sql(hits, group, exact=exact and has_phrase),
                [
                    *([] if every else quoted),
                    *(['"' + " ".join(terms) + '"'] if has_phrase else []),
                    (" AND " if every else " OR ").join(quoted),
                    *params,
                    limit,
                    offset,
                ],
            )
        rows = cursor.fetchall()
    hits_found = [
        Hit(
            page_id=r[0],
            document_id=r[1],
            number=r[2],
            score=float(r[3]),
            matched=int(r[4]),
            phrase=bool(r[5]),
        )
        for r in rows
    ]
    return hits_found, len(terms)


# --- tantivy --------------------------------------------------------------------------


class _Tantivy:
    """One index directory; readers share it, writers take a file lock in turn."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("page_id", stored=True, indexed=True, fast=True)
        builder.add_unsigned_field("document_id", stored=True, indexed=True, fast=True)
        builder.add_unsigned_field("number", stored=True)
        builder.add_text_field("text", tokenizer_name="fr")
        builder.add_text_field("title", tokenizer_name="fr")
        for name in ("places", "origin", "kind", "public"):
            builder.add_text_field(name, tokenizer_name="raw")
        builder.add_unsigned_field("uploader", indexed=True)
        builder.add_unsigned_field("day", indexed=True, fast=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(path))
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stopword("french"))
            .filter(tantivy.Filter.stemmer("french"))
            .build()
        )
        self.index.register_tokenizer("fr", analyzer)
        self.lock = threading.Lock()
        # Documents of the pipeline waiting for the next commit: id → number of pages.
        self.pending: dict[int, int] = {}
        self.pending_since = 0.0
        self.pending_lock = threading.Lock()

    @contextmanager
    def writer(self) -> Iterator[Any]:
        """The index writer, one process at a time (tantivy allows a single writer)."""
        with self.lock, open(self.path / "contrechamp.lock", "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            writer = None
            for _ in range(100):
                try:
                    writer = self.index.writer(heap_size=64_000_000, num_threads=1)
                    break
                except ValueError:  # another process still releasing its writer
                    time.sleep(0.1)
            if writer is None:
                raise RuntimeError("The search index is locked by another writer.")
            try:
                yield writer
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def make(
        self,
        document: Document,
        page: Page,
        places: list[str],
        *,
        public: bool,
        title: str | None = None,
    ) -> Any:
        """The index entry of a page: its full text, or (`public`) its published text.
        `title`: the document's title already through `index_text` (once per document,
        not once per page)."""
        item = self.tantivy.Document()
        item.add_unsigned("page_id", page.id)
        item.add_unsigned("document_id", document.id)
        item.add_unsigned("number", page.number)
        item.add_text("text", index_text(page.published_text if public else page.text))
        item.add_text("title", index_text(document.title) if title is None else title)
        for place in places:
            item.add_text("places", place)
        item.add_text("origin", document.origin)
        item.add_text("kind", document.kind)
        item.add_text("public", "1" if public else "0")
        item.add_unsigned("uploader", document.uploaded_by_id or 0)
        # The first and the last day of the period the date stands for (one value for a
        # day): the date filter wants every value of a document within its bounds.
        item.add_unsigned("day", _day(document.date))
        if document.date is not None and document.date_precision != "day":
            item.add_unsigned("day", _day(period_last_day(document.date, document.date_precision)))
        return item

    def _delete(self, writer: Any, document_id: int) -> None:
        # By query: tantivy-py's delete_documents_by_term turns a Python int into a
        # signed term, which never matches an unsigned field.
        query = self.tantivy.Query.term_query(self.schema, "document_id", document_id)
        writer.delete_documents_by_query(query)

    def replace(self, document: Document, pages: list[Page]) -> None:
        places, title = _place_terms(document), index_text(document.title)
        with self.writer() as writer:
            self._delete(writer, document.id)
            for page in pages:
                writer.add_document(self.make(document, page, places, public=False, title=title))
                if document.is_public:
                    writer.add_document(self.make(document, page, places, public=True, title=title))

    def queue(self, document_id: int, pages: int) -> None:
        """Index the document at the next commit, which comes when `pending` holds
        SEARCH_INDEX_BATCH_PAGES pages or its first document has waited
        SEARCH_INDEX_BATCH_SECONDS, or when the pipeline's caller calls `index_flush`."""
        with self.pending_lock:
            if not self.pending:
                self.pending_since = time.monotonic()
            self.pending[document_id] = pages
            due = (
                sum(self.pending.values()) >= settings.SEARCH_INDEX_BATCH_PAGES
                or time.monotonic() - self.pending_since >= settings.SEARCH_INDEX_BATCH_SECONDS
            )
        if due:
            self.flush()

    def flush(self) -> int:
        """Write the documents waiting, in one commit; returns how many pages. Each is read
        from the database now: what changed since it was queued (a title, a publication,
        a deletion) is what the index gets."""
        with self.pending_lock:
            ids, self.pending = sorted(self.pending), {}
        if not ids:
            return 0
        try:
            return self._write(ids)
        except BaseException:
            with self.pending_lock:
                for document_id in ids:
                    self.pending.setdefault(document_id, 0)
            raise

    def _write(self, ids: list[int]) -> int:
        documents = Document.objects.in_bulk(ids)
        pages: dict[int, list[Page]] = {}
        for page in (
            Page.objects.filter(document_id__in=ids)
            .only("id", "document_id", "number", "text", "published_text")
            .order_by("document_id", "number")
        ):
            pages.setdefault(page.document_id, []).append(page)
        count = 0
        places_of = _places_terms(ids)
        with self.writer() as writer:
            for document_id in ids:
                self._delete(writer, document_id)
                document = documents.get(document_id)
                if document is None:  # deleted while it waited
                    continue
                places, title = places_of.get(document_id, []), index_text(document.title)
                for page in pages.get(document_id, []):
                    writer.add_document(
                        self.make(document, page, places, public=False, title=title)
                    )
                    if document.is_public:
                        writer.add_document(
                            self.make(document, page, places, public=True, title=title)
                        )
                    count += 1
        Page.objects.filter(document_id__in=ids).update(indexed=True)
        return count

    def add_many(self, items: Iterable[Any]) -> None:
        """Bulk load (benchmarks, rebuilds): already-built tantivy documents."""
        with self.writer() as writer:
            for item in items:
                writer.add_document(item)

    def delete(self, document_id: int) -> None:
        with self.writer() as writer:
            self._delete(writer, document_id)

    def clear(self) -> None:
        with self.writer() as writer:
            writer.delete_all_documents()

    # Scores of the parts of a query: each word held counts WORD, the phrase PHRASE, and
    # BM25 (far below PHRASE) orders the rest, so that the score sorts as the database
    # engines sort (most words, then phrase, then relevance) and says how many words.
    WORD = 10_000.0
    PHRASE = 1_000.0

    def search(
        self,
        words: list[str],
        *,
        every: bool,
        exact: bool = False,
        excluded: list[list[str]] | None = None,
        group: int | None,
        viewer: Viewer,
        filters: SearchFilters,
        limit: int,
        offset: int,
    ) -> tuple[list[Hit], int]:
        tantivy = self.tantivy
        self.index.reload()
        searcher = self.index.searcher()
        fields = ["text", "title"]
        boosts = {"title": 1.5}
        parts = []
        for word in words:
            part = self.index.parse_query(word, fields, field_boosts=boosts)
            if "EmptyQuery" not in repr(part):  # a stop word of tantivy's list
                parts.append(part)
        if not parts:
            return [], 0
        Occur = tantivy.Occur
        boost = []
        if len(parts) > 1:
            phrase = self.index.parse_query(
                '"' + " ".join(words) + '"', fields, field_boosts=boosts
            )
            boost.append((Occur.Should, tantivy.Query.const_score_query(phrase, self.PHRASE)))
        if every:
            # Each word required (every page holds them all: no WORD to count); a single
            # word stays a plain term query, which block-max WAND prunes.
            if len(parts) == 1:
                words_query = parts[0]
            else:
                words_query = tantivy.Query.boolean_query([(Occur.Must, p) for p in parts] + boost)
        else:
            words_query = tantivy.Query.boolean_query(
                [(Occur.Should, tantivy.Query.const_score_query(p, self.WORD)) for p in parts]
                + [(Occur.Should, p) for p in parts]
                + boost
            )
        must = [(Occur.Must, words_query)]
        for unwanted_words in excluded or []:
            joined = " ".join(unwanted_words)
            unwanted = self.index.parse_query(
                joined if len(unwanted_words) == 1 else f'"{joined}"', fields
            )
            if "EmptyQuery" not in repr(unwanted):
                must.append((Occur.MustNot, unwanted))
        if exact and len(parts) > 1:
            # The phrase required, scoring nothing more (its boost is counted above).
            must.append((Occur.Must, tantivy.Query.const_score_query(phrase, 0.0)))

        def term(name: str, value: Any) -> Any:
            return tantivy.Query.term_query(self.schema, name, value)

        # Two entries per published page: reviewers read the full text, others the
        # published one. Filters score nothing.
        conditions = [term("public", "0" if viewer.sees_all else "1")]
        for name, value in (
            ("places", filters.place),
            ("origin", filters.origin),
            ("kind", filters.kind),
        ):
            if value:
                conditions.append(term(name, value))
        if filters.document_id:
            conditions.append(term("document_id", filters.document_id))
        unless = []
        if filters.date_from or filters.date_to:
            # Dated, and no day of its period (first and last, `make`) out of the bounds:
            # a month or a year is within them whole, or not at all.
            def days(low: int, high: int) -> Any:
                return tantivy.Query.range_query(
                    self.schema, "day", tantivy.FieldType.Unsigned, low, high
                )

            conditions.append(days(1, 99991231))
            if filters.date_from:
                unless.append(days(0, _day(filters.date_from) - 1))
            if filters.date_to:
                unless.append(days(_day(filters.date_to) + 1, 99991231))
        must += [(Occur.Must, tantivy.Query.const_score_query(c, 0.0)) for c in conditions]
        must += [(Occur.MustNot, u) for u in unless]
        combined = tantivy.Query.boolean_query(must)

        def hit(score: float, address: Any) -> Hit:
            stored = searcher.doc(address)
            return Hit(
                page_id=stored["page_id"][0],
                document_id=stored["document_id"][0],
                number=stored["number"][0],
                score=score,
                matched=len(parts) if every else int(score // self.WORD),
                phrase=len(parts) > 1 and score % self.WORD >= self.PHRASE,
            )

        if group is None:
            # count=False: counting every match would defeat the top-k pruning.
            result = searcher.search(combined, limit, count=False, offset=offset)
            return [hit(score, address) for score, address in result.hits], len(parts)
        # Documents rank by their best page: the documents of the best pages, in order of
        # first appearance. Read more pages until enough documents are seen.
        wanted = offset + limit
        window = max(100, wanted * 10)
        while True:
            result = searcher.search(combined, window, count=False)
            groups: dict[int, list[Hit]] = {}
            for score, address in result.hits:
                found = hit(score, address)
                pages = groups.setdefault(found.document_id, [])
                if len(pages) < group:
                    pages.append(found)
            if len(groups) >= wanted or len(result.hits) < window or window >= 50_000:
                break
            window *= 4
        chosen = list(groups.values())[offset:wanted]
        return [h for pages in chosen for h in pages], len(parts)


_instances: dict[str, _Tantivy] = {}
_instances_lock = threading.Lock()


def _tantivy() -> _Tantivy:
    path = Path(settings.SEARCH_INDEX_DIR) / "pages"
    with _instances_lock:
        if str(path) not in _instances:
            _instances[str(path)] = _Tantivy(path)
        return _instances[str(path)]


def index_flush() -> int:
    """Commit the documents the pipeline left waiting in this process (see
    `document_index`); returns how many pages were written."""
    if backend_name() != "tantivy":
        return 0
    return _tantivy().flush()


def index_flush_after_commit() -> None:
    """`index_flush` once the caller's transaction commits (at once outside one): the
    documents the pipeline queued inside it reach the queue only then (`_after_commit`),
    and a flush before would find nothing to write."""
    if backend_name() != "tantivy":
        return
    engine = _tantivy()

    def flush() -> None:
        engine.flush()

    _after_commit(flush)


def index_catch_up(since: datetime | None = None) -> int:
    """Index again the documents whose index step is done but whose pages never reached
    the index: the process that queued them died before the commit. `since`: only those
    whose index step finished since then (the periodic pass reads the pages of recent
    documents only, not the whole library). Returns how many pages were written."""
    if backend_name() != "tantivy":
        return 0
    engine = _tantivy()
    steps = Step.objects.filter(name="index", status="done")
    if since is not None:
        steps = steps.filter(finished_at__gte=since)
    lost = (
        Page.objects.filter(indexed=False, document_id__in=steps.values("document_id"))
        .values_list("document_id", flat=True)
        .distinct()
    )
    for document_id in lost:
        with engine.pending_lock:
            engine.pending.setdefault(document_id, 0)
    return engine.flush()


def index_rebuild() -> int:
    """Rebuild the index from the database (after a restore, or a backend change)."""
    tantivy = backend_name() == "tantivy"
    if tantivy:
        engine = _tantivy()
        _after_commit(engine.clear)
    count = 0
    for document in Document.objects.filter(pages__isnull=False).distinct().iterator():
        # The database engines delete and insert a document's rows together; tantivy's
        # writes follow the commit of whatever transaction the caller holds.
        with nullcontext() if tantivy else transaction.atomic():
            count += document_index(document)
    return count
