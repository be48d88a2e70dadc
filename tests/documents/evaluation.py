"""Precision and recall of entity suggestions per kind on the evaluation corpus.

.venv/bin/python -m tests.documents.evaluation      # prints the table for the README
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
# Written after the rules were last tuned on CORPUS, and never tuned on since.
HELD_OUT = CORPUS / "held-out"
KINDS = ["commune", "organisation", "technology", "funder", "amount", "date"]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def tally(
    scores: dict[str, Score],
    name: str,
    expected: set[tuple[str, str]],
    found: set[tuple[str, str]],
    verbose: bool,
) -> None:
    """Add one document's (kind, value) sets to the per-kind scores."""
    for kind, score in scores.items():
        want = {e for e in expected if e[0] == kind}
        got = {f for f in found if f[0] == kind}
        score.true_positives += len(want & got)
        score.false_positives += len(got - want)
        score.false_negatives += len(want - got)
    if verbose and found != expected:
        print(f"{name}: missed {sorted(expected - found)} extra {sorted(found - expected)}")


def print_table(scores: dict[str, Score]) -> None:
    print("| kind | expected | found | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, s in scores.items():
        expected = s.true_positives + s.false_negatives
        found = s.true_positives + s.false_positives
        print(f"| {kind} | {expected} | {found} | {s.precision:.2f} | {s.recall:.2f} |")


def load(folder: Path = CORPUS) -> list[tuple[str, set[tuple[str, str]], str]]:
    documents = []
    for path in sorted(folder.glob("*.txt")):
        expected = set()
        lines = path.read_text().splitlines()
        while lines and lines[0].startswith("@ "):
            kind, value = lines.pop(0)[2:].split(" ", 1)
            assert kind in KINDS, (path.name, kind)
            expected.add((kind, value.strip()))
        documents.append((path.stem, expected, "\n".join(lines).strip() + "\n"))
    return documents


def evaluate(
    folders: tuple[Path, ...] = (CORPUS, HELD_OUT), verbose: bool = False
) -> dict[str, Score]:
    from contrechamp.documents.entities import detect_text, document_context

    scores = {kind: Score() for kind in KINDS}
    for name, expected, text in [d for folder in folders for d in load(folder)]:
        found = {(f.kind, f.value) for f in detect_text(text, context=document_context([text]))}
        tally(scores, name, expected, found, verbose)
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
        print(f"\n{title}: {count} documents\n")
        print_table(scores)


if __name__ == "__main__":
    main()
