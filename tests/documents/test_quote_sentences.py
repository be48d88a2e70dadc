"""Where the sentence a suggestion is quoted from ends (`services._sentence_ends`): past a
title before a name, an abbreviation or an initial; at a line's end; and not quadratic on
dot leaders."""

import time

import pytest

from contrechamp.documents.services import _sentence_ends


def _ends(text: str) -> list[str]:
    """The last words of each sentence that ends (the text's last one has nothing after)."""
    return [" ".join(text[:e].split()[-2:]) for e in _sentence_ends(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("Elle est évoquée par M. Benali mais écartée. Fin.", ["mais écartée."]),
        ("Présents : J.-P. Castellani, Mme Roussel. La suite.", ["Mme Roussel."]),
        ("Une zone de 100 m. La ville installe.", ["100 m."]),
        ("Il a filmé le vol. La police enquête.", ["le vol."]),
        ("Les caméras de catégorie A. Les autres.", ["catégorie A."]),
        ("Le maire signe.\nLa ville paie.", ["maire signe."]),
    ],
)
def test_a_sentence_ends_past_titles_and_initials_not_past_units(text, ends):
    assert _ends(text) == ends


def test_the_sentence_before_a_suggestion_is_not_pulled_in():
    """A review of the session's change: an entity opening a sentence had the sentence
    before it quoted too (the end before it was looked for up to the entity only, and
    ". M" could not see its capital)."""
    text = "Le conseil a voté le budget de M. Dupont. Marseille installe des caméras."
    assert _sentence_ends(text, 0, text.index("Marseille")) == [text.index(" Marseille")]


def test_dot_leaders_take_no_time():
    started = time.process_time()
    _sentence_ends("." * 30_000 + "x", 0, 30_001)
    assert time.process_time() - started < 0.5
