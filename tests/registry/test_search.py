import pytest

from contrechamp.registry.filters import DeploymentFilters, FilterError
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data


def titles(**filters):
    return [d.title for d in DeploymentFilters(**filters).apply(Deployment.objects.published())]


@pytest.mark.parametrize(
    "query",
    [
        "reconnaissance faciale",
        "Reconnaissance Faciale",
        "RECONNAISSANCE FACIALE",
        "reconnaissances faciales",
    ],
)
def test_it_finds_facial_recognition_whatever_the_case_and_number(db, query):
    found = titles(q=query)
    assert "Portique de reconnaissance faciale au lycée Ampère" in found
    assert "TAJ : traitement des antécédents judiciaires" in found


@pytest.mark.parametrize("query", ["caméra", "camera", "caméras", "CAMERAS"])
def test_it_matches_accents_and_plurals(db, query):
    found = titles(q=query)
    assert "Caméras fixes et mobiles à Forcalquier" in found
    assert "Caméras autour du point de collecte des déchets de Marcillac-Vallon" in found


def test_it_ranks_the_best_match_first_and_searches_places_and_vendors(db):
    assert titles(q="capteurs sonores")[0].startswith("S.O.F.T.")
    assert titles(q="Saint-Etienne")[:2] and all(
        "Étienne" in t or "S.O.F.T" in t for t in titles(q="Saint-Etienne")
    )
    assert titles(q="Serenicity") == ["S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot"]


def test_stop_words_alone_match_nothing(db):
    assert titles(q="le la les") == []


def test_the_index_follows_edits(db):
    d = deployment_create(data=deployment_data(title="Lecteurs de plaques au péage"), author=None)
    assert titles(q="péages") == [d.title]


def test_filters_combine(db):
    assert titles(technology="detection-sonore") == [
        "S.O.F.T. : capteurs sonores à Tarentaize-Beaubrun-Couriot"
    ]
    assert set(titles(department="13")) == {
        "Observatoire Big Data de la tranquillité publique",
        "Portique de reconnaissance faciale au lycée Ampère",
        "Vidéosurveillance algorithmique à Marseille (SNEF)",
    }
    assert titles(funder="feder-union-europeenne") == [
        "Observatoire Big Data de la tranquillité publique"
    ]
    assert titles(vendor="briefcam") == ["Vidéosurveillance algorithmique à Nîmes (Briefcam)"]
    assert titles(status="unlawful", department="06") == [
        "Portique de reconnaissance faciale à l'entrée d'un lycée de Nice"
    ]
    # Active in 2019: started before the end of 2019 and not ended before it.
    in_2019 = titles(year=2019)
    assert "Portique de reconnaissance faciale au lycée Ampère" in in_2019
    assert "Reporty : application de signalement vidéo à la police municipale" not in in_2019
    assert "Vidéosurveillance algorithmique à Nîmes (Briefcam)" in in_2019
    assert "Caméras fixes et mobiles à Forcalquier" not in in_2019


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "deux mille"}, "year"),
        ({"status": "secret"}, "status"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_are_refused_with_the_field_named(params, field):
    with pytest.raises(FilterError) as excinfo:
        DeploymentFilters.from_params(params)
    assert excinfo.value.field == field
