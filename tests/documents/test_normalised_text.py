"""Text is stored, matched and indexed in one form (NFKC): a ligature or a full-width
letter that PDF extraction returns does not hide a word from entities or search."""

import re

import pytest

from contrechamp.documents.entities import detect_text, document_context
from contrechamp.lib.text import stored_text, stored_text_with_offsets
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

LIGATURED = "Identi\ufb01cation biométrique et \ufb02ux vidéo analysés à Nice."


def test_the_stored_form_spells_out_ligatures_and_compatibility_letters():
    assert stored_text("Identi\ufb01cation \ufb02ux e\ufb00et") == "Identification flux effet"
    assert stored_text("ＣＮＩＬ") == "CNIL"


def test_offsets_of_the_normalised_text_point_back_into_the_original():
    original = "a\ufb01b Ｎice e\u0301t\u00e9"
    normal, origins = stored_text_with_offsets(original)
    assert normal == "afib Nice été"
    assert len(origins) == len(normal) + 1
    start = normal.index("Nice")
    assert original[origins[start] : origins[start + 4]] == "Ｎice"
    assert original[origins[normal.index("été")] : origins[len(normal)]] == "e\u0301t\u00e9"


def test_an_entity_is_found_through_a_ligature_and_points_at_the_original_words():
    found = detect_text(LIGATURED, context=document_context([LIGATURED]))
    technologies = {f.value: f for f in found if f.kind == "technology"}
    assert "biometrie" in technologies
    item = technologies["biometrie"]
    assert LIGATURED[item.start : item.end] == item.text == "Identi\ufb01cation biométrique"


def test_a_pdf_whose_text_has_ligatures_is_stored_plain_and_its_entities_found():
    document = add(samples.text_pdf([LIGATURED]), "ligatures.pdf")
    page = document.pages.get()
    assert "\ufb01" not in page.text and "Identification biométrique" in page.text
    kinds = {(e.kind, e.value) for e in page.entities.all()}
    assert ("technology", "biometrie") in kinds
    # The stored offsets are the stored text's own.
    for entity in page.entities.all():
        assert page.text[entity.start : entity.end] == entity.text


def test_a_number_laid_out_on_a_page_is_never_broken_across_two_lines():
    """A text file is laid out on A4 pages; "1 245 000 € HT" broken after "1" was read as
    245 000 € (a new user's walk). Wherever the line ends, the number stays whole."""
    import pymupdf

    from contrechamp.documents.extract import text_pdf

    for k in range(0, 60, 3):
        line = "Le marché " + "très " * k + "est conclu pour un montant de 1 245 000 € HT."
        data = text_pdf([("p", line)])
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            text = " ".join(page.get_text() for page in pdf)
        assert re.search(r"1[ \u00a0]245[ \u00a0]000[ \u00a0]€", text), (k, text)
        amounts = {f.value for f in detect_text(stored_text(text)) if f.kind == "amount"}
        assert amounts == {"1245000"}, (k, amounts)
