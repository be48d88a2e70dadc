"""Communes of an earlier load merged since into another: reloading the places folds
their rows into the commune they are part of now (`places.services.former_communes_fold`)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from contrechamp.access import services as access
from contrechamp.access.models import AccessRequest, PublicBody
from contrechamp.pages.models import Subscription
from contrechamp.places import services as places
from contrechamp.places.models import Commune
from contrechamp.places.services import FormerCommune, places_load
from contrechamp.registry import services as s
from contrechamp.registry.models import CameraCount
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _seynod() -> Commune:
    """Seynod (74268) as an instance filled before it merged into Annecy (2021) holds it."""
    annecy = Commune.objects.get(code="74010")
    assert "74268" in annecy.former_codes.split()
    return Commune.objects.create(
        code="74268",
        name="Seynod",
        name_key="seynod",
        department=annecy.department,
        epci=annecy.epci,
        population=19000,
        latitude=45.88,
        longitude=6.09,
    )


def test_a_deployment_on_a_commune_merged_since_is_counted_where_the_commune_is_now(
    client, contributor
):
    """An instance filled before Seynod merged into Annecy (2021) holds Seynod as a
    commune, with a deployment on it. The places are reloaded from the new official
    files: the loader must not leave Seynod as it was, a commune of its own with its
    deployment, forever. Annecy's page (whose former codes name Seynod) shows the
    deployment, or Seynod's own page leads to Annecy, as a former code typed by hand
    does."""
    _seynod()
    deployment = s.deployment_create(
        data=deployment_data(title="Vidéoprotection à Seynod", communes=["74268"]),
        author=contributor,
    )
    places_load(force=True)

    page = client.get(reverse("commune-detail", args=["74010"])).content.decode()
    seynod = client.get(reverse("commune-detail", args=["74268"]))
    assert deployment.title in page or seynod.status_code == 301, (
        "the merged commune is still a commune of its own, its deployment not on the "
        "page of the commune it is part of"
    )


def test_everything_pointing_at_the_former_commune_moves_to_the_current_one_once(
    client, contributor
):
    """Deployments (one on both communes is on Annecy once), requests and their places,
    camera counts, subscriptions: all of it is Annecy's after the load, the former
    commune's town hall folded into Annecy's (one town hall per commune), the row gone
    and its page a permanent redirect; the command says what moved."""
    seynod = _seynod()
    annecy = Commune.objects.get(code="74010")
    on_seynod = s.deployment_create(
        data=deployment_data(title="Caméras du centre de Seynod", communes=["74268"]),
        author=contributor,
    )
    on_both = s.deployment_create(
        data=deployment_data(
            title="Supervision urbaine du Grand Annecy", communes=["74010", "74268"]
        ),
        author=contributor,
    )
    to_seynod = access.requests_draft(
        requester=contributor, title="Caméras", documents_asked="La convention", communes=[seynod]
    )
    to_annecy = access.requests_draft(
        requester=contributor, title="Caméras", documents_asked="La convention", communes=[annecy]
    )
    CameraCount.objects.create(commune=seynod, count=40, date="2019")
    Subscription.objects.create(email="a@example.org", kind="commune", key="74268", token="t1")
    Subscription.objects.create(email="b@example.org", kind="commune", key="74268", token="t2")
    Subscription.objects.create(email="b@example.org", kind="commune", key="74010", token="t3")

    out = io.StringIO()
    call_command("places", "load", "--force", stdout=out)

    assert not Commune.objects.filter(code="74268").exists()
    assert [c.code for c in on_seynod.communes.all()] == ["74010"]
    assert [c.code for c in on_both.communes.all()] == ["74010"]
    town_hall = PublicBody.objects.get(kind="commune", commune=annecy)
    assert PublicBody.objects.filter(kind="commune", commune__isnull=True).count() == 0
    for request in (to_seynod, to_annecy):
        request = AccessRequest.objects.get(pk=request.pk)
        assert request.body == town_hall
        assert [c.code for c in request.places.all()] == ["74010"]
    assert CameraCount.objects.get(count=40).commune == annecy
    assert sorted(Subscription.objects.values_list("email", "key")) == [
        ("a@example.org", "74010"),
        ("b@example.org", "74010"),
    ]
    page = client.get(reverse("commune-detail", args=["74010"])).content.decode()
    assert on_seynod.title in page
    response = client.get(reverse("commune-detail", args=["74268"]))
    assert response.status_code == 301 and response["Location"] == "/communes/74010/"
    said = out.getvalue()
    assert "Former commune Seynod (74268) merged into 74010" in said
    assert "2 registry.Deployment.communes" in said
    assert "1 access.PublicBody.commune" in said
    assert "2 pages.Subscription.key" in said


def test_a_deployments_history_reads_fine_after_its_commune_was_folded(client, contributor):
    """The versions written before the load name Seynod's code: the history, each
    version and the edit form still answer, and restoring the old version puts the
    deployment on Annecy, where Seynod is now."""
    _seynod()
    deployment = s.deployment_create(
        data=deployment_data(title="Vidéoprotection à Seynod", communes=["74268"]),
        author=contributor,
    )
    deployment = s.deployment_update(
        deployment=deployment,
        data={**s.deployment_snapshot(deployment), "title": "Vidéoprotection de Seynod"},
        base_version=deployment.version,
        author=contributor,
    )
    places_load(force=True)

    client.force_login(contributor)
    history = client.get(reverse("deployment-history", args=[deployment.slug]))
    assert history.status_code == 200
    first = client.get(reverse("deployment-revision", args=[deployment.slug, 1]))
    assert first.status_code == 200 and "74268" in first.content.decode()
    assert client.get(reverse("deployment-edit", args=[deployment.slug])).status_code == 200
    response = client.post(
        reverse("deployment-revert", args=[deployment.slug, 1]), {"version": deployment.version}
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.title == "Vidéoprotection à Seynod"
    assert [c.code for c in deployment.communes.all()] == ["74010"]


def test_a_commune_split_since_is_left_as_it_is_and_said(client, contributor, monkeypatch):
    """A former code two current communes name (a commune split in two): which one
    inherits a deployment is not guessed. The row stays, with what points at it, and
    the load says so."""
    read = places._read_json

    def split(name: str) -> list[dict]:
        rows = read(name)
        if name == "etalab-communes.json.gz":
            for row in rows:
                if row["code"] in ("74010", "74012") and row["type"] == "commune-actuelle":
                    row["anciensCodes"] = [*row.get("anciensCodes", []), "74999"]
        return rows

    monkeypatch.setattr(places, "_read_json", split)
    annecy = Commune.objects.get(code="74010")
    gone = Commune.objects.create(code="74999", name="Ancienne", department=annecy.department)
    deployment = s.deployment_create(
        data=deployment_data(title="Caméras d'Ancienne", communes=["74999"]), author=contributor
    )
    former: list[FormerCommune] = []
    places_load(force=True, former=former)

    assert Commune.objects.filter(pk=gone.pk).exists()
    assert [c.code for c in deployment.communes.all()] == ["74999"]
    assert former == [FormerCommune(code="74999", name="Ancienne", owners=["74010", "74012"])]
    out = io.StringIO()
    call_command("places", "load", "--force", stdout=out)
    assert "Former commune Ancienne (74999) left as it is" in out.getvalue()
    assert "74010, 74012" in out.getvalue()


def test_the_town_hall_of_the_former_commune_becomes_the_current_ones(contributor):
    """Annecy had no town hall body yet: Seynod's, with its request, becomes Annecy's,
    named after it, so that the next request to Annecy is not addressed to Seynod."""
    seynod = _seynod()
    draft = access.requests_draft(
        requester=contributor, title="Caméras", documents_asked="La convention", communes=[seynod]
    )
    places_load(force=True)

    body = AccessRequest.objects.get(pk=draft.pk).body
    assert body.commune.code == "74010" and body.name == "Mairie d'Annecy"
    annecy = Commune.objects.get(code="74010")
    assert access.body_for_place("commune", annecy) == body
