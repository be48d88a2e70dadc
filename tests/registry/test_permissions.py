"""The registry's rules live in registry/permissions.py, one function per action; the
pages obey them and offer a link or button exactly when the action is allowed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from contrechamp.registry import permissions as p
from contrechamp.registry.models import Deployment, Organisation
from contrechamp.registry.services import deployment_create, deployment_update
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(contributor, other_contributor, reviewer):
    return {
        "anonymous": AnonymousUser(),
        "author": contributor,
        "other contributor": other_contributor,
        "reviewer": reviewer,
    }


@pytest.fixture
def draft(contributor):
    return deployment_create(
        data=deployment_data(title="Brouillon de Camille", is_published=False), author=contributor
    )


def _client(client, user):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    client.raise_request_exception = False
    return client


def test_the_edit_page_and_link_follow_may_edit_deployment(client, personas, draft):
    published = Deployment.objects.published().first()
    for name, user in personas.items():
        c = _client(client, user)
        for deployment in (published, draft):
            allowed = p.may_edit_deployment(user, deployment)
            readable = p.may_read_deployment(user, deployment)
            status = c.get(reverse("deployment-edit", args=[deployment.slug])).status_code
            expected = 200 if allowed else (302 if not user.is_authenticated else 404)
            if user.is_authenticated and readable and not allowed:
                expected = 403
            assert status == expected, (name, deployment.title)
            if readable:
                page = c.get(deployment.get_absolute_url()).content.decode()
                link = reverse("deployment-edit", args=[deployment.slug])
                assert (link in page) == allowed, (name, deployment.title)


def test_the_restore_button_follows_may_revert(client, personas, contributor):
    deployment = deployment_create(data=deployment_data(), author=contributor)
    deployment_update(
        deployment=deployment,
        data=deployment_data(status="deployed"),
        base_version=1,
        author=contributor,
    )
    url = reverse("deployment-revision", args=[deployment.slug, 1])
    restore = reverse("deployment-revert", args=[deployment.slug, 1])
    for name, user in personas.items():
        page = _client(client, user).get(url).content.decode()
        assert (restore in page) == p.may_revert_deployment(user, deployment), name


def test_the_organisation_links_follow_the_permissions(client, personas):
    organisation = Organisation.objects.public().first()
    for name, user in personas.items():
        c = _client(client, user)
        listing = c.get(reverse("organisation-list")).content.decode()
        assert (reverse("organisation-create") in listing) == p.may_create_organisation(user)
        page = c.get(organisation.get_absolute_url()).content.decode()
        edit = reverse("organisation-edit", args=[organisation.slug])
        assert (edit in page) == p.may_edit_organisation(user, organisation), name


def test_the_writing_pages_refuse_whom_the_permissions_refuse(client, personas):
    for name, user in personas.items():
        c = _client(client, user)
        for url, allowed in (
            (reverse("deployment-create"), p.may_create_deployment(user)),
            (reverse("organisation-create"), p.may_create_organisation(user)),
            (reverse("camera-count-create"), p.may_add_camera_count(user)),
        ):
            status = c.get(url).status_code
            assert status == (200 if allowed else 302), (name, url)
