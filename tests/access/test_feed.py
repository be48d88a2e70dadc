"""The private Atom feed of a requester's deadlines: its address is a random key, kept
hashed, that the requester can replace (the old one then stops working), and that never
reaches the server's log."""

import datetime as dt
import hashlib
import io
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import time_machine

from contrechamp.access.models import AccessRequest, FeedToken
from tests.conftest import prepared_database, query_database

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "usual": ["0"],
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


def _feed_url(html):
    found = re.search(r'href="(/demandes/echeances/([^"/]+)\.atom)"', html)
    return (found.group(1), found.group(2)) if found else (None, None)


def _new_address(client):
    response = client.post("/demandes/echeances/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url, token = _feed_url(response.content.decode())
    assert url, response.content.decode()[:2000]
    return url, token


def test_the_address_is_a_random_key_stored_only_as_its_hash(contributor_client, contributor):
    page = contributor_client.get("/demandes/echeances/").content.decode()
    assert _feed_url(page) == (None, None)  # nothing to leak until asked for
    assert 'id="feed-renew"' in page
    url, token = _new_address(contributor_client)
    assert len(token) >= 43
    assert ":" not in token  # not a django.core.signing value carrying the user id
    stored = FeedToken.objects.get(user=contributor)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(FeedToken.objects.values_list()))
    # Shown once: the dashboard does not print it again, it offers a new one.
    again = contributor_client.get("/demandes/echeances/").content.decode()
    assert token not in again and 'id="feed-renew"' in again


def test_a_new_address_revokes_the_old_one(contributor_client, client):
    assert contributor_client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    AccessRequest.objects.update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    old_url, _old = _new_address(contributor_client)
    with time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False):
        response = client.get(old_url)  # a feed reader, not logged in
        assert response.status_code == 200
        assert "Vidéosurveillance algorithmique" in response.content.decode()
        new_url, _new = _new_address(contributor_client)
        assert new_url != old_url
        # The dashboard dates the key in use, not the first one ever made.
        assert FeedToken.objects.get().created_at.date() == dt.date(2026, 4, 8)
        assert client.get(old_url).status_code == 404
        assert "Vidéosurveillance algorithmique" in client.get(new_url).content.decode()


def test_an_old_signed_address_and_a_forged_one_open_nothing(
    contributor_client, contributor, client
):
    from django.core import signing

    _new_address(contributor_client)
    signed = signing.dumps(contributor.id, salt="contrechamp.access.feed")
    assert client.get(f"/demandes/echeances/{signed}.atom").status_code == 404
    assert client.get("/demandes/echeances/forged.atom").status_code == 404


def test_only_the_requester_makes_an_address(client, db):
    response = client.post("/demandes/echeances/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert not FeedToken.objects.exists()


def _console_handler():
    """The handler the settings give the root logger (not pytest's capture handler)."""
    return next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)


def test_the_configured_log_handler_masks_feed_keys(contributor_client, client):
    _url, old = _new_address(contributor_client)
    _url, new = _new_address(contributor_client)
    handler = _console_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get(f"/demandes/echeances/{old}.atom").status_code == 404
        # Near misses a careless feed reader or a hostile one sends: the key still goes
        # nowhere.
        for near in (f"{new}", f"{new}.ATOM", f"{new}.atom/", f"/{new}.atom", f"{new}.xml"):
            assert client.get(f"/demandes/echeances/{near}").status_code == 404
        assert client.get(f"/demandes//echeances/{new}.atom").status_code == 404
        assert client.get(f"/DEMANDES/ECHEANCES/{new}.atom").status_code == 404
        logging.getLogger("waitress").error(
            "Exception while serving /demandes/echeances/%s.atom", new
        )
    finally:
        handler.setStream(previous)
    log = stream.getvalue()
    assert "Not Found: /demandes/echeances/" in log  # the lines are there...
    assert old not in log and new not in log  # ...without the keys


def test_a_real_server_does_not_write_feed_keys_to_its_log(tmp_path):
    """`contrechamp serve` (waitress) in its own process and database: waitress keeps no
    access log, Django logs every 4xx/5xx with its path; none of it shows a key."""
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": prepared_database(tmp_path, "feedlog"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "contrechamp"]
    subprocess.run(
        command
        + ["users", "create", "camille", "--email", "camille@example.org"]
        + ["--password", "violet-harbour-lantern-91"],
        env=env,
        check=True,
        capture_output=True,
    )
    revoked, live = "R" * 43, "L" * 43
    user_id = query_database(env["DATABASE_URL"], "SELECT id FROM auth_user")[0][0]
    # What `feed_token_renew` writes, written here so the test needs no login.
    query_database(
        env["DATABASE_URL"],
        "INSERT INTO access_feedtoken (user_id, digest, created_at) VALUES (?, ?, ?)",
        (user_id, hashlib.sha256(live.encode()).hexdigest(), "2026-01-01 00:00:00"),
    )
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            command + ["serve", "--no-worker", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/a-propos/donnees/", timeout=2)
                    break
                except OSError:
                    assert server.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            with urllib.request.urlopen(f"{base}/demandes/echeances/{live}.atom") as r:
                assert r.headers["Content-Type"].startswith("application/atom+xml")
            for key in (revoked, live + "x"):
                with pytest.raises(urllib.error.HTTPError) as error:
                    urllib.request.urlopen(f"{base}/demandes/echeances/{key}.atom")
                assert error.value.code == 404
        finally:
            server.terminate()
            server.wait(10)
    text = log_path.read_text()
    assert "Not Found: /demandes/echeances/" in text, text[-2000:]
    assert revoked not in text and live not in text


def test_a_date_without_a_legal_basis_ends_its_summary_without_brackets(contributor_client, client):
    """The reminder a week before the implicit refusal has no legal basis: its summary
    ended with "()" (a new user's walk)."""
    assert contributor_client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    AccessRequest.objects.update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    url, _token = _new_address(contributor_client)
    with time_machine.travel(dt.datetime(2026, 4, 1, 7, 0), tick=False):
        feed = client.get(url).content.decode()
    assert "2026-04-05" in feed and "()" not in feed


def test_the_feed_is_kept_by_no_cache_on_the_way(contributor_client, client):
    """The feed's address is its credential and its items name the person's requests: a
    shared cache (a proxy, a CDN) keeping it would hand it to the next one asking. A feed
    reader is signed in to nothing, so it says `private, no-store` itself."""
    url, _token = _new_address(contributor_client)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
