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

from tests.conftest import PASSWORD, prepared_database, query_database, require

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


# The key of the authenticator app of the personas who have set up two-factor
# authentication (hex, as django-otp stores it).
AUTHENTICATOR_KEY = "3132333435363738393031323334353637383930"
GIVE_AUTHENTICATOR = (
    "from django.contrib.auth.models import User; "
    "from django_otp.plugins.otp_totp.models import TOTPDevice; "
    "TOTPDevice.objects.create(user=User.objects.get(username='{username}'), "
    f"name='authenticator', key='{AUTHENTICATOR_KEY}', confirmed=True)"
)
TRUST_CONTRIBUTORS = (
    "from contrechamp.accounts.models import Profile; "
    "Profile.objects.filter(user__username__in=['camille', 'dominique'])"
    ".update(trust='trusted')"
)
# The database of each running site, to read a device's last used time step.
SITE_DATABASES: dict[str, str] = {}


def authenticator_code(base: str, username: str) -> str:
    """The code the person's app shows now, as the server will accept it. django-otp
    refuses a time step already used: when an earlier log-in of the tests used this one,
    the device is told it used the step before, as if the person had waited 30 s (taking
    the next step instead fails at the third log-in within one step)."""
    from django_otp.oath import hotp

    rows = query_database(
        SITE_DATABASES[base],
        "SELECT d.id, d.key, d.step, d.t0, d.digits, d.drift, d.last_t"
        " FROM otp_totp_totpdevice d JOIN auth_user u ON u.id = d.user_id"
        " WHERE u.username = ? AND d.confirmed",
        (username,),
    )
    device, key, step, t0, digits, drift, last_t = rows[0]
    t = (int(time.time()) - t0) // step + drift
    if last_t >= t:
        query_database(
            SITE_DATABASES[base],
            "UPDATE otp_totp_totpdevice SET last_t = ? WHERE id = ?",
            (t - 1, device),
        )
    return f"{hotp(bytes.fromhex(key), t, digits=digits):0{digits}d}"


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
        "DATABASE_URL": prepared_database(data_dir, "browser", places=True),
        # E-mails as files, for the tests that follow a link sent by e-mail.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(data_dir / "mail"),
        "DJANGO_SETTINGS_MODULE": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE")
    command = [sys.executable, "-m", "contrechamp"]
    for step in (
        ["demo", "load"],
        ["users", "create", "camille", "--email", "camille@example.org", "--password", PASSWORD],
        [
            "users",
            "create",
            "dominique",
            "--email",
            "dominique@example.org",
            "--password",
            PASSWORD,
        ],
        [
            "users",
            "create",
            "rene",
            "--email",
            "rene@example.org",
            "--password",
            PASSWORD,
            "--role",
            "reviewer",
        ],
        # rene has set up two-factor authentication (log_in passes it); sacha, a reviewer
        # too, has not yet.
        ["shell", "-c", GIVE_AUTHENTICATOR.format(username="rene")],
        [
            "users",
            "create",
            "sacha",
            "--email",
            "sacha@example.org",
            "--password",
            PASSWORD,
            "--role",
            "reviewer",
        ],
        # camille and dominique publish directly (as in tests/conftest.py); noa is new, and
        # their changes wait for a reviewer.
        ["shell", "-c", TRUST_CONTRIBUTORS],
        [
            "users",
            "create",
            "noa",
            "--email",
            "noa@example.org",
            "--password",
            PASSWORD,
            "--public-name",
            "Noa",
        ],
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
    SITE_DATABASES[base] = env["DATABASE_URL"]
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
    from playwright.sync_api import expect, sync_playwright

    # `expect` waits 5 s by default, whatever the context's timeout: too short for
    # script and server work on a machine running two suites side by side.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """A browser context (in French unless `locale` says otherwise) that records every
    host it contacts."""

    def __init__(self, browser, base: str, **options):
        self.context = browser.new_context(**{"locale": "fr-FR", **options})
        self.context.set_default_timeout(15_000)
        self.hosts: set[str] = set()
        self.context.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        self.page = self.context.new_page()
        self.base = base

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def log_in(self, username: str):
        self.goto("/compte/login/")
        # By the fields' names: their labels change with the log-in form (e-mail or name).
        self.page.fill("main input[name=username]", username)
        self.page.fill("main input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")
        if self.page.url.startswith(self.base + "/compte/deux-facteurs/"):
            # Reviewers and administrators: the second factor, from their app.
            self.page.fill("input[name=code]", authenticator_code(self.base, username))
            self.page.click("main form button[type=submit]")
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
