"""Rate limits: counted per address (an IPv6 /64 as one), per account where said, shared
by every process through the cache, refused with 429 and Retry-After."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import RequestFactory

from contrechamp.lib import ratelimit
from tests.conftest import separate_database

ROOT = Path(__file__).resolve().parents[2]


def limit(settings, scope: str, rate: str) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: rate}


def test_it_reads_rates():
    assert ratelimit.parse_rate("10/15m") == (10, 900)
    assert ratelimit.parse_rate("300/m") == (300, 60)
    assert ratelimit.parse_rate("5/3600") == (5, 3600)
    assert ratelimit.parse_rate("2/d") == (2, 86400)
    for wrong in ("ten/m", "10", "10/0", "10/15w"):
        with pytest.raises(ValueError):
            ratelimit.parse_rate(wrong)


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "unknown"),
    ],
)
def test_it_counts_an_ipv6_64_as_one_address(settings, address, counted):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    assert ratelimit.client_address(request) == counted


def test_a_forged_forwarded_for_is_ignored_unless_proxies_are_declared(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.5"
    )
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    # One proxy of ours: the entry it appended, not the client's own claim on its left.
    settings.RATE_LIMIT_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "198.51.100.5"
    settings.RATE_LIMIT_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "192.0.2.66"


def test_hit_counts_and_check_only_looks(db):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        assert ratelimit.check(request, "t", limit=3, window=60).allowed
        assert ratelimit.hit(request, "t", limit=3, window=60).allowed
    assert not ratelimit.check(request, "t", limit=3, window=60).allowed
    refused = ratelimit.hit(request, "t", limit=3, window=60)
    assert not refused.allowed
    assert 0 < refused.retry_after <= 120
    # Another address, another scope, an account key: counted apart.
    other = RequestFactory().get("/", REMOTE_ADDR="192.0.2.2")
    assert ratelimit.hit(other, "t", limit=3, window=60).allowed
    assert ratelimit.hit(request, "u", limit=3, window=60).allowed
    assert ratelimit.hit(request, "t", limit=3, window=60, key="user:1").allowed


def test_no_address_is_stored_in_clear(db):
    from django.db import connection

    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.123")
    ratelimit.hit(request, "t", limit=3, window=60, key=None)
    ratelimit.hit(request, "t", limit=3, window=60, key="camille@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM contrechamp_cache")
        rows = " ".join(f"{k} {v}" for k, v in cursor.fetchall())
    assert rows
    assert "192.0.2" not in rows
    assert "camille" not in rows


SCRIPT = """
import os, sys, time
import django
django.setup()
from django.test import RequestFactory
from contrechamp.lib import ratelimit
request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
go, ready, half, other_half = sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5]
count = int(sys.argv[2])


def wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.002)


ratelimit.check(request, "shared", limit=10**6, window=10**9)  # connected, warm
open(ready, "w").close()
wait_for(go)
last = None
for n in range(count):
    if n == count // 2:
        # Half-way, each waits for the other's first half: however the machine
        # schedules them, their second halves overlap.
        open(half, "w").close()
        wait_for(other_half)
    last = ratelimit.hit(request, "shared", limit=10**6, window=10**9)
print(last.count)
"""


def test_two_processes_share_the_counter_and_lose_no_increment(tmp_path):
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": separate_database(tmp_path, "ratelimit"),
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    }
    env.pop("CACHE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "contrechamp", "migrate", "-v0", "auth"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "contrechamp", "createcachetable"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    go, count = tmp_path / "go", 150
    ready = [tmp_path / f"ready{n}" for n in range(2)]
    half = [tmp_path / f"half{n}" for n in range(2)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SCRIPT,
                str(go),
                str(count),
                str(ready[n]),
                str(half[n]),
                str(half[1 - n]),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    # Both past Django's start-up and connected, however loaded the machine, before
    # the signal: otherwise the first could finish before the second has begun.
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in ready):
        assert time.monotonic() < deadline, "the two processes did not start"
        assert all(worker.poll() is None for worker in workers), "one ended early"
        time.sleep(0.05)
    go.touch()
    results = [worker.communicate(timeout=300) for worker in workers]
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
    finals = sorted(int(out.split()[-1]) for out, _err in results)
    # The process that finished last saw every increment of both.
    assert finals[-1] == 2 * count
    # The first to finish did its second half after the other's first half: the
    # two did run at the same time (a timing guess here failed once on a loaded CI).
    assert finals[0] >= count + count // 2


def api(client, address: str = "192.0.2.1", **extra):
    return client.get("/api/v1/deployments", REMOTE_ADDR=address, **extra)


def test_the_api_answers_429_in_its_envelope_with_retry_after(client, db, settings):
    limit(settings, "api", "3/m")
    for _ in range(3):
        assert api(client).status_code == 200
    refused = api(client)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "field"}
    assert 0 < int(refused["Retry-After"]) <= 120
    assert api(client, "192.0.2.2").status_code == 200


def test_the_api_counts_a_whole_ipv6_64_together(client, db, settings):
    limit(settings, "api", "3/m")
    for suffix in ("1", "2", "dead:beef:1:2"):
        assert (
            api(
                client, f"2001:db8:5:6::{suffix}" if ":" not in suffix else f"2001:db8:5:6:{suffix}"
            ).status_code
            == 200
        )
    assert api(client, "2001:db8:5:6:ffff::9").status_code == 429
    assert api(client, "2001:db8:5:7::1").status_code == 200


def test_a_forged_forwarded_for_does_not_reset_the_count(client, db, settings):
    limit(settings, "api", "3/m")
    for i in range(3):
        assert api(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code == 200
    assert api(client, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_declared_proxy_clients_are_told_apart(client, db, settings):
    limit(settings, "api", "3/m")
    settings.RATE_LIMIT_PROXY_COUNT = 1
    for _ in range(3):
        assert api(client, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    # The client forging more on the left changes nothing; another client gets through.
    forged = "192.0.2.77, 198.51.100.1"
    assert api(client, "10.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code == 429
    assert api(client, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_sign_up_is_limited_per_address_with_a_page_in_french(client, db, settings):
    limit(settings, "signup", "2/h")
    form = {"email": "x@example.org", "public_name": "X", "password": "short"}
    for _ in range(2):
        assert client.post("/compte/inscription/", form, REMOTE_ADDR="192.0.2.1").status_code != 429
    refused = client.post("/compte/inscription/", form, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "<h1>" in text and "minutes" in text
    # Reading the form is not counted.
    assert client.get("/compte/inscription/", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_the_429_page_in_english(client, db, settings):
    limit(settings, "signup", "10/h")
    form = {"email": "x@example.org"}
    # At the start of a window: ten sign-ups now, the next one is possible once the
    # sliding hour holds nine of them (the window's share decays over the next hour).
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        for _ in range(10):
            client.post("/compte/inscription/", form, REMOTE_ADDR="192.0.2.1")
        refused = client.post(
            "/compte/inscription/", form, REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert refused["Retry-After"] == str(66 * 60)
    assert "Too many requests from you. Please try again in 66 minutes." in refused.content.decode()


@pytest.mark.parametrize("path", ["/signaler/", "/signaler/suivi/"])
def test_tips_are_limited_per_address(client, db, settings, path):
    limit(settings, "tips", "2/h")
    for _ in range(2):
        assert client.post(path, {}, REMOTE_ADDR="192.0.2.1").status_code != 429
    assert client.post(path, {}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(path, {}, REMOTE_ADDR="192.0.2.2").status_code != 429


def test_uploads_are_limited_per_account_whatever_the_address(contributor_client, db, settings):
    limit(settings, "uploads", "2/h")
    for i in range(2):
        response = contributor_client.post("/documents/envoi/", {}, REMOTE_ADDR=f"192.0.2.{i}")
        assert response.status_code != 429
    for i in range(10, 13):
        response = contributor_client.post("/documents/envoi/", {}, REMOTE_ADDR=f"192.0.2.{i}")
        assert response.status_code == 429


def test_search_is_limited_on_the_search_page_and_list_pages_with_a_query(client, db, settings):
    limit(settings, "search", "3/m")
    assert client.get("/recherche/", {"q": "caméra"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/dispositifs/", {"q": "nice"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    # A list page without a query is browsing, not searching.
    for _ in range(5):
        assert client.get("/dispositifs/", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/documents/", {"q": "vsa"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/recherche/", {"q": "x"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/dispositifs/", {"q": "x"}, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_defaults_leave_a_normal_person_alone(client, db):
    for _ in range(30):
        assert (
            client.get("/dispositifs/", {"q": "nice"}, REMOTE_ADDR="192.0.2.1").status_code == 200
        )
    for _ in range(100):
        assert api(client).status_code == 200


def test_a_broken_cache_lets_requests_through(client, db, settings):
    # No such table: the limit cannot be counted, and the site stays open.
    settings.CACHES = {
        "default": {"BACKEND": "contrechamp.lib.cache.AtomicDatabaseCache", "LOCATION": "nope"}
    }
    limit(settings, "api", "1/m")
    assert api(client).status_code == 200
    assert api(client).status_code == 200
