"""An invitation is its maker's word as a coordinator: it works only while she still
coordinates the group. Removed, gone, her account deleted or disabled, or her role taken
by a way that bypasses the services, what she made stops working; the remaining
coordinators are told on the group's pages, and the audit log records it without an
address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.services import account_delete, user_create
from contrechamp.audit.models import AuditEntry
from contrechamp.groups import invitations, services
from contrechamp.groups.models import Invitation, Membership
from tests.conftest import PASSWORD
from tests.groups.conftest import client_for

pytestmark = pytest.mark.django_db

ADDRESS = "friend.of.dominique@example.org"


@pytest.fixture
def friend(db) -> User:
    """Whoever Dominique gives her link or her invitation to."""
    return user_create(username="friend", email=ADDRESS, password=PASSWORD)


@pytest.fixture
def dominique(group, contributor, other_contributor) -> User:
    """Made coordinator by Camille (contributor), the group's founder."""
    own = Membership.objects.get(group=group, user=other_contributor)
    services.membership_promote(membership=own, by=contributor)
    return other_contributor


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def _made_by(group, maker: User) -> tuple[str, str]:
    """Her link to share and an e-mail invitation of hers, as their tokens."""
    tokens: list[str] = []
    made = invitations._new_token

    def keep() -> tuple[str, str]:
        token, digest = made()
        tokens.append(token)
        return token, digest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(invitations, "_new_token", keep)
        invitations.invitation_send(group=group, by=maker, email=ADDRESS)
    _invitation, url = invitations.invitation_link_create(group=group, by=maker)
    return _token(url), tokens[0]


def _lets_in(token: str, user: User) -> bool:
    found = invitations.invitation_by_token(token)
    assert found is not None
    return invitations.invitation_refusal(found, user) == ""


def _the_link_page_joins(token: str, user: User) -> bool:
    client_for(Client, user).post(reverse("group-invitation", args=[token]))
    return Membership.objects.filter(user=user, state="active").exists()


def test_removing_a_coordinator_ends_her_invitations_in_the_same_act(
    group, contributor, dominique, friend
):
    link, emailed = _made_by(group, dominique)
    assert _lets_in(link, friend) and _lets_in(emailed, friend)
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=dominique), by=contributor
    )
    assert not _lets_in(link, friend) and not _lets_in(emailed, friend)
    assert not _the_link_page_joins(link, friend)
    assert not _the_link_page_joins(emailed, friend)
    ended = Invitation.objects.filter(created_by=dominique)
    # Ended for good (a coordinator made again later does not bring them back), the
    # address erased, the reason kept for the coordinators' notice.
    assert {(i.revoked_at is not None, i.email, i.revoked_because) for i in ended} == {
        (True, "", "maker")
    }
    services.membership_request(group=group, user=dominique)
    again = Membership.objects.get(group=group, user=dominique)
    services.membership_approve(membership=again, by=contributor)
    services.membership_promote(membership=again, by=contributor)
    assert not _lets_in(link, friend) and not _lets_in(emailed, friend)


def test_the_audit_log_records_the_ending_without_the_address(
    group, contributor, dominique, friend
):
    _made_by(group, dominique)
    before = AuditEntry.objects.count()
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=dominique), by=contributor
    )
    entries = AuditEntry.objects.order_by("id")[before:]
    changed = {
        e.target_id
        for e in entries
        if e.target_model == "invitation"
        and e.action == "changed"
        and "revoked_at" in e.details.get("fields", [])
    }
    assert changed == {str(i.id) for i in Invitation.objects.filter(created_by=dominique)}
    dump = " ".join(f"{e.target_label} {e.details}" for e in entries)
    assert ADDRESS not in dump and "friend.of.dominique" not in dump


def test_a_coordinator_who_leaves_takes_her_invitations_with_her(group, dominique, friend):
    link, emailed = _made_by(group, dominique)
    services.membership_leave(group=group, user=dominique)
    assert not _lets_in(link, friend) and not _lets_in(emailed, friend)


def test_a_coordinator_whose_account_is_deleted_leaves_no_working_invitation(
    group, dominique, friend
):
    link, emailed = _made_by(group, dominique)
    account_delete(user=dominique)
    assert not _lets_in(link, friend) and not _lets_in(emailed, friend)
    assert not _the_link_page_joins(link, friend)


def test_a_role_taken_by_a_way_that_bypasses_the_services_ends_them_too(
    group, contributor, dominique, friend
):
    """An administrator's shell, a future "step down" button, a disabled account: the
    invitation asks at use whether its maker still coordinates."""
    link, emailed = _made_by(group, dominique)
    Membership.objects.filter(group=group, user=dominique).update(role="member")
    assert not _lets_in(link, friend) and not _lets_in(emailed, friend)
    assert invitations.invitation_link(group) is None  # the members page says none works
    assert not invitations.invitations_waiting(group).exists()
    Membership.objects.filter(group=group, user=dominique).update(role="coordinator")
    User.objects.filter(id=dominique.id).update(is_active=False)
    assert not _lets_in(link, friend) and not _the_link_page_joins(link, friend)


def test_the_other_coordinators_invitations_keep_working(group, contributor, dominique, friend):
    """Ending hers ends nobody else's: Camille's e-mail invitation still lets in."""
    tokens: list[str] = []
    made = invitations._new_token

    def keep() -> tuple[str, str]:
        token, digest = made()
        tokens.append(token)
        return token, digest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(invitations, "_new_token", keep)
        invitations.invitation_send(group=group, by=contributor, email=ADDRESS)
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=dominique), by=contributor
    )
    assert _lets_in(tokens[0], friend)


def test_the_remaining_coordinators_are_told_on_the_group_s_pages(
    group, contributor, dominique, friend
):
    Membership.objects.filter(user=dominique).update(show_name=False)
    dominique.profile.public_name = "Dominique"
    dominique.profile.save()
    _made_by(group, dominique)
    services.membership_remove(
        membership=Membership.objects.get(group=group, user=dominique), by=contributor
    )
    camille = client_for(Client, contributor)
    for name in ("group-members", "group-detail"):
        page = camille.get(reverse(name, args=[group.slug])).content.decode()
        notice = re.search(r'id="invitations-ended">(.*?)</div>', page, re.S)
        assert notice, name
        text = " ".join(notice.group(1).split())
        assert "Dominique ne coordonne plus le collectif" in text
        assert "les 2 invitations faites depuis ce compte" in text
        assert "lien à partager" in text
        camille.cookies["django_language"] = "en"
        page = camille.get(reverse(name, args=[group.slug])).content.decode()
        assert "the 2 invitations made by this account stopped working" in page
        del camille.cookies["django_language"]
    # Members who do not coordinate, and visitors, are not told.
    member = user_create(username="lou", email="lou@example.org", password=PASSWORD)
    services.membership_approve(
        membership=services.membership_request(group=group, user=member), by=contributor
    )
    for viewer in (client_for(Client, member), Client()):
        page = viewer.get(reverse("group-detail", args=[group.slug])).content.decode()
        assert 'id="invitations-ended"' not in page
