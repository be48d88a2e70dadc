"""spaCy's labels read only where the rules ask (issue 14, speed of the entity step): the
recogniser runs over windows around the commune candidates that pass every test made
without it and the names after a company cue, not over whole pages — and the suggestions
are those of the whole page, on every real text of the corpus."""

import pytest

from contrechamp.documents import entities
from contrechamp.documents.entities import Labels, detect_text, document_context
from contrechamp.documents.models import Document
from contrechamp.lib.text import nlp
from tests.documents.evaluation import load_real

# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


def _suggestions(text: str, context, doc=None) -> list[tuple]:
    return [
        (f.kind, f.value, f.start, f.end, f.confidence)
        for f in detect_text(text, context=context, doc=doc)
    ]


@pytest.fixture
def read(monkeypatch):
    """The texts the recogniser is given, one list per call."""
    calls: list[list[str]] = []
    model = nlp()

    class Recording:
        def pipe(self, texts, **kw):
            texts = list(texts)
            calls.append(texts)
            return model.pipe(texts, **kw)

    monkeypatch.setattr(entities, "nlp", Recording)
    return calls


def test_the_windows_suggest_what_the_whole_page_suggests_on_every_real_text():
    texts = load_real()
    docs = nlp().pipe([t.text for t in texts], batch_size=16)
    differ = []
    for item, doc in zip(texts, docs, strict=True):
        context = document_context([item.text], Document(date=item.date))
        whole = _suggestions(item.text, context, doc)
        if _suggestions(item.text, context) != whole:
            differ.append(item.name)
    assert differ == []


def test_a_page_is_read_once_and_in_part(read):
    item = next(t for t in load_real() if t.name == "c-cm-pons-neuf-cameras-fipd-2026")
    # A long page: the real text, then pages of minutes naming no place nor company.
    filler = "le conseil adopte la délibération à l'unanimité des membres présents. " * 300
    text = item.text + "\n\n" + filler
    context = document_context([text])
    found = _suggestions(text, context)
    assert ("funder", "FIPD") in {(kind, value) for kind, value, *_ in found}
    assert len(read) <= 1  # one pass of the recogniser for the page
    given = sum(len(window) for call in read for window in call)
    assert given < len(item.text) < len(text) / 5


def test_a_page_without_a_candidate_never_runs_the_recogniser(read):
    text = "les caméras de vidéoprotection filment la place depuis le 3 mars 2021. " * 20
    found = _suggestions(text, document_context([text]))
    assert {kind for kind, *_ in found} == {"technology", "date"}
    assert read == []


def test_a_span_asked_outside_the_windows_gets_its_own(read):
    text = "Un rapport. " * 40 + "M. Laval habite à Nice depuis longtemps. " + "Fin. " * 40
    labels = Labels(text)
    at = text.index("Nice")
    labels.prefetch([(0, 1)])
    assert not any(s <= at < e for s, e in labels.covered)
    assert "LOC" in labels.at(at, at + 4)
    # The second window did not read the first again, and nothing reads it twice.
    assert len(read) == 2 and all(len(call) == 1 for call in read)
    labels.at(at, at + 4)
    assert len(read) == 2


def test_windows_are_cut_at_spaces_and_merged():
    text = "mot " * 200
    labels = Labels(text)
    labels.prefetch([(400, 404), (430, 434), (700, 704)])
    for start, end in labels.covered:
        assert start == 0 or text[start - 1] == " "
        assert end == len(text) or text[end] == " "
    assert len(labels.covered) == 2  # the two near spans share one window
    assert entities.Labels.WINDOW >= 60  # the recogniser looks a few words around


def test_the_pages_of_a_document_read_in_one_pass_suggest_what_each_page_suggests(read):
    texts = [t.text for t in load_real()[:40]]
    context = document_context(texts)
    together = entities.detect_texts(texts, context=context)
    assert len(read) == 1  # one pass of the recogniser for the forty pages
    alone = [detect_text(text, context=context) for text in texts]
    assert [
        [(f.kind, f.value, f.start, f.end, f.confidence) for f in page] for page in together
    ] == [[(f.kind, f.value, f.start, f.end, f.confidence) for f in page] for page in alone]
