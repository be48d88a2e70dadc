"""A hostile review of document deletion (a helper session, on 634dd9a): the attacks that
broke a promise there, each mended since (5eb7f08) and kept here with its docstring's
account of the cause. Where the mend chose another behaviour than the review suggested
(an uploader's deletion of a document another record holds leaves it to the reviewers,
with the same page and message; the audit entry keeps no title; the admin site deletes
nothing), the test pins the behaviour chosen.

Races are played in one process: the other party's action is run at the exact point
where, in production (PostgreSQL, READ COMMITTED; or two processes sharing the media
folder), it can commit. Nothing else is patched."""

import datetime as dt

import pytest
from django.test import Client

from contrechamp.access.models import AccessRequest
from contrechamp.audit.models import AuditEntry
from contrechamp.documents import files
from contrechamp.documents import services as library
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import document_delete, document_ingest
from contrechamp.documents.tasks import document_process_task
from tests.conftest import TwoFactorClient
from tests.documents import samples
from tests.documents.conftest import add, files_of, publish, review_for_publication

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD. "
    "Rapporteur : Mme Josiane Quellec-Marchand."
)


@pytest.fixture
def minutes(contributor):
    return add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)


def _url(document):
    return f"/documents/{document.id}/supprimer/"


# --- 1. The worker crashes on a document deleted between its lookup and its claim -------


def test_the_worker_s_task_says_gone_when_the_deletion_commits_before_its_claim(
    contributor, monkeypatch
):
    """services.py `document_delete` holds a queued document (lease_until) and deletes it;
    its comment says a worker taking it meanwhile "waits for this transaction, then finds
    none". It does find none: `_claim` updates 0 rows and `document_process` then calls
    `document.refresh_from_db()` (services.py:369-370), which raises
    Document.DoesNotExist: the task fails instead of returning "gone".
    Fix: in `document_process`, `if document.finished or not _claim(document):` re-read
    with `Document.objects.filter(id=document.id).first()` and return it (or None), and
    let `document_process_task` answer "gone" for None; same in `_taken_over`."""
    document = document_ingest(
        data=samples.text_pdf([TEXT]), filename="a.pdf", uploaded_by=contributor
    ).document
    assert document.status == "queued"
    real_claim = library._claim

    def claim_after_the_deletion_committed(doc):
        # The uploader's POST commits between the task's `first()` and its claim.
        document_delete(document=Document.objects.get(id=doc.id), user=contributor)
        return real_claim(doc)

    monkeypatch.setattr(library, "_claim", claim_after_the_deletion_committed)
    assert document_process_task.func(document.id) == "gone"


def test_a_worker_past_its_lease_stops_quietly_on_a_deleted_document(contributor, monkeypatch):
    """A worker paused longer than its lease (the case `_still_held` is written for): the
    document is free, so its uploader may delete it. When the worker wakes, `_save_steps`
    finds no lease and `_taken_over` calls `document.refresh_from_db()`
    (services.py:344-347): Document.DoesNotExist again, from inside the pipeline.
    Fix: as above, `_taken_over` must tolerate the row being gone."""
    document = document_ingest(
        data=samples.text_pdf([TEXT]), filename="a.pdf", uploaded_by=contributor
    ).document
    real_detect = library._step_detect

    def detect_then_freeze(doc):
        out = real_detect(doc)
        # Frozen past the lease; meanwhile the uploader deletes the (free) document.
        Document.objects.filter(id=doc.id).update(
            lease_until=library.timezone.now() - dt.timedelta(seconds=1)
        )
        document_delete(document=Document.objects.get(id=doc.id), user=contributor)
        return out

    monkeypatch.setattr(library, "_step_detect", detect_then_freeze)
    monkeypatch.setattr(library, "STEPS", [("detect", detect_then_freeze), *library.STEPS[1:]])
    document_process_task.func(document.id)  # must not raise


# --- 2. Files written after the deletion stay on disk for ever -------------------------


def test_a_page_image_rendered_while_the_document_is_deleted_is_not_left_on_disk(
    client,
    contributor,
    reviewer,
    minutes,
    library,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """views.py `document_page_image` (views.py:399-420) reads the document, renders the
    page from the ORIGINAL (reviewers' view), then `files.save(path, png)` into
    documents/derived/<sha>/. If the deletion (and its on_commit file removal) lands
    between the read and the save, the unredacted page image is written into the folder
    of a document that no longer exists; nothing ever removes it (`document_files_delete`
    ran already; `partial_writes_sweep` only takes *.part). The comment at views.py:403
    even anticipates the files vanishing and "renders its own" -- and caches it.
    Fix: do not cache when the row is gone (save to the cache only if
    `Document.objects.filter(id=document.id).exists()` after the save, deleting the file
    otherwise), and add a periodic sweep of derived/ and originals/ folders whose sha256 no
    Document row has (`documents/derived/<xx>/<sha>` without `Document(sha256=sha)`)."""
    real_rendition = files.rendition

    def rendition_then_deleted(document):
        data = real_rendition(document)
        with django_capture_on_commit_callbacks(execute=True):
            document_delete(document=Document.objects.get(id=document.id), user=contributor)
        return data

    monkeypatch.setattr(files, "rendition", rendition_then_deleted)
    client.force_login(reviewer)
    client.get(f"/documents/{minutes.id}/pages/1.png")
    assert not Document.objects.filter(id=minutes.id).exists()
    assert files_of(library, minutes) == []


def test_a_publication_racing_the_deletion_leaves_no_published_copy_on_disk(
    contributor, reviewer, minutes, library, monkeypatch, django_capture_on_commit_callbacks
):
    """redaction/services.py `document_publish` (1599-1615) renders and gates the copy
    for seconds outside any lock, then writes `published.pdf` with `files.save` INSIDE
    its transaction, before `_make_public` saves the document row. The uploader may
    delete the private document meanwhile (nothing holds it: no lease, no row lock). The
    publish then fails (`save(update_fields=...)` on a deleted row, or the FK at commit)
    and rolls back -- but the published.pdf it wrote stays in documents/derived/<sha>/.
    Fix: in `document_publish`, lock the row first (`Document.objects.select_for_update()
    .filter(id=...)`, refuse if gone) and write the file with `transaction.on_commit`, or
    remove it in an `except`; and have `document_delete` take the same row lock before it
    checks (see test 3)."""
    from contrechamp.redaction import services as redaction

    review_for_publication(minutes, reviewer)
    real_gate = redaction.gate

    def gate_then_deleted(document, data):
        report = real_gate(document, data)
        with django_capture_on_commit_callbacks(execute=True):
            document_delete(document=Document.objects.get(id=document.id), user=contributor)
        return report

    monkeypatch.setattr(redaction, "gate", gate_then_deleted)
    with pytest.raises(Exception) as raised:  # noqa: B017 (whatever it raises: the file)
        redaction.document_publish(document=minutes, user=reviewer, no_redactions=True)
    print("publish raised:", repr(raised.value))
    assert not Document.objects.filter(id=minutes.id).exists()
    assert files_of(library, minutes) == []


# --- 3. Checks made before the lock: an uploader deletes a document just published -----


def test_an_uploader_cannot_delete_a_document_published_while_their_post_runs(
    client, contributor, reviewer, minutes, monkeypatch
):
    """The view checks `may_delete_document` and the blockers before the service runs; a
    reviewer's publication committing in between (PostgreSQL, READ COMMITTED) was not seen
    by the service, and the uploader deleted a public document. The service now locks the
    rows first and checks the right again on what it locked (and a publication locks the
    row too, so the two serialise)."""
    from contrechamp.documents import views

    real_blockers = views.document_deletion_blockers
    calls = []

    def publish_commits_before_the_lock(document, user):
        blockers = real_blockers(document, user)
        calls.append(document.id)
        # The view has checked; the reviewer's publication commits before the service.
        publish(Document.objects.get(id=minutes.id), reviewer)
        return blockers

    monkeypatch.setattr(views, "document_deletion_blockers", publish_commits_before_the_lock)
    client.force_login(contributor)
    response = client.post(_url(minutes), {"confirm": "yes"})
    assert calls
    assert response.status_code == 409
    assert Document.objects.filter(id=minutes.id, is_public=True).exists()


def test_a_citation_committed_during_the_post_is_a_409_not_a_500(
    client, contributor, reviewer, administrator, minutes, monkeypatch
):
    """A reviewer's acceptance of a suggestion (a new Source and Citation) committing
    after the blockers were read made the source's deletion hit the Citation's PROTECT:
    a ProtectedError, a 500. It is now the same refusal as a citation seen in time."""
    from contrechamp.documents.services import entity_accept

    real_update = library.update_derived
    accepted = []

    def citation_commits_just_after_the_check(queryset, **values):
        if queryset.model is Document and not accepted:
            commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
            accepted.append(entity_accept(entity=commune, user=reviewer))
        return real_update(queryset, **values)

    monkeypatch.setattr(library, "update_derived", citation_commits_just_after_the_check)
    client.force_login(administrator)
    response = client.post(_url(minutes), {"confirm": "yes"})
    assert accepted
    assert response.status_code == 409
    assert Document.objects.filter(id=minutes.id, uploaded_by=contributor).exists()


# --- 4. The deletion page is an oracle on other people's records -----------------------


def test_the_deletion_page_does_not_tell_an_uploader_that_a_tip_carries_their_file(
    other_contributor,
):
    """The canary trap the commit itself names ("a leaked file's copies can differ by a
    byte each"), now without the hash: an official hands out marked copies of a file,
    then, as a contributor, sends each copy to the library (private: nobody sees them).
    A tipster sends one copy; the library keeps a file once, so the tip's file IS that
    contributor's document (`document_ingest` returns the existing row, tips/services.py
    `_ingest_cleaned`, and a .txt is not rewritten by the cleaning). The deletion page of
    each copy now answers which one reached the observatory anonymously:
    `document_deletion_blockers` (services.py:943-949) adds "It is linked to a request, a
    tip or a group's work" for that copy only (and the POST answers 409 instead of 302).
    tests/access/test_requests.py already promises that the person whose private file an
    answer turns out to be "learn[s] nothing of it".
    Fix: for someone who is not a reviewer, count only links from records they may read
    (their own requests, their groups' items); a link from a record they may not know of
    (a tip, another person's request or group) must not change the page nor the status.
    The deletion by the uploader should then remove their claim to the file
    (`uploaded_by = None`, with the same success message) instead of deleting rows a tip
    or request still needs -- or tips/requests must not be merged onto a contributor's
    private document at all (give them their own ownership)."""
    from tests.tips.helpers import send

    copies = [
        (f"Note interne du directeur de la police municipale, exemplaire {n}.\n" * 8).encode()
        for n in "ABC"
    ]
    mine = [
        document_ingest(data=c, filename=f"note-{i}.txt", uploaded_by=other_contributor).document
        for i, c in enumerate(copies)
    ]
    response, code = send(Client(), files=[("note.txt", copies[1], "text/plain")])
    assert code, response.content.decode()[:500]
    from contrechamp.tips.models import Tip

    assert list(Tip.objects.get().documents.all()) == [mine[1]]  # the tip's file is theirs

    official = TwoFactorClient()
    official.force_login(other_contributor)
    pages = [official.get(_url(d)).content.decode() for d in mine]
    blocked = ['id="deletion-blocked"' in page for page in pages]
    assert blocked == [False, False, False], f"the page singles out copy {blocked.index(True)}"


def test_the_deletion_page_does_not_tell_an_uploader_that_a_stranger_s_request_holds_it(
    contributor_client, other_contributor
):
    """Same oracle through an access request: Dominique's private file turns out to be
    the answer Camille filed with her request (tests/access/test_requests.py
    `test_an_answer_another_person_sent_the_library_first_keeps_their_title_to_them`:
    "they, strangers to the request, learn nothing of it"). Dominique's deletion page
    says it is "linked to a request", and her POST is refused with 409.
    Cause and fix: as above (services.py:943-949, `_links_elsewhere` counts rows the
    uploader may not know of)."""
    draft = {
        "communes": "42218",
        "title": "Vidéosurveillance algorithmique",
        "usual": ["0"],
        "documents_asked": "Le marché passé avec la société Briefcam en 2024",
        "channel": "post",
    }
    assert contributor_client.post("/demandes/nouvelle/", draft).status_code == 302
    request = AccessRequest.objects.get()
    AccessRequest.objects.filter(id=request.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    secret = b"Compte rendu de la reunion du 3 mars.\n" * 5
    other = b"Une autre note, sans rapport.\n" * 5
    shared = document_ingest(
        data=secret, filename="fuite.txt", title="Note de Dominique", uploaded_by=other_contributor
    ).document
    control = document_ingest(
        data=other, filename="autre.txt", title="Autre note", uploaded_by=other_contributor
    ).document
    from django.core.files.uploadedfile import SimpleUploadedFile

    contributor_client.post(
        f"/demandes/{request.id}/reponse/",
        {
            "files": [SimpleUploadedFile("reponse.txt", secret)],
            "kind": "reply",
            "date": "2026-03-30",
        },
    )
    assert list(request.documents.all()) == [shared]
    dominique = TwoFactorClient()
    dominique.force_login(other_contributor)
    page, control_page = (dominique.get(_url(d)).content.decode() for d in (shared, control))
    assert ('id="deletion-blocked"' in page) == ('id="deletion-blocked"' in control_page)


# --- 5. Smaller promises ----------------------------------------------------------------


def test_a_confirm_of_zero_deletes_nothing(client, contributor, minutes):
    """`DeleteForm.confirm` is a BooleanField with Django's CheckboxInput, whose
    `value_from_datadict` maps only "true"/"false" and returns bool(value) for any other
    string: confirm=0, confirm=off, confirm=no all delete (the classic "hidden 0 + checkbox
    1" form, or a script sending 0 for "no"). forms.py:60-64.
    Fix: `forms.BooleanField(widget=forms.CheckboxInput(check_test=...))` is not enough;
    use a ChoiceField/TypedChoiceField with the single choice "yes" (the template's
    checkbox value) or a `clean_confirm` that checks `self.data.get("confirm") in {"on",
    "yes", "1", "true"}`."""
    client.force_login(contributor)
    for value in ("0", "off", "no"):
        client.post(_url(minutes), {"confirm": value})
        assert Document.objects.filter(id=minutes.id).exists(), f"confirm={value} deleted it"


def test_the_audit_log_keeps_what_the_page_promises(client, contributor, reviewer, minutes):
    """The page promised one line "with its title"; the entry has none (a private title may
    name a person: `documents.document` is in NO_LABEL_MODELS). The page and the docs now
    say so; the document has one entry, and the suggestions nobody decided none."""
    publish(minutes, reviewer)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.force_login(reviewer)
    page = client.get(_url(minutes), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "without its title" in page and "with its title" not in page
    assert client.post(_url(minutes), {"confirm": "yes"}).status_code == 302
    entries = list(AuditEntry.objects.filter(id__gt=last, action="deleted"))
    document_entries = [e for e in entries if e.target_model == "document"]
    assert len(document_entries) == 1 and document_entries[0].target_label == ""
    assert not [e for e in entries if e.target_model == "entity"]


# --- 6. A second way to delete that skips all of it -------------------------------------


@pytest.mark.parametrize("engine", ["database", "tantivy"])
def test_the_admin_site_s_delete_goes_through_the_service(
    client,
    settings,
    engine,
    contributor,
    administrator,
    library,
    django_capture_on_commit_callbacks,
):
    """Administrators are superusers (accounts/services.py:58-61) and documents/admin.py
    registers `DocumentAdmin` with Django's default delete view and "delete selected"
    action. That path runs a bare `Document.delete()`: the original and derived files stay
    on disk, the SQLite FTS rows keep the pages' text (database engine) and tantivy keeps
    the entries, every suggestion gets its own audit entry -- none of what the service
    promises. Fix: in `DocumentAdmin`, override `delete_model` and `delete_queryset` to call
    `services.document_delete` (and show `DocumentInUse` as a message), or set
    `has_delete_permission` to return False and link to /documents/<id>/supprimer/."""
    settings.SEARCH_BACKEND = engine
    document = add(samples.text_pdf([TEXT]), "d.pdf", uploaded_by=contributor)
    client.force_login(administrator)
    response = client.post(f"/admin/documents/document/{document.id}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        "/admin/documents/document/",
        {"action": "delete_selected", "_selected_action": [document.id], "post": "yes"},
    )
    assert Document.objects.filter(id=document.id).exists()
    assert files_of(library, document)
    leftovers: list[str] = []
    assert leftovers == []
