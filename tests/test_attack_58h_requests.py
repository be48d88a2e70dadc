"""Walk 58h: "Request the documents" on one's own draft deployment opened an empty form
(a published one filled the commune, the deployment and the subject), and the form's
"About the deployments" field asked for identifiers nobody knows. Each test fails on the
code before the fix."""

from __future__ import annotations

import html as html_lib

import pytest
from django.urls import reverse

from contrechamp.access.models import AccessRequest
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "69123",
    "title": "Caméras de la Part-Dieu",
    "usual": ["0"],
    "documents_asked": "La convention avec le prestataire",
    "channel": "post",
}


def _draft_of(author) -> Deployment:
    return deployment_create(
        data=deployment_data(title="Brouillon : caméras de la Part-Dieu", is_published=False),
        author=author,
    )


def _form(client, slug: str) -> str:
    url = reverse("request-create") + f"?deploiement={slug}"
    return html_lib.unescape(client.get(url).content.decode())


def test_the_drafts_author_gets_the_form_filled(client, contributor):
    draft = _draft_of(contributor)
    client.force_login(contributor)
    text = _form(client, draft.slug)
    assert "Brouillon : caméras de la Part-Dieu [" in text
    assert "(69123)" in text
    response = client.post(
        reverse("request-create"),
        {**DRAFT, "deployments": f"{draft.title} [{draft.slug}]"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(AccessRequest.objects.get().deployments.all()) == [draft]


def test_another_contributor_gets_nothing_of_the_draft(client, contributor, other_contributor):
    draft = _draft_of(contributor)
    client.force_login(other_contributor)
    text = _form(client, draft.slug)
    assert "Part-Dieu" not in text and "(69123)" not in text
    # Nor by typing its identifier, its address or its title: refused as no deployment.
    for typed in (draft.slug, draft.get_absolute_url(), draft.title, f"x [{draft.slug}]"):
        response = client.post(reverse("request-create"), {**DRAFT, "deployments": typed})
        assert response.status_code == 400
        assert not AccessRequest.objects.exists()


def test_a_deployment_is_chosen_by_its_title_not_its_identifier(client, contributor):
    deployment = Deployment.objects.published().filter(communes__isnull=False).first()
    client.force_login(contributor)
    page = client.get(reverse("request-create")).content.decode()
    assert 'data-autocomplete="deployments"' in page
    assert "identifiers in the registry" not in page and "identifiants" not in page
    for typed in (deployment.title.upper(), f"https://x.example{deployment.get_absolute_url()}"):
        AccessRequest.objects.all().delete()
        response = client.post(reverse("request-create"), {**DRAFT, "deployments": typed})
        assert response.status_code == 302, typed
        assert list(AccessRequest.objects.get().deployments.all()) == [deployment]
