"""Hostile review 55, what it suspected without proving it, now guarded (each failed on
the code before its mending): the deadline feed's language, reminders to a disabled
account, an unknown request status and a cursor holding a NUL character in the API."""

import base64
import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail

from contrechamp.access.models import AccessRequest
from tests.access.test_feed import DRAFT, _new_address

pytestmark = pytest.mark.django_db


def _sent(contributor_client):
    assert contributor_client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    AccessRequest.objects.update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )


def test_the_deadline_feed_speaks_the_language_of_the_persons_e_mails(
    contributor_client, contributor, client
):
    """The feed was written `language="fr"`, its dates named in the language of the
    last request the process served; a feed reader sends no language. It now follows
    the account's e-mail language."""
    _sent(contributor_client)
    contributor.profile.email_language = "en"
    contributor.profile.save()
    url, _token = _new_address(contributor_client)
    with time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False):
        feed = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'xml:lang="en"' in feed
    assert "Implicit refusal" in feed or "Reminder to the administration" in feed, feed
    assert "Refus implicite" not in feed


def test_a_disabled_account_is_sent_no_deadline_reminders(contributor_client, contributor):
    from contrechamp.access.services import reminders_send

    _sent(contributor_client)
    User.objects.filter(id=contributor.id).update(is_active=False)
    mail.outbox.clear()
    assert reminders_send(today=dt.date(2026, 4, 8)) == 0
    assert not [m for m in mail.outbox if contributor.email in m.to]


def test_an_unknown_request_status_is_an_error_not_an_empty_list(client):
    response = client.get("/api/v1/requests", {"status": "sentt"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "status"
    assert client.get("/api/v1/requests", {"status": "sent"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/communes", "/api/v1/technologies"])
def test_a_cursor_holding_a_nul_character_is_refused(client, path):
    cursor = base64.urlsafe_b64encode(b"a\x00b").decode().rstrip("=")
    response = client.get(path, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"
