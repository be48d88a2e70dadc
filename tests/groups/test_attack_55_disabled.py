"""Hostile review 55: a group's messages to a member disabled by an administrator
(failed on the code before its mending)."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_member_disabled_by_an_administrator_gets_no_more_messages_of_the_group(
    group, contributor, other_contributor
):
    """Dominique's account was disabled by an administrator (a suspected infiltrator:
    he can no longer log in). The code says "Accounts disabled by an administrator are
    told nothing" of join requests; but the messages the public writes to the group
    through its contact form (tips about cameras, sometimes who put them up) still go to
    every active membership, his included."""
    from django.contrib.auth.models import User

    from contrechamp.groups import services as groups

    User.objects.filter(id=other_contributor.id).update(is_active=False)
    mail.outbox.clear()
    groups.contact_send(
        group=group,
        message="Bonjour, je travaille à la mairie et je peux vous transmettre le marché.",
    )
    recipients = [address for message in mail.outbox for address in message.to]
    assert contributor.email in recipients
    assert other_contributor.email not in recipients, (
        "a disabled account still receives the group's messages"
    )
