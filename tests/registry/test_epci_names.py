"""The intercommunality field (deployments, groups) refused the everyday name ("Lorient
Agglomération", the town's "Lorient") with no help: only the official "CA Lorient
Agglomération" went through (a new user's walk)."""

import pytest

from contrechamp.registry.forms import parse_epcis

pytestmark = pytest.mark.django_db


def test_the_name_without_its_legal_form_is_the_intercommunality():
    assert parse_epcis("Lorient Agglomération") == (["200042174"], [])
    assert parse_epcis("lorient agglomeration") == (["200042174"], [])
    assert parse_epcis("CA Lorient Agglomération") == (["200042174"], [])


def test_a_town_or_a_word_is_refused_with_the_intercommunalities_it_may_mean():
    sirens, errors = parse_epcis("Lorient")
    assert sirens == [] and "CA Lorient Agglomération (200042174)" in errors[0]
    sirens, errors = parse_epcis("Grand Paris")
    assert sirens == [] and "Métropole du Grand Paris (200054781)" in errors[0]
    # Nothing close: the plain refusal.
    sirens, errors = parse_epcis("Zzyzx")
    assert sirens == [] and "(" not in errors[0]
