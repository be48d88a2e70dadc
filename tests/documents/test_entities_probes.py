"""Entity suggestions on probe sentences: short texts written for the tests by helper
sessions that never ran the detector, labelled by the corpus's rules
(tests/documents/real/README.md), each a trap or an everyday wording of one kind.

They are unit tests, not the measure (the measure is the real corpus): the floors guard
what the rules do on wordings a reader meets, and were set at the figures measured when
the probes were written (docs/quality.md), minus a margin.
"""

from pathlib import Path

import pytest

from contrechamp.documents.entities import detect_text, document_context
from tests.documents.evaluation import canonical

pytestmark = pytest.mark.django_db

PROBES = Path(__file__).parent / "probes"
MARGIN = 0.03
# (precision, recall), measured 2026-12-03 (seventh session) after the rules they showed.
FLOORS = {
    ("communes.tsv", "commune"): (0.96 - MARGIN, 0.93 - MARGIN),
    ("funders-organisations.tsv", "funder"): (0.91 - MARGIN, 0.98 - MARGIN),
    ("funders-organisations.tsv", "organisation"): (0.94 - MARGIN, 0.96 - MARGIN),
}


def read(name: str) -> list[tuple[str, set[tuple[str, str]]]]:
    """The probe file's sentences ("\\n" for a line break) and their labels (kind=value,
    separated by " | ")."""
    probes = []
    for line in (PROBES / name).read_text(encoding="utf-8").splitlines():
        text, _, labels = line.partition("\t")
        expected = set()
        for label in filter(None, (item.strip() for item in labels.split(" | "))):
            kind, _, value = label.partition("=")
            expected.add((kind.strip(), canonical(kind.strip(), value.strip())))
        probes.append((text.replace("\\n", "\n"), expected))
    return probes


def test_each_probe_file_is_well_formed():
    for name in {name for name, _ in FLOORS}:
        probes = read(name)
        assert len(probes) >= 150
        assert all(text.strip() for text, _ in probes)
        kinds = {kind for _, expected in probes for kind, _ in expected}
        assert kinds <= {"commune", "organisation", "funder", "technology", "amount", "date"}


@pytest.mark.parametrize("name, kind", sorted(FLOORS))
def test_probe_sentences_stay_above_their_floors(name, kind):
    true = found = expected_count = 0
    for text, labels in read(name):
        expected = {value for k, value in labels if k == kind}
        suggested = {
            canonical(kind, item.value)
            for item in detect_text(text, context=document_context([text]))
            if item.kind == kind
        }
        true += len(expected & suggested)
        found += len(suggested)
        expected_count += len(expected)
    precision, recall = true / max(found, 1), true / max(expected_count, 1)
    floor_precision, floor_recall = FLOORS[(name, kind)]
    assert precision >= floor_precision, (name, kind, true, found, expected_count)
    assert recall >= floor_recall, (name, kind, true, found, expected_count)
