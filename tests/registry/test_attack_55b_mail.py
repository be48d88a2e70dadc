"""Hostile review 55b: mails to accounts an administrator disabled."""

import pytest
from django.core import mail

from contrechamp.registry.models import Proposal
from contrechamp.registry.proposals import proposal_accept, proposal_reject
from contrechamp.registry.services import deployment_snapshot
from tests.registry.test_proposals import _create_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("decision", ["edited", "rejected"])
def test_a_disabled_account_is_not_mailed_the_decision_on_its_proposal(
    client, newcomer, reviewer, django_capture_on_commit_callbacks, decision
):
    """An administrator disables a newcomer's account (a harasser, an address taken
    over). Group messages, coordinators' notices and deadline reminders no longer go to
    it (the last mending: 'Accounts disabled by an administrator are told nothing'),
    but the reviewer's decision on its pending proposal still does, the new 'accepted
    with changes' mail with a link to the history included, and a rejection with the
    reviewer's reason."""
    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "edited":
            data = {**deployment_snapshot(draft), "description": "Texte revu par la relecture."}
            proposal_accept(
                proposal=proposal, reviewer=reviewer, data=data, base_version=draft.version
            )
        else:
            proposal_reject(
                proposal=proposal, reviewer=reviewer, reason="Le nom de l'agent est retiré."
            )
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert not any("noa@example.org" in to for to, _s in sent), sent
