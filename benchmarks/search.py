"""Search latency over many pages: tantivy against the database engines.

    .venv/bin/python benchmarks/search.py --pages 100000
    .venv/bin/python benchmarks/search.py --pages 1000000
    DATABASE_URL=postgres://u:p@127.0.0.1/contrechamp .venv/bin/python benchmarks/search.py ...

Builds its own database (a temporary SQLite file, or `<name>_searchbench` on
PostgreSQL) with synthetic French pages: real words of council minutes in a Zipf
distribution over a 30,000-word vocabulary, 150 words a page, 50 pages a document. Then
times `search_pages` — the function behind the search page and the API, snippets and
page fetch included — for the top 20 hits, with each engine: tantivy, and the database
(FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL). Query classes go from a
rare word to the most common one. Medians and p95 of `--repeat` runs of each query.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL_WORDS = (
    "commune conseil municipal délibération caméras vidéoprotection sécurité police marché "
    "public maire quartier rue place gare préfecture budget subvention financement "
    "installation dispositif système images enregistrement centre supervision urbain "
    "logiciel analyse algorithmique reconnaissance faciale capteurs sonores drones "
    "expérimentation convention société prestataire contrat montant euros travaux "
    "réseau fibre maintenance stationnement circulation école lycée stade parc marché "
    "commission finances opposition vote majorité abstention rapport évaluation données "
    "personnelles protection cnil avis recours tribunal administratif habitants élus "
    "tranquillité prévention délinquance fonds interministériel région département état "
    "agglomération métropole intercommunalité transport tramway bus parking éclairage"
).split()
VOCABULARY = 30_000
WORDS_PER_PAGE = 150
PAGES_PER_DOCUMENT = 50


def vocabulary() -> list[str]:
    """The real words first (the most frequent ranks), then made-up words of two to four
    syllables for the long tail, all distinct."""
    import random

    rng = random.Random(5)
    words = list(dict.fromkeys(REAL_WORDS))
    seen = set(words)
    syllables = [c + v for c in "bcdfglmnprstv" for v in ("a", "e", "i", "o", "u", "ou", "é")]
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def page_texts(count: int, seed: int = 11):
    """Pages in batches of 10,000, words drawn by rank with a Zipf law (s = 1.07)."""
    import numpy as np

    words = np.array(vocabulary(), dtype=object)
    ranks = np.arange(1, VOCABULARY + 1)
    weights = 1.0 / ranks**1.07
    weights /= weights.sum()
    rng = np.random.default_rng(seed)
    done = 0
    while done < count:
        size = min(10_000, count - done)
        draws = rng.choice(VOCABULARY, size=(size, WORDS_PER_PAGE), p=weights)
        yield [" ".join(words[row]) for row in draws]
        done += size


def _database(workdir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir}/search.sqlite3"
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_searchbench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def build(pages: int) -> dict[str, float]:
    from django.db import connection, transaction

    from contrechamp.documents.models import Document
    from contrechamp.documents.search import _tantivy
    from contrechamp.lib.textsearch import fts5_document, index_text

    timings = {}
    documents = (pages + PAGES_PER_DOCUMENT - 1) // PAGES_PER_DOCUMENT
    Document.objects.bulk_create(
        [
            Document(
                sha256=f"{n:064d}",
                size=1,
                filename=f"d{n}.pdf",
                title=f"Document {n}",
                kind="pdf",
                status="done",
                page_count=PAGES_PER_DOCUMENT,
            )
            for n in range(documents)
        ],
        batch_size=5000,
    )
    first_document = Document.objects.order_by("id").values_list("id", flat=True)[0]
    postgres = connection.vendor == "postgresql"
    engine = _tantivy()
    began = time.perf_counter()
    page_id = 0
    tantivy_seconds = 0.0
    fts_seconds = 0.0
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS documents_page_search")
    for batch in page_texts(pages):
        rows = []
        items = []
        for text in batch:
            page_id += 1
            document_id = first_document + (page_id - 1) // PAGES_PER_DOCUMENT
            number = (page_id - 1) % PAGES_PER_DOCUMENT + 1
            rows.append((page_id, document_id, number, text))
            item = engine.tantivy.Document()
            item.add_unsigned("page_id", page_id)
            item.add_unsigned("document_id", document_id)
            item.add_unsigned("number", number)
            item.add_text("text", index_text(text))
            # The reviewers' entry: the benchmark searches as a reviewer (Viewer(sees_all=True)).
            item.add_text("public", "0")
            items.append(item)
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(
                    "COPY documents_page (id, document_id, number, text, method, needs_ocr, "
                    "width, height, indexed, published_text) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row((*row, "text", False, 595, 842, True, ""))
            else:
                cursor.executemany(
                    "INSERT INTO documents_page (id, document_id, number, text, method, "
                    "needs_ocr, width, height, indexed, published_text) VALUES (%s, %s, %s, "
                    "%s, 'text', 0, 595, 842, 1, '')",
                    rows,
                )
                start = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO documents_page_fts(rowid, body) VALUES (%s, %s)",
                    [(r[0], fts5_document(index_text(r[3]))) for r in rows],
                )
                fts_seconds += time.perf_counter() - start
        start = time.perf_counter()
        engine.add_many(items)
        tantivy_seconds += time.perf_counter() - start
    if postgres:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE documents_page SET search_vector = to_tsvector('contrechamp_fr', text)"
            )
            cursor.execute(
                "CREATE INDEX documents_page_search ON documents_page USING gin (search_vector)"
            )
        fts_seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_page")
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO documents_page_fts(documents_page_fts) VALUES ('optimize')")
    timings["build_seconds"] = time.perf_counter() - began
    timings["tantivy_index_seconds"] = tantivy_seconds
    timings["database_index_seconds"] = fts_seconds
    return timings


def queries(pages: int) -> list[tuple[str, str]]:
    """(class, query) from rare to most common; the share of pages matching is measured."""
    words = vocabulary()
    return [
        ("rare word", words[20_000]),
        ("medium word", words[300]),
        ("common word", words[20]),
        ("most common word", words[0]),
        ("two common words", f"{words[0]} {words[1]}"),
        ("phrase of common words", f'"{words[2]} {words[3]}"'),
        # No page holds both: the any-word query ranked by words held (the fallback).
        ("two rare words, never together", f"{words[20_000]} {words[25_000]}"),
    ]


def measure(repeat: int) -> list[tuple[str, str, str, float, float, int]]:
    """(engine, query class, unit, median ms, p95 ms, results) for pages (`search_pages`,
    the API) and documents (`search_documents`, the search page: one result per
    document with its best pages)."""
    from django.conf import settings

    from contrechamp.documents.search import Viewer, search_documents, search_pages

    def pages(query: str) -> int:
        return len(search_pages(query, viewer=Viewer(sees_all=True), limit=20))

    def documents(query: str) -> int:
        return len(search_documents(query, viewer=Viewer(sees_all=True), limit=20).documents)

    results = []
    for engine in ("tantivy", "database"):
        settings.SEARCH_BACKEND = engine
        for label, query in queries(0):
            for unit, run in (("pages", pages), ("documents", documents)):
                run(query)  # warm up
                times = []
                found = 0
                for _ in range(repeat):
                    began = time.perf_counter()
                    found = run(query)
                    times.append((time.perf_counter() - began) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                results.append((engine, label, unit, statistics.median(times), p95, found))
    return results


def share(query: str) -> float:
    """Fraction of pages holding every word of `query` (from the database, for the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM documents_page WHERE search_vector @@ "
                "websearch_to_tsquery('contrechamp_fr', %s)",
                [query],
            )
        else:
            from contrechamp.lib.textsearch import fts5_query

            cursor.execute(
                "SELECT count(*) FROM documents_page_fts WHERE documents_page_fts MATCH %s",
                [fts5_query(query)],
            )
        matching = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM documents_page")
        return matching / cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="contrechamp-searchbench-"))
    os.environ["CONTRECHAMP_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = _database(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    timings = build(args.pages)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    database_engine = "tsvector + ts_rank" if vendor == "PostgreSQL" else "FTS5 + bm25"
    print(
        f"\n{vendor}, {args.pages} pages ({WORDS_PER_PAGE} words each), top 20 hits, "
        f"{args.repeat} runs per query"
    )
    print(
        f"built in {timings['build_seconds']:.0f} s (tantivy indexing "
        f"{timings['tantivy_index_seconds']:.0f} s, {database_engine} "
        f"{timings['database_index_seconds']:.0f} s)\n"
    )
    print("| engine | query | pages matching | results | median ms | p95 ms |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    shares = {label: share(q) for label, q in queries(args.pages)}
    for engine, label, unit, median, p95, found in measure(args.repeat):
        name = "tantivy" if engine == "tantivy" else f"{vendor} {database_engine}"
        print(
            f"| {name} | {label} | {shares[label]:.1%} | {found} {unit} | {median:.1f} "
            f"| {p95:.1f} |"
        )


if __name__ == "__main__":
    main()
