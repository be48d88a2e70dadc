"""Publication writes a file with nothing personal left in it, and the gate refuses each
classic redaction failure, built here on purpose."""

import re

import pymupdf
import pypdfium2
import pytest

from contrechamp.documents import files
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    gate,
    redacted_pdf,
    redactions_accept_all,
    redactions_suggest,
)
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

LETTER = (
    "Affaire suivie par : Mme Claire Dubois\n"
    "Courriel : claire.dubois@mairie-exemple.fr, téléphone 04 77 12 34 56.\n"
    "La commune confirme l'installation de capteurs sonores dans le quartier de la gare."
)


@pytest.fixture
def letter():
    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    return document


def _text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        first = " ".join(page.get_text() for page in pdf)
    second = " ".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(data))
    return first + "\n" + second


def test_suggestions_have_boxes_on_the_page(letter):
    kinds = dict(Redaction.objects.filter(page__document=letter).values_list("text", "kind"))
    assert kinds == {
        "Claire Dubois": "person",
        "claire.dubois@mairie-exemple.fr": "email",
        "04 77 12 34 56": "phone",
    }
    for redaction in Redaction.objects.filter(page__document=letter):
        ((x0, y0, x1, y1),) = redaction.rects
        assert 0 < x0 < x1 < 595 and 0 < y0 < y1 < 842
        assert y1 - y0 < 20  # a line, not the font's full glyph height


def test_the_published_file_keeps_the_rest_and_nothing_personal(letter):
    publication = document_publish(document=letter)
    assert publication.accepted, publication.reasons
    data = files.read(files.derived_path(letter, "published.pdf"))
    text = _text(data)
    for secret in ("Claire", "Dubois", "claire.dubois", "04 77 12 34 56"):
        assert secret not in text
    assert "capteurs sonores" in text and "Affaire suivie par" in text
    assert data.count(b"%%EOF") == 1
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        assert not any(v for k, v in pdf.metadata.items() if k not in ("format", "encryption"))
    assert files.original(letter).startswith(b"%PDF")  # the original is untouched


def _original_with(change) -> bytes:
    def build(document):
        pdf = pymupdf.open(stream=files.rendition(document), filetype="pdf")
        change(pdf, document)
        return pdf.tobytes()

    return build


def _boxes(document):
    return [
        pymupdf.Rect(*rect)
        for r in Redaction.objects.filter(page__document=document, status="accepted")
        for rect in r.rects
    ]


def test_a_black_box_over_text_that_is_still_there_is_refused(letter):
    pdf = pymupdf.open(stream=files.rendition(letter), filetype="pdf")
    for box in _boxes(letter):
        pdf[0].draw_rect(box, color=(0, 0, 0), fill=(0, 0, 0))
    report = gate(letter, pdf.tobytes())
    assert not report.accepted
    assert "can still be extracted" in report.reasons[0]


def test_a_redaction_annotation_never_applied_is_refused(letter):
    pdf = pymupdf.open(stream=files.rendition(letter), filetype="pdf")
    for box in _boxes(letter):
        pdf[0].add_redact_annot(box, fill=(0, 0, 0))
    report = gate(letter, pdf.tobytes())
    assert any("can still be extracted" in r for r in report.reasons)
    assert any("Annotations" in r for r in report.reasons)


def test_an_incremental_save_that_keeps_the_earlier_revision_is_refused(letter, tmp_path):
    path = tmp_path / "incremental.pdf"
    path.write_bytes(files.rendition(letter))
    pdf = pymupdf.open(path)
    for box in _boxes(letter):
        pdf[0].add_redact_annot(box)
    pdf[0].apply_redactions()
    pdf.saveIncr()
    pdf.close()
    report = gate(letter, path.read_bytes())
    assert any("revisions" in r for r in report.reasons)


def test_metadata_and_embedded_files_left_in_are_refused(letter):
    good = redacted_pdf(letter)
    pdf = pymupdf.open(stream=good, filetype="pdf")
    pdf.set_metadata({"author": "Claire Dubois", "title": "Plainte"})
    pdf.embfile_add("plainte.txt", b"Claire Dubois, 04 77 12 34 56")
    report = gate(letter, pdf.tobytes())
    assert any("Metadata remains" in r and "author" in r for r in report.reasons)
    assert any("embedded files" in r for r in report.reasons)


def test_javascript_left_in_is_refused(letter):
    pdf = pymupdf.open(stream=redacted_pdf(letter), filetype="pdf")
    catalog = pdf.pdf_catalog()
    script = pdf.get_new_xref()
    pdf.update_object(script, "<< /S /JavaScript /JS (app.alert(1)) >>")
    pdf.xref_set_key(catalog, "OpenAction", f"{script} 0 R")
    report = gate(letter, pdf.tobytes())
    assert any("JavaScript" in r for r in report.reasons)


def test_redacting_whole_lines_instead_of_words_is_refused_as_over_redaction(letter):
    pdf = pymupdf.open(stream=files.rendition(letter), filetype="pdf")
    page = pdf[0]
    for box in _boxes(letter):
        page.add_redact_annot(pymupdf.Rect(0, box.y0 - 2, page.rect.width, box.y1 + 2))
    page.apply_redactions()
    report = gate(letter, pdf.tobytes())
    assert any("outside its boxes" in r for r in report.reasons)
    assert report.checks["lost_words"][1]


def test_a_refused_publication_writes_no_file(letter, monkeypatch):
    from contrechamp.redaction import services

    monkeypatch.setattr(services, "redacted_pdf", lambda document: files.rendition(document))
    publication = document_publish(document=letter)
    assert not publication.accepted and publication.reasons
    assert not files.exists(files.derived_path(letter, "published.pdf"))


def test_a_scanned_page_keeps_a_searchable_layer_without_the_redacted_words(tesseract):
    scan = samples.scanned_pdf(
        ["Courrier de Mme Claire Dubois\nJoignable au 04 77 12 34 56\nau sujet des caméras."]
    )
    document = add(scan, "scan.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    text = _text(files.read(files.derived_path(document, "published.pdf")))
    assert "caméras" in text or "cameras" in text
    assert "Dubois" not in text and "04 77" not in text
    # Read back as lines, not one word per line (a new user's walk: a published scan
    # showed "Préfecture / des / Bouches-du-Rhône" down the page).
    document.refresh_from_db()
    published = document.pages.get().published_text
    assert re.search(r"au sujet des cam[ée]ras", published), published
    # What was redacted is marked where it was (the gaps read as nothing was there).
    assert re.search(r"Courrier de Mme \[X\]\s*$", published, re.M), published
    assert re.search(r"Joignable au \[X\]\s*$", published, re.M), published


def test_the_commands_redact_publish_and_get_the_published_file(tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    output = tmp_path / "public.pdf"
    with pytest.raises(CommandError, match="no published copy"):
        call_command("documents", "get", str(document.id), "--published", "--output", str(output))
    out = StringIO()
    call_command("redaction", "redact", str(document.id), "--auto", "--json", stdout=out)
    redacted = json.loads(out.getvalue())
    assert redacted["suggested"] == redacted["accepted"] == 3
    out = StringIO()
    call_command("redaction", "publish", str(document.id), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["published"] and result["reasons"] == []
    call_command(
        "documents",
        "get",
        str(document.id),
        "--published",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    assert "claire.dubois" not in _text(output.read_bytes())


def test_the_publish_command_says_why_it_refuses(letter, monkeypatch):
    import json
    from io import StringIO

    from django.core.management import call_command

    from contrechamp.redaction import services

    monkeypatch.setattr(services, "redacted_pdf", lambda document: files.rendition(document))
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("redaction", "publish", str(letter.id), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert not result["published"] and "can still be extracted" in result["reasons"][0]


def test_the_published_text_marks_what_was_redacted_where_it_was(letter, client):
    """The published text read "Affaire suivie par : Mme , Courriel : , téléphone ." with
    no sign that anything was taken out (a new user's walk): each redaction is now
    marked "[X]", the mark the public quotes already use, in the page, the API and the
    search; the names stay out everywhere."""
    publication = document_publish(document=letter)
    assert publication.accepted, publication.reasons
    published = letter.pages.get().published_text
    assert re.search(r"suivie par : Mme \[X\]", published), published
    assert re.search(r"Courriel : \[X\]", published), published
    assert re.search(r"téléphone \[X\]", published), published
    assert "capteurs sonores dans le quartier de la gare" in published
    for leaked in ("Dubois", "claire.dubois", "04 77"):
        assert leaked not in published
    api = client.get(f"/api/v1/documents/{letter.id}/pages/1").json()
    assert "[X]" in str(api) and "Dubois" not in str(api)
    # The published file itself is unchanged: a black box, no mark in its text layer.
    assert "[X]" not in _text(files.read(files.derived_path(letter, "published.pdf")))


def test_a_photo_s_exif_is_not_published_whatever_filters_wrap_it():
    """A photo whose JPEG is stored under [/FlateDecode /DCTDecode] (a JPEG compressed
    once more) loses its EXIF, GPS position, XMP and comment in the published copy, as
    one under /DCTDecode alone does (hostile review 56)."""
    import zlib

    from tests.tips import samples as tip_samples

    pdf = pymupdf.open(stream=samples.text_pdf([LETTER]), filetype="pdf")
    xref = pdf[0].insert_image(
        pymupdf.Rect(72, 500, 272, 700), stream=tip_samples.jpeg_with_gps_and_xmp()
    )
    pdf.update_stream(xref, zlib.compress(pdf.xref_stream_raw(xref)), compress=False)
    pdf.xref_set_key(xref, "Filter", "[/FlateDecode /DCTDecode]")
    document = add(pdf.tobytes(), "courrier-photo.pdf")
    with pymupdf.open(stream=redacted_pdf(document), filetype="pdf") as published:
        pictures = [
            published.xref_stream_raw(x)
            for x in range(1, published.xref_length())
            if published.xref_get_key(x, "Subtype")[1] == "/Image"
        ]
        assert pictures and all(p[:2] == b"\xff\xd8" for p in pictures)
        assert not [v for v in tip_samples.SECRET_VALUES for p in pictures if v in p]
