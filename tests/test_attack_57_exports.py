"""Hostile review 57: the open data (exports, map data).

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def test_the_geojson_export_of_a_word_search_is_not_a_server_error():
    """A visitor searches the deployments' list for "caméras" and clicks the list's own
    "GeoJSON" link, which carries the search (`?q=caméras`). On SQLite, the default
    engine, the export ranks the matches by joining the FTS5 table with a raw
    `registry_deployment.id` condition, then reuses that queryset inside a subquery
    (`epci_centres(... deployment_id__in=qs.values("id"))`) where Django renames the
    table U0: "no such column: registry_deployment.id" -- a 500 (a streamed one: the
    status line is already sent, the download is cut). Every word search does it."""
    client = Client(raise_request_exception=False)
    listed = client.get("/dispositifs/", {"q": "caméras"})
    assert listed.status_code == 200
    response = client.get("/exports/dispositifs.geojson", {"q": "caméras"})
    assert response.status_code == 200
    body = _body(response)
    assert body.endswith(b"]}"), body[-200:]


def test_the_map_data_filtered_by_words_is_not_a_server_error():
    """The map's data (`/carte/communes.geojson`) takes the list's filters, `q`
    included (exports._filtered): a word gives "no such column: registry_deployment.id"
    on SQLite, the ranked queryset being used as `deployments__in` of the communes."""
    client = Client(raise_request_exception=False)
    response = client.get("/carte/communes.geojson", {"q": "vidéosurveillance"})
    assert response.status_code == 200, response.content[:300]
