"""Precision and recall of entity suggestions per kind.

The measure is the corpus of real public texts in `real/` (press, CADA opinions, court
decisions, prefectoral orders, council minutes, procurement notices, CNIL texts...), each
with its URL and date, labelled by hand before the detector was run on it, and split
into a development part and a held-out part by a hash of the file name, so no one
chooses which text is held out:

    .venv/bin/python -m tests.documents.evaluation --dev        # table + misses, to tune on
    .venv/bin/python -m tests.documents.evaluation --held-out   # table only, never misses
    .venv/bin/python -m tests.documents.evaluation --agreement  # a second annotator's labels
    .venv/bin/python -m tests.documents.evaluation --held-out --by-source   # per genre

The held-out part prints no per-document misses: the rules are never fitted to it. The
texts written for the project (`corpus/`) stay as unit tests:

    .venv/bin/python -m tests.documents.evaluation --written
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
# Written after the rules were last tuned on CORPUS, and never tuned on since.
HELD_OUT = CORPUS / "held-out"
REAL = Path(__file__).parent / "real"
KINDS = ["commune", "organisation", "technology", "funder", "amount", "date"]
SOURCES = {
    "press",
    "cada",
    "court",
    "prefecture",
    "council",
    "procurement",
    "cnil",
    "statement",
    "report",
    "association",
    "parliament",
}


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


@dataclass
class RealText:
    name: str
    url: str
    published: str
    source: str
    expected: set[tuple[str, str]]
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def held_out(self) -> bool:
        return is_held_out(self.name)

    @property
    def date(self) -> date | None:
        """The publication date as a date (a month or a year alone: its first day)."""
        match = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", self.published)
        if not match:
            return None
        year, month, day = match.groups()
        return date(int(year), int(month or 1), int(day or 1))


def is_held_out(name: str) -> bool:
    """Two texts in five, by a hash of the file name: decided before any text was read."""
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) % 5 < 2


def load_real(part: str = "all", folder: Path = REAL) -> list[RealText]:
    """The real texts, `part` "all", "dev" or "held-out"."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        headers: dict[str, str] = {}
        expected = set()
        lines = path.read_text(encoding="utf-8").splitlines()
        while lines and lines[0].startswith("# "):
            name, _, value = lines.pop(0)[2:].partition(":")
            headers[name.strip()] = value.strip()
        while lines and lines[0].startswith("@ "):
            kind, value = lines.pop(0)[2:].split(" ", 1)
            assert kind in KINDS, (path.name, kind)
            expected.add((kind, value.strip()))
        item = RealText(
            name=path.stem,
            url=headers.get("url", ""),
            published=headers.get("date", ""),
            source=headers.get("source", ""),
            expected=expected,
            text="\n".join(lines).strip() + "\n",
            headers=headers,
        )
        if part == "all" or (part == "held-out") == item.held_out:
            texts.append(item)
    return texts


def canonical(kind: str, value: str) -> str:
    """The form a label and a suggestion are compared under. Organisations and funders
    by their name key, through the gazetteer's aliases ("Cnil" and "CNIL" are one), so
    a labeller's spelling of a known body never counts as a miss."""
    if kind not in ("organisation", "funder"):
        return value
    from contrechamp.documents.entities import DATA, key

    aliases = _aliases(str(DATA))
    value_key = aliases.get(key(value), key(value))
    # A department's name with or without its article ("Département de Lot-et-Garonne",
    # "du Lot-et-Garonne"; "Préfecture de Tarn-et-Garonne"): one body.
    return _DEPARTMENT_ARTICLE.sub(r"\1 ", value_key)


_DEPARTMENT_ARTICLE = re.compile(r"^(departement|prefecture) (?:de la|de l|du|des|de|d) ")


_ALIASES: dict[str, dict[str, str]] = {}


def _aliases(path: str) -> dict[str, str]:
    if path not in _ALIASES:
        import json

        from contrechamp.documents.entities import key

        table: dict[str, str] = {}
        for item in json.loads(Path(path).read_text())["organisations"]:
            for alias in [item["name"], *item["aliases"]]:
                table.setdefault(key(alias), key(item["name"]))
        _ALIASES[path] = table
    return _ALIASES[path]


def evaluate_real(part: str = "held-out", verbose: bool = False) -> dict[str, Score]:
    """Scores on the real texts. Misses are printed only for the development part."""
    return evaluate_real_by_source(part, verbose, by_source=False)[""]


def evaluate_real_by_source(
    part: str = "held-out", verbose: bool = False, *, by_source: bool = True
) -> dict[str, dict[str, Score]]:
    """Scores on the real texts of `part`, per genre (`source` header) when `by_source`,
    else all together under "". Misses are printed only for the development part."""
    from contrechamp.documents.entities import detect_text, document_context
    from contrechamp.documents.models import Document

    assert not (verbose and part != "dev"), "the held-out misses are never printed"
    groups: dict[str, dict[str, Score]] = {}
    for item in load_real(part):
        scores = groups.setdefault(item.source if by_source else "", {k: Score() for k in KINDS})
        # As the pipeline sees a document whose date is known (metadata or uploader).
        document = Document(date=item.date)
        context = document_context([item.text], document)
        found = {
            (f.kind, canonical(f.kind, f.value)) for f in detect_text(item.text, context=context)
        }
        expected = {(kind, canonical(kind, value)) for kind, value in item.expected}
        tally(scores, item.name, expected, found, verbose)
    return groups or {"": {k: Score() for k in KINDS}}


def print_by_source(part: str) -> None:
    """One row per genre: texts, and precision / recall per kind (— without labels)."""
    texts: dict[str, int] = {}
    for item in load_real(part):
        texts[item.source] = texts.get(item.source, 0) + 1
    groups = evaluate_real_by_source(part)
    print("| genre | texts | " + " | ".join(KINDS) + " |")
    print("| --- | ---: |" + " --- |" * len(KINDS))
    for source in sorted(groups, key=lambda s: (-texts[s], s)):
        cells = []
        for kind in KINDS:
            score = groups[source][kind]
            expected = score.true_positives + score.false_negatives
            found = score.true_positives + score.false_positives
            cells.append(
                f"{score.precision:.2f} / {score.recall:.2f} ({expected})"
                if expected or found
                else "—"
            )
        print(f"| {source} | {texts[source]} | " + " | ".join(cells) + " |")


def evaluate(
    folders: tuple[Path, ...] = (CORPUS, HELD_OUT), verbose: bool = False
) -> dict[str, Score]:
    from contrechamp.documents.entities import detect_text, document_context

    scores = {kind: Score() for kind in KINDS}
    for name, expected, text in [d for folder in folders for d in load(folder)]:
        found = {(f.kind, f.value) for f in detect_text(text, context=document_context([text]))}
        tally(scores, name, expected, found, verbose)
    return scores


SECOND_LABELS = REAL / "second-labels.tsv"


def agreement(path: Path = SECOND_LABELS) -> dict[str, tuple[int, int, int]]:
    """A second annotator's labels against the corpus's, over the texts both labelled:
    per kind, the (kind, value) pairs both gave, the corpus's only, the second's only."""
    second: dict[str, set[tuple[str, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kind, value = line.split("\t")
            second.setdefault(name, set()).add((kind, canonical(kind, value)))
    counts = {kind: [0, 0, 0] for kind in KINDS}
    for item in load_real():
        if item.name not in second:
            continue
        first = {(kind, canonical(kind, value)) for kind, value in item.expected}
        for kind, _ in first & second[item.name]:
            counts[kind][0] += 1
        for kind, _ in first - second[item.name]:
            counts[kind][1] += 1
        for kind, _ in second[item.name] - first:
            counts[kind][2] += 1
    return {kind: (both, first, other) for kind, (both, first, other) in counts.items()}


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    django.setup()
    args = sys.argv[1:] or ["--held-out"]
    if "--agreement" in args:
        print("| kind | both | corpus only | second only | F1 |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for kind, (both, first, other) in agreement().items():
            f1 = 2 * both / (2 * both + first + other) if both + first + other else 1.0
            print(f"| {kind} | {both} | {first} | {other} | {f1:.2f} |")
        return
    if "--dev" in args or "--held-out" in args:
        for part in ("dev", "held-out"):
            if f"--{part}" not in args:
                continue
            if "--by-source" in args:
                print(f"\nreal texts, {part}, per genre: precision / recall (labels)\n")
                print_by_source(part)
                continue
            texts = load_real(part)
            scores = evaluate_real(part, verbose=part == "dev" and "--quiet" not in args)
            print(f"\nreal texts, {part}: {len(texts)} texts\n")
            print_table(scores)
        return
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
