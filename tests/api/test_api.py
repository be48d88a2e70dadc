import json
from pathlib import Path

from contrechamp.api.management.commands.openapi import openapi_text
from contrechamp.documents.models import Document

ROOT = Path(__file__).resolve().parents[2]


def test_it_lists_deployments_with_filters_and_sources(client, db):
    body = client.get("/api/v1/deployments?technology=detection-sonore").json()
    assert [d["slug"] for d in body["results"]] == [
        "soft-capteurs-sonores-a-tarentaize-beaubrun-couriot"
    ]
    d = body["results"][0]
    assert d["communes"][0]["code"] == "42218"
    assert d["vendors"][0]["name"] == "Serenicity"
    assert d["citations"][0]["source"]["url"] == "https://www.laquadrature.net/"
    assert body["next"] is None


def test_it_searches_in_french(client, db):
    body = client.get("/api/v1/deployments", {"q": "Reconnaissance Faciale"}).json()
    assert "portique-de-reconnaissance-faciale-au-lycee-ampere" in [
        d["slug"] for d in body["results"]
    ]


def test_cursor_pagination_walks_every_row_once(client, db):
    seen, url = [], "/api/v1/deployments?limit=7"
    while url:
        body = client.get(url).json()
        seen += [d["id"] for d in body["results"]]
        url = f"/api/v1/deployments?limit=7&cursor={body['next']}" if body["next"] else None
    assert len(seen) == len(set(seen)) == 26
    assert seen == sorted(seen)


def test_errors_share_one_envelope(client, db):
    cases = [
        ("/api/v1/deployments?year=deux", 400, "invalid_parameter", "year"),
        ("/api/v1/deployments?limit=0", 400, "invalid_parameter", "limit"),
        ("/api/v1/deployments?limit=abc", 400, "invalid_parameter", "limit"),
        ("/api/v1/deployments?cursor=%%%", 400, "invalid_cursor", "cursor"),
        ("/api/v1/communes/99999", 404, "not_found", None),
        ("/api/v1/deployments/nope", 404, "not_found", None),
        ("/api/v1/organisations?kind=spy", 400, "invalid_parameter", "kind"),
    ]
    for url, status, code, field in cases:
        response = client.get(url)
        assert response.status_code == status, url
        error = response.json()["error"]
        assert (error["code"], error["field"]) == (code, field), url
        assert error["message"]


def test_places_technologies_organisations_and_counts(client, db):
    assert client.get("/api/v1/communes/06088").json()["name"] == "Nice"
    assert client.get("/api/v1/communes?q=Saint-Éti").json()["results"][0]["code"] == "42218"
    assert len(client.get("/api/v1/departments?limit=200").json()["results"]) == 109
    assert len(client.get("/api/v1/technologies").json()["results"]) == 14
    vendors = client.get("/api/v1/organisations?kind=vendor").json()["results"]
    assert "Thales" in [o["name"] for o in vendors]
    counts = client.get("/api/v1/camera-counts?commune=06088").json()["results"]
    assert counts[0]["count"] == 2030 and counts[0]["date"] == "2018"
    epci = client.get("/api/v1/communes/06088").json()["epci"]
    assert "06088" in client.get(f"/api/v1/epcis/{epci}").json()["members"]


def test_the_committed_openapi_schema_matches_the_code(db):
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "run `make openapi` and commit docs/openapi.json"
    schema = json.loads(committed)
    assert "/api/v1/deployments" in schema["paths"]


def test_every_response_of_the_schema_documents_its_fields(db):
    """No endpoint answers a bare object: each 200 response is a schema with properties
    (the list pages a `Page` of results and a `next` cursor)."""
    schema = json.loads(openapi_text())
    components = schema["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        return node

    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
            if not body.get("properties"):
                bare.append(f"{method.upper()} {path}")
            elif "results" in body["properties"]:
                assert set(body["properties"]) == {"results", "next"}, path
                items = resolve(body["properties"]["results"]["items"])
                if not items.get("properties"):
                    bare.append(f"{method.upper()} {path} (items)")
    assert bare == []


def test_a_deployment_in_the_schema_has_described_and_exemplified_fields(db):
    fields = json.loads(openapi_text())["components"]["schemas"]["DeploymentOut"]["properties"]
    assert {"status", "start_date", "citations", "communes", "updated_at"} <= set(fields)
    assert "description" in fields["status"] and "examples" in fields["status"]


def test_an_unknown_api_address_answers_the_json_error_envelope(client, db):
    for url in ["/api/v1/nope", "/api/v1/deployments/x/y", "/api/v1/", "/api/v1/communes/06088/z"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        error = response.json()["error"]
        assert error["code"] == "not_found" and error["message"], url
        # Where the endpoints are: the root answered a bare 404 (a new user's walk).
        # (In the request's language: French, the site's, when none is asked.)
        assert error["message"].endswith("documentation\u00a0: /api/v1/docs"), url


def test_a_method_the_api_does_not_answer_gets_the_json_error_envelope(client, db):
    """A client that POSTs, PUTs or DELETEs (the API is read-only) is told so in JSON, with
    the methods it may use, not with an HTML page."""
    for method, url in [
        ("post", "/api/v1/deployments"),
        ("delete", "/api/v1/deployments/x"),
        ("put", "/api/v1/communes"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Content-Type"].startswith("application/json"), (method, url)
        assert response.json()["error"]["code"] == "method_not_allowed"
        assert "GET" in response["Allow"]


# Lists served in one page (the best hits, or all of one item's rows): `next` is null.
ONE_PAGE = {
    "/api/v1/search",
    "/api/v1/bodies",
    "/api/v1/places",  # a completion's few best, as /bodies
    "/api/v1/documents/{document_id}/entities",
    "/api/v1/requests/{request_id}/events",
}


def test_every_paged_list_takes_the_cursor_it_gives(db):
    schema = json.loads(openapi_text())
    components = schema["components"]["schemas"]
    missing = []
    for path, operations in schema["paths"].items():
        ref = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = components[ref["$ref"].rsplit("/", 1)[1]] if "$ref" in ref else ref
        if "next" not in body.get("properties", {}) or path in ONE_PAGE:
            continue
        if "cursor" not in [p["name"] for p in operations["get"].get("parameters", [])]:
            missing.append(path)
    assert missing == []


def test_the_documents_list_pages_by_cursor(client, db):
    Document.objects.bulk_create(
        Document(sha256=f"{i:064x}", size=1, filename=f"{i}.pdf", title=f"D{i}", is_public=True)
        for i in range(5)
    )
    seen, url = [], "/api/v1/documents?limit=2"
    while url:
        body = client.get(url).json()
        seen += [d["id"] for d in body["results"]]
        url = f"/api/v1/documents?limit=2&cursor={body['next']}" if body["next"] else None
    assert len(seen) == len(set(seen)) == Document.objects.filter(is_public=True).count()


def test_the_deployments_filters_are_described_in_the_schema(client, db):
    """The API's documentation listed the filters without a word on their values (a new
    user's walk)."""
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/deployments"]["get"]["parameters"]}
    for name in ("technology", "status", "department", "commune", "vendor", "funder", "year"):
        assert parameters[name]["description"], name
    assert "unlawful" in parameters["status"]["description"]
