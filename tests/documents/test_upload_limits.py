"""Uploads past the size limit, against a real server: refused on their declared length
before the body is sent, and a large accepted upload streams to disk without the server's
memory growing by its size."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CAMILLE, prepared_database, query_database

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
LIMIT_MB = 40
CSRF = "A" * 32  # a token of the client's choosing, sent as cookie and header alike

SESSION = r"""
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username="camille")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _memory(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(field)


class Site:
    def __init__(self, data_dir: Path) -> None:
        self.database = prepared_database(data_dir, "uploads")
        self.env = {
            **os.environ,
            "CONTRECHAMP_DATA_DIR": str(data_dir),
            "DATABASE_URL": self.database,
            "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
            "DOCUMENT_MAX_MB": str(LIMIT_MB),
            "DEBUG": "0",
            # The language model the web server loads as it starts would be counted in
            # the peak this test measures; it has nothing to do with uploads.
            "WEB_PRELOAD_LANGUAGE_MODEL": "false",
        }
        command = [sys.executable, "-m", "contrechamp"]
        for step in ([*CAMILLE, "--role", "contributor"],):
            subprocess.run(command + step, env=self.env, check=True, capture_output=True, cwd=ROOT)
        made = subprocess.run(
            command + ["shell", "-c", SESSION],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        self.session = made.stdout.strip().splitlines()[-1]
        self.port = _free_port()
        self.log = (data_dir / "server.log").open("wb")
        self.server = subprocess.Popen(
            command + ["serve", "--port", str(self.port), "--no-worker", "--threads", "2"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                assert self.server.poll() is None, "the server stopped at its start"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

    def upload(self, size: int, *, name: str = "gros.pdf") -> tuple[int, dict]:
        """Upload a file of `size` bytes, streamed by the client a megabyte at a time."""
        boundary = "----contrechamp-hostile"
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="origin"\r\n\r\nother\r\n'
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body() -> Iterator[bytes]:
            yield head + b"%PDF-1.7\n"
            left = size - len(b"%PDF-1.7\n")
            filler = bytes(range(256)) * 4096  # 1 MB
            while left > 0:
                chunk = filler[: min(left, MB)]
                left -= len(chunk)
                yield chunk
            yield tail

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(
            "POST",
            "/documents/envoi/",
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
                "Accept": "application/json",
                "Cookie": f"sessionid={self.session}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
            },
        )
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, {"text": text}

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("uploads"))
    yield site
    site.stop()


def test_an_oversized_upload_is_refused_before_its_body_is_sent(site):
    declared = (LIMIT_MB + 161) * MB  # the tester's 201 MB against this server's limit
    # Had the server waited for the body, it would answer nothing before its channel
    # timeout (120 s): the client's own timeout (60 s) then fails the test.
    with socket.create_connection(("127.0.0.1", site.port), timeout=60) as client:
        client.sendall(
            (
                "POST /documents/envoi/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {declared}\r\n"
                f"Cookie: sessionid={site.session}\r\n\r\n"
            ).encode()
        )
        answer = client.recv(4096).decode("latin-1")  # not one byte of the body was sent
    assert answer.startswith("HTTP/1.1 413"), answer


def test_a_large_upload_streams_to_disk_and_memory_stays_low(site):
    status, answer = site.upload(200_000, name="petit.pdf")  # every code path warmed up
    assert status == 200 and "id" in answer["results"][0], answer
    before = _memory(site.server.pid, "VmHWM")
    size = 30 * MB
    status, answer = site.upload(size)
    assert status == 200 and "id" in answer["results"][0], answer
    rise = (_memory(site.server.pid, "VmHWM") - before) / MB
    print(f"server peak memory rise for a 30 MB upload: {rise:.1f} MB")
    # The whole file once in memory would raise the peak by 30 MB at least.
    assert rise < 12, f"the server's peak memory rose by {rise:.0f} MB for a 30 MB upload"
    stored = query_database(
        site.database,
        "SELECT size FROM documents_document WHERE id = ?",
        (answer["results"][0]["id"],),
    )
    assert stored == [(size,)]


def test_a_file_growing_past_the_limit_is_stopped_and_nothing_is_kept(site):
    count = query_database(site.database, "SELECT COUNT(*) FROM documents_document")[0][0]
    # Within the request limit (the document limit plus room for the form), past the
    # document limit: stopped while it streams in.
    status, answer = site.upload(LIMIT_MB * MB + 300_000, name="trop.pdf")
    assert status == 413, answer
    assert f"{LIMIT_MB} " in answer["results"][0]["error"]
    assert query_database(site.database, "SELECT COUNT(*) FROM documents_document")[0][0] == count


@pytest.mark.django_db
def test_behind_another_server_the_declared_length_is_refused_before_the_form_is_read(
    contributor_client, settings
):
    settings.DOCUMENT_MAX_BYTES = 5 * MB
    settings.UPLOAD_MAX_BYTES = 6 * MB
    response = contributor_client.post(
        "/documents/envoi/",
        {"origin": "other"},
        CONTENT_LENGTH=str(201 * MB),  # the body is short: nothing may try to read it
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    error = response.json()["results"][0]["error"]
    assert "201" in error and "5" in error
    page = contributor_client.post("/documents/envoi/", {}, CONTENT_LENGTH=str(7 * MB))
    assert page.status_code == 413 and "201" not in page.content.decode()
