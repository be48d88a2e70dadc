"""Passwords an attacker tries first are refused, at sign-up, reset and in the admin."""

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import translation

pytestmark = pytest.mark.django_db

WEAK = ["12345678x", "motdepasse2024", "azertyuiop1", "soleil123", "marseille13"]


def _refused(password: str, user=None) -> bool:
    try:
        password_validation.validate_password(password, user)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("password", WEAK)
def test_common_passwords_and_their_variants_are_refused(password):
    assert _refused(password)


def test_the_persons_own_name_and_address_are_refused():
    user = User(username="u1", email="gwenaelle.kerbrat@example.org")
    user._public_name = "Gwenaëlle Kerbrat"
    assert _refused("gwenaelle.kerbrat", user)
    assert _refused("Gwenaëlle Kerbrat", user)
    assert not _refused("Gwenaëlle Kerbrat")  # for a stranger, a name like any other


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "vélo rouge sous la pluie", "Tr0ub4dor&3x"]
)
def test_a_strong_passphrase_passes(password):
    assert not _refused(password)


def test_the_message_says_why_in_french(client, db):
    response = client.post(
        "/compte/inscription/",
        {"email": "x@example.org", "public_name": "Xavière", "password": "azertyuiop1"},
    )
    assert response.status_code == 400
    with translation.override("en"):
        errors = response.context["form"].errors["password"]
    assert any("too easy to guess" in str(e) or "trop facile" in str(e) for e in errors)
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_reset_refuses_a_weak_password(client, contributor):
    import re

    from django.core import mail

    client.post("/compte/password_reset/", {"email": "camille@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "12345678x", "new_password2": "12345678x"})
    assert response.status_code == 200  # the form again, with the error
    contributor.refresh_from_db()
    assert not contributor.check_password("12345678x")


def test_the_admin_set_password_form_refuses_a_weak_password(administrator, contributor):
    from django.contrib.auth.forms import AdminPasswordChangeForm

    form = AdminPasswordChangeForm(
        contributor, {"password1": "motdepasse2024", "password2": "motdepasse2024"}
    )
    assert not form.is_valid()


def test_the_site_hashes_passwords_with_django_s_slow_default():
    """The tests of this process hash with MD5 for speed (tests/conftest.py); the site
    itself keeps Django's default, PBKDF2 with its hundreds of thousands of rounds, in a
    process of its own as production runs it."""
    import subprocess
    import sys

    script = (
        "from django.contrib.auth.hashers import get_hasher; h = get_hasher(); "
        "print(h.algorithm, h.iterations)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "contrechamp", "shell", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    algorithm, iterations = result.stdout.split()[-2:]
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000
