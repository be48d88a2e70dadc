"""The bodies directory searched for autocompletion: in the database, not by normalising
every intercommunality's name in Python on each keystroke; same answers as before."""

from unittest import mock

import pytest

from contrechamp.access import services
from contrechamp.access.models import PublicBody
from contrechamp.access.services import bodies
from contrechamp.places.models import Epci, PlaceDataLoad

pytestmark = pytest.mark.django_db


def _references(query: str) -> list[str]:
    return [found["reference"] for found in services.body_search(query)]


def test_it_finds_bodies_by_real_names_and_codes(client):
    assert _references("Métropole de Lyon")[0] == "epci:200046977"
    assert _references("metropole   de LYON")[0] == "epci:200046977"
    assert _references("CA du Pays Basque") == ["epci:200067106"]
    assert _references("244200770") == ["epci:244200770"]
    assert services.body_search("244200770")[0]["name"] == "Saint-Étienne Métropole"
    saint_etienne = _references("St-Étienne")
    assert saint_etienne[:2] == ["epci:244200770", "commune:42218"]
    loire = _references("loire")
    assert loire[:2] == ["region:24", "region:52"]  # regions first, by name
    assert {"prefecture:42", "department:42"} <= set(loire)
    assert _references("2a")[:2] == ["prefecture:2A", "department:2A"]
    assert len(_references("pays")) == 20  # the limit
    assert services.body_search("x") == [] and services.body_search(" - ") == []
    # Through the API, as the form's autocompletion asks.
    results = client.get("/api/v1/bodies?q=Pays+Basque").json()["results"]
    assert results[0] == {
        "reference": "epci:200067106",
        "name": "CA du Pays Basque",
        "kind": "epci",
    }


def test_bodies_added_by_hand_come_first_accents_optional(contributor):
    body = PublicBody.objects.create(name="Société publique locale d’Aménagement", kind="company")
    # Listed once a request sent goes to it (a draft's body is its requester's only).
    draft = services.request_create(
        body=body, requester=contributor, title="Caméras", documents_asked="La convention"
    )
    services.request_send(request=draft, sent_on=services.today())
    assert services.body_search("amenagement")[0] == {
        "reference": f"body:{body.id}",
        "name": body.name,
        "kind": "company",
    }
    body.name = "Régie des transports"
    body.save(update_fields=["name"])
    assert _references("regie des")[0] == f"body:{body.id}"
    assert f"body:{body.id}" not in _references("amenagement")


def test_a_search_does_not_normalise_every_place_name():
    services.body_search("warm")  # the directory, built once per places load
    with mock.patch.object(bodies, "name_key", wraps=bodies.name_key) as normalise:
        assert _references("Métropole de Lyon")[0] == "epci:200046977"
    assert normalise.call_count <= 2, normalise.call_count


def test_the_directory_follows_a_new_places_load():
    assert _references("Métropole de Lyon")[0] == "epci:200046977"
    Epci.objects.filter(siren="200046977").update(name="Grand Lyon la Métropole")
    last = PlaceDataLoad.objects.order_by("-id").first()
    last.pk = None
    last.save()
    assert _references("grand lyon") == ["epci:200046977"]


def test_st_and_ste_typed_are_read_both_as_saint_and_as_letters():
    """ "St" is how "Saint" is abbreviated, and also how "Strasbourg", "Grand Est" or
    "Neste" begin or end: completion offers both until the word is finished."""
    st = _references("st")
    assert "region:44" in st  # Grand Est (its council), as before the one normaliser
    assert any(ref.startswith("epci:") for ref in st)
    assert "commune:67482" in _references("Stras")  # Strasbourg
    neste = [b["name"] for b in services.body_search("Ste")]
    assert any("Neste" in name for name in neste), neste
    assert any(name.startswith("CC ") or "Sainte" in name for name in neste)
    # A finished abbreviation means saint only.
    assert all("saint" in b["name"].lower() for b in services.body_search("St-Ét")[:5])


def test_bodies_sort_by_their_folded_name_an_accent_among_its_letter():
    for name in ("Ville de Zonza", "Établissement public Paris Terres d'Envol", "Agence X"):
        PublicBody.objects.create(name=name, kind="other")
    names = list(
        PublicBody.objects.filter(
            kind="other",
            name__in=["Ville de Zonza", "Agence X", "Établissement public Paris Terres d'Envol"],
        ).values_list("name", flat=True)
    )
    assert names == ["Agence X", "Établissement public Paris Terres d'Envol", "Ville de Zonza"]


def test_town_halls_made_together_for_a_series_have_their_sort_key():
    # `bulk_create` skipped `save`: their key was empty and they sorted before "Mairie d'Afa".
    from contrechamp.lib.text import name_key
    from contrechamp.places.models import Commune

    communes = list(Commune.objects.filter(code__in=["2A001", "42218", "13055"]))
    made = bodies.bodies_for_communes(communes)
    assert all(body.name_key == name_key(body.name) for body in made)
    fresh = PublicBody.objects.filter(id__in=[b.id for b in made])
    assert [b.name for b in fresh] == sorted((b.name for b in made), key=name_key)
