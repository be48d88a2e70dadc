"""The audit log as a new user's walk met it: a reviewer's refusal named her own role, an
actor filter by name listed the whole log, and a reply's move of a tip to "being handled"
left no entry."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from contrechamp.audit.models import AuditEntry
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_snapshot, deployment_update
from contrechamp.tips.models import Tip
from tests.audit.conftest import acting_as
from tests.tips.helpers import send

pytestmark = pytest.mark.django_db


def test_a_reviewer_reads_that_the_log_is_the_administrators(client, reviewer):
    client.force_login(reviewer)
    for language, said in [
        ("fr", "Le journal d’audit est réservé aux administrateurs et administratrices"),
        ("en", "The audit log is the administrators'"),
    ]:
        response = client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 403
        html = response.content.decode().replace("&#x27;", "'")
        assert said in html
        assert "relecteur" not in html and "(reviewer" not in html


def _edit(contributor):
    deployment = Deployment.objects.order_by("id").first()
    data = deployment_snapshot(deployment)
    data["description"] = "Nouvelle description."
    with acting_as(contributor):
        deployment_update(
            deployment=deployment, data=data, base_version=deployment.version, author=contributor
        )


def test_the_actor_filter_reads_a_public_name(client, administrator, contributor):
    contributor.profile.public_name = "Camille R."
    contributor.profile.save(update_fields=["public_name"])
    _edit(contributor)
    client.force_login(administrator)
    mine = AuditEntry.objects.filter(actor_id=contributor.id).count()
    assert 0 < mine < AuditEntry.objects.count()
    html = client.get(reverse("audit-log"), {"actor": "camille r."}).content.decode()
    assert f"{mine} entr" in html
    export = b"".join(
        client.get(reverse("audit-export-jsonl"), {"actor": "Camille R."}).streaming_content
    )
    assert len(export.splitlines()) == mine


def test_an_actor_filter_that_names_nobody_is_refused_visibly(client, administrator):
    client.force_login(administrator)
    html = client.get(
        reverse("audit-log"), {"actor": "Personne"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="f-actor-error"' in html and "No account has the public name" in html
    assert "0 entries" in html
    response = client.get(reverse("audit-export-csv"), {"actor": "Personne"})
    assert response.status_code == 400


def test_a_replys_move_of_a_tip_is_recorded_day_only(client, reviewer):
    send(client)
    tip = Tip.objects.get()
    staff = type(client)()
    staff.force_login(reviewer)
    staff.post(reverse("tip-reply", args=[tip.id]), {"text": "Merci."})
    tip.refresh_from_db()
    assert tip.status == "handling"
    moved = AuditEntry.objects.get(target_model="tip", action="changed")
    assert moved.actor_id == reviewer.id and moved.origin == ""
    assert moved.details["fields"] == ["status"]
    assert timezone.localtime(moved.when).time() == time(0, 0)
