import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from contrechamp.lib import env
from contrechamp.lib.env import ConfigError, database_from_url

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert env.READ, "settings read no variable through contrechamp.lib.env"
    assert env.READ - documented == set()
    assert documented - env.READ == set(), "documented but never read"


def test_settings_read_nothing_behind_the_helpers():
    source = (ROOT / "contrechamp" / "settings.py").read_text()
    assert "os.environ" not in source and "getenv" not in source


def test_bad_values_are_refused_clearly(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ConfigError, match="DEBUG must be a boolean"):
        env.env_bool("DEBUG", False)
    with pytest.raises(ConfigError, match="DATABASE_URL must start with"):
        database_from_url("mysql://x", base_dir="/tmp")


def test_database_urls():
    pg = database_from_url("postgres://u:p%40ss@db.example:5433/contre", base_dir="/srv")
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "u",
        "p@ss",
        "db.example",
        "5433",
        "contre",
    )
    assert database_from_url("sqlite:///var/db.sqlite3", base_dir="/srv")["NAME"] == (
        "/srv/var/db.sqlite3"
    )
    assert database_from_url("sqlite:////data/x.db", base_dir="/srv")["NAME"] == "/data/x.db"


def _settings_with(name: str, value: str) -> subprocess.CompletedProcess:
    """The settings imported in a process of their own, with `name` set to `value`."""
    return subprocess.run(
        [sys.executable, "-c", "import contrechamp.settings"],
        env={**os.environ, name: value},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("value", ['fr" onmouseover="alert(1)', "", "français"])
def test_a_content_language_that_is_no_language_tag_stops_the_start(value):
    """It is written into the pages' `lang` attribute: anything but a tag is refused."""
    result = _settings_with("CONTENT_LANGUAGE", value)
    assert result.returncode != 0
    assert "CONTENT_LANGUAGE must be a language tag" in result.stderr


@pytest.mark.parametrize("value", ["pas-une-adresse", 'x@y.org" onclick="alert(1)'])
def test_a_contact_address_that_is_no_address_stops_the_start(value):
    """It is written into the pages' mailto links."""
    result = _settings_with("CONTACT_EMAIL", value)
    assert result.returncode != 0
    assert "CONTACT_EMAIL must be an e-mail address" in result.stderr
