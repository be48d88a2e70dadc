"""Requests as people use them: draft, send, follow the timeline and its legal dates,
file answers into the library, get reminded; the public side, API and CSV."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contrechamp.access.models import (
    AccessRequest,
    Event,
    LetterTemplate,
    PublicBody,
    RequestSeries,
)
from contrechamp.access.services import reminders_send
from contrechamp.documents.models import Document
from contrechamp.documents.services import document_process
from tests.documents import samples

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "usual": ["0"],  # council deliberations
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


@pytest.fixture
def drafted(contributor_client):
    response = contributor_client.post("/demandes/nouvelle/", DRAFT)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AccessRequest.objects.get()


def test_a_contributor_drafts_a_request_to_a_commune(drafted, contributor_client):
    assert drafted.body.name == "Mairie de Saint-Étienne" and drafted.body.kind == "commune"
    assert drafted.status == "draft" and drafted.channel == "post"
    assert [p.code for p in drafted.places.all()] == ["42218"]
    assert len(drafted.asked()) == 2
    for article in ("L300-1", "L311-1", "L311-9", "L311-7"):
        assert article in drafted.letter
    assert "Briefcam" in drafted.letter and "recommandée" in drafted.letter
    page = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    assert "Briefcam" in page


def test_drafting_errors_are_explained_and_nothing_is_created(contributor_client):
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "communes": "99999", "usual": [], "documents_asked": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "99999" in text
    assert not AccessRequest.objects.exists() and not PublicBody.objects.exists()
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "usual": [], "documents_asked": "  "}
    )
    assert response.status_code == 400 and not AccessRequest.objects.exists()


def test_visitors_and_others_cannot_draft_or_act_on_a_request(client, drafted, other_contributor):
    client.logout()
    assert client.get("/demandes/nouvelle/").status_code == 302
    assert client.get(f"/demandes/{drafted.id}/").status_code == 404  # a draft is private
    client.force_login(other_contributor)
    assert client.get(f"/demandes/{drafted.id}/").status_code == 404
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 1))
    assert client.get(f"/demandes/{drafted.id}/").status_code == 200
    response = client.post(f"/demandes/{drafted.id}/evenement/", {"kind": "reply"})
    assert response.status_code == 403
    assert client.get(f"/demandes/{drafted.id}/courrier/request_post/").status_code == 403


def test_a_series_sends_the_same_request_to_several_communes(contributor_client):
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "communes": "42218, 13055 06088"}
    )
    assert response.status_code == 302
    series = RequestSeries.objects.get()
    assert series.requests.count() == 3
    assert sorted(series.requests.values_list("body__commune__code", flat=True)) == [
        "06088",
        "13055",
        "42218",
    ]


@time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False)
def test_sending_then_silence_then_the_cada(drafted, contributor_client, client):
    contributor_client.post(
        f"/demandes/{drafted.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "post", "received_on": ""},
    )
    drafted.refresh_from_db()
    assert drafted.status == "sent" and drafted.sent_on == dt.date(2026, 3, 10)
    page = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    # No proof of receipt: estimated from the sending date plus the postal delay.
    assert 'data-key="received"' in page and 'data-key="implicit_refusal"' in page
    assert "estim" in page

    # The acknowledgement arrives: the dates follow the real receipt.
    contributor_client.post(
        f"/demandes/{drafted.id}/evenement/", {"kind": "acknowledgement", "date": "2026-03-13"}
    )
    drafted.refresh_from_db()
    assert drafted.received_on == dt.date(2026, 3, 13)
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
        assert "2026-04-13" in page or "13 avril 2026" in page or "13 April 2026" in page
        letter = contributor_client.get(f"/demandes/{drafted.id}/courrier/cada_referral/")
        text = letter.content.decode()
        assert letter.status_code == 200
        assert "13 mars 2026" in text and "10 mars 2026" in text  # receipt, request
        assert "refus implicite né le 13 avril 2026" in text
        assert "R343-1" in text and "Mairie de Saint-Étienne" in text
        # A future event is refused with a reason, and nothing is recorded.
        response = contributor_client.post(
            f"/demandes/{drafted.id}/evenement/",
            {"kind": "refusal", "date": "2026-05-01"},
            follow=True,
        )
        assert Event.objects.filter(kind="refusal").count() == 0
        assert "futur" in response.content.decode()
        contributor_client.post(
            f"/demandes/{drafted.id}/evenement/", {"kind": "cada_ack", "date": "2026-04-20"}
        )
    drafted.refresh_from_db()
    assert drafted.status == "cada"
    # The public page shows the status and dates, not the requester.
    client.logout()
    public = client.get(f"/demandes/{drafted.id}/").content.decode()
    assert "camille" not in public and "Vidéosurveillance algorithmique" in public
    assert 'data-key="refusal_confirmed"' in public


def test_an_answer_goes_into_the_library_private_until_published(drafted, contributor_client):
    drafted.sent_on = dt.date(2026, 3, 10)
    drafted.status = "sent"
    drafted.save()
    response = contributor_client.post(
        f"/demandes/{drafted.id}/reponse/",
        {
            "files": [SimpleUploadedFile("convention.pdf", samples.text_pdf(["Convention."]))],
            "kind": "reply",
            "date": "2026-03-30",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.origin == "access_request" and not document.is_public
    assert [p.code for p in document.places.all()] == ["42218"]
    assert list(drafted.documents.all()) == [document]
    drafted.refresh_from_db()
    assert drafted.status == "answered"
    assert Event.objects.get().document == document


def _answer(client, request, name, data):
    return client.post(
        f"/demandes/{request.id}/reponse/",
        {"files": [SimpleUploadedFile(name, data)], "kind": "reply", "date": "2026-03-30"},
        follow=True,
    ).content.decode()


def test_an_answer_the_library_cannot_read_is_refused_in_french_not_reported_added(
    drafted, contributor_client
):
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    for name, data, reason in [
        ("reponse.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "Les anciens fichiers Office (.doc"),
        ("reponse.rtf", b"{\\rtf1\\ansi Bonjour}", "Les fichiers RTF ne sont pas pris en charge"),
        ("blanc.txt", b"  \n\n ", "Le fichier est vide."),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 200, "L’archive est endommagée"),
    ]:
        page = _answer(contributor_client, drafted, name, data)
        assert f"{name} : {reason}" in page, name
        assert "ajouté à la bibliothèque" not in page
    # Nothing kept, nothing in the timeline, the request still waits for its answer.
    assert Document.objects.count() == 0 and Event.objects.count() == 0
    drafted.refresh_from_db()
    assert drafted.status == "sent"


def _raw_zip(method: int, compressed: bytes, flag: int = 0) -> bytes:
    """A ZIP of one member named "mimetype", built by hand with the given compression
    method, data and flags (a damaged or encrypted member)."""

    def le(n, k):
        return n.to_bytes(k, "little")

    name = b"mimetype"
    common = (
        le(flag, 2) + le(method, 2) + b"\0\0\0\0" + le(0, 4) + le(len(compressed), 4) + le(39, 4)
    )
    local = b"PK\x03\x04" + le(20, 2) + common + le(len(name), 2) + b"\0\0" + name + compressed
    directory = b"PK\x01\x02" + le(20, 2) + le(20, 2) + common + le(len(name), 2)
    directory += b"\0\0" * 4 + b"\0\0\0\0" + le(0, 4) + name
    end = b"PK\x05\x06\0\0\0\0" + le(1, 2) * 2 + le(len(directory), 4) + le(len(local), 4)
    return local + directory + end + b"\0\0"


@pytest.mark.parametrize(
    "data",
    [
        _raw_zip(0, b"x" * 51, flag=1),  # an encrypted member: RuntimeError
        _raw_zip(8, b"\xff" * 40),  # a broken deflate stream: zlib.error
        _raw_zip(12, b"BZh9" + b"\xff" * 40),  # a broken bzip2 stream: OSError
        _raw_zip(14, b"\x09\x04\x05\x00" + b"\xff" * 40),  # a broken LZMA stream
    ],
    ids=["encrypted", "deflate", "bzip2", "lzma"],
)
def test_a_damaged_archive_among_the_answers_is_refused_and_the_others_kept(
    drafted, contributor, data
):
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    client = Client(raise_request_exception=False)
    client.force_login(contributor)
    response = client.post(
        f"/demandes/{drafted.id}/reponse/",
        {
            "files": [
                SimpleUploadedFile("bon.txt", b"Bonjour, voici la convention."),
                SimpleUploadedFile("mauvais.zip", data),
            ],
            "kind": "reply",
            "date": "2026-03-30",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "mauvais.zip : L’archive est endommagée" in page and "bon.txt ajouté" in page
    assert Document.objects.count() == 1 and Event.objects.count() == 1


def test_an_answer_another_person_sent_the_library_first_keeps_their_title_to_them(
    drafted, contributor_client, other_contributor
):
    """The library keeps a file once: an answer identical to a file someone else sent
    before is that document. Its title stays theirs, and they, strangers to the request,
    learn nothing of it from the request's page."""
    from contrechamp.documents.services import document_ingest

    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    secret = b"Compte rendu de la reunion du 3 mars.\n" * 5
    document_ingest(
        data=secret, filename="fuite.txt", title="Note de Dominique", uploaded_by=other_contributor
    )
    page = _answer(contributor_client, drafted, "reponse-mairie.txt", secret)
    assert "reponse-mairie.txt ajouté à la bibliothèque" in page
    own = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    # The requester sees their answer's state, not the other person's title.
    assert "Documents reçus" in own and "document en attente d’occultation" in own.replace("'", "’")
    assert "Note de Dominique" not in own
    stranger = Client()
    stranger.force_login(other_contributor)
    theirs = stranger.get(f"/demandes/{drafted.id}/").content.decode()
    assert "Note de Dominique" not in theirs and "Documents reçus" not in theirs


def test_a_documents_page_links_back_to_the_request_it_answers_for_those_who_may_know(
    drafted, contributor_client, other_contributor
):
    """An answer's page names its request to the requester (an answer that could not be
    read left them on a page with no way back), and to everyone once published; not to
    another person whose private file the answer turns out to be (the library keeps a
    file once), nor to a visitor while it is private."""
    from contrechamp.documents.services import document_ingest

    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    secret = b"Compte rendu de la reunion du 3 mars.\n" * 5
    document_ingest(
        data=secret, filename="fuite.txt", title="Note de Dominique", uploaded_by=other_contributor
    )
    _answer(contributor_client, drafted, "reponse-mairie.txt", secret)
    _answer(contributor_client, drafted, "convention.txt", b"La convention de 2024, signee.")
    shared, own = (
        Document.objects.get(title="Note de Dominique"),
        Document.objects.exclude(title="Note de Dominique").get(),
    )
    link = f'href="/demandes/{drafted.id}/"'
    page = contributor_client.get(own.get_absolute_url()).content.decode()
    assert link in page and drafted.title in page
    stranger = Client()
    stranger.force_login(other_contributor)
    theirs = stranger.get(shared.get_absolute_url())
    assert theirs.status_code == 200 and link not in theirs.content.decode()
    # Published, the answer's page names its request to anyone (the request's timeline
    # links to it already).
    Document.objects.filter(id=shared.id).update(is_public=True)
    assert link in stranger.get(shared.get_absolute_url()).content.decode()
    assert link in Client().get(shared.get_absolute_url()).content.decode()
    assert Client().get(own.get_absolute_url()).status_code == 404


def test_the_command_line_says_a_size_refusal_in_english_as_the_other_reasons(settings, tmp_path):
    import io

    from django.core.management import call_command

    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    (tmp_path / "big.txt").write_bytes(b"x" * (3 * 512 * 1024))
    (tmp_path / "empty.txt").write_bytes(b"   ")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("documents", "add", str(tmp_path), "--json", "--wait", stdout=out)
    errors = sorted(json.loads(line)["error"] for line in out.getvalue().splitlines() if line)
    # (A file of blank space is refused before it is stored, named, since this session.)
    assert errors == [
        "big.txt: 1.5 MB, more than the limit of 1 MB.",
        "empty.txt is empty; nothing was kept.",
    ]


def test_an_answer_whose_event_the_timeline_refuses_is_not_kept_and_one_filed_twice_once(
    drafted, contributor_client
):
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    pdf = samples.text_pdf(["Avis de la CADA."])
    # An opinion with no referral, a reply dated before the request was sent.
    for kind, date in (("cada_opinion", "2026-03-30"), ("reply", "2026-03-01")):
        page = contributor_client.post(
            f"/demandes/{drafted.id}/reponse/",
            {"files": [SimpleUploadedFile("avis.pdf", pdf)], "kind": kind, "date": date},
            follow=True,
        ).content.decode()
        assert "avis.pdf : " in page and "ajouté à la bibliothèque" not in page
    assert Document.objects.count() == 0 and Event.objects.count() == 0
    # The same file twice: one document, one event.
    _answer(contributor_client, drafted, "reponse.pdf", pdf)
    page = _answer(contributor_client, drafted, "reponse-encore.pdf", pdf)
    assert "reponse-encore.pdf : Ce fichier est déjà classé avec cette demande." in page
    assert Document.objects.count() == 1 and Event.objects.count() == 1


def test_an_answer_that_fails_once_read_says_why_on_the_request_page(drafted, contributor_client):
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    page = _answer(contributor_client, drafted, "scan.pdf", samples.encrypted_pdf())
    assert "scan.pdf ajouté à la bibliothèque" in page
    assert "(en cours de lecture)" in page
    for document in Document.objects.all():
        document_process(document=document)
    page = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    assert "n’a pas pu être lu : Le PDF est protégé par un mot de passe" in page
    assert "(en cours de lecture)" not in page


def test_letters_come_from_the_templates_administrators_edit(drafted, contributor_client):
    LetterTemplate.objects.create(
        kind="request_post",
        subject="Objet : {{ request.title }}",
        body="Texte modifié {{ asked|length }}",
    )
    page = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_post/")
    assert "Texte modifié 2" in page.content.decode()
    # Once sent, the letter is the one sent, whatever the template becomes.
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{drafted.id}/envoi/", {"sent_on": "2026-03-10", "channel": "post"}
        )
    LetterTemplate.objects.filter(kind="request_post").update(body="Texte changé après")
    page = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_post/")
    assert "Texte modifié 2" in page.content.decode()


@time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False)
def test_the_daily_reminder_mails_what_is_due_within_seven_days_once(drafted, contributor):
    AccessRequest.objects.filter(id=drafted.id).update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    assert reminders_send() == 1
    assert reminders_send() == 0  # once a day
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert "12 avril 2026" in message.body and "Refus implicite" in message.body
    # Said as a letter, not a list of codes (a walk found "3 échéance(s)" and ISO dates).
    assert message.subject == "Contrechamp : 1 date de vos demandes dans les 7 jours"
    assert message.body.startswith("Bonjour,") and "/demandes/echeances/" in message.body
    assert "2026-04-12" not in message.body


def test_the_dashboard_and_the_atom_feed_list_upcoming_dates(drafted, contributor_client, client):
    AccessRequest.objects.filter(id=drafted.id).update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    with time_machine.travel(dt.datetime(2026, 4, 8, 7, 0), tick=False):
        page = contributor_client.get("/demandes/echeances/").content.decode()
        assert "2026-04-12" in page or "12 avril 2026" in page
        # The private address is made on request and shown once (tests/access/test_feed.py).
        page = contributor_client.post("/demandes/echeances/").content.decode()
        feed_url = page.split('id="feed-link"')[0].rsplit('href="', 1)[1].split('"')[0]
        response = client.get(feed_url)  # a feed reader, not logged in
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Vidéosurveillance algorithmique" in response.content.decode()
    assert client.get("/demandes/echeances/forged.atom").status_code == 404


def test_statistics_api_and_csv_show_sent_requests_only(drafted, contributor_client, client):
    other = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": "13055"})
    assert other.status_code == 302
    AccessRequest.objects.filter(id=drafted.id).update(
        status="answered", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    Event.objects.create(request=drafted, kind="reply", date=dt.date(2026, 3, 30))
    stats = client.get("/demandes/organismes/").content.decode()
    assert "Mairie de Saint-Étienne" in stats and "Mairie de Marseille" not in stats
    listed = client.get("/api/v1/requests").json()["results"]
    assert [r["id"] for r in listed] == [drafted.id]
    detail = client.get(f"/api/v1/requests/{drafted.id}").json()
    assert detail["events"][0]["kind"] == "reply" and detail["places"] == ["42218"]
    drafts = AccessRequest.objects.exclude(id=drafted.id).get()
    assert client.get(f"/api/v1/requests/{drafts.id}").status_code == 404
    csv_text = client.get("/exports/demandes.csv").content.decode()
    assert csv_text.count("\n") == 2 and "Vidéosurveillance algorithmique" in csv_text


def test_the_command_reminds(drafted):
    from io import StringIO

    from django.core.management import call_command

    AccessRequest.objects.filter(id=drafted.id).update(
        status="sent", sent_on=dt.date(2026, 3, 10), received_on=dt.date(2026, 3, 12)
    )
    out = StringIO()
    call_command("access", "remind", "--today", "2026-04-06", stdout=out)
    assert "1 reminder" in out.getvalue()
    assert json.loads(json.dumps(len(mail.outbox))) == 1


def test_a_request_about_a_deployment_starts_from_its_page(contributor_client, client):
    from contrechamp.registry.models import Deployment

    deployment = Deployment.objects.published().filter(communes__isnull=False).first()
    commune = deployment.communes.first()
    page = contributor_client.get(deployment.get_absolute_url()).content.decode()
    assert f"/demandes/nouvelle/?deploiement={deployment.slug}" in page
    form = contributor_client.get(f"/demandes/nouvelle/?deploiement={deployment.slug}")
    text = form.content.decode()
    # Named by its title, the identifier only as the suggestions write it.
    assert f"{deployment.title} [{deployment.slug}]" in text and f"({commune.code})" in text
    response = contributor_client.post(
        "/demandes/nouvelle/",
        {**DRAFT, "communes": commune.code, "deployments": deployment.slug},
    )
    request = AccessRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert list(request.deployments.all()) == [deployment]
    bad = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "deployments": "nulle-part"})
    assert bad.status_code == 400 and "nulle-part" in bad.content.decode()
    # Once sent, the deployment's and the commune's pages list it, and so does the API.
    AccessRequest.objects.filter(id=request.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    client.logout()
    for url in (deployment.get_absolute_url(), commune.get_absolute_url()):
        assert request.get_absolute_url() in client.get(url).content.decode()
    detail = client.get(f"/api/v1/requests/{request.id}").json()
    assert detail["deployments"] == [deployment.slug]
    # The API carries the legal notes that qualify the dates, as the request page does.
    assert "silence_mentions" in {note["key"] for note in detail["deadline_notes"]}


@time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False)
def test_letters_are_signed_with_the_name_and_address_given_never_the_user_name(
    drafted, contributor_client, contributor
):
    """Every letter, the CADA referral included, was signed with the internal user name
    ("camille", or "u8591d5c5c069" for one who signed up), which is no one's name and the
    help says is never shown (a new user's walk). A letter is now signed with the name
    and address given on the account page, private; without them, blanks to fill in."""
    import io

    import pymupdf

    assert "camille" not in drafted.letter and "[Prénom et nom]" in drafted.letter
    contributor_client.post(
        f"/demandes/{drafted.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12"},
    )
    letter = contributor_client.get(f"/demandes/{drafted.id}/courrier/cada_referral/")
    text = letter.content.decode()
    assert "camille" not in text and "Demandeur : [Prénom et nom], [Adresse postale]" in text
    response = contributor_client.post(
        "/compte/",
        {
            "action": "letters",
            "first_name": "Camille",
            "last_name": "Martin",
            "postal_address": "3 rue des Lilas\n42000 Saint-Étienne",
        },
    )
    assert response.status_code == 302
    text = contributor_client.get(f"/demandes/{drafted.id}/courrier/cada_referral/").content
    assert "Demandeur : Camille Martin, 3 rue des Lilas, 42000 Saint-Étienne" in text.decode()
    post = contributor_client.get(f"/demandes/{drafted.id}/courrier/after_opinion/")
    if post.status_code == 200:
        assert "Camille Martin" in post.content.decode()
    pdf = contributor_client.get(f"/demandes/{drafted.id}/saisine.pdf")
    if pdf.status_code == 200:
        with pymupdf.open(stream=io.BytesIO(pdf.content), filetype="pdf") as document:
            pages = "".join(page.get_text() for page in document)
        assert "Camille Martin" in pages and "camille" not in pages.replace("Camille", "")
    # Private: not on the request's public page, in the export, gone with the account.
    contributor_client.logout()
    AccessRequest.objects.filter(id=drafted.id).update(status="sent")
    public = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    assert "Lilas" not in public and "Martin" not in public
    contributor_client.force_login(contributor)
    exported = contributor_client.get("/compte/mes-donnees.json").json()
    assert exported["account"]["postal_address"].startswith("3 rue des Lilas")
    from contrechamp.accounts.services import account_delete

    account_delete(user=contributor)
    contributor.refresh_from_db()
    assert contributor.profile.postal_address == "" and contributor.last_name == ""


def test_a_draft_is_deleted_and_a_double_click_drafts_once(contributor_client, other_contributor):
    """A draft could be neither edited nor deleted, a double click on "Draft" made two
    drafts, and every commune of a department made 124 drafts in one click (a new user's
    walk). A draft is deleted by its author; the same form sent again within a minute
    opens the first draft; a series of more than 20 drafts asks to be confirmed."""
    from contrechamp.access.models import RequestSeries

    page = contributor_client.get("/demandes/nouvelle/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert (
        contributor_client.post("/demandes/nouvelle/", {**DRAFT, "token": token}).status_code == 302
    )
    response = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "token": token})
    assert response.status_code == 302 and AccessRequest.objects.count() == 1
    drafted = AccessRequest.objects.get()
    assert response["Location"] == drafted.get_absolute_url()
    # Not by another contributor, nor once sent.
    other = Client()
    other.force_login(other_contributor)
    assert other.post(f"/demandes/{drafted.id}/supprimer/").status_code == 404
    assert contributor_client.get(f"/demandes/{drafted.id}/supprimer/").status_code == 405
    page = contributor_client.get(f"/demandes/{drafted.id}/").content.decode()
    assert f'action="/demandes/{drafted.id}/supprimer/"' in page
    response = contributor_client.post(f"/demandes/{drafted.id}/supprimer/")
    assert response.status_code == 302 and not AccessRequest.objects.exists()
    # A department: confirmed, or nothing is drafted.
    many = {**DRAFT, "communes": "", "department": "2A", "title": "Caméras en Corse-du-Sud"}
    response = contributor_client.post("/demandes/nouvelle/", many)
    assert response.status_code == 400 and not AccessRequest.objects.exists()
    assert "124" in response.content.decode()
    response = contributor_client.post("/demandes/nouvelle/", {**many, "confirm_many": "on"})
    assert response.status_code == 302 and AccessRequest.objects.count() == 124
    series = RequestSeries.objects.get()
    sent = series.requests.order_by("id").first()
    AccessRequest.objects.filter(id=sent.id).update(status="sent", sent_on=dt.date(2026, 3, 2))
    assert contributor_client.post(f"/demandes/{sent.id}/supprimer/").status_code == 403
    response = contributor_client.post(f"/demandes/series/{series.id}/supprimer/")
    assert response.status_code == 302
    assert list(AccessRequest.objects.values_list("id", flat=True)) == [sent.id]
    # The errors are said once.
    page = contributor_client.post(
        "/demandes/nouvelle/", {"title": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert page.count("Choose the body the request goes to.") == 1


@pytest.mark.parametrize(
    "commune, name",
    [
        ("Ajaccio", "Mairie d'Ajaccio"),
        ("Évisa", "Mairie d'Évisa"),
        ("Yerres", "Mairie d'Yerres"),
        ("Le Havre", "Mairie du Havre"),
        ("Les Mureaux", "Mairie des Mureaux"),
        ("La Rochelle", "Mairie de La Rochelle"),
        ("L'Haÿ-les-Roses", "Mairie de L'Haÿ-les-Roses"),
        ("Saint-Étienne", "Mairie de Saint-Étienne"),
        ("Hautmont", "Mairie de Hautmont"),
    ],
)
def test_a_town_hall_is_named_as_french_writes_it(commune, name):
    """ "Mairie de Ajaccio", "Mairie de Le Havre" went into letters (a new user's walk)."""
    from contrechamp.access.services.bodies import town_hall_name

    assert town_hall_name(commune) == name


def test_a_request_to_ajaccio_is_addressed_to_the_mairie_d_ajaccio(contributor_client):
    response = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": "2A004"})
    assert response.status_code == 302
    drafted = AccessRequest.objects.get()
    assert drafted.body.name == "Mairie d'Ajaccio"


def test_an_event_note_is_bounded_and_a_long_word_wraps(drafted, contributor_client):
    """A note of 20,000 characters without a space widened the public page to 228,000
    pixels (a new user's walk): notes are bounded, and a long word wraps."""
    contributor_client.post(
        f"/demandes/{drafted.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12"},
    )
    response = contributor_client.post(
        f"/demandes/{drafted.id}/evenement/",
        {"kind": "acknowledgement", "date": "2026-03-12", "note": "x" * 2001},
    )
    assert not Event.objects.filter(kind="acknowledgement").exists()
    response = contributor_client.post(
        f"/demandes/{drafted.id}/evenement/",
        {"kind": "acknowledgement", "date": "2026-03-12", "note": "x" * 2000},
    )
    assert response.status_code == 302 and Event.objects.filter(kind="acknowledgement").exists()
    css = (settings.BASE_DIR / "contrechamp/static/css/site.css").read_text()
    assert re.search(r"ol\.timeline li[^{]*\{[^}]*overflow-wrap: anywhere", css)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("le 1 avril 2026", "le 1er avril 2026"),
        ("le 11 avril 2026", "le 11 avril 2026"),
        ("le 21 mars", "le 21 mars"),
        ("1 octobre 2026", "1er octobre 2026"),
        ("article 1.1 mars", "article 1.1 mars"),
    ],
)
def test_the_first_of_a_month_is_written_1er(text, expected):
    from contrechamp.lib.typography import first_of_the_month

    assert first_of_the_month(text) == expected


def test_an_empty_file_among_several_answers_is_refused_alone_and_named(
    drafted, contributor_client
):
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 10))
    page = contributor_client.post(
        f"/demandes/{drafted.id}/reponse/",
        {
            "files": [
                SimpleUploadedFile("bon.txt", b"Bonjour, voici la convention."),
                SimpleUploadedFile("vide.pdf", b""),
            ],
            "kind": "reply",
            "date": "2026-03-30",
        },
        follow=True,
    ).content.decode()
    assert "vide.pdf : Le fichier est vide." in page and "bon.txt ajouté" in page
    assert Document.objects.count() == 1 and Event.objects.count() == 1


def test_the_walks_findings_on_requests(drafted, contributor_client, client, other_contributor):
    """A new user's walk: the letter ended on "[Prénom et nom]" with nothing saying where
    to fill it in, nor that the town hall's e-mail address was unknown; another person's
    letter answered that the account "lacks the role the page needs"; a visitor was told
    "what you can do" (send a reminder); and the list never said that logging in lets
    one draft a request."""
    letter = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_email/")
    text = letter.content.decode()
    assert "[Prénom et nom]" in text
    assert 'href="/compte/#letters"' in text and "Vos courriers" in text
    assert "Aucune adresse électronique de Mairie de Saint-Étienne" in text
    contributor_client.post(
        "/compte/",
        {
            "action": "letters",
            "first_name": "Camille",
            "last_name": "Vernet",
            "postal_address": "1 rue de la Paix, 42000 Saint-Étienne",
        },
    )
    text = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_post/").content.decode()
    assert "[Prénom et nom]" not in text and "/compte/#letters" not in text

    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 1))
    client.force_login(other_contributor)
    refused = client.get(f"/demandes/{drafted.id}/courrier/request_post/")
    assert refused.status_code == 403
    assert "rôle que cette page demande" not in refused.content.decode()
    assert "peut être celle d’une autre personne" in refused.content.decode()

    client.logout()
    page = client.get(f"/demandes/{drafted.id}/").content.decode()
    assert "Ce que peut faire la personne qui demande" in page
    assert "Ce que vous pouvez faire" not in page
    listing = client.get("/demandes/").content.decode()
    assert 'href="/compte/login/?next=/demandes/nouvelle/"' in listing


def test_the_blanks_notice_is_for_the_requester_of_an_unsent_letter(
    drafted, contributor_client, client, reviewer
):
    """The review: a reviewer opening another's letter was told to fill in their own
    account; a sent letter is shown as it went, so filling the account changes nothing."""
    client.force_login(reviewer)
    text = client.get(f"/demandes/{drafted.id}/courrier/request_post/").content.decode()
    assert "/compte/#letters" not in text
    AccessRequest.objects.filter(id=drafted.id).update(status="sent", sent_on=dt.date(2026, 3, 1))
    text = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_post/").content
    assert "/compte/#letters" not in text.decode()


def test_a_letter_on_the_screen_joins_the_lines_its_template_broke(drafted, contributor_client):
    """The templates break their sentences at 88 characters: a phone wrapped each of
    those lines again ("…du code des relations entre le / public et l'administration")."""
    contributor_client.post(
        "/compte/",
        {
            "action": "letters",
            "first_name": "Camille",
            "last_name": "Vernet",
            "postal_address": "1 rue de la Paix\n42000 Saint-Étienne",
        },
    )
    page = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_post/")
    text = page.content.decode()
    letter = text[text.index('id="letter-text"') : text.index("</pre>")]
    assert "du code des relations entre le public et l&#x27;administration (CRPA)" in letter
    assert "(article L311-7 du CRPA)" in letter
    # The address block, the list of documents and the signature keep their lines.
    assert "Camille Vernet\n1 rue de la Paix\n42000 Saint-Étienne" in letter
    assert len([line for line in letter.splitlines() if line.startswith("- ")]) == 2
    # The post letter is signed, as the e-mail is (a walk found it ended unsigned).
    assert letter.rstrip().endswith("mes salutations distinguées.\n\nCamille Vernet")
    # Both letters ask for electronic copies where they exist; neither claims they do.
    email = contributor_client.get(f"/demandes/{drafted.id}/courrier/request_email/").content
    for shown in (letter, email.decode()):
        assert "Lorsque ces documents existent sous forme électronique" in shown
        assert "Ces documents existant" not in shown
    # A body's address (lines shorter than the template's), a number opening a line
    # after anything but a preposition, keep their breaks (a hostile review).
    from contrechamp.access.letters import for_screen

    address = (
        "Direction départementale de la sécurité publique du Val-d'Oise\nplace de la Préfecture"
    )
    assert for_screen(address) == address
    listed = (
        "Les documents suivants, dont la liste complète est donnée ci-dessous, sont :\n12 plans"
    )
    assert for_screen(listed) == listed
    dated = "Par une demande que je vous ai adressée et que vous avez reçue en date du\n12 mars"
    assert for_screen(dated) == dated.replace("\n", " ")
    # The letter recorded as sent keeps the template's breaks.
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{drafted.id}/envoi/", {"sent_on": "2026-03-10", "channel": "post"}
        )
    drafted.refresh_from_db()
    assert "entre le\npublic et l'administration" in drafted.letter


def test_a_referral_contests_each_written_decision_by_what_it_was_and_joins_them(
    drafted, contributor_client, other_contributor
):
    """A partial answer of 2 April, then an explicit refusal of 5 April: the referral
    letter contested "the explicit refusal of 2 April" (the partial answer's date) and
    never named the refusal; its PDF listed "a copy of the refusal" and joined none for
    the requester who had filed them (a new user's walk)."""
    import io

    import pymupdf

    drafted.sent_on = dt.date(2026, 3, 10)
    drafted.received_on = dt.date(2026, 3, 12)
    drafted.status = "sent"
    drafted.save()
    for kind, day, words in (
        ("partial", "2026-04-02", "Communication partielle de la convention."),
        ("refusal", "2026-04-05", "Nous refusons de communiquer le cahier des charges."),
    ):
        response = contributor_client.post(
            f"/demandes/{drafted.id}/reponse/",
            {
                "files": [SimpleUploadedFile(f"{kind}.pdf", samples.text_pdf([words]))],
                "kind": kind,
                "date": day,
            },
        )
        assert response.status_code == 302, response.content.decode()[:800]
    text = contributor_client.get(f"/demandes/{drafted.id}/courrier/cada_referral/")
    text = text.content.decode()
    assert (
        "Décisions contestées : réponse partielle du 2 avril 2026 ; refus exprès du 5 avril 2026"
        in text
    )
    assert "copie des décisions contestées" in text
    response = contributor_client.get(f"/demandes/{drafted.id}/saisine.pdf")
    assert response.status_code == 200
    with pymupdf.open(stream=io.BytesIO(response.content), filetype="pdf") as pdf:
        pages = "".join(page.get_text() for page in pdf)
    assert "Communication partielle" in pages and "cahier des charges" in pages
    # Only the one who filed them (they sent those bytes) or a reviewer: a file of the
    # library is no one else's to download through a request.
    from contrechamp.access.services import referral_file

    assert "cahier des charges" not in "".join(
        page.get_text()
        for page in pymupdf.open(
            stream=referral_file(drafted, user=other_contributor), filetype="pdf"
        )
    )


@pytest.mark.parametrize(
    "sent_on, received_on, error",
    [
        ("1900-01-01", "", "loi du 17 juillet 1978"),
        ("1978-07-16", "", "loi du 17 juillet 1978"),
        ("2026-03-10", "2026-03-01", "reçue avant d’avoir été envoyée"),
    ],
)
def test_a_sending_date_before_the_right_of_access_or_a_receipt_before_it_is_refused(
    drafted, contributor_client, sent_on, received_on, error
):
    """A walk's request "sent" on 1 January 1900 became refused at once, with every legal
    date in 1900, and counted in the public bodies' figures."""
    response = contributor_client.post(
        f"/demandes/{drafted.id}/envoi/",
        {"sent_on": sent_on, "channel": "email", "received_on": received_on},
        follow=True,
    )
    assert error in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.sent_on is None and drafted.status == "draft"


def test_the_confirmation_of_many_drafts_shows_only_when_it_applies(contributor_client):
    """« Oui, rédiger une demande par organisme » showed on every drafting form, for one
    commune as for a department (a new user's walk): it shows once the form sent makes
    more than 20 drafts, without a script."""
    box = 'name="confirm_many"'
    assert box not in contributor_client.get("/demandes/nouvelle/").content.decode()
    # A form refused for another reason, one commune: still not asked.
    refused = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "title": ""})
    assert refused.status_code == 400 and box not in refused.content.decode()
    many = {**DRAFT, "communes": "", "department": "2A"}
    asked = contributor_client.post("/demandes/nouvelle/", many).content.decode()
    assert box in asked and "124" in asked and not AccessRequest.objects.exists()
    # Ticked, with another field to mend: still shown, still ticked.
    kept = contributor_client.post(
        "/demandes/nouvelle/", {**many, "title": "", "confirm_many": "on"}
    ).content.decode()
    assert re.search(r'name="confirm_many"[^>]*checked', kept)
    response = contributor_client.post("/demandes/nouvelle/", {**many, "confirm_many": "on"})
    assert response.status_code == 302 and AccessRequest.objects.count() == 124
