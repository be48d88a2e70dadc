"""Hostile files: each declares far more than it weighs (spaces, elements, pixels, pages,
entries, nesting). The library must stop at its limits while reading, so a small file
never makes the worker build something large, and say why it refused."""

from __future__ import annotations

import email
import email.policy
import io
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import pytest

from contrechamp.documents import extract
from contrechamp.documents.extract import DocumentError

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

# Runs one extraction in a fresh process and reports how far its resident memory rose
# above what it was once the file was read (VmHWM is the kernel's high-water mark).
# The address space is capped too, so a file that would take gigabytes ends the probe
# with MemoryError instead of taking the machine.
PROBE = r"""
import json, resource, sys
from contrechamp.documents import extract

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

data = open(sys.argv[1], "rb").read()
kind = sys.argv[2]
base = status("VmRSS")
cap = status("VmSize") + 1024 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    if kind == "sniff":
        extract.sniff(data)
    else:
        extract.render(kind, data, max_attachments=100)
    outcome = "ok"
except extract.DocumentError as error:
    outcome = "refused: " + str(error)
except MemoryError:
    outcome = "out of memory"
print(json.dumps({"outcome": outcome, "peak": status("VmHWM") - base}))
"""


def probe(tmp_path: Path, kind: str, data: bytes) -> tuple[str, float]:
    """(outcome, peak memory in MB) of extracting `data` as `kind` in its own process."""
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), kind],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return result["outcome"], result["peak"] / MB


def zipped(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


ODT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
    'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
    'opendocument:xmlns:text:1.0"><office:body><office:text>'
)
ODT_TAIL = "</office:text></office:body></office:document-content>"
ODT_MIME = "application/vnd.oasis.opendocument.text"
DOCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxml'
    'formats.org/wordprocessingml/2006/main"><w:body>'
)
DOCX_TAIL = "</w:body></w:document>"


def odt(body: str) -> bytes:
    return zipped({"mimetype": ODT_MIME, "content.xml": ODT_HEAD + body + ODT_TAIL})


def docx(body: str) -> bytes:
    return zipped(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": DOCX_HEAD + body + DOCX_TAIL}
    )


# --- repeats and elements -------------------------------------------------------------


def test_an_odt_of_a_hundred_million_spaces_stays_small(tmp_path):
    data = odt('<text:p>Vidéoprotection<text:s text:c="100000000"/>Saint-Étienne</text:p>')
    assert len(data) < 1000  # the tester's file weighed 668 bytes
    outcome, peak = probe(tmp_path, "odt", data)
    assert outcome == "ok"
    # 100 MB of spaces declared; the text is built with the run shortened.
    assert peak < 25, f"{peak:.0f} MB for a {len(data)}-byte file"
    pdf = extract.render("odt", data, max_attachments=1).pdf
    assert pdf is not None
    import pymupdf

    text = pymupdf.open(stream=pdf, filetype="pdf")[0].get_text()
    assert "Vidéoprotection" in text and "Saint-Étienne" in text


@pytest.mark.parametrize("count", ["-5", "abc", "", "1e9", "99999999999999999999999"])
def test_odt_repeat_counts_that_are_not_small_numbers_are_read_as_one_run(count):
    data = odt(f'<text:p>caméras<text:s text:c="{count}"/>piétons</text:p>')
    blocks = extract._odt_blocks(data)
    assert blocks[0][1].startswith("caméras ") and blocks[0][1].endswith("piétons")
    assert len(blocks[0][1]) <= len("caméraspiétons") + extract.MAX_REPEAT


def test_a_million_empty_elements_are_read_a_paragraph_at_a_time(tmp_path):
    # 40 MB of XML, a few tens of kB compressed: a whole tree would take hundreds of MB.
    data = odt("<text:p>Délibération</text:p>" + "<text:span/>" * 3_300_000)
    assert len(data) < 200_000
    outcome, peak = probe(tmp_path, "odt", data)
    assert outcome == "ok"
    assert peak < 40, f"{peak:.0f} MB"


def test_a_paragraph_of_millions_of_line_breaks_is_refused_while_reading(tmp_path):
    data = docx("<w:p><w:r><w:t>Marché</w:t>" + "<w:br/>" * 5_000_000 + "</w:r></w:p>")
    outcome, peak = probe(tmp_path, "docx", data)
    assert outcome.startswith("refused: A paragraph of the document holds more than")
    assert peak < 60, f"{peak:.0f} MB"


def test_text_beyond_the_limit_is_refused_before_it_is_all_built(tmp_path):
    paragraph = "<w:p><w:r><w:t>" + "caméra " * 10_000 + "</w:t></w:r></w:p>"
    data = docx(paragraph * 500)  # 35 million characters in 40 MB of XML
    outcome, peak = probe(tmp_path, "docx", data)
    assert outcome == "refused: The document holds more text than can be processed."
    assert peak < 120, f"{peak:.0f} MB"


def test_entity_expansion_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "]>"
    )
    content = laughs + ODT_HEAD.split("?>", 1)[1] + "<text:p>&i;</text:p>" + ODT_TAIL
    data = zipped({"mimetype": ODT_MIME, "content.xml": content})
    with pytest.raises(DocumentError, match="damaged"):
        extract.render("odt", data, max_attachments=1)


def test_elements_nested_thousands_deep_are_refused_clearly():
    data = odt("<text:p>" + "<text:span>" * 5000 + "x" + "</text:span>" * 5000 + "</text:p>")
    with pytest.raises(DocumentError, match="nested too deeply"):
        extract.render("odt", data, max_attachments=1)


# --- archives -------------------------------------------------------------------------


def test_a_decompression_bomb_named_mimetype_is_not_read_whole(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as member:
            member.write(ODT_MIME.encode())
            zeros = bytes(MB)
            for _ in range(300):
                member.write(zeros)
        archive.writestr("content.xml", ODT_HEAD + ODT_TAIL)
    data = out.getvalue()
    assert len(data) < 2 * MB
    _, peak = probe(tmp_path, "sniff", data)
    assert peak < 25, f"{peak:.0f} MB to read a 300 MB member"


def test_an_archive_of_too_many_entries_is_refused_before_its_directory_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", DOCX_HEAD + "<w:p/>" + DOCX_TAIL)
        for number in range(20_000):
            archive.writestr(f"{number}", b"")
    with pytest.raises(DocumentError, match="declares 20001 entries"):
        extract.sniff(out.getvalue())


def test_a_member_larger_than_its_header_says_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(extract, "MAX_XML_BYTES", 10_000)
    data = odt("<text:p>" + "x" * 20_000 + "</text:p>")
    with pytest.raises(DocumentError, match="too large once decompressed"):
        extract.render("odt", data, max_attachments=1)


# --- images ---------------------------------------------------------------------------


def png(width: int, height: int, *, dpi: int) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    rows = (b"\x00" + bytes(width)) * 500
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(rows) for _ in range(height // 500)) + packer.flush()
    per_metre = int(dpi / 0.0254) + 1
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def test_a_png_of_400_million_pixels_is_refused_before_decoding(tmp_path):
    # At a declared 4,800 dpi the frame measures 300 points: a size check in points
    # lets it through; only the header's pixel count stops it.
    data = png(20_000, 20_000, dpi=4800)
    assert len(data) < MB
    outcome, peak = probe(tmp_path, "image", data)
    assert outcome.startswith("refused: Image frame 1 is 20000 × 20000 pixels"), outcome
    assert peak < 25, f"{peak:.0f} MB"


def test_a_jpeg_header_of_absurd_size_is_refused():
    jfif = (
        b"\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x01"
        + struct.pack(">HH", 4800, 4800)
        + b"\x00\x00"
    )
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 60_000, 60_000, 1) + b"\x01\x11\x00"
    data = b"\xff\xd8" + jfif + sof + b"\xff\xda" + bytes(1000) + b"\xff\xd9"
    with pytest.raises(DocumentError, match="60000 × 60000 pixels"):
        extract.render("image", data, max_attachments=1)


def tiff(frames: list[tuple[int, int]]) -> bytes:
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for index, (width, height) in enumerate(frames):
        following = len(out) + 2 + 2 * 12 + 4 if index + 1 < len(frames) else 0
        out += struct.pack("<H", 2)
        out += struct.pack("<HHII", 256, 4, 1, width) + struct.pack("<HHII", 257, 4, 1, height)
        out += struct.pack("<I", following)
    return bytes(out)


def test_tiff_frames_are_measured_from_their_directories():
    with pytest.raises(DocumentError, match="Image frame 2 is 30000 × 30000 pixels"):
        extract.render("image", tiff([(100, 100), (30_000, 30_000)]), max_attachments=1)
    with pytest.raises(DocumentError, match="more than 3 frames"):
        extract.render("image", tiff([(10, 10)] * 5), max_attachments=1, max_pages=3)


def test_a_pdf_page_holding_a_gigapixel_image_is_refused_before_rendering():
    image = zlib.compress(bytes(100_000))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 40000 /Height 40000 /ColorSpace "
        b"/DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length "
        + str(len(image)).encode()
        + b" >>\nstream\n"
        + image
        + b"\nendstream",
        b"<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    with pytest.raises(DocumentError, match="image of 40000 × 40000 pixels"):
        extract.open_pdf(bytes(out), max_pages=10, max_side=14400)


# --- text, HTML, e-mail ---------------------------------------------------------------


def test_a_large_text_file_is_refused_without_decoding_it_whole(tmp_path):
    data = "🎥 caméra\n".encode() + b"surveillance " * 2_500_000  # 32 MB
    outcome, peak = probe(tmp_path, "text", data)
    assert outcome == "refused: The document holds more text than can be processed."
    assert peak < 40, f"{peak:.0f} MB for {len(data) / MB:.0f} MB of text"


def test_a_text_of_blank_lines_stops_at_the_page_limit():
    data = b"ligne\n" * 20_000
    with pytest.raises(DocumentError, match="more than 50 pages"):
        extract.render("text", data, max_attachments=1, max_pages=50)


def test_html_larger_than_the_markup_limit_is_refused_not_cut(monkeypatch):
    monkeypatch.setattr(extract, "MAX_XML_BYTES", 100_000)
    data = b"<html><body>" + b"<p>Conseil municipal</p>" * 10_000 + b"</body></html>"
    with pytest.raises(DocumentError, match="of markup"):
        extract.render("html", data, max_attachments=1)


def test_html_text_beyond_the_limit_is_refused_while_parsing(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 10_000)
    data = b"<html><body>" + b"<p>Conseil municipal</p>" * 1_000 + b"</body></html>"
    with pytest.raises(DocumentError, match="more text than can be processed"):
        extract.render("html", data, max_attachments=1)


def test_an_email_of_thousands_of_nested_parts_is_refused_clearly():
    body = "Texte du message."
    for boundary in range(1, 3001):
        body = (
            f'Content-Type: multipart/mixed; boundary="b{boundary}"\n\n'
            f"--b{boundary}\n{body}\n--b{boundary}--\n"
        )
    head = "From: mairie@example.fr\nTo: a@example.org\nSubject: x\n"
    data = head + "Date: Tue, 12 Mar 2019 10:00:00 +0100\n" + body
    with pytest.raises(DocumentError, match="nested too deeply"):
        extract.render("email", data.encode(), max_attachments=100)


# --- nested e-mails (the pipeline) ----------------------------------------------------


def nested_emails(levels: int) -> bytes:
    """An e-mail forwarding an e-mail forwarding ... `levels` deep (each forwarded as
    itself, message/rfc822, so the file grows by a few hundred bytes a level), the
    innermost with a PDF."""
    from tests.documents import samples

    message = email.message_from_bytes(
        samples.eml("Niveau 0 : la délibération jointe.", samples.text_pdf(["x" * 40])),
        policy=email.policy.default,
    )
    for level in range(1, levels):
        outer = EmailMessage()
        outer["From"] = "collectif@example.org"
        outer["To"] = "archives@example.org"
        outer["Subject"] = f"Transfert niveau {level}"
        outer["Date"] = "Tue, 12 Mar 2019 10:00:00 +0100"
        outer.set_content(f"Niveau {level}.")
        outer.add_attachment(message)
        message = outer
    return message.as_bytes()


@pytest.mark.django_db
def test_nested_emails_are_expanded_only_so_deep_and_say_why(settings):
    from contrechamp.documents.models import Document
    from contrechamp.documents.services import document_ingest, document_process

    settings.DOCUMENT_MAX_DEPTH = 3
    top = document_ingest(data=nested_emails(50), filename="transfert.eml").document
    for _ in range(60):  # as the worker would: every queued document, until none is left
        queued = Document.objects.filter(status="queued").first()
        if queued is None:
            break
        document_process(document=queued)
    chain = [top]
    while (child := Document.objects.filter(parent=chain[-1]).first()) is not None:
        chain.append(child)
    assert len(chain) == 4 and Document.objects.count() == 4  # the top and 3 levels
    last = chain[-1]
    last.refresh_from_db()
    assert last.status == "done"
    step = last.steps.get(name="extract")
    assert step.output["attachments"] == []
    assert "3" in step.output["attachments_withheld"]
    page = last.pages.get(number=1).text
    assert "Pièces jointes non extraites" in page and "message.eml" in page
    assert set(Document.objects.values_list("status", flat=True)) == {"done"}


def test_a_zip64_record_declaring_millions_of_entries_is_refused_before_zipfile_reads_it():
    # The classic end record declares 1 entry (under the limits); `zipfile` trusts the
    # ZIP64 record, which declared 3,000,000 and made it build as many objects (2 GB,
    # 20 s for a 159 MB file) before this check read that record too.
    entries = 3_000_000
    zip64_end = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, 46 * entries, 4
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, 4, 1)
    classic_end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, 46, 4, 0)
    data = b"PK\x03\x04" + zip64_end + locator + classic_end
    with pytest.raises(DocumentError) as refused:
        extract.sniff(data)
    assert refused.value.key == "archive_entries"
    assert "3000000 entries" in str(refused.value)
