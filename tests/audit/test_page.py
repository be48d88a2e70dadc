"""/journal/: administrators only; filters, pages, links to histories, exports."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contrechamp.audit.models import AuditEntry
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_snapshot, deployment_update
from tests.audit.conftest import acting_as

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PAGES = ["audit-log", "audit-export-csv", "audit-export-jsonl"]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def edited(contributor):
    """A deployment edited by a contributor, from a known network."""
    deployment = Deployment.objects.order_by("id").first()
    data = deployment_snapshot(deployment)
    data["description"] = "Nouvelle description."
    with acting_as(contributor):
        return deployment_update(
            deployment=deployment, data=data, base_version=deployment.version, author=contributor
        )


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_contributors_and_reviewers_get_nothing(client, contributor, reviewer, name, edited):
    for person in (contributor, reviewer):
        client.force_login(person)
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Nouvelle description" not in _body(response)


@pytest.mark.parametrize("name", PAGES)
def test_visitors_are_sent_to_log_in(client, name, db):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_administrator_sees_who_did_what_with_a_link_to_the_history(
    admin_client, contributor, edited
):
    contributor.profile.public_name = "Camille du collectif"
    contributor.profile.save()
    page = admin_client.get(reverse("audit-log"), {"actor": contributor.pk}).content.decode()
    assert "Camille du collectif" in page
    assert reverse("deployment-history", args=[edited.slug]) in page
    assert "description" in page
    assert "camille@example.org" not in page


def test_filters_narrow_the_entries(admin_client, contributor, edited):
    def ids(**params):
        response = admin_client.get(reverse("audit-export-jsonl"), params)
        return {json.loads(line)["id"] for line in _body(response).splitlines()}

    mine = ids(actor=contributor.pk)
    assert mine and all(
        e.actor_id == contributor.pk for e in AuditEntry.objects.filter(id__in=mine)
    )
    deployments = ids(model="registry.deployment", action="changed")
    assert deployments and all(
        (e.target_model, e.action) == ("deployment", "changed")
        for e in AuditEntry.objects.filter(id__in=deployments)
    )
    today = timezone.localdate()
    assert ids(since=today.isoformat(), until=today.isoformat()) >= mine
    assert not ids(until="2001-01-01")
    assert ids(actor="system") & mine == set()
    origin = AuditEntry.objects.filter(id__in=mine).first().origin
    assert ids(origin=origin) == mine


def test_the_page_is_paginated_with_page(admin_client, db):
    total = AuditEntry.objects.count()
    assert total > 50  # the demo data alone
    first = admin_client.get(reverse("audit-log")).content.decode()
    second = admin_client.get(reverse("audit-log"), {"page": 2}).content.decode()
    assert "page=2" in first and 'rel="next"' in first
    newest = AuditEntry.objects.order_by("-id").first()
    assert f"#{newest.target_id}" in first
    assert first != second


def test_the_csv_export_is_streamed_and_has_every_entry_asked(admin_client, edited):
    response = admin_client.get(reverse("audit-export-csv"), {"model": "registry.deployment"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    expected = AuditEntry.objects.filter(target_app="registry", target_model="deployment")
    assert len(rows) == expected.count()
    assert {row["target_id"] for row in rows} >= {str(edited.pk)}


def test_the_exports_hold_no_email_address(admin_client, client, contributor, edited):
    # A failed log-in typed with an address, and a display name made of one.
    client.post(reverse("login"), {"username": "camille@example.org", "password": "x" * 12})
    contributor.profile.public_name = "camille@example.org"
    contributor.profile.save()
    for name in PAGES:
        body = _body(admin_client.get(reverse(name)))
        assert not EMAIL.search(body), (name, EMAIL.search(body))


def test_the_kinds_of_object_are_named_in_the_language_of_the_page(admin_client, edited):
    """The filter listed `access.accessrequest`, `registry.deployment` (a new user's
    walk): each kind is named by its model's name, translated; the address keeps the
    label."""
    kinds = {
        f"{app}.{model}"
        for app, model in AuditEntry.objects.values_list("target_app", "target_model")
    }
    for language, deployment in (("fr", "Dispositif"), ("en", "Deployment")):
        page = admin_client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE=language)
        select = page.content.decode().split('id="f-model"', 1)[1].split("</select>", 1)[0]
        options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)
        assert {value for value, _label in options} == kinds
        assert all("." not in label for _value, label in options), options
        assert ("registry.deployment", deployment) in options
    rows = admin_client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "registry.deployment #" not in rows and "dispositif #" in rows


# Words French and English write alike.
SAME_IN_BOTH = {
    "commune",
    "document",
    "source",
    "organisation",
    "publication",
    "citation",
    "invitation",
}


def test_every_kind_the_log_records_has_a_french_name():
    from django.apps import apps
    from django.utils import translation

    from contrechamp.audit.models import kind_name
    from contrechamp.audit.recording import is_recorded

    for model in apps.get_models():
        if not is_recorded(model):
            continue
        meta = model._meta
        with translation.override("fr"):
            french = kind_name(meta.app_label, meta.model_name)
        with translation.override("en"):
            english = kind_name(meta.app_label, meta.model_name)
        assert french != english or french in SAME_IN_BOTH, (meta.label, french)
