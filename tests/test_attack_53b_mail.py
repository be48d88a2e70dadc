"""Hostile review 53b: the e-mails' languages and addresses, attacked (these fail on the
code as it is)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.signing import dumps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import EMAIL_CHANGE_SALT, email_change_confirm, user_create
from contrechamp.pages.models import Subscription
from contrechamp.pages.subscriptions import digests_send
from contrechamp.watch.services import import_decp
from tests.conftest import PASSWORD, TwoFactorClient
from tests.test_attack_53_watch import CONTRACT, decp_file

pytestmark = pytest.mark.django_db


def _candidate(tmp_path, name="c.json"):
    import_decp([decp_file(tmp_path / name, {**CONTRACT, "id": "2024-VIDEO-77"})])


def _change_address(user, new):
    token = dumps({"user": user.pk, "old": user.email, "new": new}, salt=EMAIL_CHANGE_SALT)
    assert email_change_confirm(token=token) is not None
    user.refresh_from_db()


def test_a_password_reset_comes_in_the_language_its_owner_chose():
    """Camille chose French for every e-mail of the site (account page, "E-mails from
    Contrechamp"). Anyone may ask for a reset of her password from the English page:
    the mail ("Someone asked to reset the password of your Contrechamp account") goes
    to her in the language of the stranger's page. The same situation for a sign-up with
    her address was mended (`signup_existing`: "the owner's, not whoever tried"); the
    reset, Django's form rendering in the active language, was not."""
    camille = user_create(
        username="camille-fr", email="camille@example.org", password=PASSWORD, email_language="fr"
    )
    assert Profile.objects.get(user=camille).email_language == "fr"
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = stranger.post(reverse("password_reset"), {"email": "camille@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert "Someone asked to reset" not in message.body, (
        "the account chose French, the reset came in the stranger's page's English: "
        + message.subject
    )


def test_a_reviewer_who_changed_address_then_changes_the_frequency_gets_one_digest(
    reviewer, tmp_path
):
    """René asks for the daily digest of candidates, changes his address (the digest now
    follows it: mended), then changes the frequency on the same page. The subscription is
    found again by the address it was made with (`update_or_create(email=user.email)`),
    not by its reviewer: a second subscription is made, and both, to the same account,
    send him every digest twice (and "never" is the only way back to one)."""
    client = TwoFactorClient()
    client.force_login(reviewer)
    page = reverse("watch-digest-subscription")
    assert client.post(page, {"frequency": "weekly"}).status_code == 302
    _change_address(reviewer, "rene.nouveau@example.net")
    assert client.post(page, {"frequency": "daily"}).status_code == 302
    _candidate(tmp_path)
    mail.outbox.clear()
    digests_send(now=timezone.now() + timedelta(days=8))
    to = [address for message in mail.outbox for address in message.to]
    assert to, "no digest at all"
    assert to == ["rene.nouveau@example.net"], f"the digest went out {len(to)} times: {to}"
    assert Subscription.objects.filter(user=reviewer, kind="candidates").count() == 1


def test_a_reviewer_taking_a_former_address_does_not_take_over_another_reviewers_digest(
    reviewer, tmp_path
):
    """René subscribes to the candidates at rene@example.org, then moves to another
    address; the old one, free again, becomes Sacha's (a shared team mailbox handed to
    the next reviewer). Sacha subscribes: `subscribe_reviewer` finds René's row by that
    address and makes it Sacha's. René, who never unsubscribed, no longer gets any
    digest, and his page says "never" (nobody told him)."""
    client = TwoFactorClient()
    client.force_login(reviewer)
    page = reverse("watch-digest-subscription")
    assert client.post(page, {"frequency": "daily"}).status_code == 302
    _change_address(reviewer, "rene.nouveau@example.net")
    from tests.conftest import give_authenticator

    sacha = give_authenticator(
        user_create(username="sacha", email="rene@example.org", password=PASSWORD, role="reviewer")
    )
    other = TwoFactorClient()
    other.force_login(sacha)
    assert other.post(page, {"frequency": "daily"}).status_code == 302
    _candidate(tmp_path)
    mail.outbox.clear()
    digests_send(now=timezone.now() + timedelta(days=1, hours=1))
    to = sorted(address for message in mail.outbox for address in message.to)
    assert "rene.nouveau@example.net" in to, (
        f"René's digest was taken over by the next holder of his old address: {to}"
    )


def test_the_candidates_digest_comes_in_the_language_the_reviewer_chose_for_emails(
    reviewer, tmp_path
):
    """The account page's "E-mails from Contrechamp" says it governs "the e-mails the site
    sends you on its own"; the candidates digest is the account's own (its address now
    follows the account), but its language is still that of the page the reviewer
    subscribed from, whatever they chose afterwards."""
    client = TwoFactorClient(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(reviewer)
    assert client.post(reverse("watch-digest-subscription"), {"frequency": "daily"}).status_code
    assert client.post("/compte/", {"action": "emails", "email_language": "en"}).status_code == 302
    assert Profile.objects.get(user=reviewer).email_language == "en"
    _candidate(tmp_path)
    mail.outbox.clear()
    digests_send(now=timezone.now() + timedelta(days=1, hours=1))
    (message,) = mail.outbox
    assert "nouveau candidat" not in message.subject, (
        f"a French digest to a reviewer who chose English: {message.subject!r}"
    )
