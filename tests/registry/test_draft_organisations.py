"""A vendor or funder named only in a draft is as private as the draft: it is created
when the draft is saved (the draft needs it) but nobody else sees it until a deployment
naming it is published; reviewers and the draft's author still see it."""

import io

import orjson
import pytest
from django.core.management import call_command
from django.urls import reverse

from contrechamp.registry.models import Deployment, Organisation, Revision
from contrechamp.registry.services import deployment_create, deployment_publish
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

VENDOR, FUNDER = "Fournisseur Secret SAS", "Financeur Caché"


@pytest.fixture
def draft(contributor):
    return deployment_create(
        data=deployment_data(
            title="brouillon",
            is_published=False,
            vendors=[VENDOR],
            fundings=[{"funder": FUNDER, "amount_eur": "1", "programme": ""}],
        ),
        author=contributor,
    )


def _seen(client, path) -> dict[str, bool]:
    vendor = Organisation.objects.get(name=VENDOR)
    funder = Organisation.objects.get(name=FUNDER)
    call_command("dump", output=str(path), stderr=io.StringIO())
    dump = [o["name"] for o in orjson.loads(path.read_bytes())["organisations"]]
    listing = client.get(reverse("organisation-list")).content.decode()
    api = client.get("/api/v1/organisations?limit=500").content.decode()
    return {
        "list": VENDOR in listing and FUNDER in listing,
        "api list": VENDOR in api or FUNDER in api,
        "api page": client.get(f"/api/v1/organisations/{vendor.slug}").status_code == 200,
        "page": client.get(vendor.get_absolute_url()).status_code == 200
        and client.get(funder.get_absolute_url()).status_code == 200,
        "history": client.get(reverse("organisation-history", args=[vendor.slug])).status_code
        == 200,
        "revision": client.get(reverse("organisation-revision", args=[vendor.slug, 1])).status_code
        == 200,
        "dump": VENDOR in dump or FUNDER in dump,
    }


def test_organisations_named_only_in_a_draft_are_hidden_from_the_public(
    tmp_path, client, draft, other_contributor
):
    assert not any(_seen(client, tmp_path / "dump.json").values())
    client.force_login(other_contributor)
    assert not any(_seen(client, tmp_path / "dump.json").values())
    assert (
        client.get(
            reverse("organisation-edit", args=[Organisation.objects.get(name=VENDOR).slug])
        ).status_code
        == 404
    )


def test_the_drafts_author_and_reviewers_still_see_them(
    tmp_path, client, draft, contributor, reviewer
):
    for user in (contributor, reviewer):
        client.force_login(user)
        seen = _seen(client, tmp_path / "dump.json")
        assert seen["list"] and seen["page"] and seen["history"] and seen["revision"]
        # The open data stays what everyone may read.
        assert not seen["api list"] and not seen["dump"]


def test_publishing_the_draft_makes_them_public(tmp_path, client, draft, reviewer):
    deployment_publish(deployment=draft, author=reviewer)
    assert all(_seen(client, tmp_path / "dump.json").values())


def test_an_organisation_already_public_stays_public_when_a_draft_names_it(client, contributor):
    public = Deployment.objects.published().filter(vendors__isnull=False).first()
    vendor = public.vendors.first()
    deployment_create(
        data=deployment_data(title="brouillon", is_published=False, vendors=[vendor.name]),
        author=contributor,
    )
    assert client.get(vendor.get_absolute_url()).status_code == 200


def test_a_published_deployment_naming_a_new_vendor_makes_it_public_at_once(client):
    deployment_create(data=deployment_data(vendors=[VENDOR]), author=None)
    vendor = Organisation.objects.get(name=VENDOR)
    assert client.get(vendor.get_absolute_url()).status_code == 200
    assert VENDOR in client.get(reverse("organisation-list")).content.decode()


def test_the_migration_hides_those_already_made_by_drafts(draft):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "contrechamp.registry.migrations.0006_organisation_is_public"
    )
    Organisation.objects.update(is_public=True)  # as every organisation was before
    migration.hide_organisations_named_only_in_drafts(apps, None)
    hidden = set(Organisation.objects.filter(is_public=False).values_list("name", flat=True))
    assert hidden == {VENDOR, FUNDER}


def test_a_reviewer_may_publish_a_hidden_organisation_and_nobody_else(
    tmp_path, client, draft, contributor, reviewer
):
    vendor = Organisation.objects.get(name=VENDOR)
    url = f"/organisations/{vendor.slug}/publier/"
    client.force_login(contributor)
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert 'id="organisation-hidden"' in page
    assert url not in page
    assert client.post(url).status_code == 403
    vendor.refresh_from_db()
    assert not vendor.is_public
    client.force_login(reviewer)
    assert url in client.get(vendor.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    client.logout()
    assert client.get(vendor.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/organisations/{vendor.slug}").status_code == 200
    assert Revision.objects.filter(kind="organisation", object_id=vendor.id, version=2).exists()
