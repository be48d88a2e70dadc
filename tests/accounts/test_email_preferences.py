"""The e-mails the site sends an account on its own come in the language its owner chose
and the daily one of their requests' dates can be turned off. All of them went out in
French, and the dates' e-mail could be stopped only by closing one's requests (the last
walk's list)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contrechamp.access.models import AccessRequest
from contrechamp.access.services import reminders_send
from contrechamp.accounts.models import Profile
from contrechamp.groups import services as groups
from contrechamp.places.models import Commune
from contrechamp.registry.proposals import deployment_submit, proposal_reject
from contrechamp.registry.services import deployment_create
from tests.access.test_requests import DRAFT
from tests.conftest import PASSWORD
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

ACCOUNT = "/compte/"


def _sent_request(client) -> AccessRequest:
    """A request of the logged-in contributor, sent on 10 March 2026: its implicit
    refusal falls on 12 April, within the week of 8 April."""
    assert client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    request = AccessRequest.objects.latest("id")
    AccessRequest.objects.filter(id=request.id).update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    return request


def _preferences(client, **data) -> int:
    return client.post(ACCOUNT, {"action": "emails", **data}).status_code


def test_the_account_page_offers_both_choices_and_saves_them(contributor, contributor_client):
    page = contributor_client.get(ACCOUNT).content.decode()
    assert 'id="emails"' in page and 'name="email_language"' in page
    (box,) = re.findall(r'<input[^>]*name="deadline_emails"[^>]*>', page)
    assert " checked" in box  # on, until its owner turns it off
    assert _preferences(contributor_client, email_language="en") == 302
    profile = Profile.objects.get(user=contributor)
    assert profile.email_language == "en" and profile.deadline_emails is False


@time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False)
def test_a_requester_who_turned_the_dates_off_gets_none_and_the_others_still_do(
    contributor, contributor_client, other_contributor
):
    _sent_request(contributor_client)
    other = Client()
    other.force_login(other_contributor)
    _sent_request(other)
    assert _preferences(contributor_client, email_language="fr") == 302
    assert reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[other_contributor.email]]
    # The e-mail says where to stop it.
    assert "/compte/#emails" in mail.outbox[0].body
    # Turned on again, it comes the next day.
    assert _preferences(contributor_client, email_language="fr", deadline_emails="on") == 302
    with time_machine.travel(dt.datetime(2026, 4, 9, 7, 0), tick=False):
        assert reminders_send() == 2


@time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False)
def test_the_dates_come_in_the_language_chosen(contributor, contributor_client):
    _sent_request(contributor_client)
    _preferences(contributor_client, email_language="en", deadline_emails="on")
    assert reminders_send() == 1
    (message,) = mail.outbox
    assert message.subject == "Contrechamp: 1 date of your requests within 7 days"
    assert message.body.startswith("Hello,")
    assert "12 April 2026: " in message.body and "avril" not in message.body


@pytest.mark.parametrize(
    "data",
    [
        {"deadline_emails": "on"},  # the language removed from the form
        {"email_language": "de", "deadline_emails": "on"},  # one the site does not speak
        {"email_language": "en\r\nBcc: x@example.org"},
    ],
)
def test_a_crafted_form_changes_nothing(contributor, contributor_client, data):
    assert _preferences(contributor_client, **data) == 400
    profile = Profile.objects.get(user=contributor)
    assert profile.email_language == "fr" and profile.deadline_emails is True


def test_an_account_without_a_profile_opens_its_page_and_saves(client, django_user_model):
    # Made by Django's createsuperuser or a script: no profile row.
    user = django_user_model.objects.create_user("nora", "nora@example.org", PASSWORD)
    client.force_login(user)
    assert client.get(ACCOUNT).status_code == 200
    assert _preferences(client, email_language="en") == 302
    assert Profile.objects.get(user=user).email_language == "en"


def test_a_sign_up_in_english_gets_its_mail_in_english_and_keeps_the_language(client):
    response = client.post(
        "/compte/inscription/",
        {
            "email": "sacha@example.org",
            "public_name": "Sacha",
            "password": "trois mots sans rapport",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Contrechamp: confirm your address"
    assert Profile.objects.get(user__email="sacha@example.org").email_language == "en"


def test_someone_signing_up_with_an_address_warns_its_owner_in_the_owner_language(
    client, contributor
):
    Profile.objects.filter(user=contributor).update(email_language="fr")
    client.post(
        "/compte/inscription/",
        {"email": contributor.email, "public_name": "X", "password": "trois mots sans rapport"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = mail.outbox
    assert message.to == [contributor.email] and "Contrechamp : " in message.subject


def test_a_group_writes_to_each_member_in_their_language(
    contributor, other_contributor, django_capture_on_commit_callbacks
):
    Profile.objects.filter(user=other_contributor).update(email_language="en")
    group = groups.group_create(
        creator=contributor, name="Technopolice Lyon", communes=[Commune.objects.get(code="69123")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        membership = groups.membership_request(group=group, user=other_contributor)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([contributor.email], "Une demande d’adhésion à Technopolice Lyon")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        groups.membership_approve(membership=membership, by=contributor)
    assert mail.outbox[-1].subject == "You are a member of Technopolice Lyon"
    mail.outbox.clear()
    groups.contact_send(group=group, message="Bonjour, une caméra rue de la République ?")
    sent = {m.to[0]: m for m in mail.outbox}
    assert (
        sent[other_contributor.email].subject == "Message to Technopolice Lyon through Contrechamp"
    )
    assert sent[contributor.email].subject == "Message pour Technopolice Lyon via Contrechamp"
    # The visitor's words are the same in both.
    assert all("une caméra rue de la République" in m.body for m in mail.outbox)


def test_a_refused_proposal_is_told_in_its_author_language_not_the_reviewer_page(
    newcomer, reviewer, django_capture_on_commit_callbacks
):
    draft = deployment_create(data=deployment_data(is_published=False), author=newcomer)
    proposal = deployment_submit(deployment=draft, author=newcomer)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        proposal_reject(proposal=proposal, reviewer=reviewer, reason="Pas de source.")
    (message,) = mail.outbox
    assert message.subject == "Votre proposition n’a pas été acceptée"
    assert "Reason" not in message.body and "Pas de source." in message.body


def test_the_personal_export_holds_the_choices(contributor, contributor_client):
    _preferences(contributor_client, email_language="en")
    exported = contributor_client.get(reverse("account-export")).json()
    account = exported["account"]
    assert account["email_language"] == "en" and account["deadline_emails"] is False
