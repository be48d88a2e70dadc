"""Figures a journalist would print wrongly, and the API's consistency (walk 59).

Paris's 1,000 was a 2018 estimate of the police prefecture's street cameras, Nice's
4,200 a 2023 count of the city's own: the home page added them up ("5,200 cameras") and
ranked Nice "1 of 2" without a word. The API answered `not_found` in English to a
French reader, gave documents relative addresses, and 5.675 cameras per 1,000
inhabitants where the page printed another figure."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount, Proposal
from contrechamp.registry.proposals import camera_count_propose
from contrechamp.registry.services import camera_count_create

pytestmark = pytest.mark.django_db

CITATION = [{"source": {"title": "Rapport", "url": "https://example.org/r"}, "quote": ""}]
NBSP = "\u00a0"


def _count(code: str, n: int, date: str, perimeter: str = "", **extra) -> CameraCount:
    return camera_count_create(
        commune_code=code,
        count=n,
        date=date,
        perimeter=perimeter,
        citations=CITATION,
        author=None,
        **extra,
    )


def _paris_and_nice() -> None:
    _count("75056", 1000, "2018", "Voie publique, Préfecture de police", approximate=True)
    _count("06088", 4200, "2023", "Ville de Nice")


def _text(response) -> str:
    """The page's words, tags and spacing aside."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html).replace(NBSP, " ").replace("\u202f", " ")
    return " ".join(text.split())


def _get(client, url: str, language: str, **headers):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)


# --- (1) estimates and perimeters in totals and ranks -----------------------------------


@pytest.mark.parametrize(
    ("language", "total", "estimate", "scopes"),
    [
        ("fr", "environ 5 200", "dont 1 estimation", "2 périmètres différents"),
        ("en", "about 5,200", "including 1 estimate", "2 different perimeters"),
    ],
)
def test_the_home_total_says_it_adds_an_estimate_and_counts_of_two_perimeters(
    client, language, total, estimate, scopes
):
    _paris_and_nice()
    text = _text(_get(client, "/", language))
    assert total in text
    assert estimate in text
    assert scopes in text
    # …with a link to the counts it adds up, each with its perimeter.
    assert reverse("about-data") + "#counts" in _get(client, "/", language).content.decode()
    listing = _text(_get(client, reverse("about-data"), language))
    assert "Voie publique, Préfecture de police" in listing
    assert "Ville de Nice" in listing


def test_a_commune_ranked_among_counts_of_another_perimeter_is_told(client):
    _paris_and_nice()
    text = _text(_get(client, "/communes/06088/", "fr"))
    assert "rang 1 sur 2" in text
    assert "périmètre : Ville de Nice" in text
    assert "classé avec 1 comptage d’un autre périmètre" in text
    paris = _text(_get(client, "/communes/75056/", "en"))
    assert "about 1,000" in paris
    assert "1 of the ranked figures is an estimate" in paris


def test_a_count_with_no_perimeter_is_the_same_as_no_other(client):
    """Two counts that say nothing of what they counted are not known to count alike:
    their sum and their rank say so, as for two perimeters that differ."""
    _count("75056", 1000, "2018")
    _count("06088", 4200, "2023", "   ")
    text = _text(_get(client, "/", "en"))
    assert "2 different perimeters" in text
    assert "perimeter not stated" in _text(_get(client, "/communes/06088/", "en"))
    assert "ranked with 1 count of another perimeter, or of none stated" in _text(
        _get(client, "/communes/06088/", "en")
    )


def test_counts_of_one_perimeter_written_alike_are_no_mix(client):
    _count("75056", 1000, "2018", "Voie publique – préfecture de police")
    _count("06088", 4200, "2023", "voie publique, Préfecture de Police")
    text = _text(_get(client, "/", "en"))
    assert "different perimeters" not in text and "estimate" not in text
    assert "another perimeter" not in _text(_get(client, "/communes/06088/", "en"))


def test_a_department_total_with_an_estimate_says_about(client):
    _count("75056", 1000, "2018", "Voie publique, Préfecture de police", approximate=True)
    row = re.search(r"Paris.*?</tr>", _get(client, "/departements/", "fr").content.decode(), re.S)
    assert row and "environ" in row.group(0)
    page = _text(_get(client, "/departements/75/", "en"))
    assert "about 1,000" in page and "including 1 estimate" in page


def test_an_estimate_typed_into_the_perimeter_is_read_as_one(client):
    """A careless contributor (and the demo data) wrote "(environ)" in the perimeter:
    it is the estimate flag, so that the totals say "about" too."""
    record = _count("75056", 1000, "2018", "Voie publique, Préfecture de police (environ)")
    assert record.approximate and record.perimeter == "Voie publique, Préfecture de police"


def test_the_migration_turns_a_stored_environ_into_the_flag():
    migration = importlib.import_module(
        "contrechamp.registry.migrations.0014_camera_count_approximate"
    )
    paris = Commune.objects.get(code="75056")
    stored = CameraCount.objects.create(
        commune=paris, count=1000, date="2018", perimeter="Voie publique, PP (environ)"
    )
    kept = CameraCount.objects.create(
        commune=paris, count=3, date="2017", perimeter="Quartier des Environs"
    )
    migration.flag_estimates(django_apps, None)
    stored.refresh_from_db()
    kept.refresh_from_db()
    assert (stored.approximate, stored.perimeter) == (True, "Voie publique, PP")
    assert (kept.approximate, kept.perimeter) == (False, "Quartier des Environs")


# --- (1) the moderation queue: another perimeter is no correction -----------------------


def _queue(reviewer, client, language: str = "en") -> str:
    client.force_login(reviewer)
    return _text(_get(client, reverse("moderation-queue"), language))


def test_a_proposed_count_of_another_perimeter_says_it_replaces_the_figure(
    client, reviewer, contributor
):
    _count("06088", 4200, "2023", "Ville de Nice")
    camera_count_propose(
        author=contributor,
        commune_code="06088",
        count=620,
        date="2024",
        perimeter="Tramway, Régie Ligne d'Azur",
        citations=CITATION,
    )
    text = _queue(reviewer, client)
    assert "A count of another perimeter" in text
    assert "It does not correct that figure" in text
    assert "it will replace that figure" in text
    # No "before 4,200 / proposed 620" row, which read as a correction of the figure.
    html = client.get(reverse("moderation-queue")).content.decode()
    assert not re.search(r"<td[^>]*>4\s?200</td>", html)
    assert "4200" not in re.sub(r"\(4200 cameras", "", text.replace(",", ""))


def test_an_older_count_of_another_perimeter_sits_beside_the_figure(client, reviewer, contributor):
    _count("06088", 4200, "2023", "Ville de Nice")
    camera_count_propose(
        author=contributor,
        commune_code="06088",
        count=620,
        date="2019",
        perimeter="Tramway",
        citations=CITATION,
    )
    text = _queue(reviewer, client, "fr")
    assert "Un comptage d’un autre périmètre" in text
    assert "il s’ajoutera à l’historique de la commune" in text


def test_a_count_of_the_same_perimeter_reads_as_an_update(client, reviewer, contributor):
    _count("06088", 4200, "2023", "Ville de Nice")
    camera_count_propose(
        author=contributor,
        commune_code="06088",
        count=4400,
        date="2024",
        perimeter="ville de nice",
        citations=CITATION,
    )
    assert Proposal.objects.filter(state="pending").count() == 1
    text = _queue(reviewer, client)
    assert "another perimeter" not in text and "does not say what it counted" not in text


# --- (2) the API: one language for every error, absolute addresses, one rounding ---------


ERRORS = [
    ("/api/v1/deployments/nothing-here", 404, "not_found"),
    ("/api/v1/communes/99999", 404, "not_found"),
    ("/api/v1/deployments?limit=abc", 400, "invalid_parameter"),
    ("/api/v1/deployments?limit=0", 400, "invalid_parameter"),
    ("/api/v1/deployments?departement=92", 400, "invalid_parameter"),
    ("/api/v1/nowhere", 404, "not_found"),
]
FRENCH = re.compile(r"[àâçéèêëîôûù’«»]|\b(aucun|aucune|le|la|les|est|entre|prend)\b", re.I)
ENGLISH = re.compile(r"\b(no|the|is|must|takes|has|unknown|accepted|found)\b", re.I)


@pytest.mark.parametrize(("url", "status", "code"), ERRORS)
def test_every_api_error_follows_the_request_language_with_the_same_code(client, url, status, code):
    answers = {}
    for language in ("fr", "en", "de"):
        response = _get(client, url, language)
        assert response.status_code == status
        error = response.json()["error"]
        assert error["code"] == code
        answers[language] = error["message"]
    assert FRENCH.search(answers["fr"]) and not ENGLISH.search(answers["fr"]), answers["fr"]
    assert ENGLISH.search(answers["en"]) and not FRENCH.search(answers["en"]), answers["en"]
    # A third language gets the site's own, French, as the pages do: never a mix.
    assert answers["de"] == answers["fr"] != answers["en"]


def _public_document() -> Document:
    return Document.objects.create(
        sha256="b" * 64, size=1, filename="d.pdf", title="Délibération", is_public=True
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_documents_give_absolute_addresses_on_the_site_not_the_host_asked(client, settings, host):
    settings.SITE_URL = "https://contrechamp.example"
    document = _public_document()
    for body in (
        client.get(f"/api/v1/documents/{document.id}", HTTP_HOST=host).json(),
        client.get("/api/v1/documents", HTTP_HOST=host).json()["results"][0],
    ):
        assert body["url"] == f"https://contrechamp.example/documents/{document.id}/"
        assert body["published"].startswith("https://contrechamp.example/documents/")
        assert host not in json.dumps(body)


def test_a_crafted_host_header_gets_no_address_at_all(client, settings):
    settings.SITE_URL = "https://contrechamp.example"
    document = _public_document()
    response = client.get(f"/api/v1/documents/{document.id}", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"evil.example/documents" not in response.content
    csv_response = client.get(reverse("export-departments-csv"), HTTP_HOST="localhost")
    assert "https://contrechamp.example/a-propos/donnees/" in csv_response["Link"]


def test_the_api_and_the_csv_give_the_page_figure_per_1000(client):
    """227 cameras for 40,000 inhabitants: 5.675, which the page prints 5.68 (half up,
    as floatformat rounds); the API said 5.675 and the CSV 5.67 (round() of the binary
    float 5.67499…)."""
    forcalquier = Commune.objects.get(code="04088")
    Commune.objects.filter(id=forcalquier.id).update(population=40_000)
    _count("04088", 227, "2023", "Ville")
    page = _get(client, "/communes/04088/", "en").content.decode()
    shown = re.search(r'class="per-1000">([^<]+)<', page).group(1)
    api = client.get("/api/v1/camera-counts?commune=04088").json()["results"][0]
    assert shown == "5.68" and api["per_1000"] == 5.68
    rows = csv.DictReader(
        io.StringIO(client.get(reverse("export-departments-csv")).content.decode())
    )
    alpes = next(r for r in rows if r["department_code"] == "04")
    assert alpes["cameras_per_1000_inhabitants"] == "5.68"
    assert api["approximate"] is False and api["perimeter"] == "Ville"


# --- (3) the census year of the populations and the year of the areas -------------------


@pytest.mark.parametrize(
    ("language", "census", "areas"),
    [
        ("fr", "recensement de 2023", "COG 2018"),
        ("en", "2023 census", "COG 2018"),
    ],
)
def test_the_data_page_says_the_census_year_of_the_populations(client, language, census, areas):
    text = _text(_get(client, reverse("about-data"), language))
    assert census in text
    assert areas in text


def test_the_census_year_comes_from_the_places_metadata(client, tmp_path, monkeypatch):
    from contrechamp.places import services

    for name in ("etalab-VERSION.json", "communes-geo-2018-SOURCE.json"):
        data = json.loads((services.DATA_DIR / name).read_text(encoding="utf-8"))
        if "population" in data:
            data["population"]["year"] = 2031
        else:
            data["year"] = 2029
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    text = _text(_get(client, reverse("about-data"), "en"))
    assert "2031 census" in text and "COG 2029" in text
    (tmp_path / "etalab-VERSION.json").write_text("{}", encoding="utf-8")
    text = _text(_get(client, reverse("about-data"), "en"))
    assert "census year of the populations is not given" in text
