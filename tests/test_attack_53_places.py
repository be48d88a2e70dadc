"""Hostile review 53: places, map and open data, attacked (these fail on the code as it is)."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.places.models import Commune
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def metropole_only(reviewer):
    """A published deployment of an intercommunality alone (a supervision centre of the
    metropolis: no commune named), as the form allows ("a commune or an
    intercommunality")."""
    toulouse = Commune.objects.select_related("epci", "department").get(code="31555")
    deployment = deployment_create(
        data=deployment_data(
            title="Centre de supervision intercommunal de la métropole",
            communes=[],
            epcis=[toulouse.epci.siren],
        ),
        author=reviewer,
    )
    return deployment, toulouse


def test_a_deployment_of_an_intercommunality_is_on_its_departments_page_list_and_api(
    metropole_only,
):
    """The commune's page lists it (its intercommunality's), the department's Atom feed
    and e-mail digest announce it, but the department's page, the list filtered by the
    department, its CSV, its GeoJSON and the API's `department=` leave it out (they
    read only the communes a deployment names): the Haute-Garonne page says nothing of
    the metropolis' supervision centre its own feed just announced."""
    deployment, toulouse = metropole_only
    department = toulouse.department.code
    visitor = Client()
    commune_page = visitor.get(reverse("commune-detail", args=[toulouse.code])).content.decode()
    assert deployment.title in commune_page
    feed = visitor.get(reverse("department-feed", args=[department])).content.decode()
    assert deployment.title in feed
    answers = {
        "department page": visitor.get(reverse("department-detail", args=[department])),
        "list": visitor.get(reverse("deployment-list"), {"department": department}),
        "csv": visitor.get(reverse("export-csv"), {"department": department}),
        "api": visitor.get("/api/v1/deployments", {"department": department, "limit": 500}),
    }
    missing = []
    for name, response in answers.items():
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        if name == "api":
            if deployment.slug not in [d["slug"] for d in response.json()["results"]]:
                missing.append(name)
        elif deployment.title not in body:
            missing.append(name)
    assert not missing, f"announced by the department's feed, missing from: {missing}"
