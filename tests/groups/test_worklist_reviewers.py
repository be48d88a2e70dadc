"""A document to review is the reviewers' work: the worklist gives it to no contributor,
by its form or by a crafted post, nor lets one take it; it offers instead the kind a
contributor can do, sources to gather or check, and never gives a member an item linking
what they may not read. These tests failed on the code before (the worklist took any
member for any kind)."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contrechamp.groups import services
from contrechamp.groups.models import WorkItem
from tests.documents import samples
from tests.documents.conftest import add
from tests.groups.conftest import client_for, join

pytestmark = pytest.mark.django_db

NOTE = "Relire le marché de vidéoprotection algorithmique"


@pytest.fixture
def reviewer_member(group, contributor, reviewer):
    join(group, reviewer, by=contributor)
    return reviewer


def _post(client, group, **data):
    return client.post(reverse("group-worklist", args=[group.slug]), data)


def test_a_crafted_post_giving_a_document_to_review_to_a_contributor_is_refused(
    group, contributor, other_contributor, english
):
    """Camille (a coordinator, a contributor) posts the form with Dominique, a contributor,
    as the one to review: refused at the "assigned to" field, with why and what to do
    instead; nothing is added."""
    client = client_for(Client, contributor)
    response = _post(
        client, group, kind="document_review", note=NOTE, assignee=str(other_contributor.id)
    )
    assert response.status_code == 400
    assert not WorkItem.objects.filter(group=group).exists()
    form = response.context["work_form"]
    [error] = form.errors["assignee"]
    assert "cannot review documents" in error and "reviewers' work" in error
    assert "sources to gather or check" in error
    page = html.unescape(response.content.decode())
    assert "cannot review documents" in page and NOTE in page  # the note is kept


def test_the_refusal_is_said_in_french(group, contributor, other_contributor):
    client = client_for(Client, contributor)
    response = _post(
        client, group, kind="document_review", note=NOTE, assignee=str(other_contributor.id)
    )
    [error] = response.context["work_form"].errors["assignee"]
    assert "ne peut pas relire de documents" in error, error
    assert "\u00ab\u00a0sources à rassembler ou vérifier\u00a0\u00bb" in error, error


def test_the_service_refuses_it_too(group, contributor, other_contributor):
    with pytest.raises(ValidationError) as refused:
        services.work_item_add(
            group=group,
            user=contributor,
            kind="document_review",
            note=NOTE,
            assignee=other_contributor,
        )
    assert "assignee" in refused.value.error_dict
    assert not WorkItem.objects.exists()


def test_a_reviewer_of_the_group_is_given_it_and_a_contributor_the_sources(
    group, contributor, other_contributor, reviewer_member
):
    client = client_for(Client, contributor)
    given = _post(
        client, group, kind="document_review", note=NOTE, assignee=str(reviewer_member.id)
    )
    assert given.status_code == 302
    assert WorkItem.objects.get(kind="document_review").assignee == reviewer_member
    reshaped = _post(
        client, group, kind="sources_check", note=NOTE, assignee=str(other_contributor.id)
    )
    assert reshaped.status_code == 302
    assert WorkItem.objects.get(kind="sources_check").assignee == other_contributor
    # Left to nobody, a document to review waits for a reviewer.
    assert _post(client, group, kind="document_review", note="Autre").status_code == 302


def test_a_contributor_may_not_take_a_document_to_review(
    group, contributor, other_contributor, reviewer_member, english
):
    item = services.work_item_add(
        group=group, user=reviewer_member, kind="document_review", note=NOTE
    )
    client = client_for(Client, other_contributor)
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'id="item-{item.id}"' in page
    card = page.split(f'id="item-{item.id}"')[1].split("</li>")[0]
    assert 'value="take"' not in card and "for a reviewer of the group" in card
    # The button's post, crafted.
    taken = client.post(
        reverse("group-work-item", args=[group.slug, item.id]),
        {"version": item.version, "action": "take"},
        follow=True,
    )
    item.refresh_from_db()
    assert item.assignee is None
    assert "reviewers' work" in html.unescape(taken.content.decode())
    # A reviewer takes it.
    reviewer_client = client_for(Client, reviewer_member)
    reviewer_client.post(
        reverse("group-work-item", args=[group.slug, item.id]),
        {"version": item.version, "action": "take"},
    )
    item.refresh_from_db()
    assert item.assignee == reviewer_member


def test_an_item_given_before_says_so_and_goes_back_to_the_group(
    group, contributor, other_contributor, english
):
    """An item given to a contributor before the worklist refused it (or whose reviewer
    was made a contributor again): the card says so and offers to unassign it; opened
    again after being done, it goes back to the group."""
    item = WorkItem.objects.create(
        group=group, kind="document_review", note=NOTE, assignee=other_contributor
    )
    client = client_for(Client, contributor)
    card = (
        client.get(group.get_absolute_url())
        .content.decode()
        .split(f'id="item-{item.id}"')[1]
        .split("</li>")[0]
    )
    assert "cannot review documents" in card and 'value="release"' in card
    # Dominique is told in her own words, and gives it back.
    own = (
        client_for(Client, other_contributor)
        .get(group.get_absolute_url())
        .content.decode()
        .split(f'id="item-{item.id}"')[1]
        .split("</li>")[0]
    )
    assert "You cannot review documents" in own and 'value="release"' in own
    done = services.work_item_change(item=item, user=contributor, version=1, action="done")
    reopened = services.work_item_change(
        item=done, user=contributor, version=done.version, action="reopen"
    )
    assert reopened.assignee is None and reopened.state == "open"


def test_no_member_is_given_an_item_linking_what_they_may_not_read(
    group, contributor, other_contributor, settings, tmp_path
):
    """Camille links her own upload, not published, and gives it to Dominique, who may
    not read it: refused at the field, as a document to review was."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    own = add(
        samples.text_pdf(["Note sur les caméras du parc"]), "note.pdf", uploaded_by=contributor
    )
    client = client_for(Client, contributor)
    response = _post(
        client,
        group,
        kind="sources_check",
        note=NOTE,
        document=str(own.id),
        assignee=str(other_contributor.id),
    )
    assert response.status_code == 400
    assert "assignee" in response.context["work_form"].errors
    assert not WorkItem.objects.exists()
    # To nobody, or to herself, it is added.
    assert _post(client, group, kind="sources_check", document=str(own.id)).status_code == 302


def test_the_kind_of_the_form_says_who_reviews(group, contributor, english):
    page = client_for(Client, contributor).get(group.get_absolute_url()).content.decode()
    assert "A document to review goes to a reviewer" in page
    assert 'value="sources_check"' in page
    with translation.override("fr"):
        assert str(dict(WorkItem.KINDS)["sources_check"]) == "sources à rassembler ou vérifier"
