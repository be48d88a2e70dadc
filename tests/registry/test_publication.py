"""A draft stays a draft until someone allowed to publishes it, in a visible step; until
then only reviewers and its author read or edit it."""

import pytest
from django.urls import reverse

from contrechamp.registry.models import Deployment, Revision
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field


@pytest.fixture
def draft(contributor):
    return deployment_create(
        data=deployment_data(title="Brouillon privé", is_published=False), author=contributor
    )


def test_saving_the_edit_form_keeps_a_draft_unpublished(client, contributor, draft):
    client.force_login(contributor)
    url = reverse("deployment-edit", args=[draft.slug])
    fields = form_fields(client.get(url).content.decode())
    set_field(fields, "description", "Complété.")
    assert client.post(url, fields).status_code == 302
    draft.refresh_from_db()
    assert draft.description == "Complété." and not draft.is_published
    assert client.get(reverse("deployment-list")).content.decode().count("Brouillon privé") == 0


@pytest.mark.parametrize("who", ["anonymous", "other_contributor"])
def test_others_neither_read_nor_edit_a_draft(client, draft, other_contributor, who):
    if who == "other_contributor":
        client.force_login(other_contributor)
    for name, args in [
        ("deployment-detail", [draft.slug]),
        ("deployment-history", [draft.slug]),
        ("deployment-revision", [draft.slug, 1]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    edit = reverse("deployment-edit", args=[draft.slug])
    expected = 404 if who != "anonymous" else 302  # anonymous: sent to the login page
    assert client.get(edit).status_code == expected
    assert client.post(edit, {"title": "Pris", "version": "1"}).status_code == expected
    assert client.post(reverse("deployment-publish", args=[draft.slug])).status_code == expected
    assert client.post(reverse("deployment-revert", args=[draft.slug, 1])).status_code == expected
    draft.refresh_from_db()
    assert draft.title == "Brouillon privé" and not draft.is_published and draft.version == 1


@pytest.mark.parametrize("who", ["contributor", "reviewer"])
def test_the_author_or_a_reviewer_reads_and_publishes_a_draft(
    client, draft, reviewer, contributor, who
):
    client.force_login(reviewer if who == "reviewer" else contributor)
    page = client.get(reverse("deployment-detail", args=[draft.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Brouillon" in html or "Draft" in html  # says it is not public
    publish = reverse("deployment-publish", args=[draft.slug])
    assert publish in html
    assert client.get(publish).status_code == 405  # a link followed by a crawler does nothing
    # The version the page showed goes with the button (a form without it publishes
    # nothing: tests/test_attack_53_registry.py).
    assert 'name="version" value="1"' in html
    response = client.post(publish, {"version": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.version == 2
    revision = Revision.objects.get(kind="deployment", object_id=draft.id, version=2)
    assert revision.snapshot["is_published"] is True
    assert client.get(reverse("deployment-detail", args=[draft.slug])).status_code == 200


def test_a_draft_without_source_cannot_be_published(client, reviewer):
    bare = deployment_create(
        data=deployment_data(title="Sans source", citations=[], is_published=False), author=reviewer
    )
    client.force_login(reviewer)
    client.post(reverse("deployment-publish", args=[bare.slug]), {"version": bare.version})
    bare.refresh_from_db()
    assert not bare.is_published
    page = client.get(reverse("deployment-detail", args=[bare.slug]), follow=True)
    assert "source" in page.content.decode()


def test_reverting_a_published_deployment_does_not_unpublish_or_publish_it(client, reviewer, draft):
    client.force_login(reviewer)
    client.post(reverse("deployment-publish", args=[draft.slug]), {"version": draft.version})
    client.post(reverse("deployment-revert", args=[draft.slug, 1]), {"version": 2})
    draft.refresh_from_db()
    assert draft.is_published and draft.version == 3


def test_a_published_deployment_stays_editable_by_any_contributor(client, other_contributor):
    published = Deployment.objects.published().first()
    client.force_login(other_contributor)
    assert client.get(reverse("deployment-edit", args=[published.slug])).status_code == 200
