"""Every address of the API, and every export, refuses a parameter it does not take and
one given twice, with a 400 naming the accepted ones, and reads an empty optional one as
left out (`lib.parameters`, applied to the whole API at once). Only the deployments' list
and exports did: `/api/v1/camera-counts?departement=92` answered every count of France,
`/api/v1/documents?kind=pdf` every document, `?department=92&department=93` one of the
two departments; `?limit=` was "not a valid integer"."""

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs/openapi.json").read_text())
# A value for every path parameter (whether it exists does not matter: the parameters
# are checked before anything is looked up).
PATH_VALUES = {
    "slug": "videoprotection",
    "code": "06088",
    "siren": "200030195",
    "document_id": "1",
    "number": "1",
    "request_id": "1",
}
# What the required parameters take.
REQUIRED = {"q": "nice"}


def _operations(*, lists: bool = False) -> list[tuple[str, list[dict]]]:
    found = []
    for path, operations in SCHEMA["paths"].items():
        if "get" in operations and not (lists and "{" in path):
            address = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
            query = [p for p in operations["get"].get("parameters", []) if p["in"] == "query"]
            found.append((address, query))
    return found


OPERATIONS = _operations()
LISTS = _operations(lists=True)


def _base(query: list[dict]) -> dict[str, str]:
    return {p["name"]: REQUIRED[p["name"]] for p in query if p.get("required")}


def test_the_api_has_the_lists_this_file_is_about():
    # (So that the parametrised tests below cannot pass by testing nothing.)
    addresses = {address for address, _q in LISTS}
    assert {
        "/api/v1/deployments",
        "/api/v1/communes",
        "/api/v1/places",
        "/api/v1/epcis",
        "/api/v1/departments",
        "/api/v1/organisations",
        "/api/v1/technologies",
        "/api/v1/camera-counts",
        "/api/v1/search",
        "/api/v1/documents",
        "/api/v1/bodies",
        "/api/v1/requests",
    } <= addresses
    assert len(OPERATIONS) > len(LISTS) >= 12


@pytest.mark.parametrize(("address", "query"), OPERATIONS, ids=[a for a, _q in OPERATIONS])
def test_a_misspelt_parameter_is_refused_naming_every_documented_one(client, address, query):
    response = client.get(address, {**_base(query), "departement": "92"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_parameter", "departement")
    # The accepted ones are the documented ones, all of them and no other.
    documented = [p["name"] for p in query]
    if documented:
        assert error["message"] == (
            f"Unknown parameter “departement”. Accepted: {', '.join(documented)}."
        )
    else:
        assert error["message"] == "Unknown parameter “departement”. This address takes none."


@pytest.mark.parametrize(("address", "query"), LISTS, ids=[a for a, _q in LISTS])
def test_a_parameter_given_twice_is_refused(client, address, query):
    name = query[0]["name"]
    values = {"limit": ["5", "6"], "q": ["nice", "lyon"]}.get(name, ["06", "92"])
    response = client.get(address, {**_base(query), name: values}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == name
    assert error["message"] == (
        f"Le paramètre «\u00a0{name}\u00a0» est donné plusieurs fois\u00a0; il prend une "
        "seule valeur."
    )


@pytest.mark.parametrize(("address", "query"), LISTS, ids=[a for a, _q in LISTS])
def test_an_empty_optional_parameter_is_the_parameter_left_out(client, address, query):
    base = _base(query)
    expected = client.get(address, base)
    assert expected.status_code == 200
    for parameter in query:
        if parameter.get("required"):
            continue
        response = client.get(address, {**base, parameter["name"]: ""})
        assert response.status_code == 200, (parameter["name"], response.content)
        assert response.json() == expected.json(), parameter["name"]


def test_a_nameless_parameter_is_refused(client):
    response = client.get("/api/v1/camera-counts?=92")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == ""


def test_json_is_the_only_format(client):
    assert client.get("/api/v1/departments?format=json").status_code == 200
    response = client.get("/api/v1/departments?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_parameter",
        "message": "Unknown format “csv”. This address answers in: json.",
        "field": "format",
    }
    assert client.get("/api/v1/departments?format=json&format=csv").status_code == 400


def test_a_misspelt_filter_no_longer_answers_every_row(client):
    """The walk's mistake on the lists that ignored it: every camera count of France
    for `?departement=`, every organisation for `?type=`."""
    for address in (
        "/api/v1/camera-counts?departement=13",
        "/api/v1/organisations?type=vendor",
        "/api/v1/communes?dept=06",
        "/api/v1/requests?statut=refused",
        "/api/v1/search?q=camera&commune=06088",
    ):
        assert client.get(address).status_code == 400, address


@pytest.mark.parametrize(
    "address",
    [
        "/exports/dispositifs.csv",
        "/exports/dispositifs.geojson",
        "/carte/communes.geojson",
        "/exports/demandes.csv",
    ],
)
def test_the_exports_refuse_a_misspelt_or_repeated_parameter(client, address):
    response = client.get(address + "?departement=92", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "departement"
    if address != "/exports/demandes.csv":
        twice = client.get(address + "?department=06&department=92")
        assert twice.status_code == 400
        assert twice.json()["error"]["field"] == "department"
        assert client.get(address + "?department=").status_code == 200
    else:
        assert "takes none" in response.json()["error"]["message"]


def test_the_search_refuses_an_origin_or_a_kind_it_does_not_know(client):
    for name, value in (("origin", "presse"), ("kind", "office")):
        response = client.get("/api/v1/search", {"q": "caméra", name: value})
        assert response.status_code == 400
        assert response.json()["error"]["field"] == name
    assert client.get("/api/v1/search", {"q": "caméra", "origin": "press"}).status_code == 200
