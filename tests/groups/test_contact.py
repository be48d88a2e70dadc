"""The contact form: a visitor's message reaches each member in a mail of their own, and
no member's address is ever shown, to the visitor or to another member."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.services import user_create
from contrechamp.groups import services
from contrechamp.groups.models import Membership
from tests.conftest import PASSWORD
from tests.groups.conftest import client_for, join

MESSAGE = "Bonjour, une caméra a été posée rue de la République, qui s'en occupe ?"


@pytest.fixture
def members(group, contributor, other_contributor):
    """Three members: the coordinator; one named nothing who chose to appear (their
    display name is empty); one whose address looks like the group's name and is also
    their user name."""
    lookalike = user_create(
        username="technopolice.lyon@example.org",
        email="technopolice.lyon@example.org",
        password=PASSWORD,
    )
    join(group, lookalike, by=contributor)
    Membership.objects.filter(group=group).update(show_name=True)
    other_contributor.profile.public_name = ""
    other_contributor.profile.save()
    return [contributor, other_contributor, lookalike]


def _addresses(members) -> list[str]:
    found = []
    for user in members:
        found += [user.email, user.email.split("@")[0] + "@"]
    return found


def _assert_no_address(text: str, members) -> None:
    for address in _addresses(members):
        assert address not in text


def test_the_page_shows_no_member_address(group, members, client):
    _assert_no_address(client.get(group.get_absolute_url()).content.decode(), members)
    _assert_no_address(client.get(reverse("group-list")).content.decode(), members)
    # Nor to the members themselves, who see one another's names in the worklist and
    # the coordinator's list of members.
    for user in members:
        page = client_for(Client, user).get(group.get_absolute_url()).content.decode()
        _assert_no_address(page, members)
    coordinator = client_for(Client, members[0])
    _assert_no_address(
        coordinator.get(reverse("group-members", args=[group.slug])).content.decode(), members
    )


def test_each_member_gets_a_mail_of_their_own(group, members, client):
    response = client.post(
        reverse("group-contact", args=[group.slug]),
        {"message": MESSAGE, "reply_to": "habitante@example.net", "website": ""},
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)
    for sent in mail.outbox:
        assert len(sent.to) == 1 and not sent.cc and not sent.bcc
        assert sent.reply_to == ["habitante@example.net"]
        assert MESSAGE in sent.body
        # Said before they reply: replying shows their own address (a walk).
        assert "depuis votre propre adresse" in sent.body
        raw = sent.message().as_string()
        others = [u for u in members if u.email != sent.to[0]]
        _assert_no_address(raw, others)
    _assert_no_address(client.get(group.get_absolute_url()).content.decode(), members)


def test_without_a_reply_address_there_is_no_reply_to(group, members, client):
    # The field is not in the POST at all, nor is the trap.
    response = client.post(reverse("group-contact", args=[group.slug]), {"message": MESSAGE})
    assert response.status_code == 302
    assert len(mail.outbox) == len(members)
    for sent in mail.outbox:
        assert not sent.reply_to and "Reply-To" not in sent.message().as_string()


@pytest.mark.parametrize(
    "reply_to",
    [
        "habitante@example.net\nBcc: curieux@evil.example",
        "habitante@example.net\r\nBcc: curieux@evil.example",
        "habitante@example.net\rCc: curieux@evil.example",
        "curieux@evil.example, technopolice.lyon@example.org",
    ],
)
def test_a_crafted_reply_to_sends_nothing(group, members, client, reply_to):
    response = client.post(
        reverse("group-contact", args=[group.slug]), {"message": MESSAGE, "reply_to": reply_to}
    )
    assert response.status_code == 400
    assert mail.outbox == []
    body = response.content.decode()
    _assert_no_address(body.replace("technopolice.lyon@example.org", "", 1), members)


def test_the_service_refuses_a_line_break_in_the_reply_address(group, members):
    with pytest.raises(ValidationError):
        services.contact_send(group=group, message=MESSAGE, reply_to="a@b.org\nBcc: c@d.org")
    assert mail.outbox == []


def test_a_line_break_in_the_groups_name_does_not_reach_the_headers(group, members, client):
    # Written behind the forms' back, as an old row or an admin edit could be.
    type(group).objects.filter(id=group.id).update(name="Lyon\nBcc: curieux@evil.example")
    group.refresh_from_db()
    client.post(reverse("group-contact", args=[group.slug]), {"message": MESSAGE})
    assert len(mail.outbox) == len(members)
    for sent in mail.outbox:
        message = sent.message()
        lines = message.as_string().split("\n\n", 1)[0].splitlines()
        # The name stays inside the subject, on its line: no header of its own.
        assert message["Bcc"] is None and not any(line.startswith("Bcc") for line in lines)
        assert "curieux@evil.example" not in sent.recipients() and "\n" not in sent.subject


def test_the_trap_sends_nothing_but_looks_sent(group, members, client):
    response = client.post(
        reverse("group-contact", args=[group.slug]),
        {"message": MESSAGE, "website": "https://casino.example"},
        follow=True,
    )
    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.parametrize("message", ["", "court", "x" * 5001])
def test_a_message_too_short_or_too_long_is_refused(group, members, client, message):
    response = client.post(reverse("group-contact", args=[group.slug]), {"message": message})
    assert response.status_code == 400
    assert mail.outbox == []
    _assert_no_address(response.content.decode(), members)


def test_messages_are_limited_per_address(group, members, client):
    url = reverse("group-contact", args=[group.slug])
    for _ in range(10):
        assert client.post(url, {"message": MESSAGE}).status_code == 302
    sent = len(mail.outbox)
    response = client.post(url, {"message": MESSAGE})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert len(mail.outbox) == sent


def test_messages_are_limited_per_group(group, members):
    url = reverse("group-contact", args=[group.slug])
    for n in range(30):
        visitor = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert visitor.post(url, {"message": MESSAGE}).status_code == 302
    assert Client(REMOTE_ADDR="198.51.100.7").post(url, {"message": MESSAGE}).status_code == 429


def test_a_group_that_takes_no_message(group, members, client):
    group.contact_enabled = False
    group.save()
    page = client.get(group.get_absolute_url()).content.decode()
    assert 'name="message"' not in page
    response = client.post(reverse("group-contact", args=[group.slug]), {"message": MESSAGE})
    assert response.status_code == 404 and mail.outbox == []


def test_a_requested_member_gets_no_mail(group, members, outsider, client):
    services.membership_request(group=group, user=outsider)
    client.post(reverse("group-contact", args=[group.slug]), {"message": MESSAGE})
    assert outsider.email not in [m.to[0] for m in mail.outbox]


def test_reloading_the_page_a_refused_message_left_opens_the_contact_form(group, members, client):
    """A refused message leaves the page at the form's address: reloading it, or changing
    the language there, gave a blank 405 page (a new user's walk)."""
    url = reverse("group-contact", args=[group.slug])
    assert client.post(url, {"message": ""}).status_code == 400
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url() + "#contact"
    assert not mail.outbox
