"""Precision and recall of personal-data detection per kind on the labelled pages.

.venv/bin/python -m tests.redaction.evaluation

A page may carry the title of its document (`@ title ...`: a file name or an e-mail
subject), which is read like the page and scored with it: titles are published too. A
file may hold several pages of one document, each after a line `@ page`: they are read
as the library reads a document (the surnames of the persons found on one page are
looked for alone on every page) and scored together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.documents.evaluation import Score, print_table, tally

CORPUS = Path(__file__).parent / "corpus"
# Written with the cases of issue 11 before the rules were tuned for them, and never
# tuned on since: the figures on it say how the rules fare on text they were not fitted to.
HELD_OUT = CORPUS / "held-out"
KINDS = ["email", "phone", "address", "iban", "person", "plate"]
PAGE_BREAK = "\n@ page\n"


@dataclass
class Labelled:
    name: str
    expected: set[tuple[str, str]]
    public: list[str]
    text: str
    title: str = ""
    scanned: bool = False

    @property
    def pages(self) -> list[str]:
        return self.text.split(PAGE_BREAK)


def _normal(text: str) -> str:
    # The same name whatever hyphen or space the PDF's text layer gave.
    for hyphen in "\u2010\u2011":
        text = text.replace(hyphen, "-")
    return " ".join(text.split())


def load(folder: Path = CORPUS) -> list[Labelled]:
    """The labelled pages of `folder`. A page marked `@ scan` is printed to pixels and
    read back by Tesseract, as a scanned letter would be: its text is what OCR gives."""
    pages = []
    for path in sorted(folder.glob("*.txt")):
        page = Labelled(path.stem, set(), [], "")
        lines = path.read_text().splitlines()
        while lines and lines[0].startswith("@ "):
            if lines[0] == "@ scan":
                page.scanned = lines.pop(0) == "@ scan"
                continue
            kind, value = lines.pop(0)[2:].split(" ", 1)
            if kind == "public":
                page.public.append(value.strip())
            elif kind == "title":
                page.title = value.strip()
            else:
                assert kind in KINDS, (path.name, kind)
                page.expected.add((kind, _normal(value)))
        text = "\n".join(lines).strip() + "\n"
        if page.scanned:
            text = PAGE_BREAK.join(_scanned(part) for part in text.split(PAGE_BREAK))
        page.text = text
        pages.append(page)
    return pages


def _scanned(text: str) -> str:
    from contrechamp.documents.ocr import recognise
    from tests.documents.samples import page_image

    return recognise(page_image(text, dpi=300).tobytes("png")).text


def evaluate(folders: tuple[Path, ...] = (CORPUS,), verbose: bool = False) -> dict[str, Score]:
    from contrechamp.lib.personal import detect, with_surnames

    scores = {kind: Score() for kind in KINDS}
    for page in [p for folder in folders for p in load(folder)]:
        # As `redactions_suggest` reads a document: every page, then every page again
        # with the names found on the others.
        pages = [detect(text, public=page.public) for text in page.pages]
        names = {f.text for findings in pages for f in findings if f.kind == "person"}
        found = {
            (f.kind, _normal(f.text))
            for text, findings in zip(page.pages, pages, strict=True)
            for f in with_surnames(text, findings, names, public=page.public)
        }
        if page.title:
            found |= {
                (f.kind, _normal(f.text))
                for f in detect(page.title, public=page.public, names=names)
            }
        tally(scores, page.name, page.expected, found, verbose)
    return scores


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    django.setup()
    for title, folders in (
        ("all", (CORPUS, HELD_OUT)),
        ("development", (CORPUS,)),
        ("held out", (HELD_OUT,)),
    ):
        count = sum(len(load(f)) for f in folders)
        scores = evaluate(folders, verbose=title == "all")
        print(f"\n{title}: {count} pages\n")
        print_table(scores)


if __name__ == "__main__":
    main()
