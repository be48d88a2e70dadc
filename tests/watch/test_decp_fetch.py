"""`contrechamp watch fetch decp`: the consolidated file downloaded to disk and imported,
against a local server that cuts the connection midway, ignores or honours `Range`,
answers 304, 404, 503 or with a file too large: nothing in it reaches the internet."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from contrechamp.watch import fetching
from contrechamp.watch.models import ImportRun, WatchRecord
from contrechamp.watch.services import fetch_decp
from tests.watch.test_decp import SELECTION
from tests.watch.test_decp_parquet import DECP_INFO, _decp_info_rows, _write

pytestmark = pytest.mark.django_db
MODIFIED = "Tue, 01 Dec 2026 05:00:00 GMT"


class FileServer:
    """Serves `body`, each request as the next of `modes` says (the last one repeats):
    "ok" (honours Range and If-Modified-Since), "cut" (announces the whole file, sends
    half and closes), "no-range" (always the whole file), or an HTTP status."""

    def __init__(self, body: bytes, modes: list):
        self.body, self.modes, self.requests = body, list(modes), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                server.requests.append(dict(self.headers))
                mode = server.modes.pop(0) if len(server.modes) > 1 else server.modes[0]
                body, start = server.body, 0
                if isinstance(mode, int):
                    self.send_response(mode)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if mode == "ok" and self.headers.get("If-Modified-Since") == MODIFIED:
                    self.send_response(304)
                    self.end_headers()
                    return
                asked = self.headers.get("Range", "")
                if mode == "ok" and asked.startswith("bytes="):
                    start = int(asked[6:].rstrip("-"))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.send_header("Last-Modified", MODIFIED)
                self.end_headers()
                sent = body[start:]
                if mode == "cut":
                    sent = sent[: len(sent) // 2]
                self.wfile.write(sent)
                self.wfile.flush()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/decp.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    # No test here waits for the timeout ("cut" closes the connection): a long one
    # keeps a loaded machine from adding a retry of its own.
    settings.WATCH_HTTP_TIMEOUT = 30
    waits: list[float] = []
    monkeypatch.setattr(fetching.time, "sleep", waits.append)
    servers = []

    def start(body: bytes, modes: list) -> FileServer:
        server = FileServer(body, modes)
        servers.append(server)
        settings.WATCH_DECP_URL = server.url
        server.waits = waits
        return server

    yield start
    for server in servers:
        server.close()


def _left(settings) -> list:
    return list((settings.DATA_DIR / "watch").glob("*"))


def test_it_downloads_imports_and_does_not_download_an_unchanged_file_again(serve, settings):
    server = serve(SELECTION.read_bytes(), ["ok"])
    run = fetch_decp()
    assert (run.read, run.new, run.errors) == (24, 23, 0)
    assert run.cursor == "modified:" + MODIFIED
    assert _left(settings) == []  # the download is not kept
    again = fetch_decp()
    assert server.requests[-1]["If-Modified-Since"] == MODIFIED
    assert (again.read, again.errors) == (0, 0) and again.cursor == run.cursor
    # Asked from a date, the file is read again whatever its date.
    from_2019 = fetch_decp(since="2019-01-01")
    assert "If-Modified-Since" not in server.requests[-1]
    dated = [r for r in WatchRecord.objects.filter(source="decp") if r.date]
    expected = sum(1 for r in dated if r.date.year >= 2019) + (24 - len(dated))
    assert 0 < from_2019.read == expected < 24


def test_a_cut_download_resumes_where_it_stopped(serve, settings):
    body = SELECTION.read_bytes()
    server = serve(body, ["cut", "ok"])
    run = fetch_decp()
    assert (run.read, run.errors) == (24, 0)
    first, second = server.requests
    assert "Range" not in first
    assert second["Range"] == f"bytes={len(body) // 2}-"
    assert server.waits == [1.0]
    assert _left(settings) == []


def test_a_server_that_ignores_the_range_is_read_from_the_start_again(serve):
    server = serve(SELECTION.read_bytes(), ["cut", "no-range"])
    run = fetch_decp()
    assert (run.read, run.errors) == (24, 0)
    assert len(server.requests) == 2


def test_the_daily_parquet_file_is_fetched(serve, tmp_path):
    parquet = _write(tmp_path / "decp.parquet", _decp_info_rows(), schema=DECP_INFO)
    serve(parquet.read_bytes(), ["ok"])
    out = StringIO()
    call_command("watch", "fetch", "decp", "--json", stdout=out)
    logged = json.loads(out.getvalue())
    assert logged["read"] == 3 and logged["errors"] == 0


@pytest.mark.parametrize(
    ("modes", "says", "tries"),
    [
        ([404], "HTTP 404", 1),
        ([503], "HTTP 503 after 5 tries", 5),
        (["cut"], "cut after", 5),
    ],
)
def test_a_failed_download_is_an_error_of_the_run_and_leaves_nothing(
    serve, settings, modes, says, tries
):
    server = serve(SELECTION.read_bytes(), modes)
    run = fetch_decp()
    assert run.read == 0 and run.errors == 1
    assert says in run.error_samples[0]["error"]
    assert run.error_samples[0]["input"] == settings.WATCH_DECP_URL
    assert len(server.requests) == tries
    assert _left(settings) == [] and not WatchRecord.objects.exists()
    assert ImportRun.objects.get().cursor == ""


def test_a_file_over_the_limit_is_refused_before_it_is_written(serve, settings):
    settings.WATCH_DECP_MAX_MB = 0
    serve(SELECTION.read_bytes(), ["ok"])
    run = fetch_decp()
    assert run.errors == 1 and "over the 0 bytes allowed" in run.error_samples[0]["error"]
    assert _left(settings) == []


def test_the_command_says_why_a_fetch_failed(serve):
    serve(b"", [404])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HTTP 404"):
        call_command("watch", "fetch", "decp", stdout=StringIO())
