"""A local HTTP server that answers as a source's API did (recorded responses), for the
connectors' fetch tests: nothing reaches the internet."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

# The server's own waiting, before the tests make the client's instant.
REAL_SLEEP = time.sleep


class Recorded:
    """Answers each call with the next of `answers` ((status, headers, body, delay));
    `calls` keeps what each asked: a GET's query parameters, a POST's JSON body and its
    path."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls: list[dict] = []
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                recorded.calls.append(query)
                self.answer()

            def do_POST(self):  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length", 0))
                recorded.calls.append({"path": self.path, **json.loads(self.rfile.read(length))})
                self.answer()

            def answer(self):
                status, headers, body, delay = recorded.answers.pop(0)
                REAL_SLEEP(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for_calls(self, count: int, timeout: float = 30.0) -> list[dict]:
        """The calls once `count` have arrived (or the deadline has passed): a client that
        timed out may have gone on before a loaded machine's server thread read its
        request."""
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            REAL_SLEEP(0.02)
        return self.calls

    def close(self):
        self.server.shutdown()
        self.server.server_close()
