"""Search quality on real texts: a query set (queries people type, with the documents
that answer them, labelled before any run) over the real corpus of `real/` (the texts
listed in the query set, each one document of one page, as a text document is ingested),
on the engine in use.

Two query sets: `search_queries.json` (36 queries over 82 texts; the search was improved
while looking at its figures: the development set) and `search_queries_held_out.json`
(45 queries over the 504 texts of the later rounds, written by someone who never saw the
search run nor its code: the honest measure, never tuned on).

    .venv/bin/python -m tests.documents.search_eval              # SQLite: tantivy and FTS5
    .venv/bin/python -m tests.documents.search_eval --held-out   # the held-out set
    DATABASE_URL=postgres://... .venv/bin/python -m tests.documents.search_eval

Per query: the documents of the first results in rank order (one per document).
precision@5 counts the relevant ones among the first five over min(5, relevant); recall
counts those among the first 20 over all relevant; MRR is the mean of 1 / the rank of the
first relevant document (0 when none is in the first 20).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
QUERIES = HERE / "search_queries.json"
QUERIES_HELD_OUT = HERE / "search_queries_held_out.json"
REAL = HERE / "real"


def load(path: Path = QUERIES) -> dict[str, Any]:
    return json.loads(path.read_text())


def body(path: Path) -> str:
    """The text of a corpus file without its header (the lines before the first blank)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if not line.strip() and index > 0:
            return "\n".join(lines[index + 1 :])
    return "\n".join(lines)


def build(path: Path = QUERIES) -> dict[int, str]:
    """One document of one page per corpus text, indexed; returns {document id: name}.
    Titles are neutral ("Texte 12"): the file names describe the texts."""
    from contrechamp.documents.models import Document, Page
    from contrechamp.documents.search import document_index, index_flush

    names = {}
    for number, name in enumerate(load(path)["corpus"], start=1):
        document = Document.objects.create(
            sha256=f"{number:064d}",
            size=1,
            filename=f"texte-{number}.txt",
            title=f"Texte {number}",
            kind="text",
            status="done",
            page_count=1,
        )
        Page.objects.create(
            document=document,
            number=1,
            text=body(REAL / f"{name}.txt"),
            method="text",
            width=595,
            height=842,
        )
        # With tantivy, one commit for the corpus (the pipeline's batch).
        document_index(document, batch=True)
        names[document.id] = name
    index_flush()
    return names


def ranked(query: str, limit: int = 20) -> list[int]:
    """Document ids of the results, best first, each once."""
    from contrechamp.documents import search

    viewer = search.Viewer(sees_all=True)
    if hasattr(search, "search_documents"):
        result = search.search_documents(query, viewer=viewer, limit=limit)
        return [group.document_id for group in result.documents]
    seen: list[int] = []
    for hit in search.search_pages(query, viewer=viewer, limit=limit * 5):
        if hit.document_id not in seen:
            seen.append(hit.document_id)
    return seen[:limit]


def evaluate(names: dict[int, str], path: Path = QUERIES) -> dict[str, Any]:
    rows = []
    for item in load(path)["queries"]:
        relevant = set(item["relevant"])
        found = [names[d] for d in ranked(item["q"])]
        top5 = found[:5]
        first = next((i + 1 for i, name in enumerate(found) if name in relevant), None)
        rows.append(
            {
                "q": item["q"],
                "p5": sum(n in relevant for n in top5) / min(5, len(relevant)),
                "recall": sum(n in relevant for n in found) / len(relevant),
                "rr": 1 / first if first else 0.0,
                "empty": not found,
            }
        )
    return {
        "queries": len(rows),
        "p5": statistics.mean(r["p5"] for r in rows),
        "recall": statistics.mean(r["recall"] for r in rows),
        "mrr": statistics.mean(r["rr"] for r in rows),
        "empty": sum(r["empty"] for r in rows),
        "rows": rows,
    }


def main() -> None:
    """Build a throw-away database and index, and print the figures of each engine."""
    import os
    import sys
    import tempfile

    held_out = "--held-out" in sys.argv[1:]
    path = QUERIES_HELD_OUT if held_out else QUERIES

    workdir = Path(tempfile.mkdtemp(prefix="contrechamp-searcheval-"))
    os.environ["CONTRECHAMP_DATA_DIR"] = str(workdir)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        from urllib.parse import urlparse

        import psycopg

        parsed = urlparse(url)
        name = f"{parsed.path.lstrip('/')}_searcheval"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/eval.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    names: dict[int, str] = {}
    for engine in ("tantivy", "database"):
        settings.SEARCH_BACKEND = engine
        if not names:
            names = build(path)
        else:
            from contrechamp.documents.search import index_rebuild

            index_rebuild()
        figures = evaluate(names, path)
        label = "tantivy" if engine == "tantivy" else vendor
        print(
            f"| {label} | {figures['queries']} | {figures['p5']:.2f} | {figures['recall']:.2f} "
            f"| {figures['mrr']:.2f} | {figures['empty']} |"
        )
        # The held-out queries print no row: the search is never fitted to them.
        if os.environ.get("VERBOSE") and not held_out:
            for row in figures["rows"]:
                print(
                    f"    {row['q']!r}: p5 {row['p5']:.2f} recall {row['recall']:.2f} "
                    f"rr {row['rr']:.2f}"
                )


if __name__ == "__main__":
    main()
