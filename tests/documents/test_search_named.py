"""The search page lists the places and organisations its query names: "SNEF" found the
SNEF's documents and deployments but not its page, "Marseille" not Marseille's (a new
user's walk). Hidden organisations (named by a draft only) stay hidden."""

import pytest
from django.test import Client

from contrechamp.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _named(query: str, **headers) -> str:
    page = Client().get("/recherche/", {"q": query}, **headers).content.decode()
    return page.split('<ul id="named">')[1].split("</ul>")[0] if 'id="named"' in page else ""


def test_a_commune_a_department_and_an_organisation_by_name():
    assert 'href="/communes/13055/"' in _named("Marseille") or "/13055/" in _named("marseille")
    assert "(commune, Bouches-du-Rhône)" in _named("marseille")
    assert "(département)" in _named("Gironde")
    organisation = Organisation.objects.public().first()
    assert organisation.get_absolute_url() in _named(organisation.name.upper())


def test_a_hidden_organisation_is_not_named_and_short_words_name_nothing():
    Organisation.objects.create(name="Sécurité Discrète SARL", slug="secu-d", is_public=False)
    assert _named("Sécurité Discrète") == ""
    assert _named("a") == ""
    # Words no place or body holds: no section at all.
    assert _named("vidéoprotection") == ""
