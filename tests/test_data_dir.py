"""The data directory holds the default database: a second instance given another data
directory gets a database of its own, never the first one's read under another key."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import CAMILLE

ROOT = Path(__file__).resolve().parents[1]
CHECKOUT_DATABASE = ROOT / "var" / "db.sqlite3"
# The database a process opens, and how many tables it holds.
TABLES = (
    "from django.db import connection;"
    " print(connection.settings_dict['NAME'], len(connection.introspection.table_names()))"
)


def _run(data_dir: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(data_dir)}
    # What an administrator following the docs has: no DATABASE_URL, no test settings.
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "contrechamp", *arguments],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _stat(path: Path) -> tuple[int, int] | None:
    return (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None


def _users(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as conn:
        return [row[0] for row in conn.execute("SELECT username FROM auth_user")]


def test_it_keeps_the_database_of_a_fresh_data_dir_in_that_dir(tmp_path):
    """Two instances, two data directories, commands started from a third directory: the
    first migrates its own db.sqlite3, the second sees an empty database of its own (not
    the first one's), and the checkout's var/db.sqlite3 is left as it was."""
    first, second, elsewhere = tmp_path / "first", tmp_path / "second", tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _stat(CHECKOUT_DATABASE)
    done = _run(first, "migrate", "--no-input", "-v", "0", cwd=elsewhere)
    assert done.returncode == 0, done.stderr[-3000:]
    made = _run(first, *CAMILLE, cwd=elsewhere)
    assert made.returncode == 0, made.stderr[-3000:]
    verified = _run(first, "audit", "verify", cwd=elsewhere)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    assert _users(first / "db.sqlite3") == ["camille"]
    seen = _run(second, "shell", "-c", TABLES, cwd=elsewhere)
    assert seen.returncode == 0, seen.stderr[-3000:]
    assert seen.stdout.splitlines()[-1].split() == [str(second / "db.sqlite3"), "0"]
    assert list(elsewhere.iterdir()) == []
    assert _stat(CHECKOUT_DATABASE) == before


def test_an_empty_data_dir_variable_is_the_default_not_the_current_directory(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django;"
            " print(settings.DATA_DIR, settings.DATABASES['default']['NAME'])",
        ],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "CONTRECHAMP_DATA_DIR": "",
            "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(ROOT / "var"), str(ROOT / "var" / "db.sqlite3")]
    assert list(tmp_path.iterdir()) == []


def test_an_upgraded_instance_is_not_started_on_an_empty_database(tmp_path):
    """A data directory used before the change (its secret key is there) without a
    database, while the checkout's old one exists: refused with what to do, rather than a
    site that looks new and whose `migrate` makes it so."""
    from contrechamp.lib.env import ConfigError, default_database_url

    data_dir, legacy = tmp_path / "data", tmp_path / "checkout" / "var" / "db.sqlite3"
    data_dir.mkdir()
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"")
    with pytest.raises(ConfigError, match="now lives in the data directory") as refused:
        default_database_url(data_dir=data_dir, legacy=legacy, used_before=True)
    assert f"DATABASE_URL=sqlite:///{legacy}" in str(refused.value)
    # A data directory never used (a second instance), or one that has its database: fine.
    expected = f"sqlite:///{data_dir / 'db.sqlite3'}"
    assert default_database_url(data_dir=data_dir, legacy=legacy, used_before=False) == expected
    (data_dir / "db.sqlite3").write_bytes(b"")
    assert default_database_url(data_dir=data_dir, legacy=legacy, used_before=True) == expected
    # The checkout's own var/ as the data directory is no move at all.
    assert (
        default_database_url(data_dir=legacy.parent, legacy=legacy, used_before=True)
        == f"sqlite:///{legacy}"
    )
