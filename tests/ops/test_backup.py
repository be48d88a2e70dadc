"""`contrechamp backup` and `restore` as an operator runs them: a populated site backed up
while it keeps writing, restored on a fresh database and data directory, compared table
by table, row by row, file by file. A damaged archive restores nothing."""

import hashlib
import os
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.apps import apps

from tests.conftest import prepared_database, query_database, separate_database

ROOT = Path(__file__).resolve().parents[2]
WRITES = "ops_periodicjob"  # the table the writer thread keeps writing during the backup

POPULATE = r"""
import datetime as dt
import django
django.setup()
from contrechamp.accounts.services import user_create
from contrechamp.access.services import body_for_commune, request_create, request_send
from contrechamp.access.services.files import attachment_add
from contrechamp.access.services.requests import answer_attach
from contrechamp.documents.models import Document
from contrechamp.documents.services import document_ingest, document_process
from contrechamp.places.models import Commune
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_snapshot, deployment_update
from tests.documents import samples

user = user_create(username="sauvegarde", email="s@example.org", password="x" * 20,
                   role="reviewer")
document = document_ingest(
    data=samples.text_pdf(["Vidéoprotection du marché couvert : 14 caméras."]),
    filename="deliberation.pdf", uploaded_by=user,
).document
document_process(document=document)
commune = Commune.objects.get(code="42218")
request = request_create(body=body_for_commune(commune), requester=user,
                         title="Caméras du marché", documents_asked="La délibération")
attachment_add(request=request, data=samples.png("Accusé de réception"),
               filename="accuse.png", user=user)
request_send(request=request, sent_on=dt.date(2024, 1, 15))
event = answer_attach(request=request, data=samples.text_pdf(["Réponse de la mairie."]),
                      filename="reponse.pdf", kind="reply", date=dt.date(2024, 3, 1),
                      user=user)
for document in Document.objects.exclude(status="done"):
    document_process(document=document)
deployment = Deployment.objects.order_by("id").first()
for n in range(2):
    data = deployment_snapshot(deployment)
    data["description"] = f"Révision {n} faite avant la sauvegarde."
    deployment = deployment_update(deployment=deployment, data=data,
                                   base_version=deployment.version, author=user,
                                   comment=f"révision {n}")
"""

SEARCH = r"""
import django
django.setup()
from contrechamp.documents.search import Viewer, search_pages
hits = search_pages("vidéoprotection marché", viewer=Viewer(sees_all=True))
print(sorted({hit.document.filename for hit in hits}))
"""


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = {**os.environ, "CONTRECHAMP_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    env["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
    return env


def _run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _contrechamp(env: dict[str, str], *args: str, check: bool = True):
    return _run(env, "-m", "contrechamp", *args, check=check)


def _tables(url: str) -> list[str]:
    if url.startswith("postgres"):
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return sorted(row[0] for row in query_database(url, sql))


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def _rows(url: str, table: str) -> list[tuple]:
    rows = query_database(url, f'SELECT * FROM "{table}"')  # noqa: S608 - a table name
    if table == "sqlite_sequence":  # the writer's table moves on: compared on its own
        rows = [row for row in rows if row[0] != WRITES]
    return sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)


def _sequences(url: str) -> list[tuple]:
    """Where every id sequence stands (the next row restored must not reuse an id)."""
    if url.startswith("postgres"):
        rows = query_database(url, "SELECT sequencename, last_value FROM pg_sequences")
        return sorted((row for row in rows if not row[0].startswith(WRITES)), key=repr)
    return []  # SQLite keeps them in sqlite_sequence, a table compared with the others


def _files(data_dir: Path) -> dict[str, str]:
    """Every stored file under the data dir (not the derived ones), with its SHA-256."""
    found = {}
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir).as_posix()
        if not path.is_file() or relative.split("/")[0] in {"static", "search"}:
            continue
        if relative.startswith("db.sqlite3"):
            continue
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Writer(threading.Thread):
    """Writes one transaction after another into the source database while the backup
    runs: each inserts a row `w<n>` and moves the counter row to n, together."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        if self.url.startswith("postgres"):
            import psycopg

            conn = psycopg.connect(self.url)
            placeholder = "%s"
        else:
            import sqlite3

            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            placeholder = "?"
        insert = (
            f"INSERT INTO {WRITES} (name, last_slot, last_task_id) "
            f"VALUES ({placeholder}, {placeholder}, '')"
        )
        update = f"UPDATE {WRITES} SET last_slot = {placeholder} WHERE name = 'counter'"
        conn.execute(insert, ("counter", 0))
        conn.commit()
        while not self.stop.is_set():
            n = self.written + 1
            conn.execute(insert, (f"w{n}", n))
            conn.execute(update, (n,))
            conn.commit()
            self.written = n
        conn.close()


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """A populated site, backed up while a writer keeps writing: (source url, source data
    dir, archive, the writer)."""
    base = tmp_path_factory.mktemp("backup")
    source = base / "source"
    source.mkdir()
    url = prepared_database(source, "backup_src", places=True)
    env = _env(source, url)
    _contrechamp(env, "demo", "load")
    _run(env, "-c", POPULATE)
    archive = base / "site.tar"
    writer = Writer(url)
    writer.start()

    def wait_for(written: int) -> None:
        # A writer that died fails the test instead of hanging it.
        deadline = time.monotonic() + 120
        while writer.written < written:
            assert writer.is_alive() and time.monotonic() < deadline, "the writer stopped"
            writer.stop.wait(0.01)

    try:
        wait_for(20)  # the backup starts while writes go on
        _contrechamp(env, "backup", "--output", str(archive))
        wait_for(writer.written + 20)  # and they went on after it
    finally:
        writer.stop.set()
        writer.join(30)
    return url, source, archive, writer


def _fresh(tmp_path, suffix: str) -> tuple[str, Path, dict[str, str]]:
    target = tmp_path / "target"
    target.mkdir()
    url = separate_database(target, suffix)
    return url, target, _env(target, url)


def test_a_backup_taken_while_the_site_writes_restores_exactly(backed_up, tmp_path):
    source_url, source_dir, archive, writer = backed_up
    url, target, env = _fresh(tmp_path, "backup_dst")

    done = _contrechamp(env, "restore", str(archive))
    assert "restored" in done.stdout

    tables = _tables(source_url)
    assert _tables(url) == tables
    # Every model's table is there (none forgotten by a backup of selected tables)...
    for model in apps.get_models(include_auto_created=True):
        assert model._meta.db_table in tables, model
    # ...and the tables without a model: migrations, the task queue.
    assert {"django_migrations", "django_tasks_database_dbtaskresult"} <= set(tables)
    for table in ("documents_document", "documents_page", "access_attachment"):
        assert _rows(url, table), table
    assert len(_rows(url, "registry_revision")) > 26  # the demo's and the two edits

    for table in tables:
        if table == WRITES:
            continue
        assert _rows(url, table) == _rows(source_url, table), table
    assert _sequences(url) == _sequences(source_url)

    # The writes of the writer thread: a snapshot of one moment, so a whole prefix of
    # them, each with its counter (never a row without the counter's move or the reverse).
    written = dict(query_database(url, f"SELECT name, last_slot FROM {WRITES}"))
    counter = written.pop("counter")
    assert 20 <= counter < writer.written
    assert written == {f"w{n}": n for n in range(1, counter + 1)}

    assert _files(target) == _files(source_dir)
    assert any(name.startswith("media/documents/originals/") for name in _files(target))
    assert any(name.startswith("media/access/") for name in _files(target)), _files(target)
    assert "secret_key" in _files(target)

    # The search index is rebuilt by the restore: the document is found.
    found = _run(env, "-c", SEARCH).stdout
    assert "deliberation.pdf" in found, found


def _copy(archive: Path, path: Path, change) -> Path:
    data = bytearray(archive.read_bytes())
    path.write_bytes(bytes(change(data)))
    return path


def _untouched(url: str, target: Path) -> None:
    assert not [t for t in _tables(url) if t == "places_commune"]
    assert not (target / "media").exists()


def test_a_truncated_archive_is_refused_and_restores_nothing(backed_up, tmp_path):
    archive = backed_up[2]
    url, target, env = _fresh(tmp_path, "backup_cut")
    cut = _copy(archive, tmp_path / "cut.tar", lambda data: data[: len(data) * 2 // 3])

    done = _contrechamp(env, "restore", str(cut), check=False)
    assert done.returncode != 0
    assert "not a complete Contrechamp backup" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    _untouched(url, target)


def test_a_corrupted_file_in_the_archive_is_refused_and_restores_nothing(backed_up, tmp_path):
    archive = backed_up[2]
    url, target, env = _fresh(tmp_path, "backup_bad")
    with tarfile.open(archive) as tar:
        member = next(m for m in tar if m.name.startswith("files/media/documents/originals/"))
        offset = member.offset_data + member.size // 2

    def flip(data: bytearray) -> bytearray:
        data[offset] ^= 0xFF
        return data

    bad = _copy(archive, tmp_path / "bad.tar", flip)
    done = _contrechamp(env, "restore", str(bad), check=False)
    assert done.returncode != 0
    assert "does not match its checksum" in done.stderr, done.stderr
    assert member.name in done.stderr
    _untouched(url, target)


def test_restore_refuses_a_database_that_holds_data_unless_forced(backed_up, tmp_path):
    source_url, _, archive, _ = backed_up
    url, target, env = _fresh(tmp_path, "backup_full")
    _contrechamp(env, "migrate", "-v", "0")
    # A freshly migrated database is empty: restored without --force.
    _contrechamp(env, "restore", str(archive))
    # Someone starts using it...
    query_database(url, "UPDATE registry_deployment SET title = 'changé après'")
    done = _contrechamp(env, "restore", str(archive), check=False)
    assert done.returncode != 0
    assert "--force" in done.stderr and "not empty" in done.stderr
    assert {row[0] for row in query_database(url, "SELECT title FROM registry_deployment")} == {
        "changé après"
    }
    # ...and the operator means it.
    _contrechamp(env, "restore", "--force", str(archive))
    assert _rows(url, "registry_deployment") == _rows(source_url, "registry_deployment")


def test_a_backup_keeps_no_part_of_a_file_being_written(settings, tmp_path):
    """A write in progress, or one a killed process left, is under a temporary name
    beside the file's own: the finished file goes into the archive, the part never."""
    from contrechamp.ops.backup import _files

    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    attachments = tmp_path / "media/access/attachments/7"
    attachments.mkdir(parents=True)
    (attachments / ("a" * 64)).write_bytes(b"the letter")
    (attachments / ("b" * 64 + ".0123456789abcdef.part")).write_bytes(b"half a letter")
    names = [name for name, _path in _files([])]
    assert names == [f"files/media/access/attachments/7/{'a' * 64}"]


def test_the_archive_is_readable_by_its_owner_only(backed_up):
    """It holds the database (addresses, second factors), private originals, tips'
    files and the secret key: written 0644 under the usual umask before (the walk of the
    thirty-fourth session), every account of the machine could read it."""
    archive = backed_up[2]
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_backup_over_a_readable_leftover_is_still_private(backed_up, tmp_path):
    """A partial file a crash left (readable by all) does not pass its mode on, and no
    umask loosens it."""
    url, source, _archive, _writer = backed_up
    output = tmp_path / "site.tar.gz"
    leftover = output.with_name(f".backup-{output.name}.partial")
    leftover.write_bytes(b"old")
    leftover.chmod(0o644)
    old = os.umask(0o000)  # (inherited by the command)
    try:
        _contrechamp(_env(source, url), "backup", "--output", str(output))
    finally:
        os.umask(old)
    assert output.stat().st_mode & 0o777 == 0o600
    with tarfile.open(output) as tar:
        assert "manifest.json" in tar.getnames()
