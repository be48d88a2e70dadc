"""Atom feeds of a place, a technology, an organisation and a deployment: what the public
pages show and nothing else (no draft, no unpublished document, no contributor)."""

import hashlib
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.registry.models import Organisation
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")], response


def _document(title, *, public, commune="06088"):
    document = Document.objects.create(
        sha256=hashlib.sha256(title.encode()).hexdigest(),
        size=1,
        filename="x.pdf",
        title=title,
        is_public=public,
        status="processed",
    )
    document.places.add(
        *__import__("contrechamp.places.models", fromlist=["Commune"]).Commune.objects.filter(
            code=commune
        )
    )
    return document


@pytest.fixture
def nice(contributor):
    published = deployment_create(
        data=deployment_data(
            title="Caméras du port de Nice",
            communes=["06088"],
            technologies=["videosurveillance"],
            vendors=["Vendeur Public"],
        ),
        author=contributor,
    )
    draft = deployment_create(
        data=deployment_data(
            title="Brouillon secret de Nice",
            communes=["06088"],
            technologies=["videosurveillance"],
            vendors=["Vendeur Public"],
            is_published=False,
        ),
        author=contributor,
    )
    _document("Délibération publiée de Nice", public=True)
    _document("Courrier non caviardé de Nice", public=False)
    return published, draft


def test_a_commune_feed_holds_its_published_deployments_and_documents_only(client, nice):
    titles, response = _entries(client, reverse("commune-feed", args=["06088"]))
    assert "Caméras du port de Nice" in titles
    assert "Document : Délibération publiée de Nice" in titles
    body = response.content.decode()
    assert "Brouillon secret" not in body and "non caviardé" not in body
    assert "camille" not in body  # no contributor


def test_department_epci_technology_organisation_and_deployment_feeds(client, nice):
    published, draft = nice
    vendor = Organisation.objects.get(name="Vendeur Public")
    for url in (
        reverse("department-feed", args=["06"]),
        reverse("technology-feed", args=["videosurveillance"]),
        reverse("organisation-feed", args=[vendor.slug]),
        reverse("deployment-feed", args=[published.slug]),
    ):
        titles, response = _entries(client, url)
        assert "Caméras du port de Nice" in titles, url
        assert "Brouillon secret" not in response.content.decode(), url
    # A draft has no feed: its address is not known to exist.
    assert client.get(reverse("deployment-feed", args=[draft.slug])).status_code == 404
    assert client.get(reverse("commune-feed", args=["99999"])).status_code == 404


def test_the_pages_link_their_feed(client, nice):
    published, draft = nice
    page = client.get(reverse("commune-detail", args=["06088"])).content.decode()
    assert reverse("commune-feed", args=["06088"]) in page
    assert 'rel="alternate" type="application/atom+xml"' in page
    page = client.get(published.get_absolute_url()).content.decode()
    assert reverse("deployment-feed", args=[published.slug]) in page
