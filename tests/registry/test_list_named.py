"""The home page's search box leads to the deployments' list: a town typed there
("Lorient") found no deployment and no way to the town's page, which has its requests,
its group and its feed (a new user's walk). The list now names the pages of what was
searched for, and, for a slip that names no place, the communes of the nearest names."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _named(query: str) -> str:
    page = Client().get("/dispositifs/", {"q": query}).content.decode()
    return page.split('id="named">')[1].split("</p>")[0] if 'id="named"' in page else ""


def test_a_town_typed_in_the_home_search_leads_to_its_page():
    named = _named("Lorient")
    assert 'href="/communes/56121/"' in named and "(commune, Morbihan)" in named


def test_a_slip_offers_the_nearest_communes_and_a_word_nothing():
    near = _named("Loriant")
    assert "Places with a close name" in near or "nom proche" in near
    assert 'href="/communes/56121/"' in near
    assert _named("vidéoprotection") == ""
