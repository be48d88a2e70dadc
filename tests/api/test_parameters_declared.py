"""Every export and every address of the API, as the URL configuration holds them,
declares the parameters it takes and refuses any other, and one given twice, with the
API's 400 naming the declared ones (`lib.parameters`). `/exports/departements.csv` was
left out of the rule (`?departement=92&tri=x` answered the whole table without a word):
this test walks the routes rather than a list someone keeps, so that a new export or
endpoint nobody declared parameters for fails it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from contrechamp.api.api import unmatched

ACCEPTED = "accepted_parameters"  # lib.parameters.ACCEPTED

pytestmark = pytest.mark.django_db

# Where data is served: the exports, the API, and any address named like a data file.
DATA_PREFIXES = ("api/", "exports/")
DATA_SUFFIXES = (".csv", ".geojson", ".json", ".jsonl")
# Views that answer whatever the parameters, each with the reason.
NOT_READING = {
    unmatched: "no endpoint is there: a 404 naming where they are, whatever it is asked",
}
UNKNOWN = "zz_unknown"


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _address(route: str) -> str:
    """An address the route answers: any value for its path parameters (the rule is
    applied before anything is looked up)."""
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "a1", route
    )


DATA_ROUTES = sorted(
    {
        route
        for route in _routes(get_resolver().url_patterns)
        if route.startswith(DATA_PREFIXES) or route.endswith(DATA_SUFFIXES)
    }
)


def declared_parameters(view: Any) -> tuple[str, ...] | None:
    # (Read here rather than with lib.parameters' reader, so that the test says which
    # address fails on code that has none.)
    found = getattr(view, ACCEPTED, None)
    return tuple(found) if found is not None else None


def _declared(view: Any) -> tuple[str, ...] | None:
    """The parameters a view declared, or those of the API's endpoint it serves (each
    operation's run wrapped by `api.refuse_unknown_parameters`)."""
    found = declared_parameters(view)
    if found is not None:
        return found
    for cell in getattr(view, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations:
            declared = {declared_parameters(op.run) for op in operations if "GET" in op.methods}
            assert len(declared) == 1, (view, declared)
            return declared.pop()
    return None


@pytest.fixture
def admin_client(client, administrator):
    # The journal's exports and the account's are for someone logged in.
    client.force_login(administrator)
    return client


def test_the_walk_finds_the_exports_and_the_api():
    # (So that the test below cannot pass by walking nothing.)
    assert {
        "exports/departements.csv",
        "exports/dispositifs.csv",
        "exports/dispositifs.geojson",
        "exports/demandes.csv",
        "carte/communes.geojson",
        "journal/export.csv",
        "journal/export.jsonl",
        "api/v1/deployments",
        "api/v1/camera-counts",
        "api/v1/openapi.json",
    } <= set(DATA_ROUTES)
    assert len(DATA_ROUTES) >= 30


@pytest.mark.parametrize("route", DATA_ROUTES)
def test_every_export_and_api_address_declares_and_applies_the_rule(admin_client, route):
    address = _address(route)
    view = resolve(address).func
    if view in NOT_READING:
        return
    accepted = _declared(view)
    assert accepted is not None, f"/{route} declares no parameters (lib.parameters)"

    response = admin_client.get(address, {UNKNOWN: "92"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, (route, response.status_code)
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_parameter", UNKNOWN)
    if accepted:
        assert error["message"] == (
            f"Unknown parameter “{UNKNOWN}”. Accepted: {', '.join(accepted)}."
        )
        twice = admin_client.get(address, {accepted[0]: ["1", "2"]}, HTTP_ACCEPT_LANGUAGE="en")
        assert twice.status_code == 400, route
        assert twice.json()["error"]["field"] == accepted[0]
    else:
        assert error["message"] == f"Unknown parameter “{UNKNOWN}”. This address takes none."


def test_the_departments_csv_takes_its_order_and_nothing_else(client):
    response = client.get("/exports/departements.csv?departement=92", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_parameter",
        "message": "Unknown parameter “departement”. Accepted: tri.",
        "field": "departement",
    }
    twice = client.get("/exports/departements.csv?tri=nom&tri=-cameras")
    assert twice.status_code == 400 and twice.json()["error"]["field"] == "tri"
    assert client.get("/exports/departements.csv?tri=").status_code == 200
