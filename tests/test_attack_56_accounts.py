"""Hostile review 56: accounts.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# More wrong passwords than the log-in form takes before it locks the account
# (RATE_LIMIT_LOGIN_ACCOUNT, 10 in 15 minutes).
GUESSES = 15


@pytest.mark.parametrize(
    "path, form",
    [
        ("/compte/", {"action": "delete"}),
        ("/compte/", {"action": "email", "email": "thief@example.net"}),
        (
            "/compte/password_change/",
            {"new_password1": "Tout autre chose 42!", "new_password2": "Tout autre chose 42!"},
        ),
    ],
    ids=["account-deletion", "e-mail-change", "password-change"],
)
def test_a_session_left_open_cannot_be_used_to_guess_the_password_without_end(
    client, contributor, path, form
):
    """Someone finds Camille's session open on a library computer (or has her session
    cookie). Log-in locks an account after ten wrong passwords, the right one included
    (`accounts.lockout`); but the account page's forms that ask for the current password
    (delete the account, change the e-mail address) and Django's password change form
    check it with `check_password` and no counter at all: a script guesses on through
    them, as many times as it likes, and learns the password (which Camille uses
    elsewhere too, and which outlives the session and its log-out). After more wrong
    guesses than log-in allows, the right password must be refused as log-in refuses
    it: here the account is then deleted, the address changed, the password changed."""
    client.force_login(contributor)
    password_field = "old_password" if "password_change" in path else "password"
    for number in range(GUESSES):
        response = client.post(path, {**form, password_field: f"guess {number}"})
        assert response.status_code in (200, 400, 403, 429)
    client.post(path, {**form, password_field: PASSWORD})
    camille = User.objects.get(pk=contributor.pk)
    assert camille.profile.deleted_at is None, "deleted after 15 guesses"
    assert camille.check_password(PASSWORD), "password changed after 15 guesses"
    from django.core import mail

    assert not [m for m in mail.outbox if "thief@example.net" in m.to], (
        "e-mail change sent after 15 guesses"
    )


def test_the_password_forms_share_log_ins_counter_and_say_until_when(client, administrator):
    """The other sides of the above: guesses made through the account page lock log-in
    too (one counter for the account), the refusal says why and until when (429 and
    Retry-After, as log-in's), the admin's own password change page counts as well,
    and a few mistakes are just mistakes."""
    from django.utils import translation

    client.force_login(administrator)
    with translation.override("en"):
        for number in range(3):
            response = client.post(
                "/compte/",
                {"action": "email", "email": "a@example.net", "password": f"typo {number}"},
                HTTP_ACCEPT_LANGUAGE="en",
            )
            assert response.status_code == 400
            assert "This is not your password." in response.content.decode()
        for number in range(7):
            response = client.post(
                "/admin/password_change/",
                {
                    "old_password": f"guess {number}",
                    "new_password1": "Tout autre chose 42!",
                    "new_password2": "Tout autre chose 42!",
                },
                HTTP_ACCEPT_LANGUAGE="en",
            )
        assert response.status_code == 429, response.status_code
        assert int(response["Retry-After"]) > 0
        assert "Too many wrong passwords" in response.content.decode()
        client.logout()
        response = client.post(
            "/compte/login/",
            {"username": "alex", "password": PASSWORD},
            REMOTE_ADDR="192.0.2.9",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "_auth_user_id" not in client.session
    assert "Too many attempts to log in" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).check_password(PASSWORD)


def test_the_right_password_still_works_after_a_mistake(client, contributor):
    client.force_login(contributor)
    client.post("/compte/", {"action": "delete", "password": "typo"})
    client.post("/compte/", {"action": "delete", "password": PASSWORD})
    assert User.objects.get(pk=contributor.pk).profile.deleted_at is not None
