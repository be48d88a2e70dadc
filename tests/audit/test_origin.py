"""The origin kept is a coarse network, hashed under a monthly salt derived from the
secret key: never the address, never a plain hash that one could reverse by trying every
network."""

import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from contrechamp.audit import context
from contrechamp.audit.middleware import AuditContextMiddleware
from contrechamp.audit.models import AuditEntry
from contrechamp.audit.services import audit_record

DECEMBER = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
JANUARY = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)


def test_two_addresses_of_one_network_share_an_origin_in_a_month():
    assert context.origin_of("203.0.113.7", DECEMBER) == context.origin_of(
        "203.0.113.250", DECEMBER
    )
    assert context.origin_of("203.0.113.7", DECEMBER) != context.origin_of("203.0.114.7", DECEMBER)
    v6 = context.origin_of("2001:db8:aa:1::1", DECEMBER)
    assert v6 == context.origin_of("2001:db8:aa:ffff::2", DECEMBER)  # same /48
    assert v6 != context.origin_of("2001:db8:ab::1", DECEMBER)
    # An IPv4 client seen through an IPv6 socket is the same client.
    assert context.origin_of("::ffff:203.0.113.9", DECEMBER) == context.origin_of(
        "203.0.113.7", DECEMBER
    )


def test_next_month_the_same_network_gives_another_origin():
    assert context.origin_of("203.0.113.7", DECEMBER) != context.origin_of("203.0.113.7", JANUARY)


def test_the_origin_depends_on_the_secret_key(settings):
    before = context.origin_of("203.0.113.7", DECEMBER)
    settings.SECRET_KEY = "another-site"
    assert context.origin_of("203.0.113.7", DECEMBER) != before


def test_nothing_that_is_not_an_address_gets_an_origin():
    assert context.origin_of("", DECEMBER) == ""
    assert context.origin_of("unknown", DECEMBER) == ""


def _plain_hashes(text: str) -> set[str]:
    found = set()
    for name in ("md5", "sha1", "sha256", "sha512", "blake2b"):
        digest = hashlib.new(name, text.encode()).hexdigest()
        found |= {digest, digest[:32], digest[:16]}
    return found


def test_the_origin_is_neither_the_address_nor_a_plain_hash_of_it():
    address = "203.0.113.7"
    origin = context.origin_of(address, DECEMBER)
    assert len(origin) == 32 and set(origin) <= set("0123456789abcdef")
    # Hexadecimal holds no dot: neither the address nor its network is written in it. (A
    # check for "203" or "113" in the hex failed by chance for 1.5 % of secret keys, this
    # checkout's among them.)
    assert "." not in origin
    for text in (address, "203.0.113.0", "203.0.113.0/24", "203.0.113"):
        assert origin not in _plain_hashes(text)
        # Nor an HMAC keyed with the month alone (a salt without the secret key).
        for key in (b"2026-12", b"202612", b""):
            assert hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32] != origin


def test_trying_every_ipv4_network_without_the_salt_finds_nothing():
    # The attacker has the table and tries the 2^24 /24 networks with a plain SHA-256 of
    # each (what the origin would be without a salt). Not one origin is found.
    addresses = ["203.0.113.7", "198.51.100.23", "192.0.2.1", "10.1.2.3", "88.160.12.34"]
    origins = {bytes.fromhex(context.origin_of(a, DECEMBER)) for a in addresses}
    assert len(origins) == len(addresses)
    suffixes = [f"{c}.0/24".encode() for c in range(256)]
    tried, found = 0, 0
    for a in range(256):
        for b in range(256):
            base = hashlib.sha256(f"{a}.{b}.".encode())
            for suffix in suffixes:
                attempt = base.copy()
                attempt.update(suffix)
                found += attempt.digest()[:16] in origins
                tried += 1
    assert tried == 2**24
    assert found == 0
    # Whereas with the salt, the network is found at once: the salt is the whole defence.
    salt = context.month_salt(DECEMBER)
    assert hmac.new(salt, b"203.0.113.0/24", hashlib.sha256).digest()[:16] in origins


@pytest.mark.django_db
def test_the_middleware_records_the_network_of_the_request_not_its_address(contributor):
    request = RequestFactory().get("/dispositifs/", REMOTE_ADDR="203.0.113.77")
    request.user = contributor

    def view(request):
        return audit_record("changed", target=contributor)

    entry = AuditContextMiddleware(view)(request)
    assert entry.actor_id == contributor.pk
    assert entry.origin == context.origin_of("203.0.113.1")
    stored = AuditEntry.objects.filter(pk=entry.pk).values()[0]
    assert not any("203.0.113" in str(value) for value in stored.values())


@pytest.mark.django_db
def test_a_request_logging_out_records_its_origin(contributor_client, contributor):
    contributor_client.post(reverse("logout"), REMOTE_ADDR="198.51.100.9")
    entry = AuditEntry.objects.filter(action="logged_out").latest("id")
    assert entry.actor_id == contributor.pk
    assert entry.origin == context.origin_of("198.51.100.200")
