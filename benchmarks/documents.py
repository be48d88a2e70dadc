"""Throughput of the document pipeline, each against its floor in the same run.

    .venv/bin/python benchmarks/documents.py [--documents 100 --pages 20 --scans 8]

1. Ingest without entity detection (detect, extract, OCR check, index, up to the commit of
   the search index) of a folder of text PDFs, by `contrechamp documents add FOLDER
   --wait` run in this process, against raw PyMuPDF text extraction of the same files.
   Three sets: the council minutes made here (short pages, about 850 characters: the
   cost of each document and page weighs most there); the real texts of the evaluation
   corpus (tests/documents/real) laid out as pages of about 3,000 characters; the real
   PDFs of the project's shared samples (../shared/samples-more, a prefectoral bulletin
   of 88 pages, 5,110 characters a page at the median), when that folder is there.
2. The pipeline's entity step on the same documents (detection and its rows written),
   against spaCy alone on the same page texts: the entity recogniser alone, and the
   model with its shared tok2vec as the project loaded it before issue 14.
3. OCR seconds per page: one single-threaded Tesseract process per core (what the
   pipeline does), against one Tesseract at a time using its own threads.

Runs in its own SQLite database and data folder (temporary); prints medians of
`--repeat` runs.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAGRAPHS = [
    "Le conseil municipal de {ville}, réuni le {jour} {mois} {annee}, a examiné le projet "
    "d'extension du dispositif de vidéoprotection dans le quartier de la gare.",
    "La société {vendeur} a remis une offre de {montant} € HT pour la fourniture de "
    "caméras, le câblage et la maintenance pendant quatre ans.",
    "Le financement est assuré pour partie par le FIPD et pour le solde par le budget "
    "communal, au titre de l'exercice {annee}.",
    "Monsieur le maire rappelle que le centre de supervision urbain fonctionne sept jours "
    "sur sept et que les images sont conservées trente jours.",
    "Un élu de l'opposition demande si une analyse algorithmique des images est prévue ; "
    "il lui est répondu qu'aucune expérimentation n'est engagée à ce stade.",
    "Après en avoir délibéré, le conseil adopte la délibération à la majorité des suffrages "
    "exprimés, cinq élus votant contre et deux s'abstenant.",
    "Les travaux de voirie de la rue principale débuteront au printemps ; la circulation "
    "sera alternée et le marché hebdomadaire déplacé sur la place de l'église.",
    "La commission des finances a émis un avis favorable au budget supplémentaire, qui "
    "intègre les recettes de la taxe locale sur la publicité extérieure.",
]
VILLES = ["Saint-Étienne", "Marseille", "Nice", "Toulouse", "Moirans", "Valenciennes", "Metz"]
VENDEURS = ["Serenicity", "Briefcam", "Two-i", "Engie Ineo", "Thales", "SNEF"]
MOIS = ["janvier", "mars", "juin", "septembre", "novembre"]


def page_text(rng: random.Random) -> str:
    parts = []
    for template in rng.sample(PARAGRAPHS, 6):
        parts.append(
            template.format(
                ville=rng.choice(VILLES),
                jour=rng.randint(1, 28),
                mois=rng.choice(MOIS),
                annee=rng.randint(2015, 2025),
                vendeur=rng.choice(VENDEURS),
                montant=f"{rng.randint(10, 900)} 000",
            )
        )
    return "\n\n".join(parts)


def make_pdfs(
    folder: Path,
    documents: int,
    pages: int,
    *,
    text: Callable[[random.Random], str] | None = None,
    seed: int = 7,
    prefix: str = "doc",
) -> list[Path]:
    """`documents` A4 PDFs of `pages` pages, each page's text from `text` (council
    minutes by default), drawn from a generator seeded with `seed`."""
    import pymupdf

    text = text or page_text
    rng = random.Random(seed)
    paths = []
    for n in range(documents):
        pdf = pymupdf.open()
        for _ in range(pages):
            page = pdf.new_page(width=595, height=842)
            page.insert_textbox(pymupdf.Rect(56, 56, 539, 786), text(rng), fontsize=10)
        path = folder / f"{prefix}-{n:04d}.pdf"
        pdf.save(path)
        paths.append(path)
    return paths


def corpus_pdfs(folder: Path, documents: int, pages: int, chars: int = 3000) -> list[Path]:
    """`documents` PDFs of `pages` pages holding the real texts of the evaluation corpus
    one after the other, about `chars` characters a page (what fits on an A4 page at 9
    points, lines kept whole)."""
    import pymupdf

    from tests.documents.evaluation import load_real

    lines = "\n".join(t.text for t in load_real("all")).splitlines()
    position, paths = 0, []
    for n in range(documents):
        pdf = pymupdf.open()
        for _ in range(pages):
            page = pdf.new_page(width=595, height=842)
            taken, size = [], 0
            while size < chars:
                line = lines[position % len(lines)]
                taken.append(line)
                size += len(line) + 1
                position += 1
            # Fewer lines until they fit: a text box that overflows writes nothing.
            while (
                page.insert_textbox(pymupdf.Rect(56, 56, 539, 786), "\n".join(taken), fontsize=9)
                < 0
            ):
                position -= 1
                taken.pop()
        path = folder / f"corpus-{n:04d}.pdf"
        pdf.save(path)
        paths.append(path)
    return paths


def shared_pdfs(folder: Path) -> list[Path]:
    """Copies of the real PDFs of ../shared/samples-more (none when it is absent)."""
    shared = ROOT.parent / "shared" / "samples-more"
    paths = []
    for source in sorted(shared.glob("*/*.pdf")):
        paths.append(Path(shutil.copy(source, folder / source.name)))
    return paths


def characters_per_page(paths: list[Path]) -> float:
    import pymupdf

    sizes = []
    for path in paths:
        with pymupdf.open(path) as pdf:
            sizes += [len(page.get_text("text")) for page in pdf]
    return statistics.median(sizes)


# Wall time by default; `--cpu`: this process's CPU time (its threads included: tantivy's
# merges, spaCy's BLAS), for a machine shared with other work. OCR is always wall time.
clock = time.perf_counter


def raw_extraction(paths: list[Path]) -> tuple[float, int]:
    import pymupdf

    began = clock()
    pages = 0
    for path in paths:
        with pymupdf.open(path) as pdf:
            for page in pdf:
                page.get_text("text")
                pages += 1
    return clock() - began, pages


def workdir(prefix: str) -> Path:
    """A temporary data folder and SQLite database, Django set up and migrated."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["CONTRECHAMP_DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


@contextmanager
def without_entities() -> Iterator[None]:
    """The pipeline without its entity step (measured on its own)."""
    from contrechamp.documents import services

    steps = [s for s in services.STEPS if s[0] != "entities"]
    original, services.STEPS = services.STEPS, steps
    try:
        yield
    finally:
        services.STEPS = original


def ingest(paths: list[Path]) -> tuple[float, int]:
    """`contrechamp documents add FOLDER --wait`, in this process: what a user runs to add
    a folder of files, from reading them to the commit of the search index."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from contrechamp.documents import search
    from contrechamp.documents.models import Document, Page

    folder = paths[0].parent
    assert sorted(folder.iterdir()) == sorted(paths)
    with without_entities():
        # Each run starts empty: no document, no stored file, an empty index.
        Document.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM documents_page_fts")
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "documents", ignore_errors=True)
        search._tantivy().clear()
        began = clock()
        call_command("documents", "add", str(folder), "--wait", stdout=io.StringIO())
        elapsed = clock() - began
    assert not Page.objects.filter(indexed=False).exists()
    return elapsed, Page.objects.count()


def entities() -> tuple[float, float, float, int]:
    """The pipeline's entity step (`services._step_entities`: detection on every page of
    each document and its rows written), against spaCy alone on the same page texts:
    the entity recogniser as the pipeline loads it (`lib.text.nlp`: the `ner` component
    only), and the model with its shared tok2vec as well (the pipeline as it was loaded
    before issue 14). Returns seconds of each and the number of pages."""
    import spacy
    from django.conf import settings

    from contrechamp.documents import services
    from contrechamp.documents.models import Document, Page
    from contrechamp.lib.text import nlp

    documents = list(Document.objects.filter(status="done").order_by("id"))
    texts = list(Page.objects.order_by("document_id", "number").values_list("text", flat=True))
    model = nlp()
    with_tok2vec = spacy.load(
        settings.SPACY_MODEL, exclude=["morphologizer", "parser", "attribute_ruler", "lemmatizer"]
    )
    services._step_entities(documents[0])  # warm up: gazetteer, model
    list(with_tok2vec.pipe(texts[:20]))
    began = clock()
    for document in documents:
        services._step_entities(document)
    step = clock() - began
    began = clock()
    list(model.pipe(texts, batch_size=16))
    ner = clock() - began
    began = clock()
    list(with_tok2vec.pipe(texts, batch_size=16))
    before = clock() - began
    return step, ner, before, len(texts)


def ocr(scans: int) -> tuple[float, float]:
    from contrechamp.documents import ocr as ocr_module
    from tests.documents.samples import page_image

    rng = random.Random(3)
    images = []
    for n in range(scans):
        pixmap = page_image(page_text(rng)[:900], dpi=300)
        images.append((n, pixmap.tobytes("png")))
    began = time.perf_counter()
    list(ocr_module.recognise_many(iter(images), workers=os.cpu_count() or 1))
    parallel = (time.perf_counter() - began) / scans

    import subprocess

    began = time.perf_counter()
    for _, image in images:
        environment = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "fra", "--psm", "3", "tsv"],
            input=image,
            capture_output=True,
            env=environment,
            check=True,
        )
    threaded = (time.perf_counter() - began) / scans
    return parallel, threaded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--scans", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cpu", action="store_true", help="CPU time of this process instead of wall time"
    )
    parser.add_argument(
        "--ingest-only", action="store_true", help="measure the ingest only (no entities, no OCR)"
    )
    args = parser.parse_args()
    if args.cpu:
        global clock
        clock = time.process_time

    folder = workdir("contrechamp-docbench-")
    from contrechamp.places.services import places_load

    places_load()
    (folder / "pdfs").mkdir()
    paths = make_pdfs(folder / "pdfs", args.documents, args.pages)
    (folder / "corpus").mkdir()
    (folder / "shared").mkdir()
    sets = [
        ("council minutes made here", paths),
        ("real texts of the corpus", corpus_pdfs(folder / "corpus", args.documents, args.pages)),
        ("real PDFs of ../shared/samples-more", shared_pdfs(folder / "shared")),
    ]
    ratios: dict[str, tuple[float, float, int]] = {}
    for label, files in sets:
        if not files:
            print(f"(no {label}: not measured)")
            continue
        raw, ingested = [], []
        for _ in range(args.repeat):
            seconds, pages = raw_extraction(files)
            raw.append(pages / seconds)
            seconds, pages = ingest(files)
            ingested.append(pages / seconds)
        ratios[label] = (statistics.median(raw), statistics.median(ingested), pages)
    detect, ner_only, with_tok2vec = [], [], []
    if not args.ingest_only:
        # The entity step reads the documents of the first set.
        ingest(paths)
    for _ in range(0 if args.ingest_only else args.repeat):
        step, ner, before, pages = entities()
        detect.append(pages / step)
        ner_only.append(pages / ner)
        with_tok2vec.append(pages / before)
    parallel, threaded = ocr(args.scans) if not args.ingest_only else (0.0, 0.0)

    print(
        f"\n{args.documents} PDFs of {args.pages} pages a set made here; medians of "
        f"{args.repeat} runs; "
        f"{os.cpu_count()} cores; {'CPU' if args.cpu else 'wall'} time\n"
    )
    print("| measure | pages/s | floor | floor pages/s | measure ÷ floor |")
    print("| --- | ---: | --- | ---: | ---: |")
    for label, files in sets:
        if label in ratios:
            r, i, pages = ratios[label]
            print(
                f"| ingest, no entities (`documents add --wait`), {label} ({len(files)} "
                f"files, {pages} pages, {characters_per_page(files):.0f} characters a page) "
                f"| {i:.0f} | raw PyMuPDF text extraction | {r:.0f} | {i / r:.2f}× |"
            )
    if args.ingest_only:
        return
    d, n, b = (statistics.median(v) for v in (detect, ner_only, with_tok2vec))
    print(
        f"| entity step (detection and rows) | {d:.1f} | spaCy, the model with its shared "
        f"tok2vec and ner | {b:.1f} | {d / b:.2f}× |"
    )
    print(f"| | | spaCy, the ner component alone | {n:.1f} | {d / n:.2f}× |")
    print(
        f"\nOCR, {args.scans} pages at 300 dpi: {parallel:.2f} s/page with one single-threaded "
        f"Tesseract per core, {threaded:.2f} s/page with one Tesseract using its own "
        f"threads ({threaded / parallel:.1f}× slower)"
    )


if __name__ == "__main__":
    main()
