"""Hostile review 58: group invitations.

Each test fails on the code it was written against."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from contrechamp.accounts.services import user_create
from contrechamp.groups import invitations, services
from contrechamp.groups.models import Membership
from tests.conftest import PASSWORD
from tests.groups.conftest import group  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def second_account(db) -> User:
    """Another account of the person a coordinator removes (any address will do: a
    contributor account is one sign-up away)."""
    return user_create(username="bis", email="dominique.bis@example.org", password=PASSWORD)


def _removed_coordinator(group, contributor, other_contributor):  # noqa: F811
    """Dominique (other_contributor) is made coordinator, makes the group's link to
    share, and is then removed by Camille (the founding coordinator): an infiltrator
    found out, a falling-out. The link was shown to Dominique, who kept it."""
    own = Membership.objects.get(group=group, user=other_contributor)
    services.membership_promote(membership=own, by=contributor)
    _invitation, url = invitations.invitation_link_create(group=group, by=other_contributor)
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=other_contributor), by=contributor
    )
    return url


def test_a_removed_coordinator_s_link_does_not_let_her_second_account_in(
    group,  # noqa: F811
    contributor,
    other_contributor,
    second_account,
):
    """The Removal keeps Dominique's account out; but the link she made, and still
    holds, works for anyone for 14 days: she comes back at once under a second account
    (or sends her friends), with the worklist and the members' list. Removing a
    coordinator leaves working everything she made to let people in."""
    url = _removed_coordinator(group, contributor, other_contributor)
    found = invitations.invitation_by_token(_token(url))
    # Her own link ended with her removal (fix 58e): refused to her as to anyone.
    assert invitations.invitation_refusal(found, other_contributor) == "revoked"
    try:
        membership = invitations.invitation_accept(invitation=found, user=second_account)
    except invitations.InvitationRefused:
        return
    assert not membership.is_active, (
        "the link made by a coordinator since removed let her second account into the "
        "group, worklist and members' list included"
    )


def test_a_removed_coordinator_s_e_mail_invitation_stops_working(
    group,  # noqa: F811
    contributor,
    other_contributor,
    second_account,
):
    """Before being removed, Dominique (coordinator) invited an address of hers. After
    the removal, the invitation still lets that account in."""
    own = Membership.objects.get(group=group, user=other_contributor)
    services.membership_promote(membership=own, by=contributor)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        tokens: list[str] = []
        made = invitations._new_token

        def keep() -> tuple[str, str]:
            token, digest = made()
            tokens.append(token)
            return token, digest

        patch.setattr(invitations, "_new_token", keep)
        invitations.invitation_send(
            group=group, by=other_contributor, email="dominique.bis@example.org"
        )
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=other_contributor), by=contributor
    )
    found = invitations.invitation_by_token(tokens[0])
    reason = invitations.invitation_refusal(found, second_account)
    assert reason, (
        "an e-mail invitation sent by a coordinator who was removed since still lets "
        "its address into the group"
    )
