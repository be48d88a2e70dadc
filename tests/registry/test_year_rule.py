"""What "active in a year" means, said on the list and in the API, and the statuses that
contradict the dates (a new user's walk: 2018 pilots only ever reported in 2018 listed
as active in 2025, city camera systems without a start date left out unsaid, and an
experiment "2017 – February 2018" still shown as experimenting)."""

import pytest

from contrechamp.registry.filters import DeploymentFilters
from contrechamp.registry.forms import DeploymentForm
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

LYON = "Vidéosurveillance municipale de Lyon"  # deployed, no start date (demo)
ENGIE = "Centre de commandement urbain expérimental Engie Ineo (DECIDE, SenCity)"


def titles(**filters):
    return [d.title for d in DeploymentFilters(**filters).apply(Deployment.objects.published())]


def _pilot(published_on, **overrides):
    data = deployment_data(title="Pilote de 2018", start_date="2018-05", **overrides)
    data["citations"][0]["source"]["published_on"] = published_on
    return deployment_create(data=data, author=None)


def test_a_pilot_only_reported_in_its_year_is_not_active_years_later():
    pilot = _pilot("2018-05-02")
    assert pilot.title in titles(year=2018)
    assert pilot.title not in titles(year=2025)


def test_a_pilot_reported_again_since_counts_up_to_its_latest_source():
    pilot = _pilot("2024-11")
    assert pilot.title in titles(year=2024)
    assert pilot.title not in titles(year=2025)


def test_a_deployed_system_without_an_end_counts_as_running():
    cameras = _pilot("2018-05", status="deployed")
    assert cameras.title in titles(year=2025)


def test_the_undated_are_listed_apart():
    assert LYON not in titles(year=2025)
    apart = titles(year=2025, undated=True)
    assert LYON in apart
    assert not Deployment.objects.filter(title__in=apart).exclude(start_date="").exists()
    assert not Deployment.objects.filter(title__in=apart, status__in=("announced", "planned"))


def test_the_list_says_the_rule_and_links_to_the_undated(client):
    page = client.get("/dispositifs/", {"year": "2025"}).content.decode()
    assert "« Actifs en 2025 » :" in page.replace("\u00a0", " ")
    # The rule is said once, not after a heading saying it too (a helper's screenshot).
    assert "Connus comme actifs en 2025" not in page
    assert "une expérimentation seulement jusqu" in page
    assert "undated=1" in page
    apart = client.get("/dispositifs/", {"year": "2025", "undated": "1"}).content.decode()
    assert LYON in apart


def test_the_api_applies_the_same_rule_and_documents_it(client):
    pilot = _pilot("2018-05")
    listed = client.get("/api/v1/deployments", {"year": "2025", "limit": 200}).json()
    assert pilot.slug not in [d["slug"] for d in listed["results"]]
    apart = client.get("/api/v1/deployments", {"year": "2025", "undated": "1"}).json()
    assert LYON in [d["title"] for d in apart["results"]]
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "latest source" in schema and "undated" in schema


def _form(**overrides):
    data = {
        "title": "Caméras",
        "scope": "local",
        "status": "experimenting",
        "start_date": "2017",
        "end_date": "2018-02",
        "communes": "06088",
        "epcis": "",
        "technologies": ["vsa"],
        "vendors": "",
        "description": "",
        "comment": "",
        "version": "1",
    }
    data.update(overrides)
    return DeploymentForm(data)


def test_the_form_refuses_a_running_status_with_a_past_end_date():
    form = _form()
    assert not form.is_valid()
    assert "février 2018" in " ".join(form.errors["status"])
    assert _form(status="abandoned").is_valid()
    assert _form(end_date="").is_valid()
    assert _form(end_date="2999").is_valid()  # an end planned: it runs until then


def test_an_experiment_past_its_end_date_says_it_ended(client):
    engie = Deployment.objects.get(title=ENGIE)
    assert engie.status == "experimenting" and engie.end_date == "2018-02"
    page = client.get(engie.get_absolute_url()).content.decode()
    assert "statut périmé, date de fin février 2018" in page
    listed = client.get("/dispositifs/", {"department": "06"}).content.decode()
    assert "statut périmé, date de fin février 2018" in listed


def test_an_edit_that_leaves_a_stored_contradiction_as_it_was_is_not_refused_for_it():
    """The demo's experiment ended in 2018 and is still "experimenting": correcting its
    title must not require choosing what became of it (the crash test's edit after a
    restart was refused), while changing the status or the end date into the
    contradiction is refused as before."""
    assert _form(title="Caméras (titre corrigé)").errors  # a new deployment: refused
    stored = ("experimenting", "2018-02")
    assert DeploymentForm(_form().data, stored=stored).is_valid()
    assert not DeploymentForm({**_form().data, "end_date": "2019"}, stored=stored).is_valid()
    assert not DeploymentForm({**_form().data, "status": "deployed"}, stored=stored).is_valid()
