"""`make run` loads the demo dataset, and a site that then starts real work could not
take it out again (a new user's walk: the README says "leave it out on a real site").
`contrechamp demo remove` takes out what the demo loaded as it loaded it; what someone
changed or uses since stays, and is named."""

import pytest
from django.core.management import call_command

from contrechamp.registry.demo import DEMO_FILE, demo_load
from contrechamp.registry.models import CameraCount, Deployment, Organisation, Revision, Source
from contrechamp.registry.services import deployment_snapshot, deployment_update

pytestmark = pytest.mark.django_db


def test_the_demo_goes_and_what_someone_changed_stays(capsys, reviewer):
    assert Deployment.objects.exists() and CameraCount.objects.exists()
    edited = Deployment.objects.order_by("id").first()
    data = deployment_snapshot(edited)
    data["description"] = (data.get("description") or "") + " Vérifié sur place en 2026."
    deployment_update(deployment=edited, data=data, base_version=edited.version, author=reviewer)
    demo_titles = DEMO_FILE.read_text(encoding="utf-8")
    call_command("demo", "remove")
    out = capsys.readouterr().out
    assert "deployments removed" in out and edited.slug in out
    assert list(Deployment.objects.values_list("slug", flat=True)) == [edited.slug]
    assert not CameraCount.objects.exists()
    # No version of a removed deployment is left behind; the kept one keeps its own.
    assert set(Revision.objects.filter(kind="deployment").values_list("object_id", flat=True)) == {
        edited.id
    }
    # Organisations the kept deployment names stay; the others went.
    kept = {o.id for o in edited.vendors.all()} | {f.funder_id for f in edited.fundings.all()}
    assert set(Organisation.objects.values_list("id", flat=True)) >= kept
    assert Organisation.objects.count() < demo_titles.count('"name"')
    # Sources the kept deployment cites stay; no other demo source is left uncited.
    assert not Source.objects.filter(citations__isnull=True, document__isnull=True).exists()
    # Loaded again, it comes back whole.
    demo_load()
    assert Deployment.objects.count() > 1 and CameraCount.objects.exists()
