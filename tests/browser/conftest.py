"""A real Contrechamp server, in its own process and database, driven by Debian's Chromium
through Playwright. Requests leaving 127.0.0.1 are recorded so tests can forbid them."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD, require, separate_database

# The folder where each running site writes its e-mails.
SITE_MAIL_DIRS: dict[str, Path] = {}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    require(os.path.exists(CHROMIUM), "Debian's chromium (apt-get install chromium)")
    data_dir = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(data_dir),
        "DATABASE_URL": separate_database(data_dir, "browser"),
        # E-mails as files, for the tests that follow a link sent by e-mail.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(data_dir / "mail"),
        "DJANGO_SETTINGS_MODULE": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE")
    command = [sys.executable, "-m", "contrechamp"]
    for step in (
        ["migrate", "-v", "0"],
        ["places", "load"],
        ["demo", "load"],
        ["users", "create", "camille", "--password", PASSWORD],
        ["users", "create", "dominique", "--password", PASSWORD],
        ["users", "create", "rene", "--password", PASSWORD, "--role", "reviewer"],
    ):
        subprocess.run(command + step, env=env, check=True, capture_output=True)
    port = _free_port()
    # The log goes to a file: an unread pipe fills up (about 64 KB of tracebacks) and then
    # blocks the server's threads mid-test.
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        command + ["serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    SITE_MAIL_DIRS[base] = data_dir / "mail"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/a-propos/donnees/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        log.close()
        tail = (data_dir / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError("the server did not start: " + tail)
    yield base
    server.terminate()
    server.wait(10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), "Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """A browser context in French that records every host it contacts."""

    def __init__(self, browser, base: str, **options):
        self.context = browser.new_context(locale="fr-FR", **options)
        self.context.set_default_timeout(15_000)
        self.hosts: set[str] = set()
        self.context.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        self.page = self.context.new_page()
        self.base = base

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def log_in(self, username: str):
        self.goto("/compte/login/")
        self.page.get_by_label("Nom d’utilisateur").fill(username)
        self.page.get_by_label("Mot de passe").fill(PASSWORD)
        self.page.get_by_role("button", name="Se connecter").click()
        self.page.wait_for_url(self.base + "/")

    def third_parties(self) -> set[str]:
        own = urlparse(self.base).netloc
        return {h for h in self.hosts if h and h != own}


@pytest.fixture
def visitor(browser, site):
    v = Visitor(browser, site)
    yield v
    v.context.close()


@pytest.fixture
def make_visitor(browser, site):
    made = []

    def make(**options):
        v = Visitor(browser, site, **options)
        made.append(v)
        return v

    yield make
    for v in made:
        v.context.close()
