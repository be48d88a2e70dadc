"""Hostile review 58: credentials carried in addresses, written to the server's log.

The settings' secrets filter masks the deadline feed's key and the e-mail change link's
token in every log line (`LOGGING["filters"]["secrets"]`), because Django's request and
security loggers write the path of every refused request. Two other addresses carry a
credential that works for days, and are not masked:

- a group's link to share (/collectifs/invitation/<token>/): anyone holding it joins the
  group (sees its worklist and members) for 14 days;
- the sign-up confirmation (/compte/confirmer/<uid>/<token>/): its POST activates the
  account and logs whoever sends it in as its owner.

A POST refused by the CSRF check (a cookie blocked, a session expired between the page
and the button, the link opened in a mail app's browser and the button pressed in
another) writes "Forbidden (CSRF cookie not set.): <path>" to the log: whoever reads the
log (an operator, a log host, a leaked log archive) reads a live token.

Each test fails on the code it was written against."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.services import signup_request
from contrechamp.groups import invitations
from contrechamp.lib.logs import RedactFilter
from tests.groups.conftest import group, outsider  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _written(caplog) -> list[str]:
    """The log lines as the settings' console handler writes them (masked)."""
    patterns = settings.LOGGING["filters"]["secrets"]["patterns"]
    redact = RedactFilter(patterns)
    return [redact.redact(record.getMessage()) for record in caplog.records]


def test_a_group_s_live_link_to_share_is_not_written_to_the_log(
    group,  # noqa: F811
    contributor,
    outsider,  # noqa: F811
    caplog,
):
    """A coordinator shares the group's link; a contributor opens it, and her POST is
    refused by the CSRF check (403). The log line carries the live token: anyone who
    reads the log joins the group through it."""
    _invitation, url = invitations.invitation_link_create(group=group, by=contributor)
    token = url.rstrip("/").rsplit("/", 1)[1]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    with caplog.at_level(logging.WARNING):
        response = browser.post(reverse("group-invitation", args=[token]))
    assert response.status_code == 403
    assert invitations.invitation_refusal(invitations.invitation_by_token(token), None) == "", (
        "the link still works"
    )
    leaked = [line for line in _written(caplog) if token in line]
    assert not leaked, f"a live invitation token is written to the log: {leaked}"


def test_a_sign_up_confirmation_link_is_not_written_to_the_log(client, mailoutbox, caplog):
    """Someone signs up; the confirmation page's button is refused by the CSRF check.
    The log line carries the link, whose POST activates the account and logs its sender
    in as its owner: a log reader takes the account before its owner does."""
    signup_request(
        email="lea@example.org",
        public_name="Léa",
        password="correct horse battery staple",
        base_url="https://contrechamp.test",
    )
    (mail,) = mailoutbox
    path = re.search(r"https?://[^/\s]+(/compte/confirmer/\S+/)", mail.body).group(1)
    browser = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = browser.post(path)
    assert response.status_code == 403
    token = path.rstrip("/").rsplit("/", 1)[1]
    leaked = [line for line in _written(caplog) if token in line]
    assert not leaked, f"a live sign-up confirmation link is written to the log: {leaked}"
    # And it is live: whoever copies it from the log is logged in as the new account.
    thief = Client()
    assert thief.post(path).status_code == 302
    assert thief.session.get("_auth_user_id"), "the link from the log opened the account"
