"""Log-in lockout: after 10 failures within 15 minutes for an account, or from an
address, log-in is refused for 15 minutes, the right password included, on the site and
on /admin/, with the same message whether or not the account exists."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from contrechamp.accounts.signals import login_locked
from tests.conftest import PASSWORD

LOGIN = "/compte/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Too many attempts to log in"


def attempt(
    client, username: str, password: str, *, url: str = LOGIN, address: str = "203.0.113.7"
):
    with translation.override("en"):
        return client.post(
            url,
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
        )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def page(response, identifier: str) -> str:
    """The page without what differs by nature: the typed identifier, the CSRF token."""
    text = response.content.decode().replace(identifier, "X")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_it_locks_an_account_out_after_20_wrong_passwords_even_for_the_right_one(
    client, administrator, url
):
    for i in range(20):
        response = attempt(client, "alex", f"wrong {i}", url=url, address=f"198.51.100.{i}")
        assert not logged_in(client)
    response = attempt(client, "alex", PASSWORD, url=url, address="192.0.2.200")
    assert not logged_in(client)
    assert LOCKED in response.content.decode()


def test_the_lock_holds_on_the_admin_after_failures_on_the_site(client, administrator):
    for i in range(10):
        attempt(client, "alex", f"wrong {i}", address=f"198.51.100.{i}")
    response = attempt(client, "alex", PASSWORD, url=ADMIN_LOGIN, address="192.0.2.1")
    assert not logged_in(client)
    assert LOCKED in response.content.decode()


def test_nine_failures_do_not_lock(client, contributor):
    for i in range(9):
        attempt(client, "camille", f"wrong {i}")
    response = attempt(client, "camille", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_ten_failures_spread_over_ten_addresses_still_lock_the_account(client, contributor):
    for i in range(10):
        attempt(client, "camille", f"wrong {i}", address=f"2001:db8:{i}::1")
    response = attempt(client, "camille", PASSWORD, address="192.0.2.55")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert not logged_in(client)


def test_ten_failures_on_ten_accounts_from_one_address_lock_the_address(client, contributor):
    for i in range(10):
        attempt(client, f"someone{i}", "wrong", address="203.0.113.9")
    # Camille never failed, but from this address nobody gets in...
    response = attempt(client, "camille", PASSWORD, address="203.0.113.9")
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    # ...while from another address she does.
    response = attempt(client, "camille", PASSWORD, address="203.0.113.10")
    assert logged_in(client)


def test_case_and_space_variants_count_for_the_same_account(client, contributor):
    variants = [
        "camille",
        "Camille",
        " CAMILLE ",
        "camille ",
        "CaMiLlE",
        "camille@example.org",
        "Camille@Example.org",
        " camille",
        "CAMILLE",
        "camillE",
    ]
    for i, name in enumerate(variants):
        attempt(client, name, "wrong", address=f"198.51.100.{i}")
    response = attempt(client, "camille", PASSWORD, address="192.0.2.99")
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_the_lock_ends_after_the_period(client, contributor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(10):
            attempt(client, "camille", f"wrong {i}", address=f"198.51.100.{i}")
        assert LOCKED in attempt(client, "camille", PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert LOCKED in attempt(client, "camille", PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        response = attempt(client, "camille", PASSWORD)
        assert response.status_code == 302
        assert logged_in(client)


def test_a_lock_reads_the_same_for_an_account_that_does_not_exist(client, contributor):
    for i in range(10):
        attempt(client, "camille", f"wrong {i}", address=f"198.51.100.{i}")
        attempt(client, "nobody-here", f"wrong {i}", address=f"198.51.100.{i + 50}")
    real = attempt(client, "camille", "anything", address="192.0.2.1")
    ghost = attempt(client, "nobody-here", "anything", address="192.0.2.2")
    assert real.status_code == ghost.status_code == 429
    assert LOCKED in real.content.decode()
    assert page(real, "camille") == page(ghost, "nobody-here")


def test_the_message_is_in_french_with_the_minutes(client, contributor):
    for i in range(10):
        attempt(client, "camille", f"wrong {i}", address=f"198.51.100.{i}")
    response = client.post(
        LOGIN, {"username": "camille", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    text = response.content.decode()
    assert "Trop de tentatives" in text
    assert "15 minutes" in text


def test_a_lock_is_announced_once_with_the_account(client, contributor):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    login_locked.connect(listener)
    try:
        for i in range(12):
            attempt(client, "camille", f"wrong {i}", address=f"198.51.100.{i}")
    finally:
        login_locked.disconnect(listener)
    assert [(r["scope"], r["user"]) for r in received] == [("account", contributor)]
    assert received[0]["seconds"] == 15 * 60


def test_an_ipv6_64_is_one_address_for_the_lock(client, contributor):
    for i in range(10):
        attempt(client, f"someone{i}", "wrong", address=f"2001:db8:aa:bb::{i + 1:x}")
    # Another address of the same /64, even spelled in full: locked.
    response = attempt(client, "camille", PASSWORD, address="2001:0db8:00aa:00bb:ffff::1")
    assert LOCKED in response.content.decode()
    # The neighbouring /64 is someone else.
    attempt(client, "camille", PASSWORD, address="2001:db8:aa:bc::1")
    assert logged_in(client)


def test_attempts_refused_during_a_lock_do_not_extend_it(client, contributor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(10):
            attempt(client, "camille", f"wrong {i}", address=f"198.51.100.{i}")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        for i in range(5):
            attempt(client, "camille", f"still wrong {i}", address=f"192.0.2.{i}")
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        attempt(client, "camille", PASSWORD, address="192.0.2.50")
        assert logged_in(client)
