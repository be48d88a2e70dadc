"""Password reset by e-mail: the same answer whether the address has an account, a link
that works once, and a disabled account stays disabled."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
NEW = "une toute nouvelle phrase"


def _link(message) -> str:
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def _ask(client, email: str):
    response = client.post("/compte/password_reset/", {"email": email})
    page = client.get(response["Location"])
    return response.status_code, response["Location"], CSRF.sub(b"", page.content)


def test_the_answer_is_the_same_and_each_address_gets_one_mail(client, contributor):
    assert _ask(client, "camille@example.org") == _ask(client, "personne@example.org")
    assert [m.to for m in mail.outbox] == [["camille@example.org"], ["personne@example.org"]]
    assert "/compte/reset/" in mail.outbox[0].body
    assert "/compte/reset/" not in mail.outbox[1].body
    # The mail names no account: the user name is internal.
    assert "camille" not in mail.outbox[0].body.replace("camille@example.org", "")


def test_a_reset_link_works_once(client, contributor):
    client.post("/compte/password_reset/", {"email": "camille@example.org"})
    link = _link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    assert client.post(form_url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    # Replayed, with a password of the attacker's choosing.
    other = "le mot de passe de l'intrus"
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    client.post(response.redirect_chain[-1][0] if response.redirect_chain else link,
                {"new_password1": other, "new_password2": other})  # fmt: skip
    assert client.login(username="camille", password=NEW)
    assert not client.login(username="camille", password=other)


def test_a_disabled_account_gets_no_link_and_stays_disabled(client, contributor):
    User.objects.filter(pk=contributor.pk).update(is_active=False)
    client.post("/compte/password_reset/", {"email": "camille@example.org"})
    assert "/compte/reset/" not in mail.outbox[0].body
    assert not User.objects.get(pk=contributor.pk).is_active
    assert not client.login(username="camille", password=PASSWORD)
