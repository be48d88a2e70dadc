"""The upload pipeline fed with generated files: samples of every kind the library takes
(PDF, e-mail, images, office files, a zip that inflates a hundredfold), truncated,
with bytes flipped, inserted or overwritten, under right or wrong extensions. Each ends
processed or failed with its reason, or is refused at upload with its reason; none
raises out of the worker's code nor stays queued or processing."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contrechamp.documents.models import Document
from contrechamp.documents.services import DocumentRejected
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_UPLOAD_EXAMPLES", "12"))


def _zip_bomb_docx() -> bytes:
    """A .docx of 2 kB whose text inflates to 2 MB: within the limits, and costly if the
    extractor read it carelessly."""
    base = samples.docx(["Délibération"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"D\xc3\xa9lib\xc3\xa9ration", b"cam\xc3\xa9ra " * 250_000)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


PDF = samples.text_pdf(["Vidéoprotection : 12 caméras au marché.", "Montant : 45 000 euros."])
BASES = {
    "pdf": PDF,
    "eml": samples.eml("Veuillez trouver la délibération.", PDF),
    "png": samples.png("Caméras"),
    "jpeg": samples.jpeg("Caméras"),
    "docx": samples.docx(["Le conseil approuve la vidéoprotection."]),
    "odt": samples.odt(["Le conseil approuve la vidéoprotection."]),
    "bomb": _zip_bomb_docx(),
}
EXTENSIONS = [".pdf", ".eml", ".png", ".jpg", ".docx", ".odt", ".txt", ".exe", ""]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(BASES)))
    data = bytearray(BASES[kind])
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["truncate", "flip", "insert", "overwrite"]))
        if how == "truncate":
            data = data[:at]
        elif how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            chunk = draw(st.binary(min_size=1, max_size=256))
            data[at : at + len(chunk)] = chunk
    if not data:
        data = bytearray(b"\x00")
    name = f"{kind}{draw(st.sampled_from(EXTENSIONS))}"
    return name, bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(mutated())
def test_every_generated_file_ends_processed_or_failed_with_its_reason(upload):
    filename, data = upload
    try:
        document = add(data, filename)
    except DocumentRejected as refused:
        # Refused at once, with its reason, when its first bytes are of no type the
        # library reads (a program, a mangled head): nothing kept.
        assert str(refused).strip(), filename
        assert not Document.objects.filter(filename=filename).exists()
        return
    for each in [document, *Document.objects.filter(parent=document)]:
        each.refresh_from_db()
        assert each.status in ("done", "failed"), (filename, each.status, each.error)
        if each.status == "failed":
            assert each.error.strip(), filename
