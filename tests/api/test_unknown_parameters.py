"""A parameter that is not a filter is refused by the API and the exports (a new user's
walk asked `?departement=92` and got every deployment), not by the list page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ACCEPTED = "q, technology, status, department, commune, epci, vendor, funder, year, undated"


@pytest.mark.parametrize("address", ["/exports/dispositifs.csv", "/exports/dispositifs.geojson"])
def test_the_exports_refuse_an_unknown_parameter_and_name_the_accepted_ones(address):
    response = Client().get(address + "?departement=92", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["field"] == "departement"
    assert error["message"] == f"Unknown parameter “departement”. Accepted: {ACCEPTED}."


def test_the_api_list_refuses_an_unknown_parameter_and_names_the_accepted_ones():
    response = Client().get("/api/v1/deployments?departement=92", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "departement"
    assert error["message"] == (
        f"Paramètre inconnu : « departement ». Acceptés : {ACCEPTED}, limit, cursor."
    ).replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    assert Client().get("/api/v1/deployments?department=92&limit=5").status_code == 200


def test_the_list_page_ignores_a_tracking_parameter():
    response = Client().get("/dispositifs/?department=92&utm_source=newsletter")
    assert response.status_code == 200
