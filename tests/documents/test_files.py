"""Files written while others read them: a reader gets a whole file or none, never a
part; two writers of one name leave one file; a write that fails leaves what was there.

A page image read while another request was still writing it was once served empty (a
200 with no bytes, caught by the browser test of the document library)."""

import contextlib
import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

from contrechamp.documents import files

SIZE = 8 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
A = b"a" * SIZE
B = b"b" * SIZE
PATH = "documents/derived/ab/abcdef/page-2-150.png"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _in_threads(*targets):
    errors: list[BaseException] = []

    def run(target):
        try:
            target()
        except BaseException as error:  # reported by the test, not lost in a thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


def test_a_file_read_while_it_is_replaced_is_the_old_one_or_the_new_one_whole(media):
    files.save(PATH, A)
    writing = threading.Event()
    writing.set()
    seen: list[int] = []

    def write():
        try:
            for turn in range(30):
                files.save(PATH, B if turn % 2 == 0 else A)
        finally:
            writing.clear()

    def read():
        while writing.is_set():
            # The file exists all along: it is replaced, never taken away first.
            assert files.exists(PATH)
            data = files.read(PATH)
            assert data in (A, B), f"a read got {len(data)} bytes of {SIZE}"
            seen.append(len(data))

    _in_threads(write, read)
    assert seen  # the reader did read while the writer wrote
    assert files.read(PATH) == A


def test_two_requests_saving_one_name_at_once_leave_one_whole_file(media):
    def write(content):
        return lambda: [files.save(PATH, content) for _ in range(15)]

    _in_threads(write(A), write(B))
    left = [p for p in media.rglob("*") if p.is_file()]
    assert [p.name for p in left] == ["page-2-150.png"]
    assert files.read(PATH) in (A, B)


class StopsHalfWay(FileSystemStorage):
    """A disk that fills up after 1 MB of the next file."""

    def _save(self, name, content):
        class Chunks:
            def __init__(self, inner):
                self.inner = inner

            def chunks(self, chunk_size=None):
                written = 0
                for chunk in self.inner.chunks():
                    if written + len(chunk) > 1024 * 1024:
                        yield chunk[: 1024 * 1024 - written]
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += len(chunk)
                    yield chunk

        return super()._save(name, Chunks(content))


def test_a_write_stopped_half_way_leaves_the_file_that_was_there_and_no_part(media, settings):
    files.save(PATH, A)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.StopsHalfWay"}}
    with pytest.raises(OSError, match="space"):
        files.save(PATH, B)
    assert files.read(PATH) == A
    assert [p.name for p in media.rglob("*") if p.is_file()] == ["page-2-150.png"]


# A process that writes a file slowly: 1 MB, then it waits to be killed.
_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.files.base import File
    from contrechamp.documents import files

    class Slow(File):
        def __init__(self):
            super().__init__(None, name="slow")
        def chunks(self, chunk_size=None):
            yield b"x" * (1024 * 1024)
            sys.stdout.write("writing\\n")
            sys.stdout.flush()
            time.sleep(120)
            yield b"y"
        def close(self):
            pass

    files.save(sys.argv[1], Slow())
    """
)


def test_a_process_killed_while_writing_leaves_nothing_under_the_name_and_its_part_goes(
    media, settings, tmp_path
):
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, PATH],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline() == "writing\n"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(30)
    finally:
        if writer.poll() is None:
            writer.kill()
    # The name the readers ask for was never there, even in part; only the part is.
    assert not files.exists(PATH)
    left = [p for p in media.rglob("*") if p.is_file()]
    assert len(left) == 1 and left[0].name.startswith("page-2-150.png.")
    assert left[0].stat().st_size == 1024 * 1024

    # Not while it might still be written; then the periodic sweep removes it, and
    # leaves every finished file alone, whatever its name.
    files.save(PATH, A)
    files.save("access/attachments/3/report.part", B)
    assert files.partial_writes_sweep() == 0
    hour_ago = time.time() - 2 * 3600
    for path in media.rglob("*"):
        if path.is_file():
            os.utime(path, (hour_ago, hour_ago))
    assert files.partial_writes_sweep() == 1
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == [
        "page-2-150.png",
        "report.part",
    ]
    assert files.read(PATH) == A


def test_the_sweep_of_partial_writes_is_a_periodic_job(settings):
    from contrechamp.documents.tasks import partial_writes_sweep_task

    job = settings.PERIODIC_JOBS["files-partial-sweep"]
    assert job["task"] == partial_writes_sweep_task.module_path
    assert job["every"] <= timedelta(hours=24)


def test_a_file_reaches_the_disk_before_its_name_points_at_it(media, monkeypatch):
    """After a power cut, a file renamed into place before its bytes were flushed can be
    empty under its name (ext4's delayed allocation): fsync, then rename, then fsync the
    folder."""
    calls: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def recorded_fsync(descriptor):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        fsync(descriptor)

    def recorded_replace(source, target):
        calls.append(("replace", str(target)))
        replace(source, target)

    monkeypatch.setattr(os, "fsync", recorded_fsync)
    monkeypatch.setattr(os, "replace", recorded_replace)
    files.save(PATH, A)
    final = str(media / PATH)
    [(first, temporary), (second, target), (third, folder)] = calls
    assert first == "fsync" and files.is_partial_write(os.path.basename(temporary))
    assert (second, target) == ("replace", final)
    assert (third, folder) == ("fsync", os.path.dirname(final))


def test_the_sweep_goes_on_past_a_part_it_cannot_remove(media, monkeypatch, caplog):
    old = time.time() - 2 * 3600
    stuck = media / "access/attachments/1/a.0123456789abcdef.part"
    other = media / "documents/derived/ab/abcdef/page-1-110.png.fedcba9876543210.part"
    for path in (stuck, other):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"part")
        os.utime(path, (old, old))
    remove = os.remove

    def refused(path):
        if str(path) == str(stuck):
            raise PermissionError(1, "Operation not permitted", str(path))
        remove(path)

    monkeypatch.setattr(os, "remove", refused)
    assert files.partial_writes_sweep() == 1
    assert stuck.exists() and not other.exists()
    assert "a.0123456789abcdef.part left" in caplog.text


class ObjectStore(FileSystemStorage):
    """A store of objects: no local path; an object is written whole or not at all, and
    over the one of the same name (django-storages' `file_overwrite`)."""

    file_overwrite = True
    fail_next = False

    def path(self, name):
        raise NotImplementedError

    def _local(self, name):
        return super().path(name)

    def exists(self, name):
        return os.path.exists(self._local(name))

    def open(self, name, mode="rb"):
        return File(open(self._local(name), mode))  # noqa: SIM115 - the caller closes it

    def delete(self, name):
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._local(name))

    def get_available_name(self, name, max_length=None):
        return name

    def _save(self, name, content):
        if type(self).fail_next:
            type(self).fail_next = False
            raise OSError(errno.EIO, "the upload failed")
        target = self._local(name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        whole = b"".join(content.chunks())
        with open(target + ".tmp", "wb") as handle:
            handle.write(whole)
        os.replace(target + ".tmp", target)
        return name


def test_on_an_object_store_a_failed_write_leaves_the_object_that_was_there(media, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.ObjectStore"}}
    files.save(PATH, A)
    ObjectStore.fail_next = True
    with pytest.raises(OSError, match="upload failed"):
        files.save(PATH, B)
    assert files.read(PATH) == A  # before: deleted first, then the write failed
    files.save(PATH, B)
    assert files.read(PATH) == B
