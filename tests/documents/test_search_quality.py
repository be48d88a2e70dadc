"""Search quality on real texts, held by floors: the query set of `search_queries.json`
(36 queries people type, the documents answering each labelled before any run) over
82 real texts, on every engine. Figures and how they were measured: docs/quality.md."""

import pytest

from tests.documents import search_eval

pytestmark = pytest.mark.django_db

# Measured at 0.88 / 0.87 / 0.92 (tantivy, SQLite FTS5) and 0.83 / 0.86 / 0.89
# (PostgreSQL); before the field's names, the fallback and the phrase boost:
# 0.61-0.64 / 0.52-0.54 / 0.81-0.83, with 5 to 7 queries finding nothing.
FLOORS = {"p5": 0.80, "recall": 0.80, "mrr": 0.85}
MAX_EMPTY = 3


@pytest.mark.parametrize("engine", ["tantivy", "database"])
def test_search_quality_on_the_real_corpus_stays_above_its_floors(engine, settings):
    settings.SEARCH_BACKEND = engine
    figures = search_eval.evaluate(search_eval.build())
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures[name], figures["rows"])
    assert figures["empty"] <= MAX_EMPTY
