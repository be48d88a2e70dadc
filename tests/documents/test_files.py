"""Files written while others read them: a reader gets a whole file or none, never a
part; two writers of one name leave one file; a write that fails leaves what was there.

A page image read while another request was still writing it was once served empty (a
200 with no bytes, caught by the browser test of the document library)."""

import errno
import os
import threading

import pytest
from django.core.files.storage import FileSystemStorage

from contrechamp.documents import files

SIZE = 8 * 1024 * 1024
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
