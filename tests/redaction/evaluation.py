"""Precision and recall of personal-data detection per kind on the labelled pages.

.venv/bin/python -m tests.redaction.evaluation
"""

from __future__ import annotations

from pathlib import Path

from tests.documents.evaluation import Score, print_table, tally

CORPUS = Path(__file__).parent / "corpus"
KINDS = ["email", "phone", "address", "iban", "person", "plate"]


def _normal(text: str) -> str:
    return " ".join(text.split())


def load() -> list[tuple[str, set[tuple[str, str]], list[str], str]]:
    """Pages as (name, expected findings, public names, text). A page marked `@ scan` is
    printed to pixels and read back by Tesseract, as a scanned letter would be: its text
    is what OCR gives."""
    pages = []
    for path in sorted(CORPUS.glob("*.txt")):
        expected, public = set(), []
        lines = path.read_text().splitlines()
        scanned = False
        while lines and lines[0].startswith("@ "):
            if lines[0] == "@ scan":
                scanned = lines.pop(0) == "@ scan"
                continue
            kind, value = lines.pop(0)[2:].split(" ", 1)
            if kind == "public":
                public.append(value.strip())
            else:
                assert kind in KINDS, (path.name, kind)
                expected.add((kind, _normal(value)))
        text = "\n".join(lines).strip() + "\n"
        pages.append((path.stem, expected, public, _scanned(text) if scanned else text))
    return pages


def _scanned(text: str) -> str:
    from contrechamp.documents.ocr import recognise
    from tests.documents.samples import page_image

    return recognise(page_image(text, dpi=300).tobytes("png")).text


def evaluate(verbose: bool = False) -> dict[str, Score]:
    from contrechamp.redaction.detect import detect

    scores = {kind: Score() for kind in KINDS}
    for name, expected, public, text in load():
        found = {(f.kind, _normal(f.text)) for f in detect(text, public=public)}
        tally(scores, name, expected, found, verbose)
    return scores


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    django.setup()
    scores = evaluate(verbose=True)
    print(f"\n{len(load())} pages\n")
    print_table(scores)


if __name__ == "__main__":
    main()
