import pymupdf
import pytest

from contrechamp.lib.jpeg import jpeg_without_segments
from tests.tips import samples


def test_it_drops_exif_xmp_and_comments_and_keeps_the_picture():
    data = samples.jpeg_with_gps_and_xmp()
    bare = jpeg_without_segments(data)
    assert samples.leaks(data) and samples.leaks(bare) == []
    before, after = pymupdf.Pixmap(data), pymupdf.Pixmap(bare)
    assert (before.width, before.height, before.samples) == (
        after.width,
        after.height,
        after.samples,
    )


def test_what_is_not_a_jpeg_comes_back_as_it_is():
    assert jpeg_without_segments(b"%PDF-1.4 Jean SECRET") == b"%PDF-1.4 Jean SECRET"
    broken = b"\xff\xd8\xff\xe1\x00\x10Jean SECRET" + b"\x00" * 3 + b"junk"
    assert jpeg_without_segments(broken) == broken


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
