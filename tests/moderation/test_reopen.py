"""A rejection by mistake is undone: a reviewer reopens the proposal, which waits again
as its author made it, once, and only while what it changes is as it was rejected."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from contrechamp.accounts.services import user_create
from contrechamp.audit.models import AuditEntry
from contrechamp.registry.models import CameraCount, Deployment, Proposal
from contrechamp.registry.proposals import (
    camera_count_propose,
    deployment_propose,
    proposal_reject,
)
from contrechamp.registry.services import deployment_snapshot, deployment_update
from tests.conftest import PASSWORD, TwoFactorClient, give_authenticator

SOFT = "soft-capteurs-sonores-a-tarentaize-beaubrun-couriot"
REASON = "Chiffre sans source, à vérifier."


@pytest.fixture
def second_reviewer(db):
    return give_authenticator(
        user_create(username="sacha", email="sacha@example.org", password=PASSWORD, role="reviewer")
    )


def _edit(newcomer):
    deployment = Deployment.objects.get(slug=SOFT)
    data = deployment_snapshot(deployment)
    return deployment_propose(
        deployment=deployment,
        data={**data, "status": "suspended"},
        base_version=deployment.version,
        author=newcomer,
        comment="Suspendu en conseil.",
    )


def _as(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


def _reject_through_the_queue(client, proposal) -> str:
    response = client.post(
        reverse("moderation-reject", args=[proposal.id]), {"reason": REASON}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def _rejection_id(proposal) -> int:
    return proposal.decisions.filter(state="rejected").latest("id").id


def test_it_undoes_a_rejection_from_its_confirmation(
    newcomer, reviewer, django_capture_on_commit_callbacks
):
    proposal = _edit(newcomer)
    client = _as(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        html = _reject_through_the_queue(client, proposal)
    # The confirmation holds the undo button, aimed at this rejection.
    action = reverse("moderation-reopen", args=[proposal.id])
    assert f'action="{action}"' in html
    rejection = _rejection_id(proposal)
    assert f'name="rejection" value="{rejection}"' in html
    assert len(mail.outbox) == 1  # the rejection, with its reason

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"rejection": rejection})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p-{proposal.id}")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reviewer, proposal.decided_at) == ("pending", None, None)
    # Its content intact: what the author proposed waits again.
    assert proposal.data["status"] == "suspended"
    assert proposal.comment == "Suspendu en conseil."
    # Back in the queue.
    assert f'id="p-{proposal.id}"' in client.get(reverse("moderation-queue")).content.decode()
    # The rejection and its reason stay in its history, shown on its page.
    states = list(proposal.decisions.order_by("id").values_list("state", "reason"))
    assert states == [("rejected", REASON), ("reopened", "")]
    page = client.get(reverse("moderation-proposal", args=[proposal.id])).content.decode()
    assert "Chiffre sans source, à vérifier." in page
    # Audited, without the reason.
    entry = AuditEntry.objects.get(action="proposal_reopened")
    assert entry.actor_id == reviewer.id and REASON not in str(entry.details)
    # The author, who was told of the rejection, is told it is undone.
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["noa@example.org"]
    assert "/moderation/mes-propositions/" in mail.outbox[1].body


def test_an_author_never_told_of_the_rejection_is_not_mailed_its_reopening(
    newcomer, reviewer, django_capture_on_commit_callbacks
):
    newcomer.is_active = False  # disabled by an administrator: not mailed the rejection
    newcomer.save(update_fields=["is_active"])
    proposal = _edit(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    newcomer.is_active = True
    newcomer.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        _as(reviewer).post(
            reverse("moderation-reopen", args=[proposal.id]),
            {"rejection": _rejection_id(proposal)},
        )
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    assert mail.outbox == []


def test_it_reopens_from_the_proposals_page(newcomer, reviewer):
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    client = _as(reviewer)
    page = client.get(reverse("moderation-proposal", args=[proposal.id])).content.decode()
    action = reverse("moderation-reopen", args=[proposal.id])
    form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    token = re.search(r'name="rejection" value="(\d+)"', form.group(1)).group(1)
    client.post(action, {"rejection": token})
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_two_reviewers_reopening_at_once_reopen_it_once(
    newcomer, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    """Two browsers show the same rejection; both click: one reopens it, the other is
    told, and nothing is doubled (not a second reopening, not a second mail)."""
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    rejection = _rejection_id(proposal)
    first, second = _as(reviewer), _as(second_reviewer)
    url = reverse("moderation-reopen", args=[proposal.id])
    with django_capture_on_commit_callbacks(execute=True):
        first.post(url, {"rejection": rejection})
        response = second.post(url, {"rejection": rejection}, follow=True)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert proposal.decisions.filter(state="reopened").count() == 1
    assert AuditEntry.objects.filter(action="proposal_reopened").count() == 1
    assert len(mail.outbox) == 1


def test_a_stale_page_does_not_reopen_a_second_rejection(newcomer, reviewer, second_reviewer):
    """Reopened, then rejected again by another reviewer: the first page's button
    (aimed at the first rejection) does not undo the second."""
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    old = _rejection_id(proposal)
    _as(reviewer).post(reverse("moderation-reopen", args=[proposal.id]), {"rejection": old})
    proposal.refresh_from_db()
    proposal_reject(proposal=proposal, reviewer=second_reviewer, reason="Vraiment faux.")
    _as(reviewer).post(reverse("moderation-reopen", args=[proposal.id]), {"rejection": old})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reason) == ("rejected", "Vraiment faux.")


def test_a_form_without_the_rejection_reopens_nothing(newcomer, reviewer):
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    response = _as(reviewer).post(reverse("moderation-reopen", args=[proposal.id]), {}, follow=True)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert not proposal.decisions.filter(state="reopened").exists()


def test_it_refuses_to_reopen_after_the_deployment_changed(newcomer, reviewer, settings):
    settings.LANGUAGE_CODE = "en"
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    deployment = Deployment.objects.get(slug=SOFT)
    deployment_update(
        deployment=deployment,
        data={**deployment_snapshot(deployment), "status": "abandoned"},
        base_version=deployment.version,
        author=reviewer,
    )
    client = _as(reviewer)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("moderation-reopen", args=[proposal.id]),
        {"rejection": _rejection_id(proposal)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    # Said, with where to make a new proposal from the current version.
    assert reverse("deployment-edit", args=[SOFT]) in html
    page = client.get(reverse("moderation-proposal", args=[proposal.id])).content.decode()
    assert 'id="moved-on"' in page
    assert reverse("moderation-reopen", args=[proposal.id]) not in page


def test_a_contributor_posting_to_the_reopen_address_is_refused(newcomer, reviewer, contributor):
    proposal = _edit(newcomer)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    url = reverse("moderation-reopen", args=[proposal.id])
    for who in (contributor, newcomer):
        response = _as(who).post(url, {"rejection": _rejection_id(proposal)})
        assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert _as(contributor).get(reverse("moderation-proposal", args=[proposal.id])).status_code == (
        403
    )


def test_a_rejected_camera_count_reopens_into_the_queue_not_the_figures(newcomer, reviewer):
    count, proposal = camera_count_propose(
        author=newcomer,
        commune_code="42218",
        count=412,
        date="2024",
        citations=[
            {
                "source": {"title": "Bilan", "url": "https://example.org/bilan-2024"},
                "quote": "412 caméras",
                "locator": "",
            }
        ],
    )
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=REASON)
    _as(reviewer).post(
        reverse("moderation-reopen", args=[proposal.id]), {"rejection": _rejection_id(proposal)}
    )
    count = CameraCount.all_objects.get(id=count.id)
    proposal.refresh_from_db()
    assert (proposal.state, count.state) == ("pending", "pending")
    assert not CameraCount.objects.filter(id=count.id).exists()


def test_a_reviewer_lists_her_own_decisions_only(newcomer, reviewer, second_reviewer):
    mine = _edit(newcomer)
    theirs = _edit(newcomer)
    proposal_reject(proposal=mine, reviewer=reviewer, reason=REASON)
    proposal_reject(proposal=theirs, reviewer=second_reviewer, reason="Raison de Sacha.")
    client = _as(reviewer)
    html = client.get(reverse("moderation-decisions")).content.decode()
    assert reverse("moderation-proposal", args=[mine.id]) in html
    assert reverse("moderation-proposal", args=[theirs.id]) not in html
    assert "Raison de Sacha." not in html
    # No address of anybody: the author by public name only.
    assert "noa@example.org" not in html and "sacha" not in html.lower()
    # Reviewers only.
    assert _as(newcomer).get(reverse("moderation-decisions")).status_code == 403
    assert Proposal.objects.filter(id=mine.id, state="rejected").exists()
