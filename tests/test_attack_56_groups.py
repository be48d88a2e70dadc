"""Hostile review 56: groups.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from contrechamp.accounts.services import user_create
from contrechamp.groups import services as group_services
from contrechamp.registry.services import deployment_create
from tests.conftest import PASSWORD
from tests.factories import deployment_data
from tests.groups.conftest import group  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _outcome(group, user, url: str) -> str:  # noqa: F811
    try:
        group_services.work_item_add(group=group, user=user, kind="other", url=url)
    except ValidationError as error:
        return "refused: " + " ".join(error.messages)
    return "added"


def test_a_worklist_link_does_not_tell_whether_a_private_draft_exists(
    group,  # noqa: F811
    other_contributor,
    client,
):
    """A draft deployment is private to its author and reviewers: its page answers 404
    to anyone else, as for an address that names nothing. A member of any group pastes
    addresses into the worklist's link field: for a draft's address the item is refused
    with "No such deployment." (`_on_this_site` found the slug, `_linked` refused it),
    for an address that names nothing it is added as a plain link. The worklist tells
    any contributor which guessed slugs are drafts in preparation (a collective's
    "vsa-...-2026" before it is published, a sole trader's name in a title)."""
    author = user_create(username="lou", email="lou@example.org", password=PASSWORD)
    draft = deployment_create(
        data=deployment_data(title="Reconnaissance faciale gare de Perrache", is_published=False),
        author=author,
    )
    assert not draft.is_published
    assert client.get(f"/dispositifs/{draft.slug}/").status_code == 404
    assert client.get("/dispositifs/aucun-dispositif-de-ce-nom/").status_code == 404
    site = settings.SITE_URL.rstrip("/")
    existing = _outcome(group, other_contributor, f"{site}/dispositifs/{draft.slug}/")
    missing = _outcome(group, other_contributor, f"{site}/dispositifs/aucun-dispositif-de-ce-nom/")
    assert existing == missing, (existing, missing)
    # Both are the same plain link, not the draft itself (its title never shows).
    items = list(group.work_items.order_by("id").values_list("url", "deployment_id"))
    assert items == [
        (f"{site}/dispositifs/{draft.slug}/", None),
        (f"{site}/dispositifs/aucun-dispositif-de-ce-nom/", None),
    ]


def test_a_worklist_link_still_names_the_deployments_the_member_may_read(
    group,  # noqa: F811
    contributor,
    other_contributor,
):
    """The other side of the above: the address of a published deployment, or of a draft
    its author links to, still becomes the deployment itself (shown by its title)."""
    published = deployment_create(
        data=deployment_data(title="Vidéoprotection place Bellecour"), author=contributor
    )
    draft = deployment_create(
        data=deployment_data(title="Drone au-dessus de la Guillotière", is_published=False),
        author=other_contributor,
    )
    site = settings.SITE_URL.rstrip("/")
    for deployment in (published, draft):
        item = group_services.work_item_add(
            group=group,
            user=other_contributor,
            kind="other",
            url=f"{site}/dispositifs/{deployment.slug}/",
        )
        assert (item.url, item.deployment) == ("", deployment)
