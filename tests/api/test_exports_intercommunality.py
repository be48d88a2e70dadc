"""A deployment of an intercommunality alone on the map and in the open data: the walk of
the thirty-third session found it on no map, with no point in the GeoJSON and no trace
of its intercommunality in the CSV."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.places.models import Commune
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def forcalquier_epci(reviewer):
    forcalquier = Commune.objects.select_related("epci").get(code="04088")
    deployment = deployment_create(
        data=deployment_data(
            title="Vidéoprotection intercommunale du pays de Forcalquier",
            communes=[],
            epcis=[forcalquier.epci.siren],
            technologies=["videosurveillance"],
            fundings=[{"funder": "DETR", "amount_eur": "120000", "programme": ""}],
        ),
        author=reviewer,
    )
    return deployment, forcalquier.epci


def _weighted_middle(epci) -> tuple[float, float]:
    communes = list(epci.communes.exclude(latitude=None))
    weights = [float(c.population or 1) for c in communes]
    total = sum(weights)
    return (
        sum(c.longitude * w for c, w in zip(communes, weights, strict=True)) / total,
        sum(c.latitude * w for c, w in zip(communes, weights, strict=True)) / total,
    )


def test_the_map_puts_a_deployment_of_an_intercommunality_alone_at_its_communes_middle(
    forcalquier_epci,
):
    deployment, epci = forcalquier_epci
    features = Client().get(reverse("map-communes")).json()["features"]
    ours = [f for f in features if f["properties"]["kind"] == "intercommunality"]
    assert [f["properties"]["name"] for f in ours] == [epci.name]
    (feature,) = ours
    assert feature["properties"]["url"] == epci.get_absolute_url()
    assert [d["title"] for d in feature["properties"]["deployments"]] == [deployment.title]
    lon, lat = feature["geometry"]["coordinates"]
    expected = _weighted_middle(epci)
    assert abs(lon - expected[0]) < 1e-4 and abs(lat - expected[1]) < 1e-4
    assert all(f["properties"]["kind"] in {"commune", "intercommunality"} for f in features)
    # Filtered on another technology, the intercommunality is not on the map.
    drones = Client().get(reverse("map-communes"), {"technology": "drones"}).json()
    assert all(f["properties"]["kind"] == "commune" for f in drones["features"])


def test_an_intercommunality_with_named_communes_is_not_a_second_marker(reviewer):
    """A deployment naming its communes and their intercommunality is on its communes'
    markers only (not twice)."""
    forcalquier = Commune.objects.select_related("epci").get(code="04088")
    deployment_create(
        data=deployment_data(
            title="Caméras de Forcalquier et de sa communauté",
            communes=["04088"],
            epcis=[forcalquier.epci.siren],
        ),
        author=reviewer,
    )
    features = Client().get(reverse("map-communes")).json()["features"]
    assert not [f for f in features if f["properties"]["kind"] == "intercommunality"]
    assert "04088" in [f["properties"].get("code") for f in features]


def test_the_geojson_and_csv_carry_the_intercommunality_funders_and_address(forcalquier_epci):
    deployment, epci = forcalquier_epci
    data = json.loads(_body(Client().get(reverse("export-geojson"))))
    feature = next(f for f in data["features"] if f["properties"]["slug"] == deployment.slug)
    properties = feature["properties"]
    assert properties["intercommunalities"] == [epci.siren]
    assert properties["funders"] == [{"name": "DETR", "amount_eur": 120000.0}]
    assert properties["url"].endswith(deployment.get_absolute_url())
    assert properties["url"].startswith("http")
    # A point to map it by, not a null geometry a map leaves out.
    assert feature["geometry"]["type"] == "MultiPoint"
    ((lon, lat),) = feature["geometry"]["coordinates"]
    expected = _weighted_middle(epci)
    assert abs(lon - expected[0]) < 1e-4 and abs(lat - expected[1]) < 1e-4

    rows = list(csv.DictReader(io.StringIO(_body(Client().get(reverse("export-csv"))))))
    row = next(r for r in rows if r["title"] == deployment.title)
    assert row["intercommunalities"] == epci.name
    assert row["epci_sirens"] == epci.siren
    assert row["communes"] == ""
    # The first columns keep their places (reusers read them by position).
    assert list(rows[0])[:3] == ["id", "title", "status"]
    # (New columns come last: `latest_source_on` after the intercommunalities.)
    assert list(rows[0])[-4:] == ["url", "intercommunalities", "epci_sirens", "latest_source_on"]


def test_a_deployment_with_communes_keeps_its_communes_points(forcalquier_epci):
    data = json.loads(_body(Client().get(reverse("export-geojson"), {"vendor": "thales"})))
    la_defense = next(f for f in data["features"] if "Défense" in f["properties"]["title"])
    assert len(la_defense["geometry"]["coordinates"]) == 2
    assert la_defense["properties"]["intercommunalities"] == []
