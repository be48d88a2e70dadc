"""Sign-up confirms the address and tells nobody whether an address has an account."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import User
from django.core import mail

from contrechamp.accounts.services import signup_token_generator

pytestmark = pytest.mark.django_db

STRONG = "trois mots sans rapport"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _sign_up(client, **overrides):
    data = {"email": "sacha@example.org", "public_name": "Sacha", "password": STRONG}
    data.update(overrides)
    return client.post("/compte/inscription/", data)


def _link(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_it_creates_an_inactive_account_and_mails_a_confirmation_link(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="sacha@example.org")
    assert not user.is_active
    assert user.profile.public_name == "Sacha"
    # The internal name is generated, not taken from the address or the display name.
    assert "sacha" not in user.username.lower()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sacha@example.org"]
    # Not logged in until the link is followed.
    assert client.get("/dispositifs/nouveau/").status_code == 302
    assert not client.login(username="sacha@example.org", password=STRONG)


def test_following_the_link_activates_and_logs_in(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    assert "/compte/confirmer/" in link
    # A mail scanner that follows the link (GET) confirms nothing.
    assert client.get(link).status_code == 200
    assert not User.objects.get(email="sacha@example.org").is_active
    response = client.post(link)
    assert response.status_code == 302
    assert User.objects.get(email="sacha@example.org").is_active
    assert client.get("/dispositifs/nouveau/").status_code == 200


def test_a_replayed_link_activates_nothing_and_says_so(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    client.post(link)
    client.logout()
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 400
        assert "accounts/signup_invalid.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_a_replayed_link_does_not_reactivate_an_account_disabled_meanwhile(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    client.post(link)
    User.objects.filter(email="sacha@example.org").update(is_active=False)
    client.logout()
    assert client.post(link).status_code == 400
    assert not User.objects.get(email="sacha@example.org").is_active


def test_a_tampered_or_expired_link_activates_nothing(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    assert client.post(tampered).status_code == 400
    later = signup_token_generator._now() + __import__("datetime").timedelta(days=4)
    with mock.patch.object(signup_token_generator, "_now", return_value=later):
        assert client.post(link).status_code == 400
    assert not User.objects.get(email="sacha@example.org").is_active


def test_the_link_of_one_account_does_not_open_another(client):
    _sign_up(client)
    _sign_up(client, email="eve@example.org", public_name="Ève")
    sacha_link, eve_link = _link(mail.outbox[0]), _link(mail.outbox[1])
    # Eve's token with Sacha's id, and the other way round.
    sacha_uid, eve_token = sacha_link.split("/")[-3], eve_link.split("/")[-2]
    eve_uid, sacha_token = eve_link.split("/")[-3], sacha_link.split("/")[-2]
    assert client.post(f"/compte/confirmer/{sacha_uid}/{eve_token}/").status_code == 400
    assert client.post(f"/compte/confirmer/{eve_uid}/{sacha_token}/").status_code == 400
    assert not User.objects.filter(
        is_active=True, email__in=["sacha@example.org", "eve@example.org"]
    ).exists()


def _answer(client, email: str) -> tuple[int, dict, bytes]:
    client.get("/compte/inscription/")
    response = _sign_up(client, email=email)
    page = client.get(response["Location"])
    headers = {k: v for k, v in response.items() if k.lower() not in {"date", "expires"}}
    return response.status_code, headers, CSRF.sub(b"", page.content)


def test_an_existing_address_gets_the_same_answer_as_a_new_one(client, contributor):
    before = User.objects.count()
    existing = _answer(client, "CAMILLE@example.org")
    assert User.objects.count() == before  # no second account
    new = _answer(client, "nouvelle@example.org")
    assert existing == new
    # Byte for byte the same form page too, when the form is refused.
    refused_existing = CSRF.sub(
        b"", _sign_up(client, email="camille@example.org", password="123").content
    )
    refused_new = CSRF.sub(b"", _sign_up(client, email="autre@example.org", password="123").content)
    assert refused_existing.replace(b"camille@", b"X@") == refused_new.replace(b"autre@", b"X@")


def test_both_paths_hash_a_password_and_send_one_mail(client, contributor):
    hasher = type(get_hasher())
    for email in ("camille@example.org", "nouvelle@example.org"):
        mail.outbox.clear()
        with mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as spy:
            _sign_up(client, email=email)
        assert spy.call_count == 1, email
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]


def test_the_owner_of_an_existing_address_is_told_and_can_reset(client, contributor):
    _sign_up(client, email="camille@example.org", password="un tout autre secret ici")
    message = mail.outbox[0]
    assert "/compte/reset/" in message.body
    assert contributor.username not in message.body
    response = client.get(_link(message), follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "une toute nouvelle phrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.login(username="camille", password=new)


@pytest.mark.parametrize("missing", ["email", "public_name", "password"])
def test_a_form_with_a_field_removed_creates_nothing(client, missing):
    data = {"email": "sacha@example.org", "public_name": "Sacha", "password": STRONG}
    del data[missing]
    response = client.post("/compte/inscription/", data)
    assert response.status_code == 400
    assert not User.objects.filter(email="sacha@example.org").exists()
    assert mail.outbox == []


def test_a_display_name_may_not_be_an_address(client, contributor):
    response = _sign_up(client, public_name="camille@example.org")
    assert response.status_code == 400
    assert "public_name" in response.context["form"].errors
    assert not User.objects.filter(email="sacha@example.org").exists()


def test_an_unconfirmed_account_is_activated_by_a_password_reset(client):
    _sign_up(client)
    mail.outbox.clear()
    client.post("/compte/password_reset/", {"email": "sacha@example.org"})
    assert len(mail.outbox) == 1
    response = client.get(_link(mail.outbox[0]), follow=True)
    new = "une toute nouvelle phrase"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert User.objects.get(email="sacha@example.org").is_active
    assert client.login(username="sacha@example.org", password=new)


def test_sign_ups_never_confirmed_are_purged_once_their_link_expired(client, contributor):
    import datetime as dt

    from django.utils import timezone

    from contrechamp.accounts.services import unconfirmed_purge

    _sign_up(client)
    _sign_up(client, email="recent@example.org")
    User.objects.filter(email="sacha@example.org").update(
        date_joined=timezone.now() - dt.timedelta(days=5)
    )
    # An account disabled by an administrator long ago is not a sign-up.
    User.objects.filter(pk=contributor.pk).update(
        is_active=False, date_joined=timezone.now() - dt.timedelta(days=500)
    )
    assert unconfirmed_purge() == 1
    assert not User.objects.filter(email="sacha@example.org").exists()
    assert User.objects.filter(email="recent@example.org").exists()
    assert User.objects.filter(pk=contributor.pk).exists()


def test_logging_in_before_confirming_says_to_confirm_only_with_the_right_password(client):
    """Logging in before following the sign-up link said the user name or password was
    wrong (a new user's walk). With the right password it now says to confirm the
    address; with a wrong one it says nothing more than for any account."""
    _sign_up(client)
    response = client.post(
        "/compte/login/",
        {"username": "sacha@example.org", "password": STRONG},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Confirm your e-mail address first" in (
        response.content.decode()
    )
    response = client.post(
        "/compte/login/",
        {"username": "sacha@example.org", "password": STRONG + "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = response.content.decode()
    assert "Confirm your e-mail address" not in text and "No account matches" in text
