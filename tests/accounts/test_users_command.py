"""`contrechamp users create`, attacked the way an administrator's slip would (the walk of
the thirty-fourth session): the command made a second account of an address in another
case (after which nobody could log in with it), a display name another account shows,
an account without an address, a password of "12345678", and a traceback for a user
name already taken."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from contrechamp.accounts.services import user_create

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-lantern-91"


@pytest.fixture
def alex():
    return user_create(
        username="alexadmin",
        email="alex.admin@example.org",
        password=STRONG,
        role="administrator",
        public_name="Alex du collectif",
    )


def _create(*args: str) -> None:
    call_command("users", "create", *args, "--password", STRONG)


def test_an_address_in_another_case_is_refused_and_its_owner_still_logs_in(alex):
    with pytest.raises(CommandError, match="--email: An account has this e-mail address"):
        _create("alex3", "--email", "ALEX.ADMIN@example.org")
    assert not User.objects.filter(username="alex3").exists()
    assert authenticate(username="alex.admin@example.org", password=STRONG) == alex


def test_a_user_name_taken_is_a_clear_error_not_a_traceback(alex):
    with pytest.raises(CommandError, match="NAME: An account has this user name already"):
        _create("AlexAdmin", "--email", "other@example.org")


def test_a_display_name_another_account_shows_is_refused(alex):
    with pytest.raises(CommandError, match="--public-name: Another account shows"):
        _create("rita", "--email", "rita@example.org", "--public-name", "alex du  Collectif")


def test_an_account_needs_an_address(alex):
    with pytest.raises(CommandError, match="--email: This field is required"):
        _create("rita")
    with pytest.raises(CommandError, match="--email: Enter a valid email address"):
        _create("rita", "--email", "rita")


def test_a_weak_password_is_refused():
    with pytest.raises(CommandError, match="the password: This password is too common"):
        call_command(
            "users", "create", "rita", "--email", "rita@example.org", "--password", "12345678"
        )
    with pytest.raises(CommandError, match="the password"):
        call_command(
            "users", "create", "ritabelle", "--email", "r@example.org", "--password", "ritabelle1"
        )
    assert not User.objects.filter(username__in=["rita", "ritabelle"]).exists()


def test_a_display_name_of_an_address_is_refused():
    with pytest.raises(CommandError, match="--public-name: A display name may not contain"):
        _create("rita", "--email", "rita@example.org", "--public-name", "rita@example.org")


def test_a_good_account_is_made_with_its_role_and_can_log_in():
    _create("rita", "--email", "Rita@Example.org", "--role", "reviewer", "--public-name", "Rita R.")
    user = User.objects.select_related("profile").get(username="rita")
    assert (user.profile.role, user.profile.public_name) == ("reviewer", "Rita R.")
    assert authenticate(username="rita@example.org", password=STRONG) == user
    # Without a display name it stays without one (as before).
    _create("sam", "--email", "sam@example.org")
    assert User.objects.get(username="sam").profile.public_name == ""
