"""Hostile review 52, accounts: the personal data export ("mes-donnees.json") holds
other people's data. The export already keeps out the text of the redactions and
entities a reviewer decided on (accounts/export.py REVIEW_ACTIONS: "a redaction holds
the name it hides"); other rows a reviewer or a member acted on carry the same kind of
text, and come out whole."""

import hashlib
import json

import pytest
from django.urls import reverse

from contrechamp.documents.models import Document, Publication
from contrechamp.groups import services as group_services
from contrechamp.registry.models import Proposal
from tests.conftest import TwoFactorClient
from tests.groups.conftest import client_for, group  # noqa: F401 (fixture)

NAME = "Jeanne Martinez-Obrecht"


def _export(client) -> str:
    response = client.get(reverse("account-export"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_reviewers_export_holds_no_name_the_publication_gate_found(reviewer):
    """A refused publication keeps the gate's findings; "leaked" names an example of the
    text that should have been redacted (redaction/services.py: report.add("leaked",
    example=...)), and Publication.reasons is exported whole under
    "documents.publication.created_by"."""
    document = Document.objects.create(
        sha256=hashlib.sha256(b"deliberation").hexdigest(),
        size=1,
        filename="d.pdf",
        title="Délibération",
        status="done",
    )
    # As document_publish writes a refused attempt (reasons=report.findings).
    Publication.objects.create(
        document=document,
        accepted=False,
        reasons=[{"code": "leaked", "params": {"count": 1, "example": NAME}}],
        report={"leaked_texts": 1},
        created_by=reviewer,
    )
    staff = TwoFactorClient()
    staff.force_login(reviewer)
    assert NAME not in _export(staff)


@pytest.mark.django_db
def test_a_reviewers_export_holds_no_other_persons_proposal(reviewer, newcomer):
    """A newcomer's draft, rejected: its content and the newcomer's comment were never
    public, and are the newcomer's; they come out in the reviewer's export
    ("registry.proposal.reviewer")."""
    Proposal.objects.create(
        target="deployment",
        action="create",
        object_id=1,
        data={"title": "Caméras rue des Lilas", "description": f"Signalé par {NAME}, voisine"},
        author=newcomer,
        comment=f"Je suis {NAME}, appelez-moi",
        state="rejected",
        reviewer=reviewer,
        reason="Sans source",
    )
    staff = TwoFactorClient()
    staff.force_login(reviewer)
    assert NAME not in _export(staff)


@pytest.mark.django_db
def test_a_removed_member_no_longer_gets_the_groups_notes_in_their_export(
    group,  # noqa: F811
    contributor,
    other_contributor,  # noqa: F811
):
    """Camille (coordinator) writes an item, Dominique takes it and marks it done, then
    Camille removes Dominique. The worklist is "the members' alone", lost "on their very
    next request" (groups/permissions.py); yet Dominique's export keeps the item, note and
    state included, under "groups.workitem.assignee" (only open items are unassigned on
    removal, groups/services.py membership_remove), and follows it after removal (a member
    reopening it shows as its new state)."""
    note = "Rencontrer la source au service urbanisme jeudi"
    item = group_services.work_item_add(group=group, user=contributor, kind="other", note=note)
    item = group_services.work_item_change(
        item=item, user=other_contributor, version=item.version, action="take"
    )
    item = group_services.work_item_change(
        item=item, user=other_contributor, version=item.version, action="done"
    )
    membership = group.memberships.get(user=other_contributor)
    group_services.membership_remove(membership=membership, by=contributor)
    group_services.work_item_change(
        item=item, user=contributor, version=item.version, action="reopen"
    )
    exported = json.loads(_export(client_for(None, other_contributor)))
    assert note not in json.dumps(exported, ensure_ascii=False)
    assert exported.get("groups.workitem.assignee", []) == []
