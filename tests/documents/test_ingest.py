"""Every format the library takes, the files it refuses, and processing that survives a
killed worker."""

import json
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from contrechamp.documents import files, services
from contrechamp.documents.management.commands import documents as documents_command
from contrechamp.documents.models import Document, Page, Step
from contrechamp.documents.services import DocumentRejected, document_ingest, document_process
from contrechamp.places.models import Commune
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

MINUTES = "Délibération du conseil municipal de Saint-Étienne : vidéoprotection du centre-ville."


def test_it_reads_a_pdf_with_text_page_by_page():
    document = add(samples.text_pdf([MINUTES, "Deuxième page : caméras piétons."]), "d.pdf")
    assert (document.status, document.kind, document.page_count) == ("done", "pdf", 2)
    pages = list(document.pages.order_by("number"))
    assert "Saint-Étienne" in pages[0].text and pages[0].method == "text"
    assert "caméras piétons" in pages[1].text
    assert [s.name for s in document.steps.order_by("id")] == Step.NAMES
    assert all(s.status == "done" and s.duration_ms is not None for s in document.steps.all())


def test_it_stores_the_same_content_once():
    data = samples.text_pdf([MINUTES])
    first = document_ingest(data=data, filename="a.pdf")
    second = document_ingest(
        data=data, filename="copie.pdf", places=[Commune.objects.get(code="42218")]
    )
    assert first.created and not second.created
    assert first.document.id == second.document.id
    assert Document.objects.count() == 1
    assert list(second.document.places.values_list("code", flat=True)) == ["42218"]


def test_it_ocrs_a_scanned_pdf_in_french(tesseract):
    document = add(samples.scanned_pdf([samples.SCAN_TEXT]), "scan.pdf")
    page = document.pages.get()
    assert document.status == "done", document.error
    assert page.method == "ocr" and page.ocr_confidence > 50
    assert "capteurs sonores" in page.text and "Saint-Étienne" in page.text
    # Word boxes in PDF points, inside the page.
    x0, y0, x1, y1, word, _ = page.words[0]
    assert 0 <= x0 < x1 <= 595 and 0 <= y0 < y1 <= 842 and word


def test_it_ocrs_only_the_pages_that_need_it(tesseract, monkeypatch):
    seen = []
    real = services.recognise_many

    def counting(images, **kwargs):
        images = list(images)
        seen.extend(number for number, _ in images)
        return real(iter(images), **kwargs)

    monkeypatch.setattr(services, "recognise_many", counting)
    document = add(samples.mixed_pdf(MINUTES, samples.SCAN_TEXT), "mixed.pdf")
    assert seen == [2]
    methods = dict(document.pages.values_list("number", "method"))
    assert methods == {1: "text", 2: "ocr"}
    assert "Tarentaize" in document.pages.get(number=2).text


@pytest.mark.parametrize("maker, mime", [(samples.png, "image/png"), (samples.jpeg, "image/jpeg")])
def test_it_reads_images(tesseract, maker, mime):
    document = add(maker(samples.SCAN_TEXT), "photo.bin")
    assert (document.status, document.kind, document.mime) == ("done", "image", mime)
    assert "capteurs sonores" in document.pages.get().text


def test_it_reads_every_frame_of_a_multipage_tiff(tesseract):
    document = add(samples.tiff(["Première page du courrier", "Seconde page du courrier"]), "x.tif")
    assert document.status == "done", document.error
    texts = list(document.pages.order_by("number").values_list("text", flat=True))
    assert len(texts) == 2 and "Première" in texts[0] and "Seconde" in texts[1]


def test_an_email_becomes_a_document_and_its_attachment_a_child():
    attachment = samples.text_pdf(["Annexe : marché de vidéosurveillance algorithmique."])
    document = add(samples.eml("Bonjour, voici la délibération demandée.", attachment), "m.eml")
    assert (document.kind, document.status) == ("email", "done")
    assert document.title == "Réponse à votre demande CADA"
    assert str(document.date) == "2019-03-12"
    assert "voici la délibération" in document.pages.first().text
    child = document.children.get()
    assert (child.kind, child.status, child.filename) == ("pdf", "done", "deliberation.pdf")
    assert "vidéosurveillance algorithmique" in child.pages.get().text


def test_an_empty_file_is_refused_at_once_and_nothing_is_stored():
    # It was stored, queued, then failed by the worker: a dead document in the library.
    with pytest.raises(DocumentRejected) as refused:
        document_ingest(data=b"", filename="vide.pdf")
    assert "vide.pdf is empty" in str(refused.value)
    assert not Document.objects.exists()
    # Nor blank space, nor a byte-order mark alone (found by its review: the worker
    # failed them as empty after they were stored), from a file as from bytes.
    for blank in (b"\n", b"   \n\n ", b"\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"):
        with pytest.raises(DocumentRejected):
            document_ingest(data=blank, filename="blanc.txt")
        with pytest.raises(DocumentRejected):
            document_ingest(data=SimpleUploadedFile("blanc.txt", blank), filename="blanc.txt")
    assert not Document.objects.exists()
    # A short file with a word is kept.
    assert document_ingest(data=b" \n x \n", filename="x.txt").created
    empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert not default_storage.exists(files.original_path(empty_sha256))


def test_an_empty_attachment_leaves_the_email_readable():
    email = samples.eml("Bonjour, la pièce jointe est vide.", b"", filename="vide.pdf")
    document = add(email, "m.eml")
    assert (document.kind, document.status) == ("email", "done"), document.error
    assert not document.children.exists()
    # Named on its page as empty (it went unmentioned), of no byte or of blank space.
    assert "Pièces jointes : vide.pdf (vide)" in document.pages.get().text
    for number, data in enumerate((b" \n", b"\xef\xbb\xbf")):
        email = samples.eml(f"Une autre, vide aussi ({number}).", data, filename="blanc.pdf")
        blank = add(email, f"n{number}.eml")
        assert blank.status == "done" and not blank.children.exists()
        assert "blanc.pdf (vide)" in blank.pages.get().text


@pytest.mark.parametrize(
    "data, kind",
    [
        (samples.docx(["Marché de vidéoprotection", "Titulaire : Serenicity"]), "docx"),
        (samples.odt(["Marché de vidéoprotection", "Titulaire : Serenicity"]), "odt"),
        (
            b"<!doctype html><html><head><script>alert(1)</script></head><body><h1>Marche"
            b"</h1><p>Titulaire : Serenicity</p></body></html>",
            "html",
        ),
        ("Marché de vidéoprotection.\n\nTitulaire : Serenicity".encode("cp1252"), "text"),
    ],
)
def test_it_reads_office_files_html_and_text_by_content_not_name(data, kind):
    document = add(data, "mislabelled.pdf")
    assert (document.kind, document.status) == (kind, "done"), document.error
    text = document.pages.get().text
    assert "Serenicity" in text and "alert" not in text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage \x00\x01", "no readable page"),
        (samples.encrypted_pdf(), "password"),
        (samples.page_count_bomb(), "impossible number of pages"),
        (samples.page_size_bomb(), "outside the accepted sizes"),
        (b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    ],
    ids=["corrupt", "encrypted", "page-count-bomb", "page-size-bomb", "zip"],
)
def test_bad_files_fail_with_a_reason_and_the_queue_goes_on(data, reason):
    bad = add(data, "bad.pdf")
    good = add(samples.text_pdf([MINUTES]), "good.pdf")
    assert bad.status == "failed" and reason in bad.error
    assert Step.objects.filter(document=bad, status="failed").count() == 1
    assert good.status == "done"


def test_a_file_of_no_type_the_library_reads_is_refused_at_upload(contributor_client):
    """A new user's walk: a program, an old Office file were announced "ajouté : ouvrir",
    then failed, and stayed in the library with no way to remove them."""
    for data, name in (
        (b"MZ\x90\x00" + bytes(range(256)) * 40, "programme.exe"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "ancien.doc"),
    ):
        with pytest.raises(DocumentRejected):
            document_ingest(data=data, filename=name)
        response = contributor_client.post(
            "/documents/envoi/",
            {"files": [SimpleUploadedFile(name, data)], "origin": "other"},
            HTTP_ACCEPT="application/json",
        )
        (result,) = response.json()["results"]
        assert (
            "url" not in result
            and "not handled" in result["error"]
            or ("pas pris en charge" in result["error"])
        ), result
    assert not Document.objects.exists()
    # Attached to an e-mail, the e-mail is kept and says which attachment was refused,
    # to reviewers only.
    mail = add(
        samples.eml(
            "Voici le programme.", b"MZ\x90\x00" + bytes(range(256)) * 40, filename="outil.exe"
        ),
        "courrier.eml",
    )
    assert mail.status == "done" and not Document.objects.filter(parent=mail).exists()
    step = Step.objects.get(document=mail, name="extract")
    assert "outil.exe" in step.summary and "outil.exe" not in step.public_summary


def test_too_many_pages_is_refused(settings):
    settings.DOCUMENT_MAX_PAGES = 3
    document = add(samples.text_pdf(["une page de texte ici"] * 4), "long.pdf")
    assert document.status == "failed" and "4 pages, more than the limit of 3" in document.error


def test_oversized_uploads_are_refused_before_anything_is_stored(settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DocumentRejected) as refused:
        document_ingest(data=b"x" * (3 * 512 * 1024), filename="big.txt")
    # In English for the command line; on a page, in the sender's language (the site's
    # is French), with a decimal comma.
    assert str(refused.value) == "big.txt: 1.5 MB, more than the limit of 1 MB."
    assert refused.value.translated() == "big.txt : 1,5 Mo, plus que la limite de 1 Mo."
    assert not Document.objects.exists()


def test_processing_resumes_after_the_worker_is_killed(monkeypatch):
    data = samples.text_pdf([f"Page {n} : délibération sur la vidéoprotection." for n in range(60)])
    document = document_ingest(data=data, filename="long.pdf").document

    # The worker dies after writing the first batches of pages.
    real_insert = services._insert_pages
    calls = {"n": 0}

    def dying(document, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("killed")
        return real_insert(document, rows)

    monkeypatch.setattr(services, "_insert_pages", dying)
    with pytest.raises(SystemExit):
        document_process(document=document)
    monkeypatch.undo()
    # What the dead worker left: its lease, a running step, 50 pages.
    assert Page.objects.filter(document=document).count() == 50
    assert Step.objects.get(document=document, name="extract").status == "running"
    Document.objects.filter(id=document.id).update(lease_until=None)  # lease expired

    assert services.documents_resume() >= 1
    document = document_process(document=Document.objects.get(id=document.id))
    assert document.status == "done"
    assert list(document.pages.values_list("number", flat=True)) == list(range(1, 61))
    assert Step.objects.get(document=document, name="extract").attempts == 2
    # Running it again changes nothing.
    document_process(document=document)
    assert document.pages.count() == 60


def test_a_document_held_by_another_worker_is_left_alone():
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="a.pdf").document
    from django.utils import timezone

    Document.objects.filter(id=document.id).update(
        lease_until=timezone.now() + services.lease(), status="processing"
    )
    assert document_process(document=document).status == "processing"
    assert not document.pages.exists()


def test_a_file_that_keeps_killing_the_worker_is_set_aside():
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="a.pdf").document
    Step.objects.create(document=document, name="detect", status="running", attempts=3)
    document = document_process(document=document)
    assert document.status == "failed" and "stopped 3 times" in document.error


def test_the_command_adds_a_folder_and_reports_json(tmp_path):
    folder = tmp_path / "envoi"
    (folder / "sous-dossier").mkdir(parents=True)
    minutes = samples.text_pdf([MINUTES])
    (folder / "a.pdf").write_bytes(minutes)
    (folder / "sous-dossier" / "b.txt").write_text("Capteurs sonores à Saint-Étienne.")
    (folder / "copie.pdf").write_bytes(minutes)
    (folder / "vide.pdf").write_bytes(b"")
    out = StringIO()
    with pytest.raises(SystemExit):  # one file failed: exit status 1
        call_command(
            "documents",
            "add",
            str(folder),
            "--place",
            "42218",
            "--origin",
            "council",
            "--wait",
            "--json",
            stdout=out,
        )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    by_name = {r["path"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_name) == {"a.pdf", "b.txt", "copie.pdf", "vide.pdf"}
    assert by_name["a.pdf"]["status"] == "done" and len(by_name["a.pdf"]["sha256"]) == 64
    assert (
        by_name["copie.pdf"]["duplicate"] and by_name["copie.pdf"]["id"] == by_name["a.pdf"]["id"]
    )
    assert by_name["vide.pdf"]["status"] == "failed" and "empty" in by_name["vide.pdf"]["error"]
    assert by_name["b.txt"]["error"] is None
    document = Document.objects.get(id=by_name["b.txt"]["id"])
    assert document.origin == "council"
    assert list(document.places.values_list("code", flat=True)) == ["42218"]


def test_the_command_waits_for_the_attachments_and_reports_them(tmp_path):
    # Two e-mails with their attachments, processed by `add --wait` and read back for the
    # report in one query for the folder.
    folder = tmp_path / "courriers"
    folder.mkdir()
    for name, words in (("m1.eml", "vidéoprotection"), ("m2.eml", "lecture de plaques")):
        attachment = samples.text_pdf([f"Annexe : marché de {words} de la commune."])
        (folder / name).write_bytes(samples.eml(f"Voici la pièce sur {words}.", attachment))
    out = StringIO()
    call_command("documents", "add", str(folder), "--wait", "--json", stdout=out)
    rows = {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, out.getvalue().splitlines())}
    for name in ("m1.eml", "m2.eml"):
        document = Document.objects.get(id=rows[name]["id"])
        child = document.children.get()
        assert rows[name]["status"] == "done" and rows[name]["children"] == [child.id]
        assert child.status == "done" and child.pages.count() == 1


def test_the_command_refuses_an_unknown_place(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "a.txt").write_text("texte")
    with pytest.raises(CommandError, match="99999"):
        call_command("documents", "add", str(tmp_path), "--place", "99999")
    assert not Document.objects.exists()


def _upload_entries() -> list[int]:
    from contrechamp.audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(target_model="document", action="created").values_list(
            "id", flat=True
        )
    )


def _four_minutes(tmp_path):
    folder = tmp_path / "envoi"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(f"Compte rendu numéro {i} du conseil municipal.")
    return folder


def test_a_folder_added_is_chained_in_the_audit_log_at_the_end(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from contrechamp.audit.models import AuditEntry
    from contrechamp.audit.services import audit_verify

    folder = _four_minutes(tmp_path)
    sealed_while_adding = []
    real_ingest = services.document_ingest

    def ingest(**kwargs):
        ingested = real_ingest(**kwargs)
        # Each upload is committed with its entry; the links wait for the end.
        sealed_while_adding.append(
            AuditEntry.objects.filter(id__in=_upload_entries(), link__isnull=False).count()
        )
        return ingested

    monkeypatch.setattr(documents_command, "document_ingest", ingest)
    with django_capture_on_commit_callbacks(execute=True):  # the commits (PostgreSQL)
        call_command("documents", "add", str(folder), stdout=StringIO())
    assert sealed_while_adding == [0, 0, 0, 0]
    entries = _upload_entries()
    assert len(entries) == 4
    assert not AuditEntry.objects.filter(id__in=entries, link__isnull=True).exists()
    assert audit_verify().ok


def test_a_folder_whose_upload_breaks_midway_still_chains_what_it_added(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from contrechamp.audit.models import AuditEntry
    from contrechamp.audit.services import audit_verify

    folder = _four_minutes(tmp_path)
    real_ingest = services.document_ingest

    def ingest(**kwargs):
        if kwargs["filename"] == "2.txt":
            raise MemoryError("the machine ran out of memory")
        return real_ingest(**kwargs)

    monkeypatch.setattr(documents_command, "document_ingest", ingest)
    with pytest.raises(MemoryError), django_capture_on_commit_callbacks(execute=True):
        call_command("documents", "add", str(folder), stdout=StringIO())
    entries = _upload_entries()
    assert len(entries) == 2  # 0.txt and 1.txt
    assert not AuditEntry.objects.filter(id__in=entries, link__isnull=True).exists()
    assert audit_verify().ok


def test_a_folder_whose_chaining_fails_is_added_and_said_so(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from contrechamp.audit import services as audit
    from contrechamp.audit.models import AuditEntry
    from contrechamp.audit.tasks import seal

    folder = _four_minutes(tmp_path)

    def deadlock(ids=None):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(audit, "audit_seal", deadlock)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents", "add", str(folder), stdout=out)
    # Every file added and listed; the entries wait for the hourly seal.
    assert out.getvalue().count("queued") == 4
    assert AuditEntry.objects.filter(id__in=_upload_entries(), link__isnull=True).count() == 4
    monkeypatch.undo()
    assert seal.call() >= 4


def test_a_title_keeps_no_invisible_character():
    """A new user's walk: a title "\u202eEvil\u202c" showed as "livE" in the list and
    stayed so once published (display names already refused such characters)."""
    document = document_ingest(
        data=samples.text_pdf([MINUTES]), filename="a.pdf", title="\u202eEvil\u202c\u200b rapport"
    ).document
    assert document.title == "Evil rapport"
    named = document_ingest(data=samples.text_pdf(["Autre"]), filename="\u202egpj.pdf").document
    assert "\u202e" not in named.title
