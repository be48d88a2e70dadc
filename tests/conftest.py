"""Shared fixtures: the reference places and demo data loaded once per test database,
and the personas every test speaks of."""

import atexit
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from contrechamp.accounts.services import user_create
from contrechamp.places.services import places_load
from contrechamp.registry.demo import demo_load

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "correct horse battery staple"
# The command line that makes the contributor "camille" in a process of its own.
CAMILLE = ["users", "create", "camille", "--email", "camille@example.org", "--password", PASSWORD]


def require(condition: bool, reason: str) -> None:
    """Skip when a component is missing on a developer's machine; fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"missing component under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    # Rate-limit and lockout counters live in the cache (the database's by default): each
    # test starts from none, even after a transactional test, which does not roll back.
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            from django.core.cache import caches

            caches["default"].clear()
            return


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Passwords hashed with one round of MD5 in this process: the real hasher (PBKDF2,
    a million rounds, 0.6 s a password here) made every persona cost seconds, and the
    suite runs thousands of them. What the site uses is checked in
    tests/accounts/test_passwords.py, and every server a test starts in its own process
    (the browser tests, the commands) hashes as production does."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Loaded once: every `db` test runs inside a transaction that is rolled back, so the
    # places and the demo data stay as loaded.
    with django_db_blocker.unblock():
        places_load()
        demo_load()


def trusted(user):
    """A contributor whose changes are public at once (as every contributor's were before
    moderation): the personas the older tests speak of."""
    user.profile.trust = "trusted"
    user.profile.save(update_fields=["trust"])
    return user


@pytest.fixture
def contributor(db):
    return trusted(user_create(username="camille", email="camille@example.org", password=PASSWORD))


@pytest.fixture
def other_contributor(db):
    return trusted(
        user_create(username="dominique", email="dominique@example.org", password=PASSWORD)
    )


@pytest.fixture
def newcomer(db):
    """A brand-new contributor, not yet trusted: their changes wait for a reviewer."""
    return user_create(username="noa", email="noa@example.org", password=PASSWORD)


def give_authenticator(user):
    """A confirmed TOTP device, as a reviewer has once two-factor authentication is set up
    (tests.conftest.totp_code gives its current code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def totp_code(user, step_offset: int = 0) -> str:
    """The code the person's authenticator app shows now (or `step_offset` steps later)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def reviewer(db):
    return give_authenticator(
        user_create(username="rene", email="rene@example.org", password=PASSWORD, role="reviewer")
    )


@pytest.fixture
def administrator(db):
    return give_authenticator(
        user_create(
            username="alex", email="alex@example.org", password=PASSWORD, role="administrator"
        )
    )


class TwoFactorClient(Client):
    """Django's test client, whose force_login also passes the second factor when the
    person has an authenticator, as they would with their phone at hand."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Django would take the first backend of the settings, which may be one that
        # only refuses (a lockout) and loads nobody.
        super().force_login(user, backend or "django.contrib.auth.backends.ModelBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return TwoFactorClient()


@pytest.fixture
def english(settings):
    """Pages and messages in English, for a test that reads a message's words (the site
    speaks French unless a visitor asks otherwise)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


def separate_database(data_dir, suffix: str, template: tuple[str, Path] | None = None) -> str:
    """A database of its own for a server or worker process started by a test: a SQLite
    file in `data_dir`, or `<name>_<suffix>` created afresh on PostgreSQL; a copy of
    `template` (its URL and data folder) when one is given."""
    from urllib.parse import urlparse

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        target = Path(data_dir) / "db.sqlite3"
        if template is not None:
            target.unlink(missing_ok=True)
            source = template[1] / "db.sqlite3"
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
        return f"sqlite:///{target}"
    import psycopg

    parsed = urlparse(url)
    # Named for this test run too: a process an earlier run left behind (a scheduler of a
    # test killed before it could stop it) reconnects to a database of its name, and would
    # queue its tasks in a later run's database of the same name.
    name = f"{parsed.path.lstrip('/')}_{suffix}_{os.getpid()}"
    assert len(name) <= 63, name  # PostgreSQL's longest name
    copied = f' TEMPLATE "{urlparse(template[0]).path.lstrip("/")}"' if template else ""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"{copied}')
    if not _SEPARATE:
        atexit.register(_drop_separate, url)
    _SEPARATE.add(name)
    return parsed._replace(path=f"/{name}").geturl()


# The PostgreSQL databases `separate_database` made in this run: dropped when it ends.
_SEPARATE: set[str] = set()


def _drop_separate(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for name in sorted(_SEPARATE):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Databases the real commands migrated (and loaded the places into) once in the session,
# by whether the places are in them: copied for each test that needs one of its own.
_TEMPLATES: dict[bool, tuple[str, Path]] = {}


def _template(places: bool) -> tuple[str, Path]:
    if places not in _TEMPLATES:
        data_dir = Path(tempfile.mkdtemp(prefix="contrechamp-template-"))
        atexit.register(shutil.rmtree, data_dir, True)
        url = separate_database(data_dir, "template_places" if places else "template")
        env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(data_dir), "DATABASE_URL": url}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        command = [sys.executable, "-m", "contrechamp"]
        for step in (["migrate", "-v", "0"], ["places", "load"])[: 2 if places else 1]:
            done = subprocess.run(command + step, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
        _TEMPLATES[places] = (url, data_dir)
    return _TEMPLATES[places]


def prepared_database(data_dir, suffix: str, places: bool = False) -> str:
    """`separate_database`, already migrated by `contrechamp migrate` (and with the places
    of `contrechamp places load` if asked): a copy of a database those commands prepared
    once in the session, instead of 4 s (8 s with the places) in every test. The data
    folder gets the template's secret key, the one its rows were written under."""
    template = _template(places)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "secret_key").exists():
        shutil.copy2(template[1] / "secret_key", data_dir / "secret_key")
    return separate_database(data_dir, suffix, template=template)


def query_database(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows from the database of another process (`?` placeholders)."""
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)
            # An INSERT or UPDATE gives no rows (psycopg refuses fetchall() on it).
            return cursor.fetchall() if cursor.description else []
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql, params).fetchall()


def have(program: str) -> bool:
    return shutil.which(program) is not None
