"""The wording of a commune's figures (a new user's walk read "chiffre de 14 mars 2024",
"Caméras par km² … en 14 mars 2024", "rang 1 sur 1 communes", and three English date
formats on the same pages)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount

pytestmark = pytest.mark.django_db


def _page(code: str, language: str) -> str:
    html = Client().get(f"/communes/{code}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return " ".join(html.replace("\u00a0", " ").split())


def test_a_figure_known_to_the_day_reads_du_and_au_and_a_lone_commune_is_singular():
    agde = Commune.objects.get(code="34003")
    CameraCount.objects.create(commune=agde, count=120, date="2024-03-14")
    french = _page("34003", "fr")
    assert "chiffre du 14 mars 2024" in french and "au 14 mars 2024" in french
    assert "chiffre de 14" not in french and "en 14 mars" not in french
    assert "rang 1 sur 1 commune de " in french
    english = _page("34003", "en")
    assert "figure of 14 March 2024" in english and "rank 1 of 1 commune of " in english


def test_a_figure_known_to_the_month_reads_de_and_en():
    agde = Commune.objects.get(code="34003")
    CameraCount.objects.create(commune=agde, count=120, date="2024-03")
    french = _page("34003", "fr")
    assert "chiffre de mars 2024" in french and "en mars 2024" in french


def test_english_days_have_one_format():
    template = Template("{{ a|day }} / {{ b|day }} / {{ c|date:'DATE_FORMAT' }}")
    with translation.override("en"):
        text = template.render(
            Context({"a": dt.date(2024, 2, 2), "b": "2024-03-14", "c": dt.date(2024, 3, 14)})
        )
    assert text == "2 February 2024 / 14 March 2024 / 14 March 2024"


def test_the_maps_zoom_buttons_are_titled_in_the_pages_language():
    html = Client().get("/carte/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-zoom-in="Zoomer"' in html and 'data-zoom-out="Dézoomer"' in html
