import csv
import io
import json

from django.core.management import call_command


def _body(response):
    return b"".join(response.streaming_content).decode()


def test_the_csv_export_follows_the_filters_and_states_its_licence(client, db):
    text = _body(client.get("/exports/dispositifs.csv?department=13"))
    lines = text.splitlines()
    assert lines[0].startswith("# ") and "ODbL" in lines[0]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert len(rows) == 3
    big_data = next(r for r in rows if r["title"].startswith("Observatoire Big Data"))
    assert big_data["amount_eur"] == "500000.00"
    assert big_data["insee_codes"] == "13055"


def test_the_geojson_export_has_a_point_per_commune(client, db):
    data = json.loads(_body(client.get("/exports/dispositifs.geojson?vendor=thales")))
    assert "ODbL" in data["licence"]
    la_defense = next(f for f in data["features"] if "Défense" in f["properties"]["title"])
    assert la_defense["geometry"]["type"] == "MultiPoint"
    assert len(la_defense["geometry"]["coordinates"]) == 2
    assert sorted(la_defense["properties"]["communes"]) == ["92026", "92062"]


def test_a_bad_filter_in_an_export_is_a_clear_error(client, db):
    response = client.get("/exports/dispositifs.csv?year=soon")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "year"


def test_the_map_data_has_one_marker_per_commune(client, db):
    data = client.get("/carte/communes.geojson?technology=detection-sonore").json()
    assert [f["properties"]["code"] for f in data["features"]] == ["42218"]
    everything = client.get("/carte/communes.geojson").json()["features"]
    assert len(everything) == len({f["properties"]["code"] for f in everything}) == 16


def test_the_full_dump_contains_everything_published(db, tmp_path):
    path = tmp_path / "dump.json"
    call_command("dump", output=str(path))
    data = json.loads(path.read_text())
    assert data["licence"] == "ODbL-1.0"
    assert len(data["deployments"]) == 26
    assert len(data["technologies"]) == 14
    assert {c["commune"] for c in data["camera_counts"]} == {"06088", "75056"}
