"""Throughput of redaction: detection and publication, each against its floor in the
same run.

    .venv/bin/python benchmarks/redaction.py [--documents 25 --pages 20 --repeat 3]

The corpus: letters and minutes of `--pages` pages (500 pages by default), each page
holding names with their cues, e-mail addresses, phone numbers, a postal address and
the paragraphs of council minutes.

1. Detection (`redactions_suggest`: every detector, then the boxes on the page), against
   spaCy's own throughput on the same page texts (the part detection cannot avoid).
2. Publication (`document_publish`: what a page does not show removed, redactions
   applied, scrubbed, written whole; the gate's re-extractions (PyMuPDF as shown and with
   every layer on and no clip, pdfium), its checks and its render of every box at 200 dpi;
   the published text stored and indexed),
   against PyMuPDF applying the same boxes and writing the files whole, and against
   PyMuPDF rewriting them with no change.

Runs in its own SQLite database and data folder (temporary); prints medians.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.documents import make_pdfs, page_text, without_entities, workdir  # noqa: E402

PEOPLE = ["Claire Dubois", "Jean-Marc Vasseur", "Odile Marchetti", "Karim Benali", "Léa Roux"]
STREETS = ["rue des Tilleuls", "avenue de la Libération", "chemin du Moulin", "place Carnot"]


def letter_page(rng: random.Random) -> str:
    person = rng.choice(PEOPLE)
    first, last = person.split(" ", 1)
    login = f"{first}.{last}".lower().replace("é", "e").replace(" ", "")
    header = (
        f"Affaire suivie par : Mme {person}\n"
        f"Courriel : {login}@mairie-exemple.fr — téléphone 04 {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}\n"
        f"Réponse à adresser au {rng.randint(1, 120)} {rng.choice(STREETS)}, "
        f"42000 Saint-Étienne.\n\n"
    )
    footer = f"\n\nM. {rng.choice(PEOPLE)}, agent instructeur."
    return header + page_text(rng)[:1400] + footer


def load(paths: list[Path]) -> list:
    from contrechamp.documents import services

    documents = []
    with without_entities():
        for path in paths:
            ingested = services.document_ingest(data=path.read_bytes(), filename=path.name)
            documents.append(services.document_process(document=ingested.document))
    return documents


def detection(documents: list) -> tuple[float, int]:
    from contrechamp.redaction.models import Redaction
    from contrechamp.redaction.services import redactions_suggest

    Redaction.objects.all().delete()
    began = time.perf_counter()
    count = sum(redactions_suggest(document=d) for d in documents)
    return time.perf_counter() - began, count


def spacy_floor(texts: list[str]) -> float:
    from contrechamp.lib.text import nlp

    model = nlp()
    list(model.pipe(texts[:20]))
    began = time.perf_counter()
    list(model.pipe(texts, batch_size=16))
    return time.perf_counter() - began


def publication(documents: list) -> tuple[float, int]:
    from contrechamp.redaction.models import Redaction
    from contrechamp.redaction.services import document_publish

    Redaction.objects.update(status="accepted")
    began = time.perf_counter()
    accepted = sum(document_publish(document=d).accepted for d in documents)
    return time.perf_counter() - began, accepted


def rewrite_floor(paths: list[Path]) -> float:
    import pymupdf

    began = time.perf_counter()
    for path in paths:
        with pymupdf.open(path) as pdf:
            pdf.tobytes(garbage=4, deflate=True, clean=True)
    return time.perf_counter() - began


def redact_floor(documents: list, paths: list[Path]) -> float:
    """PyMuPDF alone applying the same boxes and writing the files whole: the least any
    true redaction costs."""
    import pymupdf

    from contrechamp.redaction.models import Redaction

    boxes: dict[tuple[int, int], list] = {}
    for document_id, number, rects in Redaction.objects.values_list(
        "page__document_id", "page__number", "rects"
    ):
        boxes.setdefault((document_id, number), []).extend(rects)
    began = time.perf_counter()
    for document, path in zip(documents, paths, strict=True):
        with pymupdf.open(path) as pdf:
            for page in pdf:
                for rect in boxes.get((document.id, page.number + 1), []):
                    page.add_redact_annot(pymupdf.Rect(*rect))
                page.apply_redactions()
            pdf.tobytes(garbage=4, deflate=True, clean=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=25)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = workdir("contrechamp-redbench-")
    from contrechamp.documents.models import Page

    (folder / "pdfs").mkdir()
    try:
        paths = make_pdfs(
            folder / "pdfs", args.documents, args.pages, text=letter_page, seed=11, prefix="letter"
        )
        documents = load(paths)
        from contrechamp.lib.text import nlp

        nlp()  # the model is loaded once per process, before any clock starts
        texts = list(Page.objects.order_by("id").values_list("text", flat=True))
        pages = len(texts)
        detect, spacy, publish, rewrite, redact = [], [], [], [], []
        suggested = accepted = 0
        for _ in range(args.repeat):
            seconds, suggested = detection(documents)
            detect.append(pages / seconds)
            spacy.append(pages / spacy_floor(texts))
            seconds, accepted = publication(documents)
            publish.append(pages / seconds)
            rewrite.append(pages / rewrite_floor(paths))
            redact.append(pages / redact_floor(documents, paths))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\n{args.documents} letters, {pages} pages, {suggested} redactions suggested, "
        f"{accepted}/{args.documents} published; medians of {args.repeat} runs; "
        f"{os.cpu_count()} cores\n"
    )
    print("| measure | pages/s | floor | floor pages/s | ratio |")
    print("| --- | ---: | --- | ---: | ---: |")
    d, s = statistics.median(detect), statistics.median(spacy)
    print(f"| detection | {d:.1f} | spaCy pipeline alone | {s:.1f} | {s / d:.2f}× slower |")
    p, r, a = statistics.median(publish), statistics.median(rewrite), statistics.median(redact)
    print(
        f"| publication (gate included) | {p:.1f} | PyMuPDF applying the same boxes, "
        f"written whole | {a:.0f} | {a / p:.1f}× slower |"
    )
    print(f"| | | PyMuPDF rewrite, no change | {r:.0f} | {r / p:.1f}× slower |")


if __name__ == "__main__":
    main()
