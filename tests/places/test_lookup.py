"""Every spelling of a place name finds the place: the API commune search, the
deployment form's commune field and entity matching use one key (lib/text.py)."""

import importlib

import pytest
from django.apps import apps

from contrechamp.documents.entities import detect_text
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune

pytestmark = pytest.mark.django_db

SPELLINGS = ["St-Étienne", "Saint\u2010Étienne", "SAINT ETIENNE", "Saint–Étienne"]
SAINT_ETIENNE = "42218"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_it_finds_saint_etienne_in_the_api_commune_search(client, spelling):
    response = client.get("/api/v1/communes", {"q": spelling})
    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == SAINT_ETIENNE


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_it_finds_saint_etienne_by_its_stored_key(spelling):
    found = Commune.objects.filter(name_key=name_key(spelling), kind="commune")
    assert list(found.values_list("code", flat=True)) == [SAINT_ETIENNE]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_it_matches_saint_etienne_as_an_entity(spelling):
    text = f"La commune de {spelling} a installé 40 caméras de vidéoprotection en 2023."
    communes = [f for f in detect_text(text) if f.kind == "commune"]
    assert [f.value for f in communes] == [SAINT_ETIENNE], communes
    found = communes[0]
    assert text[found.start : found.end] == spelling


def test_the_migration_rewrites_keys_stored_by_the_old_normaliser():
    # The places normaliser before lib/text.py kept "œ" and did not read "St" as "saint".
    commune = Commune.objects.get(code=SAINT_ETIENNE)
    Commune.objects.filter(pk=commune.pk).update(name_key="st etienne")
    migration = importlib.import_module(
        "contrechamp.places.migrations.0003_commune_name_key_one_normaliser"
    )
    migration.rewrite_keys(apps, None)
    assert Commune.objects.get(pk=commune.pk).name_key == "saint etienne"
    assert not Commune.objects.exclude(kind="arrondissement").filter(name_key="").exists()


@pytest.mark.parametrize("typed", ["St", "st", "Ste"])
def test_it_still_completes_names_that_begin_with_st(client, typed):
    # "St" is read as "saint", but a name being typed may be "Strasbourg" or "Stenay":
    # the commune search looks for both while the abbreviation is the last word typed.
    response = client.get("/api/v1/communes", {"q": typed})
    names = [c["name"] for c in response.json()["results"]]
    # Strasbourg, Stains, Steenvoorde, Stenay... and the saints.
    assert any(n.lower().startswith(typed.lower()) for n in names), names
    assert any(n.startswith("Sainte-" if typed == "Ste" else "Saint-") for n in names), names
    if typed.lower() == "st":
        assert names[0] == "Strasbourg"  # the most populated of them all


def test_a_finished_abbreviation_is_saint_only(client):
    response = client.get("/api/v1/communes", {"q": "St-Ét"})
    assert [c["code"] for c in response.json()["results"]][0] == SAINT_ETIENNE
    assert all(c["name"].startswith("Saint") for c in response.json()["results"])
