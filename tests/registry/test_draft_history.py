"""A draft's versions stay private once it is published (the walk of the thirty-fourth
session, and the read of it): the history, its version pages and the home page's latest
changes showed every version, the drafts' too, so a name a reviewer removed from a
contributor's draft before publishing it was public in version 1."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.registry.models import Proposal
from contrechamp.registry.proposals import deployment_submit, proposal_accept
from contrechamp.registry.services import deployment_create, deployment_update
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

SECRET = "Jean Dupontel, 06 11 22 33 44"


@pytest.fixture
def published(newcomer, reviewer):
    draft = deployment_create(
        data=deployment_data(
            title="Caméras de la gare de Riom",
            communes=["63300"],
            description=f"Signalé par mon voisin {SECRET}.",
            is_published=False,
        ),
        author=newcomer,
        comment="Premier jet avec le nom du voisin",
    )
    # The reviewer takes the name out, then publishes.
    amended = deployment_update(
        deployment=draft,
        data=deployment_data(
            title="Caméras de la gare de Riom",
            communes=["63300"],
            description="Signalé par un habitant.",
            is_published=False,
        ),
        base_version=draft.version,
        author=reviewer,
    )
    proposal = deployment_submit(deployment=amended, author=newcomer)
    proposal_accept(proposal=Proposal.objects.get(id=proposal.id), reviewer=reviewer)
    amended.refresh_from_db()
    assert amended.is_published
    return amended


def test_a_visitor_reads_no_draft_version(published):
    visitor = Client()
    history = visitor.get(reverse("deployment-history", args=[published.slug]))
    assert history.status_code == 200
    page = history.content.decode()
    assert "Dupontel" not in page and "Premier jet" not in page
    for version in range(1, published.version + 1):
        response = visitor.get(reverse("deployment-revision", args=[published.slug, version]))
        assert "Dupontel" not in response.content.decode(), version
        if version < published.version:
            assert response.status_code == 404, version
    assert "Premier jet" not in visitor.get(reverse("home")).content.decode()


def test_reviewers_still_read_every_version(published, reviewer, client):
    client.force_login(reviewer)
    first = client.get(reverse("deployment-revision", args=[published.slug, 1]))
    assert first.status_code == 200 and "Dupontel" in first.content.decode()
