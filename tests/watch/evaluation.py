"""The watch's scorer against the hand-labelled records of tests/watch/data/labels.jsonl
(labelled before any scorer existed): precision and recall of the candidates at the
default threshold, on the development part (tuned on) and the held-out part (never).

    python -m tests.watch.evaluation [--dev | --held-out]

The held-out part is fixed by a hash of each record's place in the samples, as for the
entity corpus: `int(sha1("<path>#<index>")[:8], 16) % 5 < 2`. The DECP in its shapes,
TED and the BOAMP's API records are measured; a record marked `same_as` is the same
contract as one listed before and is left out, and "ambiguous" counts as no."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

LABELS = Path(__file__).parent / "data" / "labels.jsonl"
# Copies of the labelled files of ../shared/watch-samples/ (same paths below this folder).
SAMPLES = Path(__file__).parent / "data" / "samples"
SOURCES = {"decp-2019", "decp-2022", "decp-csv", "ted", "boamp"}
# The labelled BOAMP files the connector reads (the Opendatasoft API's records; the
# retired DILA formats are not read, so not measured).
BOAMP_READ = "boamp/opendatasoft-api/"


def is_held_out(path: str, index: int) -> bool:
    return int(hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:8], 16) % 5 < 2


@dataclass
class Outcome:
    label: dict
    score: int
    reasons: list[str]

    @property
    def expected(self) -> bool:
        return self.label["surveillance"] == "yes"

    @property
    def found(self) -> bool:
        from contrechamp.watch.scoring import THRESHOLD

        return self.score >= THRESHOLD


def _read(source: str, path: Path) -> dict[int, list]:
    """The records of a labelled file by their index, each with its raw form (DECP) or
    none (the notices' readers give records)."""
    from contrechamp.watch import boamp, decp, ted

    by_index: dict[int, list] = {}
    if source in ("ted", "boamp"):
        for record in (ted if source == "ted" else boamp).read_path(path):
            by_index.setdefault(record.index, []).append((None, record))
        return by_index
    for raw in decp.read_path(path):
        by_index.setdefault(raw.index, []).append((raw, decp.normalise(raw)))
    return by_index


def outcomes() -> list[Outcome]:
    from contrechamp.watch.scoring import score_record

    labels = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    labels = [o for o in labels if o["source"] in SOURCES and "same_as" not in o]
    labels = [o for o in labels if o["source"] != "boamp" or o["path"].startswith(BOAMP_READ)]
    records: dict[str, dict[int, list]] = {}
    result = []
    for label in labels:
        if label["path"] not in records:
            records[label["path"]] = _read(label["source"], SAMPLES / label["path"])
        found = records[label["path"]].get(label["index"], [])
        ids = {label["record"]}
        match = next(
            (r for raw, r in found if r.record_id in ids or (raw and raw.data.get("uid") in ids)),
            found[0][1] if found else None,
        )
        if match is None:
            raise LookupError(f"no record at {label['path']}#{label['index']}")
        text = match.object
        score = score_record(text=text, cpv=match.cpv, holders=match.holders, vendors={})
        result.append(Outcome(label, score.score, score.reasons))
    return result


def figures(items: list[Outcome]) -> dict[str, float]:
    tp = sum(1 for o in items if o.expected and o.found)
    fp = sum(1 for o in items if not o.expected and o.found)
    fn = sum(1 for o in items if o.expected and not o.found)
    return {
        "records": len(items),
        "surveillance": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def split(items: list[Outcome], *, held_out: bool) -> list[Outcome]:
    return [o for o in items if is_held_out(o.label["path"], o.label["index"]) == held_out]


def main(argv: list[str]) -> None:
    import django

    django.setup()
    items = outcomes()
    parts = {"development": split(items, held_out=False), "held-out": split(items, held_out=True)}
    for name, part in parts.items():
        f = figures(part)
        print(
            f"{name:12} records {f['records']:4}  surveillance {f['surveillance']:3}  "
            f"precision {f['precision']:.2f}  recall {f['recall']:.2f}"
        )
    if "--dev" in argv:
        for o in parts["development"]:
            if o.expected != o.found:
                what = "missed" if o.expected else "false candidate"
                print(f"{what}: {o.score} {o.label['object'][:90]!r} {o.reasons}")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    main(sys.argv[1:])
