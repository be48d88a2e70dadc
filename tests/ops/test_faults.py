"""Faults as they happen on a server: the worker killed outright in the middle of its
documents, the web server killed during uploads and edits, the disk full during an
upload, the database going away. Nothing acknowledged is lost, the person sees a clear
error, work resumes by itself."""

import errno
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from contrechamp.documents.models import Document
from tests.conftest import prepared_database, query_database
from tests.documents import samples

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
CSRF = "A" * 32  # a token of the client's choosing, sent as cookie and header alike


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _contrechamp(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "contrechamp", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - the process holds it
    return subprocess.Popen(
        [sys.executable, "-m", "contrechamp", *args],
        env=env,
        cwd=ROOT,
        stdout=handle,
        stderr=handle,
    )


def _wait(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)


# --- the worker killed in the middle ------------------------------------------------------


def test_a_worker_killed_mid_document_loses_and_duplicates_nothing(tmp_path):
    url = prepared_database(tmp_path, "faults_worker")
    env = _env(tmp_path, url)
    pages = {}
    paths = []
    for n in range(5):
        texts = [f"Délibération {n}, page {p} : vidéoprotection du quartier {n}." for p in range(3)]
        path = tmp_path / f"deliberation-{n}.pdf"
        path.write_bytes(samples.text_pdf(texts))
        paths.append(path)
        pages[path.name] = len(texts)
    for path in paths[:3]:
        _contrechamp(env, "documents", "add", str(path))

    worker = _start(env, "worker", "--interval", "0.2", log=tmp_path / "worker.log")
    try:
        _wait(
            lambda: query_database(
                url, "SELECT id FROM documents_document WHERE status = 'processing'"
            ),
            45,
            "no document was being processed",
        )
        worker.send_signal(signal.SIGKILL)  # kill -9: no clean-up of any kind
        worker.wait(10)
    finally:
        _kill(worker)
    # Uploads acknowledged while no worker runs.
    for path in paths[3:]:
        _contrechamp(env, "documents", "add", str(path))

    # The machine's single worker starts again; it frees what the dead one held.
    worker = _start(
        env, "worker", "--interval", "0.2", "--release-leases", log=tmp_path / "worker.log"
    )
    try:
        _wait(
            lambda: (
                {row[0] for row in query_database(url, "SELECT status FROM documents_document")}
                == {"done"}
            ),
            # Generous for a loaded machine (a fresh worker loads the language model
            # first); the wait ends as soon as the documents are done.
            300,
            "documents left unprocessed: "
            + str(query_database(url, "SELECT filename, status FROM documents_document")),
        )
    finally:
        _kill(worker)

    rows = query_database(url, "SELECT id, filename, page_count FROM documents_document")
    assert sorted(filename for _, filename, _ in rows) == sorted(pages)  # none lost or doubled
    for document, filename, page_count in rows:
        assert page_count == pages[filename]
        numbers = [
            row[0]
            for row in query_database(
                url, "SELECT number FROM documents_page WHERE document_id = ?", (document,)
            )
        ]
        assert sorted(numbers) == list(range(1, pages[filename] + 1)), filename


# --- the disk full during an upload ------------------------------------------------------


class FullDiskStorage(FileSystemStorage):
    """A disk that fills up after `room` bytes: the write stops with ENOSPC half-way,
    leaving what was written, as the kernel does. Used where no small filesystem can be
    mounted (not root)."""

    room = 0

    def _save(self, name, content):
        written = 0
        room = type(self).room

        class Chunks:
            def __init__(self, inner):
                self.inner = inner

            def chunks(self, chunk_size=None):
                nonlocal written
                for chunk in self.inner.chunks():
                    if written + len(chunk) > room:
                        yield chunk[: room - written]
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += len(chunk)
                    yield chunk

        return super()._save(name, Chunks(content))


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def full_disk(settings, tmp_path):
    """The media directory on a disk with 256 kB of room; `grow()` makes room. A small
    tmpfs when the tests run as root and may mount, else a storage that stops at 256 kB
    with ENOSPC."""
    media = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.MEDIA_ROOT = media
    if _mount_tmpfs(media, "256k"):

        def grow() -> None:
            subprocess.run(["mount", "-o", "remount,size=16m", str(media)], check=True)

        try:
            yield "tmpfs", media, grow
        finally:
            subprocess.run(["umount", "-l", str(media)], check=False)
        return
    FullDiskStorage.room = 256 * 1024
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullDiskStorage"},
    }

    def grow_storage() -> None:
        FullDiskStorage.room = 1 << 40

    yield "ENOSPC storage", media, grow_storage


def _big_pdf() -> bytes:
    # Incompressible pages (random bytes in an image) so the file weighs about 1 MB.
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "Vidéoprotection : le marché de 2024.")
    noise = os.urandom(600 * 600 * 3)
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, 600, 600, noise, False)
    page.insert_image(pymupdf.Rect(72, 100, 500, 528), pixmap=pixmap)
    return document.tobytes(deflate=False)


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["small", "large"])  # in memory, or from a temporary file
def test_a_full_disk_during_an_upload_gives_a_clear_error_and_keeps_nothing_half_written(
    full_disk, contributor_client, size, settings
):
    kind, media, grow = full_disk
    data = _big_pdf()
    assert len(data) > 512 * 1024
    if size == "large":
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    with translation.override("en"):
        response = contributor_client.post(
            "/documents/envoi/",
            {"files": SimpleUploadedFile("marche.pdf", data), "origin": "other"},
            headers={"accept": "application/json"},
        )
    assert response.status_code in (200, 507), response.content[:500]
    [result] = response.json()["results"]
    assert "plus de place" in result["error"], (kind, result)  # the site speaks French
    assert not Document.objects.filter(filename="marche.pdf").exists()
    assert [p for p in media.rglob("*") if p.is_file()] == [], kind  # no half file

    grow()  # room again: the same file goes through, whole
    response = contributor_client.post(
        "/documents/envoi/",
        {"files": SimpleUploadedFile("marche.pdf", data), "origin": "other"},
        headers={"accept": "application/json"},
    )
    [result] = response.json()["results"]
    document = Document.objects.get(id=result["id"])
    from contrechamp.documents import files

    assert files.original(document) == data


# --- the database going away -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _web(tmp_path: Path, suffix: str, *, places: bool = False):
    url = prepared_database(tmp_path, suffix, places=places)
    env = _env(tmp_path, url)
    if places:
        _contrechamp(env, "demo", "load")
    port = _free_port()
    web = _start(env, "web", "--port", str(port), log=tmp_path / "web.log")
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(base, "/")[0] == 200
        except OSError:
            return False

    _wait(up, 45, "the web server did not answer")
    return url, env, web, base


if POSTGRES:
    # PostgreSQL only: SQLite is a file, it does not restart. The cluster is not
    # restarted (other tests share it): the database's backends are terminated, which is
    # what a restart does to the site's connections, and new connections refused for a
    # while, which is the restart's outage.

    def test_the_database_going_away_answers_503_and_the_site_recovers_alone(tmp_path):
        url, env, web, base = _web(tmp_path, "faults_db")
        name = url.rsplit("/", 1)[1]
        admin = os.environ["DATABASE_URL"]

        def terminate() -> None:
            query_database(
                admin,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = ? AND pid <> pg_backend_pid()",
                (name,),
            )

        try:
            for _ in range(4):  # every server thread holds a kept connection
                assert _get(base, "/api/v1/deployments")[0] == 200
            # A restart: the connections die under the server, the database is back.
            terminate()
            for _ in range(4):
                status, _headers, body = _get(base, "/api/v1/deployments")
                assert status == 200, body[:300]

            # An outage: the database refuses connections for a while.
            query_database(admin, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            terminate()
            status, headers, body = _get(base, "/")
            assert status == 503, body[:300]
            assert headers.get("Retry-After") == "30"
            assert b"cannot reach its database" in body and b"Traceback" not in body
            status, headers, body = _get(base, "/api/v1/deployments")
            assert status == 503 and json.loads(body)["error"]["code"] == "http_error", body

            query_database(admin, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            for _ in range(4):  # back by itself, without a restart
                assert _get(base, "/")[0] == 200
                assert _get(base, "/api/v1/deployments")[0] == 200
            assert web.poll() is None
        finally:
            query_database(admin, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            _kill(web)


# --- the web server killed during uploads and edits --------------------------------------


def _multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----contrechamp" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_web_server_killed_during_uploads_and_edits_loses_nothing_acknowledged(tmp_path):
    from benchmarks.load import CSRF as LOAD_CSRF
    from benchmarks.load import EDITORS, Client, form_fields

    url = prepared_database(tmp_path, "faults_web", places=True)
    env = {**_env(tmp_path, url), "RATE_LIMIT_UPLOADS": "100000/m"}
    _contrechamp(env, "demo", "load")
    made = subprocess.run(
        [sys.executable, "-c", EDITORS, "1", "3"],
        env={**env, "DJANGO_SETTINGS_MODULE": "contrechamp.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    session, slugs = setup["sessions"][0], setup["slugs"]

    def serve() -> tuple[subprocess.Popen, int]:
        port = _free_port()
        web = _start(env, "web", "--port", str(port), log=tmp_path / "web.log")
        _wait(lambda: _answers(port), 45, "the web server did not answer")
        return web, port

    def _answers(port: int) -> bool:
        try:
            return Client(port).request("GET", "/")[0] == 200
        except OSError:
            return False

    web, port = serve()
    stop = threading.Event()
    uploaded: dict[int, bytes] = {}  # acknowledged: document id → bytes sent
    edited: list[str] = []  # acknowledged edits (their comment)
    errors: list[str] = []

    def uploader(n: int) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            data = samples.text_pdf([f"Envoi {n}-{k} : caméras du quartier {n}, lot {k}."])
            body, kind = _multipart({"origin": "other"}, f"envoi-{n}-{k}.pdf", data)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            try:
                conn.request(
                    "POST",
                    "/documents/envoi/",
                    body=body,
                    headers={
                        "Content-Type": kind,
                        "Accept": "application/json",
                        "Cookie": f"csrftoken={LOAD_CSRF}; sessionid={session}",
                        "X-CSRFToken": LOAD_CSRF,
                    },
                )
                response = conn.getresponse()
                answer = response.read()
            except OSError as error:
                errors.append(f"upload: {error}")
                continue
            finally:
                conn.close()
            if response.status == 200:
                [result] = json.loads(answer)["results"]
                uploaded[result["id"]] = data
            else:
                errors.append(f"upload: {response.status}")

    def editor(n: int) -> None:
        client = Client(port, session, timeout=20)
        path = f"/dispositifs/{slugs[n]}/modifier/"
        k = 0
        while not stop.is_set():
            k += 1
            marker = f"fault {n} {k}"
            try:
                status, body, _ = client.request("GET", path)
                fields = [
                    (name, value)
                    for name, value in form_fields(body.decode(), "version")
                    if name not in ("description", "comment")
                ]
                fields += [("description", f"Édité : {marker}."), ("comment", marker)]
                status, body, _ = client.request("POST", path, fields)
            except (OSError, ValueError) as error:
                errors.append(f"edit: {error}")
                continue
            if status == 302:
                edited.append(marker)
            else:
                errors.append(f"edit: {status}")

    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=editor, args=(n,)) for n in range(len(slugs))]
    for thread in threads:
        thread.start()
    try:
        _wait(lambda: len(uploaded) >= 3 and len(edited) >= 3, 120, "nothing acknowledged")
        web.send_signal(signal.SIGKILL)  # in the middle of requests
        web.wait(10)
        time.sleep(0.5)  # requests meet the dead server: each gets an error
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        _kill(web)
    assert errors, "no request met the dead server"

    web, port = serve()  # the site starts again on the same database and files
    try:
        for document, data in uploaded.items():
            [(sha256,)] = query_database(
                url, "SELECT sha256 FROM documents_document WHERE id = ?", (document,)
            )
            path = tmp_path / "media/documents/originals" / sha256[:2] / sha256
            assert path.read_bytes() == data, document
        for (sha256,) in query_database(url, "SELECT sha256 FROM documents_document"):
            # No row, acknowledged or not, points to a missing or partial file.
            original = tmp_path / "media/documents/originals" / sha256[:2] / sha256
            assert hashlib.sha256(original.read_bytes()).hexdigest() == sha256
        comments = {
            row[0]
            for row in query_database(
                url, "SELECT comment FROM registry_revision WHERE comment LIKE ?", ("fault %",)
            )
        }
        assert set(edited) <= comments, set(edited) - comments
        # And it works as before.
        client = Client(port, session)
        status, body, _ = client.request("GET", f"/dispositifs/{slugs[0]}/modifier/")
        fields = [(k, v) for k, v in form_fields(body.decode(), "version") if k != "comment"]
        status, _, _ = client.request("POST", f"/dispositifs/{slugs[0]}/modifier/", fields)
        assert status == 302
    finally:
        _kill(web)
