"""Hostile review 55b: people's version comments rewritten by `comment_shown`."""

import pytest
from django.utils import translation

from contrechamp.registry.revisions import comment_shown


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "comment",
    [
        'commune "Nice" remplacée par "Villefranche"',
        "organisation « Axis » fusionnée avec « Axians »",
        "created (by mistake, see the other one)",
    ],
)
def test_a_persons_comment_is_shown_as_written(comment, language):
    """'People's comments as written', says the mending. A contributor's comment that
    starts with a kind's word and ends with a quote is taken for the software's
    'kind “label”': its first quotation mark and its last are replaced, the middle
    kept ('commune « Nice" remplacée par "Villefranche »'); one that starts with a
    system word and ends in brackets is half translated ('créé (by mistake, …)')."""
    with translation.override(language):
        assert comment_shown(comment) == comment
