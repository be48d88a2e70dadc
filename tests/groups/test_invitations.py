"""Invitations to a group, by e-mail or by a link to share, and every way to misuse them:
used twice, late, after cancellation, forwarded, by someone removed, made by someone
who is not a coordinator, used to learn who has an account, guessed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrechamp.accounts.services import user_create
from contrechamp.audit.models import AuditEntry
from contrechamp.groups import invitations, services
from contrechamp.groups.models import Invitation, Membership
from tests.conftest import PASSWORD
from tests.groups.conftest import client_for

LINK = re.compile(r"https?://\S+/invitation/([A-Za-z0-9_-]+)/")


def _invite(client: Client, group, email: str, capture, language: str = "fr"):
    with capture(execute=True):
        return client.post(
            reverse("group-invite", args=[group.slug]), {"email": email, "language": language}
        )


def _token_of(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _page(token: str) -> str:
    return reverse("group-invitation", args=[token])


@pytest.fixture
def coordinator_client(contributor):
    return client_for(Client, contributor)


@pytest.fixture
def invitee(db) -> User:
    return user_create(username="ines", email="ines@example.org", password=PASSWORD)


def _member(group, user) -> Membership | None:
    return Membership.objects.filter(group=group, user=user).first()


# --- By e-mail -----------------------------------------------------------------------


def test_it_invites_by_email_and_the_account_of_that_address_joins(
    group, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    response = _invite(
        coordinator_client, group, "Ines@Example.org", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["Ines@example.org"]
    assert "Technopolice Lyon" in mailoutbox[0].subject
    token = _token_of(mailoutbox[0])

    # Only the token's hash is stored: no column holds the token itself.
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in Invitation.objects.values_list().get())
    assert token not in stored

    # The coordinators see it waiting.
    members_page = coordinator_client.get(reverse("group-members", args=[group.slug]))
    assert "Ines@example.org" in members_page.content.decode()

    # A mail scanner following the link joins no one.
    assert Client().get(_page(token)).status_code == 200
    ines = client_for(Client, invitee)
    assert ines.get(_page(token)).status_code == 200
    assert _member(group, invitee) is None

    response = ines.post(_page(token))
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    membership = _member(group, invitee)
    assert membership is not None and membership.is_active and membership.role == "member"
    invitation.refresh_from_db()
    # Used: the address is erased, and it leaves the coordinators' list.
    assert invitation.used_at is not None and invitation.email == ""
    assert (
        "Ines@example.org"
        not in coordinator_client.get(reverse("group-members", args=[group.slug])).content.decode()
    )


def test_a_person_without_an_account_creates_one_and_lands_in_the_group(
    group, coordinator_client, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "nouvelle@example.org", django_capture_on_commit_callbacks)
    token = _token_of(mailoutbox[0])
    visitor = Client()
    page = visitor.get(_page(token)).content.decode()
    signup_link = f"{reverse('signup')}?next={_page(token)}"
    assert signup_link in page

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            signup_link,
            {
                "email": "nouvelle@example.org",
                "public_name": "Nouvelle",
                "password": PASSWORD,
                "next": _page(token),
            },
        )
    assert response.status_code == 302
    confirm = re.search(r"https?://\S+/confirmer/\S+", mailoutbox[-1].body)
    assert confirm, mailoutbox[-1].body
    confirm_path = confirm.group(0).split("://", 1)[1].split("/", 1)[1]
    response = visitor.post("/" + confirm_path)
    # Confirmed and logged in, back on the invitation, one click from the group.
    assert response.status_code == 302 and response["Location"] == _page(token)
    response = visitor.post(_page(token))
    assert response["Location"] == group.get_absolute_url()
    user = User.objects.get(email="nouvelle@example.org")
    assert _member(group, user).is_active


def test_the_return_address_of_a_sign_up_is_a_page_of_this_site_only(db, client, mailoutbox):
    """A page of this site is carried to the confirmation link; another site's address,
    however written, is dropped (no open redirect through the confirmation)."""
    client.post(
        reverse("signup"),
        {
            "email": "p@example.org",
            "public_name": "Personne",
            "password": PASSWORD,
            "next": "/collectifs/",
        },
    )
    assert "?next=%2Fcollectifs%2F" in mailoutbox[-1].body
    for hostile in ("https://evil.example/x", "//evil.example/x", "/\\evil.example"):
        client.post(
            reverse("signup"),
            {
                "email": f"p{len(mailoutbox)}@example.org",
                "public_name": f"Personne {len(mailoutbox)}",
                "password": PASSWORD,
                "next": hostile,
            },
        )
        assert "evil.example" not in mailoutbox[-1].body


def test_an_email_invitation_works_once(
    group, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    token = _token_of(mailoutbox[0])
    ines = client_for(Client, invitee)
    ines.post(_page(token))
    ines.post(reverse("group-leave", args=[group.slug]))
    assert _member(group, invitee) is None
    # Used already: it does not let her in a second time.
    response = ines.post(_page(token))
    assert response.status_code == 410
    assert _member(group, invitee) is None
    # Nor twice at once: the second use, read before the first wrote, is refused.
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    fresh = invitations.invitation_by_token(_token_of(mailoutbox[-1]))
    stale = invitations.invitation_by_token(_token_of(mailoutbox[-1]))
    invitations.invitation_accept(invitation=fresh, user=invitee)
    services.membership_leave(group=group, user=invitee)
    with pytest.raises(invitations.InvitationRefused):
        invitations.invitation_accept(invitation=stale, user=invitee)
    assert _member(group, invitee) is None


def test_an_expired_invitation_lets_no_one_in(
    group, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == dt.timedelta(
        days=invitations.INVITATION_DAYS
    )
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client_for(Client, invitee).post(_page(_token_of(mailoutbox[0])))
    assert response.status_code == 410
    assert "expired" in response.content.decode() or "expiré" in response.content.decode()
    assert _member(group, invitee) is None
    # The daily purge erases its address.
    invitations.invitations_purge()
    assert Invitation.objects.get().email == ""


def test_a_cancelled_invitation_lets_no_one_in(
    group, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    coordinator_client.post(reverse("group-invitation-cancel", args=[group.slug, invitation.id]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.email == ""
    response = client_for(Client, invitee).post(_page(_token_of(mailoutbox[0])))
    assert response.status_code == 410
    assert _member(group, invitee) is None


def test_inviting_an_address_again_ends_the_first_link(
    group, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    _invite(coordinator_client, group, "INES@example.org", django_capture_on_commit_callbacks)
    first, second = (_token_of(m) for m in mailoutbox)
    ines = client_for(Client, invitee)
    assert ines.post(_page(first)).status_code == 410
    assert ines.post(_page(second)).status_code == 302
    assert _member(group, invitee).is_active


def test_a_forwarded_invitation_lets_no_one_else_in(
    group, coordinator_client, invitee, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    """Bound to the address: forwarded (or leaked), it opens the group to no other
    account, and stays usable by the person it was sent to."""
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    token = _token_of(mailoutbox[0])
    sacha = client_for(Client, outsider)
    response = sacha.post(_page(token))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ines@example.org" not in text  # the invited address is never shown
    assert _member(group, outsider) is None
    assert Invitation.objects.get().used_at is None
    assert client_for(Client, invitee).post(_page(token)).status_code == 302
    assert _member(group, invitee).is_active


def test_a_removed_member_cannot_come_back_with_an_old_invitation(
    group, contributor, coordinator_client, invitee, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    _invite(coordinator_client, group, "autre@example.org", django_capture_on_commit_callbacks)
    coordinator_client.post(reverse("group-invitation-link", args=[group.slug]), {})
    members_page = coordinator_client.get(reverse("group-members", args=[group.slug]))
    shared = LINK.search(members_page.content.decode()).group(1)
    ines = client_for(Client, invitee)
    ines.post(_page(_token_of(mailoutbox[0])))
    services.membership_remove(membership=_member(group, invitee), by=contributor)
    # The link shared before, and any invitation still waiting, let her in no more.
    assert ines.post(_page(shared)).status_code == 200
    assert _member(group, invitee) is None
    # A new invitation, made after the removal, does.
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    assert ines.post(_page(_token_of(mailoutbox[-1]))).status_code == 302
    assert _member(group, invitee).is_active


def test_a_refused_request_does_not_come_back_through_the_shared_link(
    group, contributor, coordinator_client, outsider
):
    coordinator_client.post(
        reverse("group-invitation-link", args=[group.slug]), {"needs_approval": ""}
    )
    shared = LINK.search(
        coordinator_client.get(reverse("group-members", args=[group.slug])).content.decode()
    ).group(1)
    request = services.membership_request(group=group, user=outsider)
    services.membership_remove(membership=request, by=contributor)
    client_for(Client, outsider).post(_page(shared))
    assert _member(group, outsider) is None


# --- The link to share -----------------------------------------------------------------


def test_the_link_is_shown_once_and_lets_people_join(
    group, contributor, coordinator_client, outsider, invitee
):
    response = coordinator_client.post(
        reverse("group-invitation-link", args=[group.slug]), {"needs_approval": ""}
    )
    assert response.status_code == 302
    page = coordinator_client.get(reverse("group-members", args=[group.slug])).content.decode()
    token = LINK.search(page).group(1)
    # Only its hash is kept: the page shows it once.
    again = coordinator_client.get(reverse("group-members", args=[group.slug])).content.decode()
    assert token not in again
    assert Invitation.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    for person in (outsider, invitee):
        assert client_for(Client, person).post(_page(token)).status_code == 302
        assert _member(group, person).is_active
    assert Invitation.objects.get().uses == 2


def test_a_link_that_asks_for_approval_makes_requests(
    group, coordinator_client, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    coordinator_client.post(
        reverse("group-invitation-link", args=[group.slug]), {"needs_approval": "on"}
    )
    token = LINK.search(
        coordinator_client.get(reverse("group-members", args=[group.slug])).content.decode()
    ).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(Client, outsider).post(_page(token))
    membership = _member(group, outsider)
    assert membership is not None and membership.state == "requested"
    assert mailoutbox and mailoutbox[0].to == ["camille@example.org"]  # the coordinator


def test_a_revoked_or_replaced_link_lets_no_one_in(group, coordinator_client, outsider):
    url = reverse("group-invitation-link", args=[group.slug])
    members = reverse("group-members", args=[group.slug])
    coordinator_client.post(url, {})
    first = LINK.search(coordinator_client.get(members).content.decode()).group(1)
    coordinator_client.post(url, {})
    second = LINK.search(coordinator_client.get(members).content.decode()).group(1)
    sacha = client_for(Client, outsider)
    assert sacha.post(_page(first)).status_code == 410
    coordinator_client.post(url, {"action": "revoke"})
    assert sacha.post(_page(second)).status_code == 410
    assert _member(group, outsider) is None


# --- Who may invite ------------------------------------------------------------------


def test_only_the_groups_coordinators_may_invite(
    group,
    other_group,
    other_contributor,
    outsider,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """A member, an outsider, the coordinator of another group, a visitor: posting the
    forms by hand makes no invitation and sends nothing, and answers as for a group
    that does not exist."""
    noa = other_group.memberships.get().user
    invitation = invitations.invitation_send(
        group=group, by=group.memberships.get(role="coordinator").user, email="x@example.org"
    )
    for person in (other_contributor, outsider, noa):
        client = client_for(Client, person)
        with django_capture_on_commit_callbacks(execute=True):
            for url, data in (
                (reverse("group-invite", args=[group.slug]), {"email": "a@example.org"}),
                (reverse("group-invitation-link", args=[group.slug]), {}),
                (reverse("group-invitation-link", args=[group.slug]), {"action": "revoke"}),
                (reverse("group-invitation-cancel", args=[group.slug, invitation.id]), {}),
                (reverse("group-invite", args=["no-such-group"]), {"email": "a@example.org"}),
            ):
                assert client.post(url, {"language": "fr", **data}).status_code == 404
        assert (
            "x@example.org"
            not in client.get(reverse("group-members", args=[group.slug])).content.decode()
        )
    anonymous = Client().post(
        reverse("group-invite", args=[group.slug]), {"email": "a@example.org", "language": "fr"}
    )
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    # The coordinator of another group cannot cancel this one's invitation through her own.
    noa_client = client_for(Client, noa)
    noa_client.post(reverse("group-invitation-cancel", args=[other_group.slug, invitation.id]))
    assert list(Invitation.objects.values_list("email", "kind", "revoked_at")) == [
        ("x@example.org", "email", None)
    ]
    assert not mailoutbox


def test_a_coordinator_removed_meanwhile_invites_no_one(group, contributor, other_contributor):
    services.membership_promote(membership=_member(group, other_contributor), by=contributor)
    services.membership_remove(membership=_member(group, contributor), by=other_contributor)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitations.invitation_send(group=group, by=contributor, email="x@example.org")
    with pytest.raises(PermissionDenied):
        invitations.invitation_link_create(group=group, by=contributor)
    assert not Invitation.objects.exists()


# --- What the form must not tell ------------------------------------------------------


def _normalised(message) -> tuple[str, str]:
    body = LINK.sub("LINK", message.body)
    return message.subject, body


def test_inviting_does_not_tell_whether_an_address_has_an_account(
    group,
    coordinator_client,
    invitee,
    other_contributor,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """An address with an account, one without, one that is a member already: the same
    answer, the same page after it, the same mail."""
    answers = []
    for email in ("ines@example.org", "personne@example.org", "dominique@example.org"):
        response = _invite(coordinator_client, group, email, django_capture_on_commit_callbacks)
        page = coordinator_client.get(response["Location"]).content.decode()
        answers.append((response.status_code, response["Location"], page.replace(email, "ADDRESS")))
    assert answers[0][:2] == answers[1][:2] == answers[2][:2]
    said = [re.findall(r'role="status">([^<]*)<', a[2]) for a in answers]
    assert said[0] and said[0] == said[1] == said[2], said
    assert len(mailoutbox) == 3
    assert len({_normalised(m) for m in mailoutbox}) == 1


def test_a_refused_address_is_refused_alike(group, coordinator_client, db):
    for hostile in ("ines@example.org\nBcc: all@example.org", "pas une adresse", ""):
        response = coordinator_client.post(
            reverse("group-invite", args=[group.slug]), {"email": hostile, "language": "fr"}
        )
        assert response.status_code == 400
    assert not Invitation.objects.exists()


# --- Tokens ---------------------------------------------------------------------------


def test_a_guessed_token_opens_nothing(
    group, coordinator_client, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "sacha@example.org", django_capture_on_commit_callbacks)
    token = _token_of(mailoutbox[0])
    assert len(token) >= 43  # 256 bits
    sacha = client_for(Client, outsider)
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    for guess in (near, token.upper() if token.upper() != token else token.lower(), "A" * 43):
        response = sacha.post(_page(guess))
        assert response.status_code == 404
        # The same page whatever the guess: it names no group.
        assert "Technopolice" not in response.content.decode()
    # The stored hash, used as a token, is not one either.
    assert sacha.post(_page(Invitation.objects.get().token_hash)).status_code == 404
    assert _member(group, outsider) is None


# --- The audit log --------------------------------------------------------------------


def test_the_audit_log_records_invitations_without_their_address(
    group, coordinator_client, invitee, contributor, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(coordinator_client, group, "ines@example.org", django_capture_on_commit_callbacks)
    client_for(Client, invitee).post(_page(_token_of(mailoutbox[0])))
    coordinator_client.post(reverse("group-invitation-link", args=[group.slug]), {})
    link = invitations.invitation_link(group)
    coordinator_client.post(
        reverse("group-invitation-link", args=[group.slug]), {"action": "revoke"}
    )
    entries = AuditEntry.objects.filter(target_app="groups", target_model="invitation")
    actions = [(e.action, e.actor_id, e.target_id) for e in entries.order_by("id")]
    email_invitation = Invitation.objects.get(kind="email")
    assert ("created", contributor.pk, str(email_invitation.id)) in actions
    assert ("changed", invitee.pk, str(email_invitation.id)) in actions  # used, by her
    assert ("created", contributor.pk, str(link.id)) in actions
    assert ("changed", contributor.pk, str(link.id)) in actions  # revoked
    dump = " ".join(f"{e.target_label} {e.details}" for e in entries)
    assert "ines@example.org" not in dump


def test_a_group_cannot_be_used_to_mail_the_world(
    group, coordinator_client, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """Invitations are limited per group (here 2 a day): past it, 429 and nothing sent."""
    from contrechamp.groups import views

    monkeypatch.setattr(views, "INVITATIONS_PER_GROUP", 2)
    answers = [
        _invite(coordinator_client, group, f"p{n}@example.org", django_capture_on_commit_callbacks)
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"]
    assert len(mailoutbox) == 2 and Invitation.objects.count() == 2
