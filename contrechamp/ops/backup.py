"""`contrechamp backup` and `restore`: the whole site in one tar archive.

The archive holds, in this order:

- `database/db.sqlite3` (SQLite, copied with SQLite's online backup API: one consistent
  snapshot, taken while the site goes on writing) or `database/db.dump` (PostgreSQL,
  `pg_dump --format=custom`, itself one snapshot);
- `files/media/…`: every stored file (originals, renditions, published copies, answers
  to requests), named relative to `MEDIA_ROOT`;
- `files/data/…`: what else the data directory holds that is not derived (the generated
  secret key), named relative to it. Left out: static files (`collectstatic`), the search
  index (restore rebuilds it from the database), the SQLite database itself;
- `manifest.json`, last: format version, database vendor, the migrations applied, and
  the size and SHA-256 of every other member. A truncated archive has no manifest and is
  refused whole.

The database is copied before the files: a file written meanwhile has no row (harmless),
whereas a row written after the file list would point to a missing file.

Restore checks everything (manifest, member list, every checksum) in a staging
directory before it touches anything; then it moves the files in place, then restores
the database in one transaction (SQLite's backup API, `pg_restore --single-transaction`),
then rebuilds the search index. A failure before the database step leaves the database
as it was; files already moved have no row pointing to them yet.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from contrechamp.documents.files import is_partial_write

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
PG_MEMBER = "database/db.dump"
CHUNK = 1024 * 1024

# Tables that `migrate` alone fills: a database holding rows in these only is empty.
SEED_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "registry_technology",
}


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason for the operator."""


@dataclass
class Summary:
    vendor: str
    files: int
    bytes: int
    notes: list[str] = field(default_factory=list)


# --- what is backed up ------------------------------------------------------------------


def _roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "data": Path(settings.DATA_DIR)}


def _excluded(extra: list[Path]) -> list[Path]:
    """Paths under the data directory that are derived, or are the database itself."""
    excluded = [
        Path(settings.MEDIA_ROOT),  # its own root
        Path(settings.STATIC_ROOT),
        Path(settings.SEARCH_INDEX_DIR),
        *extra,
    ]
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        excluded += [Path(name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    return [p.resolve() for p in excluded]


def _files(extra_excluded: list[Path]) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every file to keep, sorted for a stable archive."""
    excluded = _excluded(extra_excluded)
    for root_name, root in _roots().items():
        if not root.is_dir():
            continue
        found = []
        for directory, subdirs, names in os.walk(root):
            here = Path(directory).resolve()
            subdirs[:] = [
                d
                for d in subdirs
                if (here / d) not in excluded and not d.startswith((".restore-", ".backup-"))
            ]
            for name in names:
                path = here / name
                # Symbolic links are not followed: a link could lead out of the data dir.
                if path in excluded or path.is_symlink() or not path.is_file():
                    continue
                if name.endswith(".partial") and name.startswith(".backup-"):
                    continue
                # A file being written, or one a killed process left half-written: the
                # finished file, if any, is under its own name.
                if is_partial_write(name):
                    continue
                found.append(path)
        for path in sorted(found):
            relative = path.relative_to(root.resolve()).as_posix()
            yield f"files/{root_name}/{relative}", path


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add one file, read once through an open descriptor: a file replaced meanwhile
    (published copies are written anew, never in place) is read whole as it was."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(os.fstat(handle.fileno()).st_mtime)
        info.mode = 0o600 if name == "files/data/secret_key" else 0o644
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)  # type: ignore[arg-type]
    return {"path": name, "size": size, "sha256": hashing.digest.hexdigest()}


# --- databases --------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database: no password on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_program(name: str) -> str:
    """The path of `pg_dump` or `pg_restore`, of a major version able to talk to the
    server (a client older than the server refuses, or worse, misreads)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client programs of the "
            f"server's version (Debian: postgresql-client-{_server_major()})."
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    client = int(match.group(1)) if match else 0
    server = _server_major()
    if client < server:
        raise BackupError(
            f"{name} is version {client} and the server {server}: install the client "
            f"programs of version {server} or later (Debian: postgresql-client-{server})."
        )
    return path


def _server_major() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.server_version) // 10000  # type: ignore[union-attr]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({done.returncode}): {done.stderr.strip()}")


def _database_copy(into: Path) -> tuple[str, Path]:
    """A consistent copy of the database in the directory `into`: (member name, path)."""
    if connection.vendor == "sqlite":
        target = into / "db.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): the copy is a single read transaction, a snapshot of
            # one moment; in WAL mode the site's writers are not held up meanwhile.
            source.backup(copy)
            # A file that stands alone: no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER, target
    if connection.vendor == "postgresql":
        target = into / "db.dump"
        # No owner and no grants: the restore may run as another role on another machine.
        command = [_pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, f"--file={target}"], "pg_dump")
        return PG_MEMBER, target
    raise BackupError(f"The {connection.vendor} database is not supported.")


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


# --- backup -----------------------------------------------------------------------------


def backup_create(*, output: Path) -> Summary:
    """Write the archive to `output` (through a temporary name, renamed at the end: an
    interrupted backup never leaves a file that looks whole)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".backup-{output.name}.partial")
    entries: list[dict[str, Any]] = []
    vendor = connection.vendor
    migrations = _applied_migrations()
    try:
        # Readable by its owner only, whatever the umask: it holds the whole database
        # (addresses, second factors), the private originals, the tips' files and the
        # secret key (it was written 0644, readable by every account of the machine).
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # (a partial file left by a crash kept its mode)
        with (
            os.fdopen(descriptor, "wb") as handle,
            tempfile.TemporaryDirectory(prefix="contrechamp-backup-") as scratch,
            tarfile.open(fileobj=handle, mode="w:gz" if output.name.endswith("gz") else "w") as tar,
        ):
            member, copy = _database_copy(Path(scratch))
            entries.append(_add(tar, member, copy))
            for name, path in _files([output, partial]):
                try:
                    entries.append(_add(tar, name, path))
                except FileNotFoundError:
                    continue  # deleted since the walk: it is not in the database copy either
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": vendor, "member": member},
                "migrations": migrations,
                "search_index": "rebuilt from the database by restore",
                "members": entries,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(time.time())
            tar.addfile(info, _bytes(data))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    files = [e for e in entries if e["path"].startswith("files/")]
    return Summary(vendor=vendor, files=len(files), bytes=sum(e["size"] for e in entries))


def _bytes(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)


# --- restore ----------------------------------------------------------------------------


def _refuse(archive: Path, reason: str) -> BackupError:
    return BackupError(
        f"{archive} is not a complete Contrechamp backup ({reason}); nothing was restored."
    )


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(handle.read())
    except KeyError:
        raise _refuse(archive, "no manifest: the archive is truncated or not a backup") from None
    except (ValueError, tarfile.TarError, OSError, EOFError) as error:
        raise _refuse(archive, f"unreadable manifest: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} has backup format {manifest.get('format')!r}; this version of "
            f"Contrechamp reads format {FORMAT_VERSION}."
        )
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup made by a newer version (migrations this code does not have);
    returns the notes for an older one."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    archived = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(archived - set(loader.disk_migrations))
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup was made by a newer version of Contrechamp (migrations {names} "
            "are unknown here): upgrade this installation first."
        )
    if set(loader.graph.nodes) - archived:
        return ["The backup is older than this version: run `contrechamp migrate` now."]
    return []


def database_holds_data() -> list[str]:
    """The tables with rows that `migrate` would not have put there."""
    existing = set(connection.introspection.table_names())
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in existing and table not in SEED_TABLES:
            tables.add(table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        full = []
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - known name
            if cursor.fetchone():
                full.append(table)
    return full


def _staged_members(
    tar: tarfile.TarFile, manifest: dict[str, Any], archive: Path, staging: Path
) -> dict[str, Path]:
    """Extract every member into `staging`, checked against the manifest: the same
    names, sizes and SHA-256. Returns archive name → staged path."""
    expected = {e["path"]: e for e in manifest["members"]}
    staged: dict[str, Path] = {}
    try:
        for member in tar:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            pure = PurePosixPath(member.name)
            if entry is None or pure.is_absolute() or ".." in pure.parts or not member.isreg():
                raise _refuse(archive, f"unexpected member {member.name!r}")
            if member.name in staged:
                raise _refuse(archive, f"member {member.name!r} twice")
            target = staging / f"{len(staged):08d}"
            source = tar.extractfile(member)
            assert source is not None  # a regular file
            digest = hashlib.sha256()
            size = 0
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                raise _refuse(archive, f"{member.name} does not match its checksum")
            staged[member.name] = target
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise _refuse(archive, f"unreadable: {error}") from None
    missing = sorted(set(expected) - set(staged))
    if missing:
        raise _refuse(archive, f"{len(missing)} members missing, {missing[0]} first")
    return staged


def _place(name: str, staged: Path) -> None:
    _, root_name, relative = name.split("/", 2)
    target = _roots()[root_name] / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, target)  # a rename on one filesystem
    if name == "files/data/secret_key":
        target.chmod(0o600)


def _restore_database(member: str, path: Path) -> None:
    connections.close_all()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        try:
            # The backup API writes the whole target in one transaction: all or nothing,
            # whatever the target held.
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
            source.close()
        return
    command = [
        _pg_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    ]
    _run(command, "pg_restore")


def _rebuild_index() -> int:
    # Imported here: only restore needs the library's search.
    from contrechamp.documents.search import backend_name, index_rebuild

    if backend_name() == "tantivy":
        index = Path(settings.SEARCH_INDEX_DIR)
        if index.exists():
            shutil.rmtree(index)
    return index_rebuild()


@contextmanager
def _staging() -> Iterator[Path]:
    root = Path(settings.DATA_DIR)
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def backup_restore(*, archive: Path, force: bool = False) -> Summary:
    """Restore `archive` into the configured database and data directory."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _refuse(archive, f"not a tar archive: {error}") from None
    with tar:
        manifest = _read_manifest(tar, archive)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"The backup holds a {vendor} database and DATABASE_URL names a "
                f"{connection.vendor} one: restore into a {vendor} database."
            )
        notes = _check_migrations(manifest)
        if not force:
            full = database_holds_data()
            if full:
                raise BackupError(
                    f"The database is not empty ({', '.join(full[:3])}…): restore into a "
                    "new database, or pass --force to replace what it holds."
                )
        with _staging() as staging:
            staged = _staged_members(tar, manifest, archive, staging)
            # Everything is checked: now files, then the database (rows last, so that no
            # row ever points to a file not yet in place).
            database_member = manifest["database"]["member"]
            for name, path in staged.items():
                if name.startswith("files/"):
                    _place(name, path)
            _restore_database(database_member, staged[database_member])
    connections.close_all()
    pages = _rebuild_index()
    notes.append(f"Search index rebuilt: {pages} pages.")
    files = [e for e in manifest["members"] if e["path"].startswith("files/")]
    return Summary(
        vendor=vendor,
        files=len(files),
        bytes=sum(e["size"] for e in manifest["members"]),
        notes=notes,
    )
