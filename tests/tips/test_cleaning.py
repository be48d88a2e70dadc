"""Metadata planted in files sent with a tip is gone from what the storage holds, read
straight from it; the content stays; a file that cannot be cleaned is never stored."""

import pymupdf
import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from contrechamp.documents import files
from contrechamp.documents.models import Document
from contrechamp.tips.models import Tip
from tests.tips import samples
from tests.tips.helpers import process_all, send

PDF = "application/pdf"


def stored_files() -> list[str]:
    found = []

    def walk(folder: str) -> None:
        folders, names = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in names)
        for sub in folders:
            walk(f"{folder}/{sub}")

    if default_storage.exists("documents"):
        walk("documents")
    return found


CASES = [
    ("photo.jpg", samples.jpeg_with_gps_and_xmp, "image/jpeg", "image"),
    ("capture.png", samples.png_with_text, "image/png", "image"),
    ("contrat.pdf", samples.pdf_with_metadata, PDF, "pdf"),
    ("note.docx", samples.docx_with_creator, "application/octet-stream", "docx"),
    ("compte-rendu.odt", samples.odt_with_author, "application/octet-stream", "odt"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,build,mime,kind", CASES, ids=[c[0] for c in CASES])
def test_it_stores_files_without_the_metadata_they_arrived_with(client, name, build, mime, kind):
    data = build()
    assert samples.leaks(data), "the sample must carry the planted values"
    response, code = send(client, files=[(name, data, mime)])
    assert response.status_code == 200 and code
    tip = Tip.objects.get()
    (document,) = tip.documents.all()
    stored = files.original(document)
    assert samples.leaks(stored) == []
    # Every byte written anywhere in the storage, not only the original.
    for path in stored_files():
        with default_storage.open(path, "rb") as handle:
            assert samples.leaks(handle.read()) == [], path
    # The sender's file name goes too.
    assert name.split(".")[0] not in document.filename + document.title
    process_all()
    document.refresh_from_db()
    assert document.status == "done", document.error
    assert document.kind == kind
    assert document.origin == "tip" and not document.is_public and document.uploaded_by is None


@pytest.mark.django_db
def test_the_text_of_a_cleaned_pdf_and_docx_is_kept(client):
    send(
        client,
        files=[
            ("a.pdf", samples.pdf_with_metadata(), PDF),
            ("b.docx", samples.docx_with_creator(), "application/octet-stream"),
        ],
    )
    process_all()
    texts = {d.kind: " ".join(p.text for p in d.pages.all()) for d in Document.objects.all()}
    assert "videosurveillance algorithmique" in texts["pdf"]
    assert "cameras intelligentes" in texts["docx"]
    # Text, not a picture of it: no OCR was needed.
    pdf = Document.objects.get(kind="pdf")
    assert pdf.pages.get().method == "text"


@pytest.mark.django_db
def test_a_pdf_whose_metadata_came_in_an_incremental_update_is_rewritten_whole(client):
    data = samples.pdf_with_incremental_metadata()
    assert data.count(b"%%EOF") == 2
    send(client, files=[("maj.pdf", data, PDF)])
    stored = files.original(Document.objects.get())
    assert samples.leaks(stored) == []
    assert stored.count(b"%%EOF") == 1


@pytest.mark.django_db
def test_a_jpeg_photo_inside_a_pdf_loses_its_exif(client):
    pdf = pymupdf.open()
    pdf.new_page().insert_image(
        pymupdf.Rect(0, 0, 200, 200), stream=samples.jpeg_with_gps_and_xmp()
    )
    data = pdf.tobytes()
    assert samples.leaks(data)
    send(client, files=[("scan.pdf", data, PDF)])
    assert samples.leaks(files.original(Document.objects.get())) == []


@pytest.mark.django_db
def test_the_author_of_a_pdf_comment_is_removed(client):
    pdf = pymupdf.open(stream=samples.pdf_with_metadata())
    note = pdf[0].add_text_annot((100, 100), "voir page 2")
    note.set_info(title="Jean SECRET")
    note.update()
    send(client, files=[("commente.pdf", pdf.tobytes(), PDF)])
    assert samples.leaks(files.original(Document.objects.get())) == []


@pytest.mark.django_db
def test_a_file_is_cleaned_as_what_it_is_not_as_what_its_name_claims(client):
    # A PDF with an author, sent as a JPEG photo: cleaned as the PDF it is.
    response, code = send(
        client, files=[("vacances.jpg", samples.pdf_with_metadata(), "image/jpeg")]
    )
    assert code
    document = Document.objects.get()
    stored = files.original(document)
    assert stored.startswith(b"%PDF") and samples.leaks(stored) == []
    # A JPEG with GPS sent as a PDF: cleaned as the JPEG it is.
    send(client, files=[("rapport.pdf", samples.jpeg_with_gps_and_xmp(), PDF)])
    other = Document.objects.exclude(id=document.id).get()
    assert samples.leaks(files.original(other)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,data",
    [
        ("page.pdf", b"<html><head><meta name='author' content='Jean SECRET'></head>x</html>"),
        ("mail.pdf", b"From: Jean SECRET <j@example.org>\nTo: a@b.fr\nSubject: x\nDate: y\n\nhi"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"Jean SECRET" * 50),
        ("tableur.xlsx", b"PK\x03\x04" + b"\0" * 60),
        ("vieux.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Jean SECRET" * 20),
    ],
    ids=["html", "email", "broken-jpeg", "broken-zip", "old-word"],
)
@pytest.mark.usefixtures("english")
def test_a_file_that_cannot_be_cleaned_is_refused_and_nothing_is_stored(client, name, data):
    with translation.override("en"):
        response, code = send(
            client,
            files=[
                ("ok.png", samples.png_with_text(), "image/png"),
                (name, data, "application/octet-stream"),
            ],
        )
    assert response.status_code == 400 and code is None
    assert "File 2:" in response.content.decode()
    assert "not kept" in response.content.decode() or "cannot be sent" in response.content.decode()
    # Neither the tip nor its other, cleanable, file.
    assert not Tip.objects.exists() and not Document.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_an_empty_file_is_named_by_its_number_and_nothing_is_stored(client):
    # It got Django's "The submitted file is empty." without saying which file.
    with translation.override("en"):
        response, code = send(
            client,
            files=[
                ("ok.png", samples.png_with_text(), "image/png"),
                ("vide.pdf", b"", "application/pdf"),
            ],
        )
    page = response.content.decode()
    assert response.status_code == 400 and code is None
    assert "File 2: The submitted file is empty." in page and "vide.pdf" not in page
    assert not Tip.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_a_file_past_the_size_limit_is_refused_while_it_streams(client, settings):
    settings.DOCUMENT_MAX_BYTES = 50_000
    big = samples.pdf_with_metadata() + b"%" + b"0" * 60_000
    with translation.override("en"):
        response, code = send(client, files=[("gros.pdf", big, PDF)])
    assert response.status_code == 413 and code is None
    assert "limit" in response.content.decode()
    assert not Tip.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_a_body_past_the_upload_limit_is_refused_before_it_is_read(client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    response, code = send(client, files=[("gros.pdf", b"%PDF-1.4\n" + b"0" * 20_000, PDF)])
    assert response.status_code == 413 and code is None
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_without_its_cleaner_a_file_is_refused_not_stored_as_it_came(client, monkeypatch):
    monkeypatch.setattr("contrechamp.tips.clean.shutil.which", lambda name: None)
    response, code = send(
        client, files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")]
    )
    assert response.status_code == 400 and code is None
    assert not Tip.objects.exists() and stored_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,build,mime",
    [
        ("photo.jpg", samples.jpeg_with_gps_and_xmp, "image/jpeg"),
        ("capture.png", samples.png_with_text, "image/png"),
        ("contrat.pdf", samples.pdf_with_metadata, PDF),
    ],
    ids=["jpeg", "png", "pdf"],
)
def test_bytes_hidden_after_the_end_of_a_file_are_not_kept(client, name, build, mime):
    # A ZIP, a note or a second image appended after the end marker: readers ignore it,
    # a copy of the bytes would keep it.
    data = build() + b"PK\x03\x04 Jean SECRET appended"
    send(client, files=[(name, data, mime)])
    assert samples.leaks(files.original(Document.objects.get())) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_files_title_does_not_say_the_senders_language(client, language):
    """A walk: a tip sent from an English browser titled its file "Tip 1, file 1" among
    the French titles of the reviewers' queue, which told them the anonymous sender's
    language. The title is made in the site's first language, whoever sent it."""
    response, code = send(
        client,
        files=[("note.png", samples.png_with_text(), "image/png")],
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200 and code
    (document,) = Tip.objects.get().documents.all()
    assert document.title.startswith("Signalement ") and "Tip" not in document.title
