"""Why a file failed, in the reader's language: the pipeline stores the reason in English
(the command line, the API and the logs read it so), and the pages put it back into
French, details included."""

import copy
import io
import pickle
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from contrechamp.documents import reasons
from contrechamp.documents.extract import DocumentError
from contrechamp.documents.models import Step
from tests.documents import samples
from tests.documents.conftest import add

ROOT = Path(__file__).resolve().parents[2]
_RAISED = re.compile(
    r"\b(?:DocumentError|OcrError|DocumentRejected|Reasoned|reasons\.reason)\(\s*\"(\w+)\""
)


def _sample(template: str) -> dict[str, str]:
    # A detail as a library writes it, with markup a page must not run.
    return {name: f"<b>{name}</b> 7" for name in re.findall(r"%\((\w+)\)s", template)}


def test_every_reason_raised_is_known_and_every_known_reason_is_raised():
    raised = set()
    for path in (ROOT / "contrechamp").rglob("*.py"):
        raised |= set(_RAISED.findall(path.read_text()))
    assert raised - set(reasons.REASONS) == set()
    assert set(reasons.REASONS) - raised == set()


@pytest.mark.parametrize("key", sorted(reasons.REASONS))
def test_each_stored_reason_reads_back_in_french_with_its_details(key):
    params = _sample(reasons.REASONS[key])
    stored = reasons.reason(key, **params)
    with translation.override("fr"):
        french = reasons.translated(stored)
    with translation.override("en"):
        english = reasons.translated(stored)
    assert english == stored
    assert french != stored, f"{key} has no French translation"
    for value in params.values():
        assert value in french
    # Read back to the one template it came from, not to a shorter or longer twin.
    with translation.override("fr"):
        assert french == translation.gettext(reasons.REASONS[key]) % params


def test_a_reason_of_no_known_template_is_shown_as_it_is():
    with translation.override("fr"):
        assert reasons.translated("Le fichier est bizarre.") == "Le fichier est bizarre."
        assert reasons.translated("") == ""
        # A template's text with more around it is not that template.
        assert reasons.translated("Note: The file is empty.") == "Note: The file is empty."


def test_a_step_named_in_a_reason_is_named_for_the_reader():
    stored = reasons.reason("stopped", attempts=3, step="extract")
    with translation.override("fr"):
        text = reasons.translated(stored, steps=Step.LABELS)
    assert text == (
        "Le traitement s’est arrêté 3 fois pendant l’étape « extraction du texte » ; "
        "le fichier est mis de côté."
    )


@pytest.mark.parametrize(
    "data, english, french",
    [
        # (An empty file is refused before anything is stored: `test_ingest`.)
        (
            b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage \x00\x01",
            "The PDF has no readable page",
            "Le PDF n’a aucune page lisible",
        ),
        (
            samples.encrypted_pdf(),
            "The PDF is protected by a password",
            "Le PDF est protégé par un mot de passe ; demandez à l’expéditeur",
        ),
        (
            samples.page_size_bomb(),
            "outside the accepted sizes",
            "hors des tailles acceptées",
        ),
    ],
    ids=["no-page", "password", "page-size"],
)
def test_a_failed_document_page_says_why_in_french(data, english, french, reviewer, client):
    document = add(data, "refusé.pdf")
    assert document.status == "failed" and english in document.error  # stored in English
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert french in page and english not in page
    # The step's row says it too.
    assert page.count(french) == 2


def test_a_failed_document_page_says_why_in_english_for_an_english_reader(
    english, reviewer, client
):
    document = add(samples.encrypted_pdf(), "refusé.pdf")
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "The PDF is protected by a password" in page and "mot de passe" not in page


def test_a_library_message_inside_a_reason_is_not_run_as_markup(reviewer, client):
    document = add(b"x", "vide.txt")
    crafted = DocumentError("pdf_damaged", error='<script>alert("x")</script>')
    document.error, document.error_detail = str(crafted), crafted.detail
    document.save(update_fields=["error", "error_detail"])
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Le PDF ne peut pas être lu : il est endommagé (" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_stored_reason_is_written_from_its_key_not_read_back_from_its_english():
    # A library's message that looks like another template ("… of the PDF is damaged (")
    # misled the read-back; the key kept with the row says which reason it is.
    error = DocumentError("page_unreadable", page=3, error="object 12 of the PDF is damaged (bad")
    with translation.override("fr"):
        text = reasons.translated(str(error), error.detail)
    assert text == "La page 3 ne peut pas être lue (object 12 of the PDF is damaged (bad)."


def test_reading_a_crafted_reason_back_takes_no_time():
    # Lazy fields and a full match backtracked for minutes on a stored text full of a
    # template's separators (476 s for 24 kB): a long text is not read back.
    unit = "1 measures 1 × 1 points, outside the accepted sizes (up to 1"
    for repeat in (9, 100, 400):
        stored = "Page " + unit * repeat + ")"
        began = time.perf_counter()
        with translation.override("fr"):
            reasons.translated(stored)
        assert time.perf_counter() - began < 0.5, len(stored)


def test_numbers_in_a_reason_are_written_as_the_language_writes_them():
    error = DocumentError("pdf_too_many_pages", pages=70000, limit=5000)
    with translation.override("fr"):
        assert error.translated().startswith(
            "Le PDF annonce 70\xa0000 pages, plus que la limite de 5000 ;"
        )
    with translation.override("en"):
        assert error.translated().startswith("The PDF claims 70,000 pages")
    assert "70000 pages" in str(error)  # the English text the command line shows


def test_a_reason_survives_a_copy_and_a_pickle():
    error = DocumentError("pdf_page_damaged", page=2, error="xref")
    for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert type(again) is DocumentError and again.detail == error.detail
        assert str(again) == str(error)


def test_the_failed_step_and_document_keep_the_key_and_the_details(db):
    document = add(samples.page_size_bomb(), "grand.pdf")
    assert document.error_detail["key"] == "pdf_page_size"
    step = document.steps.get(status="failed")
    assert step.error_detail == document.error_detail and step.error == document.error
    # Processed again successfully, nothing of the failure stays.
    from contrechamp.documents.services import document_reprocess

    document_reprocess(document=document)
    document.refresh_from_db()
    assert document.error == "" and document.error_detail == {}


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, key",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old_office"),  # .doc .xls .msg
        (b"{\\rtf1\\ansi Bonjour}", "rtf"),
        (_zip_of({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), "spreadsheet"),
        (_zip_of({"ppt/presentation.xml": b"<p/>"}), "spreadsheet"),
        (
            _zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "spreadsheet",
        ),
        (_zip_of({"photo.jpg": b"\xff\xd8\xff"}), "other_archive"),
    ],
    ids=["ole2", "rtf", "xlsx", "pptx", "ods", "zip"],
)
def test_each_office_file_the_library_cannot_read_is_named_for_what_it_is(data, key):
    # A spreadsheet was told to "send the files the archive contains one by one", an
    # Outlook message that old Word files are not handled.
    from contrechamp.documents import extract

    with pytest.raises(DocumentError) as refused:
        extract.sniff(data)
    assert refused.value.key == key


def test_binary_content_without_a_zero_byte_is_not_taken_for_text():
    # It decoded as Latin-1 and showed as two pages of garbage (a new user's walk).
    import random

    from contrechamp.documents import extract

    generator = random.Random(44)
    for _ in range(20):
        data = bytes(generator.randrange(1, 256) for _ in range(3000))
        with pytest.raises(DocumentError) as refused:
            extract.sniff(data)
        assert refused.value.key == "unknown_binary"
    # Text in any of the encodings administrations use, form feeds included, is text.
    line = "Délibération du conseil — caméras « œuvre » été 2024.\r\n\x0c"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        assert extract.sniff(line.encode(encoding, "replace") * 30).kind == "text"


def test_a_failed_documents_steps_read_in_french_and_those_after_the_failure_did_not_run(
    reviewer, client
):
    document = add(samples.encrypted_pdf(), "protégé.pdf")
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    steps = page[page.rindex("<tbody>") :]  # the steps' table, the page's last
    # The file type's output named for the reader, not "kind: pdf · mime: …".
    assert "type : pdf" in steps and "type MIME : application/pdf" in steps
    assert "kind:" not in steps and "mime:" not in steps
    # The steps after the failed one say they did not run, not "pending" for ever.
    assert steps.count("non exécutée") == 3 and "en attente" not in steps
    # Nothing to redact in a file that could not be read: no promise, no redaction link.
    assert "Non publié : le fichier n’a pas pu être lu." in page
    assert "awaiting-publication" not in page and "/caviardage/" not in page
