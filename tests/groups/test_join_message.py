"""A request to join carries the name the person chose and a few words she wrote, for the
coordinators; never her e-mail address (a walk: the coordinators saw a request without
knowing who asked or why)."""

import pytest
from django.core import mail
from django.urls import reverse

from contrechamp.accounts.services import user_create
from contrechamp.groups.models import Membership
from tests.conftest import PASSWORD
from tests.groups.conftest import client_for

pytestmark = pytest.mark.django_db

WORDS = "Habitante de la Croix-Rousse, je suis les caméras du quartier.\nJe peux aider."


@pytest.fixture
def lea(db):
    return user_create(
        username="u1a2b3c", email="lea.private@example.org", password=PASSWORD, public_name="Léa R."
    )


def _ask(group, person, message: str):
    return client_for(None, person).post(
        reverse("group-join", args=[group.slug]), {"join-message": message}
    )


def test_the_coordinators_read_her_name_and_her_words_not_her_address(group, contributor, lea):
    _ask(group, lea, WORDS)
    membership = Membership.objects.get(group=group, user=lea)
    assert membership.state == "requested" and membership.message == WORDS
    body = client_for(None, contributor).get(reverse("group-members", args=[group.slug]))
    text = body.content.decode()
    assert "Léa R." in text
    assert "Habitante de la Croix-Rousse" in text and "Je peux aider." in text
    assert "lea.private@example.org" not in text and "u1a2b3c" not in text


def test_the_coordinators_mail_carries_the_words_not_the_address(
    group, lea, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(group, lea, WORDS)
    sent = [m for m in mail.outbox if "camille@example.org" in m.to]
    assert sent, [m.to for m in mail.outbox]
    assert "Croix-Rousse" in sent[0].body and "Léa R." in sent[0].body
    assert "lea.private@example.org" not in sent[0].body


def test_markup_in_the_message_is_shown_as_text(group, contributor, lea):
    _ask(group, lea, '<script>alert(1)</script><img src=x onerror="alert(2)">')
    text = client_for(None, contributor).get(reverse("group-members", args=[group.slug]))
    assert "<script>alert(1)" not in text.content.decode()
    assert "&lt;script&gt;" in text.content.decode()


def test_a_message_too_long_is_refused_and_no_request_made(group, lea):
    _ask(group, lea, "x" * 1001)
    assert not Membership.objects.filter(group=group, user=lea).exists()


def test_the_words_are_erased_once_she_is_approved(group, contributor, lea):
    _ask(group, lea, WORDS)
    membership = Membership.objects.get(group=group, user=lea)
    client_for(None, contributor).post(
        reverse("group-member", args=[group.slug, membership.id]), {"action": "approve"}
    )
    membership.refresh_from_db()
    assert membership.state == "active" and membership.message == ""


def test_a_member_who_does_not_coordinate_does_not_read_them(group, other_contributor, lea):
    _ask(group, lea, WORDS)
    response = client_for(None, other_contributor).get(reverse("group-members", args=[group.slug]))
    assert "Croix-Rousse" not in response.content.decode()


def test_asking_without_words_still_works(group, lea):
    _ask(group, lea, "")
    assert Membership.objects.get(group=group, user=lea).message == ""
