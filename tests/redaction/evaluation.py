"""Precision and recall of personal-data detection per kind on the labelled pages.

    .venv/bin/python -m tests.redaction.evaluation
"""

from __future__ import annotations

from pathlib import Path

from tests.documents.evaluation import Score

CORPUS = Path(__file__).parent / "corpus"
KINDS = ["email", "phone", "address", "iban", "person", "plate"]


def _normal(text: str) -> str:
    return " ".join(text.split())


def load() -> list[tuple[str, set[tuple[str, str]], list[str], str]]:
    pages = []
    for path in sorted(CORPUS.glob("*.txt")):
        expected, public = set(), []
        lines = path.read_text().splitlines()
        while lines and lines[0].startswith("@ "):
            kind, value = lines.pop(0)[2:].split(" ", 1)
            if kind == "public":
                public.append(value.strip())
            else:
                assert kind in KINDS, (path.name, kind)
                expected.add((kind, _normal(value)))
        pages.append((path.stem, expected, public, "\n".join(lines).strip() + "\n"))
    return pages


def evaluate(verbose: bool = False) -> dict[str, Score]:
    from contrechamp.redaction.detect import detect

    scores = {kind: Score() for kind in KINDS}
    for name, expected, public, text in load():
        found = {(f.kind, _normal(f.text)) for f in detect(text, public=public)}
        for kind, score in scores.items():
            want = {e for e in expected if e[0] == kind}
            got = {f for f in found if f[0] == kind}
            score.true_positives += len(want & got)
            score.false_positives += len(got - want)
            score.false_negatives += len(want - got)
        if verbose and found != expected:
            print(f"{name}: missed {sorted(expected - found)} extra {sorted(found - expected)}")
    return scores


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    django.setup()
    scores = evaluate(verbose=True)
    print(f"\n{len(load())} pages\n")
    print("| kind | expected | found | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, s in scores.items():
        expected = s.true_positives + s.false_negatives
        found = s.true_positives + s.false_positives
        print(f"| {kind} | {expected} | {found} | {s.precision:.2f} | {s.recall:.2f} |")


if __name__ == "__main__":
    main()
