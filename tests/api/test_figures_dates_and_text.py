"""What the pages show and the API did not: a deployment's latest source's date (which
the year rule reads), a camera count's figures per km² and per 1,000 inhabitants, a
page read partly by OCR, and a search snippet a client can read without an HTML parser.
None of them says anything the caller may not read."""

import pytest
from django.test import Client

from contrechamp.documents.models import Document, Page
from contrechamp.documents.search import index_rebuild
from contrechamp.lib.numbers import rounded_figure
from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount, Citation, Deployment, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _cite(deployment: Deployment, published_on: str, title: str = "Article") -> None:
    source = Source.objects.create(title=title, published_on=published_on)
    Citation.objects.create(source=source, deployment=deployment, quote="…")


def test_a_deployment_gives_its_latest_sources_date_as_its_page_does(client):
    deployment = Deployment.objects.published().order_by("id").first()
    _cite(deployment, "2025-11", "Later article")
    _cite(deployment, "", "Undated leaflet")
    body = client.get(f"/api/v1/deployments/{deployment.slug}").json()
    assert body["latest_source_on"] == "2025-11" == deployment.latest_source_on
    # Nothing the answer does not list itself: the latest of its own citations' dates.
    dates = [c["source"]["published_on"] for c in body["citations"]]
    assert body["latest_source_on"] == max(d for d in dates if d)
    listed = client.get("/api/v1/deployments?limit=500").json()["results"]
    assert next(d for d in listed if d["id"] == deployment.id)["latest_source_on"] == "2025-11"
    page = client.get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "latest source: November 2025" in page.content.decode()


def test_a_deployment_without_a_dated_source_says_null(client):
    deployment = Deployment.objects.published().order_by("id").first()
    Citation.objects.filter(deployment=deployment).delete()
    _cite(deployment, "")
    body = client.get(f"/api/v1/deployments/{deployment.slug}").json()
    assert body["latest_source_on"] is None


def test_a_drafts_sources_reach_no_answer(client):
    draft = Deployment.objects.published().order_by("id").first()
    Deployment.objects.filter(id=draft.id).update(is_published=False)
    _cite(draft, "2031-07", "Draft’s secret source")
    assert client.get(f"/api/v1/deployments/{draft.slug}").status_code == 404
    listed = client.get("/api/v1/deployments?limit=500").content.decode()
    assert "2031-07" not in listed and "secret source" not in listed


def test_a_camera_count_gives_its_figures_per_km2_and_per_1000(client):
    nice = Commune.objects.get(code="06088")
    count = CameraCount.objects.create(commune=nice, count=4000, date="2024")
    found = {
        c["id"]: c for c in client.get("/api/v1/camera-counts?commune=06088").json()["results"]
    }
    # Rounded as the page rounds them (2 decimals, half up: docs/features.md).
    assert found[count.id]["per_km2"] == rounded_figure(4000 / nice.area_km2)
    assert found[count.id]["per_1000"] == rounded_figure(4000 * 1000 / nice.population)


def test_a_count_of_a_commune_of_unknown_area_and_population_has_null_figures(client):
    nice = Commune.objects.get(code="06088")
    Commune.objects.filter(id=nice.id).update(area_km2=None, population=None)
    CameraCount.objects.create(commune=nice, count=4000, date="2024")
    results = client.get("/api/v1/camera-counts?commune=06088").json()["results"]
    assert results and all(c["per_km2"] is None and c["per_1000"] is None for c in results)


def test_a_pending_count_and_its_figures_appear_nowhere(client):
    agde = Commune.objects.get(code="34003")
    CameraCount.all_objects.create(commune=agde, count=987654, date="2025", state="pending")
    response = client.get("/api/v1/camera-counts?commune=34003")
    assert response.json()["results"] == []
    assert "987654" not in client.get("/api/v1/camera-counts?limit=500").content.decode()


def _published_page(text: str, published_text: str, **page) -> Document:
    document = Document.objects.create(
        sha256="a" * 64,
        size=1,
        filename="lettre.pdf",
        title="Lettre",
        status="ready",
        page_count=1,
        is_public=True,
    )
    Page.objects.create(
        document=document, number=1, text=text, published_text=published_text, **page
    )
    return document


def test_a_page_with_a_pasted_picture_read_by_ocr_says_text_and_ocr(client):
    document = _published_page("Texte. Lettre collée", "Texte. Lettre collée", ocr_from=7)
    body = client.get(f"/api/v1/documents/{document.id}/pages/1").json()
    assert body["method"] == "text+ocr"
    Page.objects.filter(document=document).update(ocr_from=None)
    assert client.get(f"/api/v1/documents/{document.id}/pages/1").json()["method"] == "text"


def test_a_search_snippet_is_escaped_html_and_plain_text_with_its_matches():
    text = "Courrier <b>urgent</b> : l'arrêté & la caméra de Tarentaize."
    _published_page(text, text)
    index_rebuild()
    hit = Client().get("/api/v1/search?q=caméra").json()["results"][0]
    assert "<b>" not in hit["snippet"] and "&lt;b&gt;urgent&lt;/b&gt;" in hit["snippet"]
    assert "<mark>caméra</mark>" in hit["snippet"]
    assert hit["snippet_text"] == text
    assert [hit["snippet_text"][a:b] for a, b in hit["highlights"]] == ["caméra"]


def test_a_visitors_snippet_reads_the_published_text_only():
    _published_page("M. Jean Dupont installe la caméra.", "M. [X] installe la caméra.")
    index_rebuild()
    hit = Client().get("/api/v1/search?q=caméra").json()["results"][0]
    assert "Dupont" not in hit["snippet"] + hit["snippet_text"]
    assert hit["snippet_text"] == "M. [X] installe la caméra."
