"""The shared worklist: the members' alone, fed by what the group's places call for as
each member may see it, and safe when two members act on one item at once."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.access import services as access_services
from contrechamp.documents.models import Document, Entity, Page
from contrechamp.groups import services
from contrechamp.groups.models import WorkItem
from contrechamp.places.models import Commune
from contrechamp.redaction.models import Redaction
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.groups.conftest import client_for, join

NOTE = "Relancer la mairie sur les délibérations 2024"


@pytest.fixture
def item(group, contributor):
    return services.work_item_add(group=group, user=contributor, kind="other", note=NOTE)


def _private_document(title: str, code: str = "69123") -> Document:
    document = Document.objects.create(
        sha256=hashlib.sha256(title.encode()).hexdigest(),
        size=1,
        filename="note.pdf",
        title=title,
        is_public=False,
        status="done",
    )
    document.places.add(Commune.objects.get(code=code))
    page = Page.objects.create(document=document, number=1, text="Marché Briefcam 120 000 €")
    Entity.objects.create(
        page=page,
        kind="organisation",
        text="Briefcam",
        value="Briefcam",
        start=7,
        end=15,
        confidence=0.9,
    )
    Redaction.objects.create(page=page, kind="person", text="Jean Dupont")
    return document


def _sent_request(user, title: str, *, code: str = "69123", days_ago: int = 70):
    body = access_services.body_for_commune(Commune.objects.get(code=code))
    request = access_services.request_create(
        body=body, requester=user, title=title, documents_asked="Le marché de vidéosurveillance"
    )
    return access_services.request_send(
        request=request, sent_on=dt.date.today() - dt.timedelta(days=days_ago)
    )


def test_a_non_member_reads_no_worklist(group, item, other_group, outsider, reviewer, db):
    other_coordinator = other_group.memberships.get().user
    waiting = client_for(Client, outsider)
    services.membership_request(group=group, user=outsider)  # asked, not approved
    for client in (
        Client(),
        waiting,
        client_for(Client, reviewer),  # a reviewer of the site is not a member
        client_for(Client, other_coordinator),  # a coordinator of another group neither
    ):
        page = client.get(group.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert NOTE not in body and 'id="worklist"' not in body
        fragment = client.get(reverse("group-worklist", args=[group.slug]))
        assert fragment.status_code in (302, 404) and NOTE not in fragment.content.decode()
        added = client.post(
            reverse("group-worklist", args=[group.slug]), {"kind": "other", "note": "intrus"}
        )
        assert added.status_code in (302, 404) and "intrus" not in added.get("Location", "")
        changed = client.post(
            reverse("group-work-item", args=[group.slug, item.id]),
            {"version": item.version, "action": "done"},
        )
        assert changed.status_code in (302, 404)
    assert not WorkItem.objects.filter(note="intrus").exists()
    item.refresh_from_db()
    assert item.state == "open" and item.version == 1


def test_the_fragment_needs_login_and_membership(group, item, outsider):
    assert Client().get(reverse("group-worklist", args=[group.slug])).status_code == 404
    response = client_for(Client, outsider).get(reverse("group-worklist", args=[group.slug]))
    assert response.status_code == 404


def test_an_item_of_group_a_cannot_be_reached_through_group_b(group, item, other_group):
    coordinator_b = client_for(Client, other_group.memberships.get().user)
    response = coordinator_b.post(
        reverse("group-work-item", args=[other_group.slug, item.id]),
        {"version": 1, "action": "done"},
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == "open"


def test_a_member_adds_takes_and_finishes_an_item(group, other_contributor):
    member = client_for(Client, other_contributor)
    member.post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "candidate_check", "note": "Caméra signalée", "url": "https://example.org/osm"},
    )
    added = WorkItem.objects.get(group=group)
    assert added.created_by == other_contributor and added.kind == "candidate_check"
    member.post(
        reverse("group-work-item", args=[group.slug, added.id]), {"version": 1, "action": "take"}
    )
    member.post(
        reverse("group-work-item", args=[group.slug, added.id]), {"version": 2, "action": "done"}
    )
    added.refresh_from_db()
    assert (added.assignee, added.state, added.version) == (other_contributor, "done", 3)
    page = member.get(group.get_absolute_url()).content.decode()
    assert "Caméra signalée" in page


def test_two_members_acting_at_once_lose_nothing(group, item, contributor, other_contributor):
    first, second = client_for(Client, contributor), client_for(Client, other_contributor)
    url = reverse("group-work-item", args=[group.slug, item.id])
    # Both loaded the page at version 1.
    assert (
        f'name="version" value="{item.version}"'
        in first.get(group.get_absolute_url()).content.decode()
    )
    assert (
        f'name="version" value="{item.version}"'
        in second.get(group.get_absolute_url()).content.decode()
    )
    first.post(url, {"version": 1, "action": "take"})
    answer = second.post(url, {"version": 1, "action": "take"}, follow=True)
    item.refresh_from_db()
    # The first one keeps it; the second is told, and nothing of theirs was written.
    assert item.assignee == contributor and item.version == 2
    assert (
        "Un autre membre" in answer.content.decode() or "Another member" in answer.content.decode()
    )
    # Both marking it done: done once, one version step.
    first.post(url, {"version": 2, "action": "done"})
    second.post(url, {"version": 2, "action": "done"})
    item.refresh_from_db()
    assert item.state == "done" and item.version == 3


def test_the_service_refuses_a_stale_version(group, item, contributor, other_contributor):
    services.work_item_change(item=item, user=contributor, version=1, action="done")
    with pytest.raises(services.StaleWorkItem) as stale:
        services.work_item_change(item=item, user=other_contributor, version=1, action="reopen")
    assert stale.value.current.state == "done"


def test_a_member_may_not_assign_an_outsider(group, contributor, outsider):
    client = client_for(Client, contributor)
    client.post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "other", "note": "À faire", "assignee": outsider.pk},
    )
    assert not WorkItem.objects.filter(assignee=outsider).exists()


def test_requests_near_or_past_their_dates_are_suggested(group, contributor, other_contributor):
    late = _sent_request(other_contributor, "Marché de vidéosurveillance algorithmique")
    elsewhere = _sent_request(other_contributor, "Caméras de Bordeaux", code="33063")
    recent = _sent_request(other_contributor, "Envoyée hier", days_ago=1)
    someone_elses_draft = access_services.request_create(
        body=access_services.body_for_commune(Commune.objects.get(code="69123")),
        requester=other_contributor,
        title="Brouillon de Dominique",
        documents_asked="x",
    )
    own_draft = access_services.request_create(
        body=access_services.body_for_commune(Commune.objects.get(code="69123")),
        requester=contributor,
        title="Mon brouillon",
        documents_asked="x",
    )
    found = services.worklist_suggestions(group=group, user=contributor)
    by_request = {s.access_request.id: s.kind for s in found if s.access_request}
    assert by_request.get(late.id) == "request_follow"
    assert by_request.get(own_draft.id) == "request_send"
    assert elsewhere.id not in by_request and recent.id not in by_request
    assert someone_elses_draft.id not in by_request
    page = client_for(Client, contributor).get(group.get_absolute_url()).content.decode()
    assert "Brouillon de Dominique" not in page and "Mon brouillon" in page

    # Once on the list, no longer suggested.
    services.work_item_add(
        group=group, user=contributor, kind="request_follow", access_request=late.id
    )
    again = services.worklist_suggestions(group=group, user=contributor)
    assert late.id not in {s.access_request.id for s in again if s.access_request}


def test_private_documents_are_suggested_only_to_those_who_may_review_them(
    group, contributor, reviewer
):
    join(group, reviewer, by=contributor)
    document = _private_document("Convention Briefcam (non caviardée)")
    to_contributor = services.worklist_suggestions(group=group, user=contributor)
    assert document.id not in {s.document.id for s in to_contributor if s.document}
    page = client_for(Client, contributor).get(group.get_absolute_url()).content.decode()
    assert "Convention Briefcam" not in page

    to_reviewer = services.worklist_suggestions(group=group, user=reviewer)
    assert document.id in {s.document.id for s in to_reviewer if s.document}

    # The reviewer puts it on the list: the contributor sees there is an item, not what
    # it is about.
    reviewer_client = client_for(Client, reviewer)
    reviewer_client.post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "document_review", "document": document.id},
    )
    assert WorkItem.objects.filter(document=document).exists()
    page = client_for(Client, contributor).get(group.get_absolute_url()).content.decode()
    assert "Convention Briefcam" not in page and f"/documents/{document.id}/" not in page
    assert "Convention Briefcam" in reviewer_client.get(group.get_absolute_url()).content.decode()


def test_a_member_cannot_link_what_they_may_not_read(group, contributor):
    document = _private_document("Note interne de la police municipale")
    client_for(Client, contributor).post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "document_review", "document": document.id},
    )
    assert not WorkItem.objects.filter(document=document).exists()


def test_draft_deployments_and_requests_stay_off_the_public_activity(
    group, contributor, other_contributor, client
):
    deployment_create(
        data=deployment_data(title="Projet secret de VSA", is_published=False),
        author=other_contributor,
    )
    deployment_create(data=deployment_data(title="VSA place Bellecour"), author=other_contributor)
    access_services.request_create(
        body=access_services.body_for_commune(Commune.objects.get(code="69123")),
        requester=other_contributor,
        title="Demande pas encore envoyée",
        documents_asked="x",
    )
    _sent_request(other_contributor, "Demande envoyée sur les caméras")
    author = client_for(Client, other_contributor)
    for viewer in (client, client_for(Client, contributor), author):
        page = viewer.get(group.get_absolute_url()).content.decode()
        assert "VSA place Bellecour" in page and "Demande envoyée sur les caméras" in page
        # Not on the public activity, even for the author who may read the draft
        # elsewhere: that part of the page is what everyone sees.
        assert "Projet secret de VSA" not in page
        if viewer is not author:
            assert "Demande pas encore envoyée" not in page


def test_changes_reach_the_audit_log(group, item, contributor):
    from contrechamp.audit.models import AuditEntry

    client_for(Client, contributor).post(
        reverse("group-work-item", args=[group.slug, item.id]), {"version": 1, "action": "done"}
    )
    entry = AuditEntry.objects.filter(
        target_app="groups", target_model="workitem", target_id=str(item.id), action="changed"
    ).first()
    assert entry is not None and entry.actor_id == contributor.pk
    assert entry.details == {"fields": ["state"]}


def test_a_draft_deployment_linked_by_a_reviewer_stays_hidden_from_other_members(
    group, contributor, reviewer, other_contributor
):
    join(group, reviewer, by=contributor)
    draft = deployment_create(
        data=deployment_data(title="Brouillon confidentiel de drones", is_published=False),
        author=other_contributor,
    )
    client_for(Client, reviewer).post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "other", "deployment": draft.id, "note": "Vérifier"},
    )
    assert WorkItem.objects.filter(deployment=draft).exists()
    page = client_for(Client, contributor).get(group.get_absolute_url()).content.decode()
    assert "Brouillon confidentiel" not in page and draft.get_absolute_url() not in page
    # Its author, also a member (the group fixture's), may read it and sees it.
    author_page = client_for(Client, other_contributor).get(group.get_absolute_url())
    assert "Brouillon confidentiel" in author_page.content.decode()


def test_an_item_refused_keeps_what_the_member_typed(group, other_contributor):
    """A bad link sent the member back to the page with the error at its top, out of
    view, and the note they typed lost (a new user's walk)."""
    member = client_for(Client, other_contributor)
    response = member.post(
        reverse("group-worklist", args=[group.slug]),
        {"kind": "candidate_check", "note": "Caméra au rond-point nord", "url": "http://exa mple"},
    )
    assert response.status_code == 400 and not WorkItem.objects.filter(group=group).exists()
    page = response.content.decode()
    form = page.split('id="worklist-add"', 1)[1].split("</form>", 1)[0]
    assert "Caméra au rond-point nord" in form and 'class="error"' in form


def test_a_link_to_a_page_of_the_site_becomes_the_thing_it_shows(
    group, contributor, other_contributor, settings
):
    """A member pasted a deployment's address: the worklist showed the raw address (a
    new user's walk). A link to this site's page of a deployment is the deployment,
    shown by its title, and to those who may read it."""
    from contrechamp.registry.models import Deployment

    deployment = Deployment.objects.filter(is_published=True).first()
    url = settings.SITE_URL.rstrip("/") + deployment.get_absolute_url()
    item = services.work_item_add(group=group, user=contributor, kind="other", url=url)
    assert item.deployment_id == deployment.id and item.url == ""
    shown_items = services.worklist_items(group=group, user=other_contributor)
    (shown,) = [s for s in shown_items if s.item.id == item.id]
    assert shown.title == deployment.title and shown.url == deployment.get_absolute_url()
    # Another site's address of the same path stays a link.
    other = services.work_item_add(
        group=group,
        user=contributor,
        kind="other",
        url="https://ailleurs.example" + deployment.get_absolute_url(),
    )
    assert other.deployment_id is None and other.url.startswith("https://ailleurs.example")


def test_a_member_reads_what_visitors_use_to_write_to_the_group(client, group, contributor):
    """The group's page showed its members the form visitors use to write to them."""
    client.force_login(contributor)
    page = client.get(group.get_absolute_url()).content.decode()
    section = page.split('id="contact"', 1)[1].split("</section>", 1)[0]
    assert "<form" not in section
    assert "e-mailed to each member" in section or "envoyés par courriel" in section
