"""The one name normaliser: every spelling of a name gives one key."""

import sys
import unicodedata

import pytest

from contrechamp.lib.text import (
    APOSTROPHES,
    DASHES,
    name_key,
    name_key_prefixes,
    slug_of,
    unaccent,
)

SAINT_ETIENNE = [
    "Saint-Étienne",
    "St-Étienne",
    "Saint\u2010Étienne",  # U+2010 HYPHEN, as PDF text has it
    "Saint\u2011Étienne",  # U+2011 NON-BREAKING HYPHEN
    "SAINT ETIENNE",
    "Saint–Étienne",  # en dash
    "Saint—Étienne",  # em dash
    "Saint\u2212Étienne",  # minus sign, as OCR reads a hyphen
    "ST ÉTIENNE",
    "  saint   étienne ",
    "Ｓａｉｎｔ－Ｅｔｉｅｎｎｅ",  # full-width forms
    "Saint-E\u0301tienne",  # decomposed accent
]


@pytest.mark.parametrize("spelling", SAINT_ETIENNE)
def test_it_gives_every_spelling_of_saint_etienne_one_key(spelling):
    assert name_key(spelling) == "saint etienne"


def test_it_reads_st_and_ste_as_saint_and_sainte_but_only_as_words():
    assert name_key("Ste-Foy-lès-Lyon") == name_key("Sainte-Foy-lès-Lyon") == "sainte foy les lyon"
    assert name_key("Stenay") == "stenay"


def test_it_spells_out_ligatures():
    # NFKC: the typographic ligatures of PDF text; œ and æ are letters of their own.
    assert name_key("Con\ufb01dentiel \ufb02ux e\ufb00et") == "confidentiel flux effet"
    assert name_key("Œuilly") == name_key("Oeuilly") == "oeuilly"
    assert name_key("Lætitia") == "laetitia"


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_it_reads_every_apostrophe_as_a_space(apostrophe):
    assert name_key(f"L{apostrophe}Haÿ-les-Roses") == "l hay les roses"


def test_it_knows_every_dash_unicode_knows():
    # The list is written out (scanning the tables at import costs 0.2 s): a newer
    # Unicode version adding a dash must not slip past it.
    dashes = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"}
    assert dashes <= set(DASHES)
    for dash in DASHES:
        assert name_key(f"Saint{dash}Étienne") == "saint etienne", hex(ord(dash))


def test_it_folds_case_beyond_lower():
    assert name_key("STRASSE") == name_key("Straße") == "strasse"


def test_a_name_being_typed_may_begin_with_st_or_be_a_saint():
    assert name_key_prefixes("St") == ["saint", "st"]
    assert name_key_prefixes("Le Ste") == ["le sainte", "le ste"]
    # Once a separator follows, the abbreviation is one.
    assert name_key_prefixes("St-Ét") == ["saint et"]
    assert name_key_prefixes("St ") == ["saint"]
    assert name_key_prefixes("Nice") == ["nice"]


def test_unaccent_drops_every_combining_mark_as_the_character_test_does():
    # The character class of `unaccent` against the definition it replaced, on every
    # character of the Basic Multilingual Plane (one by one and all together), on marks
    # of the other planes (Brahmi, musical symbols) and on text of the field.
    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert unaccent(every) == reference(every)
    for char in every:
        assert unaccent(char) == reference(char), hex(ord(char))
    samples = [
        "Saint-Étienne, Noël, Œuilly, ﬁchier, vidéoprotection à 12 000 €",
        "a\U00011001\u0301b \U0001d165\U0001d167 ok",
        "",
        "plain ascii",
    ]
    for text in samples:
        assert unaccent(text) == reference(text)


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database


def test_fold_spells_every_character_as_one_table_would():
    # `fold` replaces dashes, apostrophes, œ and æ one `str.replace` at a time (a scan in
    # C each); the result is the one table's over every character of the Basic
    # Multilingual Plane, and none it writes is replaced again.
    from contrechamp.lib import textsearch

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    table = str.maketrans(dict(textsearch._SPELLING))
    assert textsearch._spelt(every) == every.translate(table)
    assert textsearch.fold("L’œil — l’ex‑maire") == "l'oeil - l'ex-maire"


# --- what a query excludes ("caméras -Nice"), attacked by a review -----------------------


def test_every_dash_and_quote_leaves_a_word_out():
    from contrechamp.lib.textsearch import excluded_phrases, query_words

    for text in [
        "caméras -Nice",
        "caméras −Nice",  # a minus sign
        "caméras –Nice",
        "caméras ―Nice",  # a horizontal bar
        "caméras －Nice",  # full width
        "caméras ﹣Nice",
        "caméras --Nice",
        "caméras -'Nice'",
        "caméras -‘Nice’",
        "caméras -„Nice“",
        "caméras -« Nice »",
        'caméras -"Nice"',
    ]:
        assert query_words(text) == ["cameras"], text
        assert excluded_phrases(text) == [["nice"]], text


def test_a_dash_inside_a_query_in_quotes_or_a_word_excludes_nothing():
    from contrechamp.lib.textsearch import excluded_wordings, query_words

    for text, words in [
        ('"caméras -port"', ["cameras", "port"]),
        ("« caméras -port »", ["cameras", "port"]),
        ("vidéo-surveillance 2019-2020", ["kvideosurveillance", "2019", "2020"]),
        ("Nice - caméras", ["nice", "cameras"]),
    ]:
        assert query_words(text) == words, text
        assert excluded_wordings(text) == [], text


def test_stop_words_of_any_engine_and_over_long_words_are_not_left_out():
    """ "caméras -est" left out nearly every page on SQLite and tantivy and none on
    PostgreSQL, whose French list drops "est"; tantivy drops words over 40 letters."""
    from contrechamp.lib.textsearch import excluded_phrases, excluded_wordings, query_words

    for text in [
        "caméras -est",
        "caméras -sont",
        "caméras -ai",
        "caméras -la",
        "caméras -" + "a" * 41,
    ]:
        assert excluded_phrases(text) == [] and excluded_wordings(text) == [], text
        assert query_words(text) == ["cameras"], text
    # In a phrase, they stay between its words.
    assert excluded_phrases('caméras -"port de Nice"') == [["port", "nice"]]


def test_a_flood_of_exclusions_is_read_up_to_a_bound():
    """Each excluded wording was compared with every earlier one: 34,000 of them took
    33 s of one request to the API. The first 16 are read, 8 words each."""
    from contrechamp.lib.textsearch import (
        MAX_EXCLUDED,
        MAX_EXCLUDED_WORDS,
        excluded_phrases,
        excluded_wordings,
        query_words,
        without_excluded,
    )

    text = "caméras " + " ".join(f"-w{i}" for i in range(20_000))
    assert len(excluded_phrases(text)) == MAX_EXCLUDED == len(excluded_wordings(text))
    assert query_words(text) == ["cameras"] and "w19999" not in without_excluded(text)
    long = 'caméras -"' + " ".join(f"w{i}" for i in range(20_000)) + '"'
    assert [len(p) for p in excluded_phrases(long)] == [MAX_EXCLUDED_WORDS]


def test_a_name_of_the_field_is_left_out_alone_or_in_a_phrase():
    from contrechamp.lib.textsearch import excluded_phrases, excluded_spellings

    # Alone: every spelling of it (the pages' index holds its key after each).
    assert excluded_phrases("drones -vidéo-protection") == [["kvideosurveillance"]]
    spellings = excluded_spellings("drones -vidéo-protection")
    assert ["videosurveillance"] in spellings and ["cameras", "augmentee"] in spellings
    # In a phrase: its words as written, as both indexes hold them.
    assert excluded_phrases('caméras -"caméras de vidéoprotection"') == [
        ["cameras", "videoprotection"]
    ]
    assert excluded_spellings('caméras -"drone Nice"') == [["drone", "nice"]]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Caméras du cœur de ville", "cameras-du-coeur-de-ville"),
        ("Vidéoprotection : ŒUVRE SOCIALE", "videoprotection-oeuvre-sociale"),
        ("Ex æquo", "ex-aequo"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("ﬁbre optique", "fibre-optique"),  # a ligature of a PDF's text
        ("« — »", "collectif"),
    ],
)
def test_an_address_spells_out_letters_slugify_would_drop(title, expected):
    assert slug_of(title, "collectif") == expected
