"""Deleting a document: its uploader while it is private, reviewers any time it is cited
nowhere; everything made from it goes (files on disk, pages, suggestions, published copy,
search), nothing goes without the box ticked, and nobody else can delete it.

Each attack is written the way a careless or hostile person would try it: a form with its
confirmation removed, a stranger's POST, a document a worker is reading, a cited one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contrechamp.audit.models import AuditEntry
from contrechamp.documents import files
from contrechamp.documents.models import Document, Entity, Page, Publication
from contrechamp.documents.search import Viewer, search_pages
from contrechamp.documents.services import (
    DocumentInUse,
    document_delete,
    document_ingest,
    entity_accept,
)
from contrechamp.documents.tasks import document_process_task
from contrechamp.registry.models import Citation, Source
from tests.documents import samples
from tests.documents.conftest import add, files_of, publish

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD. "
    "Rapporteur : Mme Josiane Quellec-Marchand."
)


@pytest.fixture
def minutes(contributor):
    return add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)


def _delete(client, document, **extra):
    return client.post(f"/documents/{document.id}/supprimer/", {"confirm": "yes", **extra})


def test_the_uploader_deletes_a_private_document_and_nothing_of_it_stays(
    client, contributor, reviewer, minutes, library, django_capture_on_commit_callbacks
):
    # Its page image and rendition are made (as when someone reads it).
    client.force_login(reviewer)
    assert client.get(f"/documents/{minutes.id}/pages/1.png").status_code == 200
    assert len(files_of(library, minutes)) >= 2
    assert search_pages("Serenicity", viewer=Viewer(sees_all=True))
    client.force_login(contributor)
    page = client.get(f"/documents/{minutes.id}/").content.decode()
    assert f"/documents/{minutes.id}/supprimer/" in page
    confirm = client.get(f"/documents/{minutes.id}/supprimer/")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode() or "irréversible" in (
        confirm.content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, minutes)
    assert response.status_code == 302 and response["Location"] == "/documents/"
    assert not Document.objects.filter(id=minutes.id).exists()
    assert not Page.objects.filter(document_id=minutes.id).exists()
    assert not Entity.objects.filter(page__document_id=minutes.id).exists()
    assert files_of(library, minutes) == []
    assert not search_pages("Serenicity", viewer=Viewer(sees_all=True))
    assert client.get(f"/documents/{minutes.id}/").status_code == 404
    # The same file can be sent again: a new document, processed from scratch.
    again = add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)
    assert again.id != minutes.id and again.status == "done"
    assert files.exists(files.original_path(again.sha256))


def test_the_audit_log_says_it_was_deleted_once_not_once_per_suggestion(
    client, contributor, minutes
):
    assert Entity.objects.filter(page__document=minutes).count() >= 3
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.force_login(contributor)
    _delete(client, minutes)
    entries = AuditEntry.objects.filter(id__gt=last)
    actions = [(e.target_model, e.action) for e in entries]
    assert actions.count(("document", "deleted")) == 1
    assert ("entity", "deleted") not in actions


def test_a_form_without_its_confirmation_deletes_nothing(client, contributor, minutes):
    client.force_login(contributor)
    response = client.post(f"/documents/{minutes.id}/supprimer/", {})
    assert response.status_code == 400
    assert Document.objects.filter(id=minutes.id).exists()
    response = client.post(f"/documents/{minutes.id}/supprimer/", {"confirm": ""})
    assert response.status_code == 400
    assert Document.objects.filter(id=minutes.id).exists()


def test_nobody_else_deletes_it(client, other_contributor, minutes):
    # Another contributor does not learn it exists; a visitor neither.
    client.force_login(other_contributor)
    assert _delete(client, minutes).status_code == 404
    assert f"/documents/{minutes.id}/supprimer/" not in client.get("/documents/").content.decode()
    client.logout()
    assert _delete(client, minutes).status_code == 404
    assert Document.objects.filter(id=minutes.id).exists()


def test_once_published_only_a_reviewer_deletes_it_and_the_copy_goes(
    client,
    contributor,
    other_contributor,
    reviewer,
    minutes,
    library,
    django_capture_on_commit_callbacks,
):
    publish(minutes, reviewer)
    assert client.get(f"/documents/{minutes.id}/publie.pdf").status_code == 200
    client.force_login(contributor)
    page = client.get(f"/documents/{minutes.id}/").content.decode()
    assert f"/documents/{minutes.id}/supprimer/" not in page
    assert _delete(client, minutes).status_code == 403
    client.force_login(other_contributor)
    assert _delete(client, minutes).status_code == 403
    client.logout()
    assert _delete(client, minutes).status_code == 403
    assert Document.objects.filter(id=minutes.id, is_public=True).exists()

    client.force_login(reviewer)
    confirm = client.get(f"/documents/{minutes.id}/supprimer/").content.decode()
    assert "publi" in confirm  # says the published copy goes
    with django_capture_on_commit_callbacks(execute=True):
        assert _delete(client, minutes).status_code == 302
    assert not Publication.objects.filter(document_id=minutes.id).exists()
    client.logout()
    assert client.get(f"/documents/{minutes.id}/publie.pdf").status_code == 404
    assert client.get(f"/documents/{minutes.id}/pages/1.png").status_code == 404
    assert not search_pages("Serenicity", viewer=Viewer(sees_all=False))
    assert files_of(library, minutes) == []


def test_a_cited_document_is_not_deleted_and_says_why(client, contributor, reviewer, minutes):
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    deployment = entity_accept(entity=commune, user=reviewer)
    assert Citation.objects.filter(deployment=deployment).exists()
    client.force_login(reviewer)
    page = client.get(f"/documents/{minutes.id}/supprimer/")
    assert page.status_code == 200
    assert 'id="deletion-blocked"' in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    response = _delete(client, minutes)
    assert response.status_code == 409
    assert Document.objects.filter(id=minutes.id).exists()
    with pytest.raises(DocumentInUse):
        document_delete(document=minutes, user=reviewer)

    # Once the citation is removed, the source that named it goes with the document.
    Citation.objects.filter(deployment=deployment).delete()
    assert Source.objects.filter(document=minutes).exists()
    assert _delete(client, minutes).status_code == 302
    assert not Source.objects.filter(document_id=minutes.id).exists()


def test_a_document_a_worker_is_reading_is_left_alone(client, contributor, minutes):
    Document.objects.filter(id=minutes.id).update(
        status="processing", lease_until=timezone.now() + timedelta(minutes=5)
    )
    client.force_login(contributor)
    assert _delete(client, minutes).status_code == 409
    assert Document.objects.filter(id=minutes.id).exists()
    # A worker gone (its lease ran out): the document can go.
    Document.objects.filter(id=minutes.id).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert _delete(client, minutes).status_code == 302


def test_a_queued_document_deleted_before_its_task_runs(contributor):
    document = document_ingest(
        data=samples.text_pdf([TEXT]), filename="a.pdf", uploaded_by=contributor
    ).document
    assert document.status == "queued"
    document_delete(document=document, user=contributor)
    assert document_process_task.func(document.id) == "gone"


def _email_with_a_minutes_attached(uploader) -> Document:
    return add(
        samples.eml("Voici la délibération.", samples.text_pdf([TEXT])),
        "r.eml",
        uploaded_by=uploader,
    )


def test_an_e_mail_goes_with_its_attachments(
    client, contributor, library, django_capture_on_commit_callbacks
):
    email = _email_with_a_minutes_attached(contributor)
    attachment = email.children.get()
    assert files_of(library, attachment)
    client.force_login(contributor)
    confirm = client.get(f"/documents/{email.id}/supprimer/").content.decode()
    assert attachment.get_absolute_url() in confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert _delete(client, email).status_code == 302
    assert not Document.objects.filter(id__in=[email.id, attachment.id]).exists()
    assert files_of(library, attachment) == [] and files_of(library, email) == []


def test_an_uploader_cannot_take_a_published_attachment_with_its_e_mail(
    client, contributor, reviewer, library
):
    email = _email_with_a_minutes_attached(contributor)
    attachment = email.children.get()
    publish(attachment, reviewer)
    client.force_login(contributor)
    assert _delete(client, email).status_code == 409
    assert Document.objects.filter(id=attachment.id, is_public=True).exists()


def test_links_from_other_records_leave_it_to_reviewers_and_a_reviewer_cuts_them(
    client, contributor, reviewer, minutes, library
):
    """Another record holding the document (here a group's work item) is not told to its
    uploader: their deletion leaves it to the reviewers, with the same page and message
    as a deletion. A reviewer's deletion cuts the link; the record stays."""
    from contrechamp.groups.models import Group, WorkItem

    group = Group.objects.create(name="Collectif", slug="collectif")
    item = WorkItem.objects.create(group=group, note="Relire", document=minutes)
    client.force_login(contributor)
    page = client.get(f"/documents/{minutes.id}/supprimer/").content.decode()
    assert 'id="deletion-blocked"' not in page
    response = client.post(
        f"/documents/{minutes.id}/supprimer/",
        {"confirm": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.redirect_chain[-1][0] == "/documents/"
    assert "is deleted from your uploads" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.uploaded_by_id is None
    assert client.get(f"/documents/{minutes.id}/").status_code == 404
    assert files_of(library, minutes)  # kept for the reviewers
    client.force_login(reviewer)
    assert "1" in client.get(f"/documents/{minutes.id}/supprimer/").content.decode()
    assert _delete(client, minutes).status_code == 302
    item.refresh_from_db()
    assert item.document_id is None


def test_visitors_no_longer_read_the_original_s_fingerprint(client, reviewer, minutes):
    publish(minutes, reviewer)
    assert minutes.sha256 not in client.get(f"/documents/{minutes.id}/").content.decode()
    assert client.get(f"/api/v1/documents/{minutes.id}").json()["sha256"] is None
    client.force_login(reviewer)
    assert minutes.sha256 in client.get(f"/documents/{minutes.id}/").content.decode()
    assert client.get(f"/api/v1/documents/{minutes.id}").json()["sha256"] == minutes.sha256


def test_the_sweep_removes_the_files_of_documents_that_no_longer_exist(
    contributor, minutes, library
):
    """A write that raced a deletion, or a process killed between the deletion's commit
    and the files' removal, leaves files no document owns: the periodic sweep removes
    them once they are an hour old, and only them."""
    import os
    import time

    from contrechamp.documents.tasks import partial_writes_sweep_task

    kept = add(samples.text_pdf(["Une autre délibération."]), "b.pdf", uploaded_by=contributor)
    files.save(files.derived_path(minutes, "page-1-110.png"), b"png")
    Document.objects.filter(id=minutes.id).delete()  # the rows gone, the files left
    orphans = files_of(library, minutes)
    assert len(orphans) >= 2
    # Young files stay (an upload writes its original before its row commits).
    assert files.orphan_files_sweep() == 0
    old = time.time() - 7200
    for path in [*orphans, *files_of(library, kept)]:
        os.utime(path, (old, old))
    assert partial_writes_sweep_task.func() == len(orphans)
    assert files_of(library, minutes) == []
    assert files_of(library, kept)
    assert not (
        library / "media" / "documents" / "derived" / minutes.sha256[:2] / minutes.sha256
    ).exists()
