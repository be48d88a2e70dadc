"""Hostile review 51b of 5eb7f08 (deletion, sweep, private sources) and 614b7a9
(snippets, entities heading): the attacks that HELD. Every test here passes."""

import datetime as dt
import os
import re
import time

import pytest
from django.core.management import call_command

from contrechamp.documents import files
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.search import highlight
from contrechamp.documents.services import document_delete, entity_accept
from contrechamp.registry.models import Revision, Source
from contrechamp.registry.services import deployment_publish
from contrechamp.tips.models import Tip
from tests.conftest import TwoFactorClient
from tests.documents import samples
from tests.documents.conftest import add, publish

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD."
)


def _url(document):
    return f"/documents/{document.id}/supprimer/"


def _body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


# --- private sources: every public surface ---------------------------------------------


def test_a_private_document_s_date_origin_number_on_no_public_surface(
    client, contributor, reviewer, tmp_path
):
    memo = add(samples.text_pdf([TEXT]), "memo-confidentiel.pdf", uploaded_by=contributor)
    Document.objects.filter(id=memo.id).update(date=dt.date(2026, 7, 14), origin="tip")
    memo.refresh_from_db()
    commune = Entity.objects.get(page__document=memo, kind="commune", value="42218")
    deployment = deployment_publish(
        deployment=entity_accept(entity=commune, user=reviewer), author=reviewer
    )
    # Saved again through every path that writes a source: the pre_save rule holds.
    source = Source.objects.get(document=memo)
    source.publisher, source.published_on = "anonymous tip", "2026-07-14"
    source.save()
    source.refresh_from_db()
    assert (source.publisher, source.published_on) == ("", "")
    versions = Revision.objects.filter(kind="deployment", object_id=deployment.id)
    urls = [
        "/",
        deployment.get_absolute_url(),
        f"{deployment.get_absolute_url()}historique/",
        # (The versions as published: a draft's are for reviewers only.)
        *(
            f"{deployment.get_absolute_url()}historique/{r.version}/"
            for r in versions
            if r.snapshot.get("is_published")
        ),
        f"{deployment.get_absolute_url()}flux.atom",
        "/communes/42218/",
        "/communes/42218/flux.atom",
        "/departements/42/",
        "/api/v1/deployments",
        f"/api/v1/deployments/{deployment.slug}",
        "/api/v1/documents",
        "/api/v1/search?q=capteurs",
        "/exports/dispositifs.csv",
        "/exports/dispositifs.geojson",
        "/carte/communes.geojson",
        "/recherche/?q=capteurs+sonores",
        "/recherche/?q=Serenicity",
        "/documents/",
        "/documents/?origin=tip",
    ]
    dump = tmp_path / "dump.json"
    call_command("dump", output=str(dump))
    bodies = {url: _body(client.get(url, HTTP_ACCEPT_LANGUAGE="fr")) for url in urls}
    assert all(client.get(url).status_code == 200 for url in urls)
    bodies["dump"] = dump.read_text()
    for url, body in bodies.items():
        body = re.sub(r"<option[^>]*>[^<]*</option>", "", body)  # the filters' choices
        for secret in (
            "2026-07-14",
            "14 juillet 2026",
            "14/07/2026",
            "juillet 2026",
            "signalement anonyme",
            "anonymous tip",
            "memo-confidentiel",
            f"/documents/{memo.id}/",
            f"document {memo.id} ",
        ):
            assert secret not in body, (url, secret)


def test_a_revision_restored_from_before_keeps_the_source_neutral(client, contributor, reviewer):
    from contrechamp.registry.services import deployment_revert

    memo = add(samples.text_pdf([TEXT]), "memo.pdf", uploaded_by=contributor)
    Document.objects.filter(id=memo.id).update(date=dt.date(2026, 7, 14), origin="tip")
    memo.refresh_from_db()
    commune = Entity.objects.get(page__document=memo, kind="commune", value="42218")
    deployment = deployment_publish(
        deployment=entity_accept(entity=commune, user=reviewer), author=reviewer
    )
    # An old snapshot that still carried the date and origin (before migration 0009).
    first = Revision.objects.filter(kind="deployment", object_id=deployment.id).order_by("version")[
        0
    ]
    snapshot = first.snapshot
    for c in snapshot["citations"]:
        c["source"]["publisher"], c["source"]["published_on"] = "signalement anonyme", "2026-07-14"
    Revision.objects.filter(id=first.id).update(snapshot=snapshot)
    deployment.refresh_from_db()
    deployment_revert(
        deployment=deployment,
        version=first.version,
        base_version=deployment.version,
        author=reviewer,
    )
    body = client.get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "14 juillet 2026" not in body and "signalement anonyme" not in body
    diff = client.get(
        f"{deployment.get_absolute_url()}historique/{first.version}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "2026-07-14" not in diff and "signalement anonyme" not in diff


# --- deletion: an uploader's view --------------------------------------------------------


def test_disowned_and_deleted_look_alike_on_pages_and_lists(contributor):
    client = TwoFactorClient()
    client.force_login(contributor)
    held = add(samples.text_pdf([TEXT]), "h.pdf", uploaded_by=contributor, title="Zorglub-H")
    free = add(
        samples.text_pdf([TEXT + " Bis."]), "f.pdf", uploaded_by=contributor, title="Zorglub-F"
    )
    tip = Tip.objects.create(text="x", received_on=dt.date.today(), receipt_hash="1" * 64)
    tip.documents.add(held)
    assert "Zorglub-H" in client.get("/documents/").content.decode()  # listed before
    pages = [client.get(_url(d)).content.decode() for d in (held, free)]
    assert ['id="deletion-blocked"' in p for p in pages] == [False, False]
    answers = [client.post(_url(d), {"confirm": "yes"}) for d in (held, free)]
    assert [a.status_code for a in answers] == [302, 302]
    for d in (held, free):
        for path in (f"/documents/{d.id}/", _url(d), f"/api/v1/documents/{d.id}"):
            assert client.get(path).status_code == 404, path
    for listing_url in ("/documents/", "/recherche/?q=capteurs", "/api/v1/documents"):
        listing = client.get(listing_url).content.decode()
        assert "Zorglub" not in listing, listing_url


@pytest.mark.parametrize("value", ["", "on", "1", "true", "YES", "yes ", "0", "no"])
def test_only_the_box_s_value_deletes(client, contributor, value):
    document = add(samples.text_pdf([TEXT]), "d.pdf", uploaded_by=contributor)
    client.force_login(contributor)
    response = client.post(_url(document), {"confirm": value})
    assert response.status_code == 400
    assert Document.objects.filter(id=document.id, uploaded_by=contributor).exists()
    # A repeated key: the last one counts (the box sends "yes").
    client.post(_url(document), {"confirm": ["no", "yes"]})
    assert not Document.objects.filter(id=document.id).exists()


def test_the_deletion_page_s_box_sends_yes(client, contributor):
    document = add(samples.text_pdf([TEXT]), "d.pdf", uploaded_by=contributor)
    client.force_login(contributor)
    page = client.get(_url(document)).content.decode()
    assert 'type="checkbox"' in page and 'value="yes"' in page


# --- the sweep ---------------------------------------------------------------------------


def test_the_sweep_spares_live_published_young_and_other_folders(contributor, reviewer, library):

    live = add(samples.text_pdf([TEXT]), "live.pdf", uploaded_by=contributor)
    publish(live, reviewer)
    media = library / "media"
    ghost = "ab" * 32
    # Files a sweep must never touch: another app's files named by a hash, a file under
    # a hash-like folder of originals, a partial write, files outside documents/.
    others = [
        media / "access" / "attachments" / "1" / ghost,
        media / "tips" / ghost,
        media / "documents" / "originals" / ghost[:2] / f"{ghost}.0123456789abcdef.part",
        media / "documents" / "derived" / ghost[:2] / ghost / "nested" / "x.png",
        media / "documents" / "originals" / ghost[:2] / ghost.upper(),
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    young = media / "documents" / "originals" / "cd" / ("cd" * 32)
    young.parent.mkdir(parents=True, exist_ok=True)
    young.write_bytes(b"an upload whose row has not committed yet")
    old = time.time() - 7200
    for path in [*others, *(p for p in media.rglob("*") if live.sha256 in str(p))]:
        os.utime(path, (old, old))
    before = {p for p in media.rglob("*") if p.is_file()}
    assert files.orphan_files_sweep() == 0
    after = {p for p in media.rglob("*") if p.is_file()}
    # Only the partial write may go (the other sweep's job), and it is not this one's.
    assert before == after
    assert files.published_file(Document.objects.get(id=live.id))


def test_a_symlink_named_like_an_original_is_removed_not_followed(contributor, library):
    outside = library / "outside.txt"
    outside.write_bytes(b"not the library's")
    link = library / "media" / "documents" / "originals" / "ef" / ("ef" * 32)
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, link)
    old = time.time() - 7200
    os.utime(link, (old, old), follow_symlinks=False)
    files.orphan_files_sweep()
    assert outside.exists()


# --- 614b7a9: snippets and the entities' heading -----------------------------------------


def test_snippets_stay_escaped_and_whole():
    text = ("<b>x</b> " * 10) + "vidéoprotection " * 40 + "capteurs&sonores"
    out = highlight(text, "vidéoprotection")
    assert "<b>" not in out and out.count("<mark>") == out.count("</mark>") >= 1
    one_word = "a" * 1000
    assert highlight(one_word, "a").startswith("a")
    assert highlight("", "vidéo") == ""


def test_readers_see_no_confidence_nor_the_suggestions_heading(client, contributor, reviewer):

    document = add(samples.text_pdf([TEXT]), "d.pdf", uploaded_by=contributor)
    commune = Entity.objects.get(page__document=document, kind="commune", value="42218")
    entity_accept(entity=commune, user=reviewer)
    publish(document, reviewer)
    body = client.get(f"/documents/{document.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Entities of this document" in body and "confidence" not in body
    assert "Suggested entities" not in body


def test_a_deleted_document_cannot_be_published_with_a_stale_object(
    contributor, reviewer, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from contrechamp.redaction.services import document_publish

    document = add(samples.text_pdf([TEXT]), "d.pdf", uploaded_by=contributor)
    stale = Document.objects.get(id=document.id)
    with django_capture_on_commit_callbacks(execute=False):
        document_delete(document=document, user=reviewer)  # files still on disk
    with pytest.raises(ValidationError):
        document_publish(document=stale, user=reviewer, no_redactions=True)
    assert not Document.objects.filter(id=document.id).exists()
