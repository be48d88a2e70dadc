"""Hostile review 54b: `users create` under the sign-up's rules, and a group closed with
its only member's account.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from contrechamp.accounts.services import account_delete, signup_request
from contrechamp.groups import services as groups
from contrechamp.groups.models import Group, Membership
from contrechamp.places.models import Commune
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "cheval agrafe batterie correcte"


def test_an_administrator_can_create_the_account_of_an_address_someone_else_signed_up_with():
    """Anyone may sign up with any address: the account stays inactive until its link is
    followed, and the purge deletes it after days. Someone signs up with the address of
    the association's new reviewer (by mistake, or to be a nuisance). The administrator
    then runs `users create rene --email rene@example.org --role reviewer`: refused,
    "An account has this e-mail address already", though that account is no one's, can
    log in nowhere, and its owner never confirmed it. The reviewer cannot be given an
    account until the purge runs (days), and the administrator has no command to
    replace the sign-up."""
    signup_request(
        email="rene@example.org", public_name="Pas René", password=STRONG, base_url="http://x/"
    )
    squatter = User.objects.get(email="rene@example.org")
    assert not squatter.is_active
    try:
        call_command(
            "users",
            "create",
            "rene",
            "--email",
            "rene@example.org",
            "--role",
            "reviewer",
            "--password",
            STRONG,
        )
    except CommandError as error:
        raise AssertionError(f"refused: {error}") from None
    account = User.objects.get(username="rene")
    assert account.is_active and account.profile.role == "reviewer"
    # One account of the address: log-in by address works.
    assert User.objects.filter(email__iexact="rene@example.org").count() == 1


def test_a_person_waiting_to_join_a_group_closed_with_its_only_member_is_told(
    contributor, django_capture_on_commit_callbacks
):
    """Sacha asks to join Vigi-Riom and waits: the coordinator is told by e-mail, Sacha
    will be told when approved. The coordinator, its only member, deletes their account:
    the group is deleted with Sacha's request, and Sacha is told nothing (no e-mail, and
    the group page is a 404): they wait for an answer that will never come. The account
    page's warning to the coordinator says the work list goes, not that a request to
    join is thrown away."""
    sacha = User.objects.create_user("sacha", "sacha@example.org", PASSWORD)
    group = groups.group_create(
        creator=contributor, name="Vigi-Riom", communes=[Commune.objects.get(code="63300")]
    )
    groups.membership_request(group=group, user=sacha)
    assert Membership.objects.filter(group=group, user=sacha, state="requested").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # (mails go after the commit)
        account_delete(user=contributor)
    assert not Group.objects.filter(id=group.id).exists()
    told = [m for m in mail.outbox if "sacha@example.org" in m.to]
    assert told, "Sacha's request to join was deleted without a word"
