"""Small strict readers for environment variables.

Every variable read through these helpers is recorded in `READ`, so a test can check
that `.env.example` documents each one.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

READ: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    pass


def env_str(name: str, default: str) -> str:
    READ.add(name)
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_database_url(*, data_dir: Path, legacy: Path, used_before: bool) -> str:
    """Return the URL of the default database: `db.sqlite3` in the data directory.

    Up to version 0.1.0 it stayed in the checkout's `var/` (`legacy`) whatever the data
    directory: an instance that had set one would start on an empty database after the
    upgrade, and `migrate` would make it look like a new site. When the data directory was
    used before (`used_before`) but holds no database while `legacy` exists, the start is
    refused with what to do instead."""
    database = data_dir / "db.sqlite3"
    if (
        used_before
        and not database.exists()
        and legacy.exists()
        and legacy.resolve() != database.resolve()
    ):
        raise ConfigError(
            f"CONTRECHAMP_DATA_DIR {data_dir} was used before but holds no db.sqlite3, while"
            f" {legacy} exists: the default database now lives in the data directory. Move"
            f" {legacy} (with its -wal and -shm files, the site stopped) into {data_dir}, or"
            f" set DATABASE_URL=sqlite:///{legacy} to keep it where it is, or"
            f" DATABASE_URL=sqlite:///{database} to start this instance on a new database."
        )
    return f"sqlite:///{database}"


def database_from_url(url: str, *, base_dir: str) -> dict:
    """Return a Django DATABASES entry for `sqlite:///path` or `postgres://...`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("/") and parsed.netloc == "":
            # sqlite:///relative/path and sqlite:////absolute/path, as in dj-database-url
            path = path[1:]
        if not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                # WAL lets the web server read while the worker writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            # A kept connection is checked before each request uses it: after the server
            # restarted, the next request reconnects instead of failing on a dead socket.
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(f"DATABASE_URL must start with sqlite:// or postgres://, got {url!r}")
