"""Log-in by e-mail address beside the user name; inactive accounts stay out."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from contrechamp.accounts.services import user_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_by_address_whatever_its_case(client, contributor):
    assert client.login(username="Camille@Example.org", password=PASSWORD)


def test_it_still_logs_in_by_user_name(client, contributor):
    assert client.login(username="camille", password=PASSWORD)


def test_the_log_in_page_takes_an_address(client, contributor):
    response = client.post(
        "/compte/login/", {"username": "camille@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == contributor.pk


def test_a_wrong_password_or_an_inactive_account_is_refused(contributor):
    assert authenticate(username="camille@example.org", password="pas le bon mot") is None
    User.objects.filter(pk=contributor.pk).update(is_active=False)
    assert authenticate(username="camille@example.org", password=PASSWORD) is None


def test_an_address_shared_by_two_old_accounts_names_nobody(contributor):
    user_create(username="camille2", email="CAMILLE@example.org", password=PASSWORD)
    assert authenticate(username="camille@example.org", password=PASSWORD) is None
    assert authenticate(username="camille2", password=PASSWORD) is not None


def test_a_refused_log_in_says_the_address_is_not_case_sensitive(client, contributor):
    """Django's message said both fields "may be case-sensitive", though an address is
    not (a walk); the same words for an unknown address and a wrong password."""
    answers = []
    for login in ("camille@example.org", "personne@example.org"):
        response = client.post("/compte/login/", {"username": login, "password": "pas le bon"})
        assert response.status_code == 200
        answers.append(response.content.decode())
        assert "l’adresse électronique, non" in answers[-1]
    assert answers[0].count("Aucun compte") == answers[1].count("Aucun compte") == 1


def test_the_sign_up_page_says_what_a_password_needs_before_the_first_try(client):
    page = client.get("/compte/inscription/").content.decode()
    assert "Au moins 8 caractères" in page
