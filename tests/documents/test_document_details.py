"""Correcting a document's details by hand (date, title, origin, source address).

A new user's walk found a prefectoral order signed on 20 January 2025 dated "3 janvier
2025", the date of the request it quotes, on the public page, in search and in the API,
with no form to fix it. Each test attacks one guarantee of the correction form the way a
hostile or careless person would."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from contrechamp.audit.models import AuditEntry
from contrechamp.documents.models import Document
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    publication_blockers,
    redactions_suggest,
)
from tests.conftest import TwoFactorClient
from tests.documents import samples
from tests.documents.conftest import add, library, publish  # noqa: F401

pytestmark = pytest.mark.django_db

ORDER = (
    "PRÉFECTURE DES ALPES-MARITIMES\n"
    "Arrêté préfectoral portant autorisation d'un système de vidéoprotection\n"
    "Vu la demande présentée le 3 janvier 2025 par la commune de Nice ;\n"
    "Article 1er : le système de vidéoprotection de la place Masséna est autorisé.\n"
    "Fait à Nice, le 20 janvier 2025\n"
    "Le préfet"
)
COMPLAINT = (
    "Réclamation adressée à la mairie de Nice au sujet de la vidéoprotection.\n"
    "M. Jean Dupont demande le retrait de la caméra installée devant son immeuble.\n"
    "La commune répond que la caméra filme la voie publique."
)


def _order(**options) -> Document:
    return add(samples.text_pdf([ORDER]), "arrete-videoprotection.pdf", **options)


def _as(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


def _url(document: Document) -> str:
    return reverse("document-details", args=[document.id])


def _post(client, document: Document, version: int | None = None, **values):
    data = dict(values)
    data["version"] = document.version if version is None else version
    return client.post(_url(document), data)


def test_it_corrects_a_date_read_from_a_quoted_request_everywhere_at_once(
    reviewer, settings, english
):
    """The date guessed at ingest (the request's, the first one of the text) is wrong; a
    reviewer writes the signature's. The public page, both search engines' date filters
    (the page and the API) and the API's document say the new date at once, and the page
    says where the first one came from."""
    document = _order()
    assert document.date.isoformat() == "2025-01-03"
    assert document.date_read_from == "text"
    publish(document, reviewer)
    response = _post(_as(reviewer), document, date="2025-01-20")
    assert response.status_code == 302, response.content.decode()[:2000]

    visitor = TwoFactorClient()
    page = visitor.get(document.get_absolute_url()).content.decode()
    assert "20 January 2025" in page
    assert "read from the text: 3 January 2025 — corrected by a reviewer" in page
    api = visitor.get(f"/api/v1/documents/{document.id}").json()
    assert (api["date"], api["date_source"], api["date_read"]) == (
        "2025-01-20",
        "reviewer",
        "2025-01-03",
    )
    for backend in ("tantivy", "database"):
        settings.SEARCH_BACKEND = backend
        from contrechamp.documents import search

        search.document_index(Document.objects.get(id=document.id))
        after = visitor.get(
            "/api/v1/search", {"q": "vidéoprotection", "date_from": "2025-01-15"}
        ).json()
        assert [hit["document"]["id"] for hit in after["results"]] == [document.id], backend
        before = visitor.get(
            "/api/v1/search", {"q": "vidéoprotection", "date_to": "2025-01-10"}
        ).json()
        assert before["results"] == [], backend
        listed = visitor.get(
            reverse("search"), {"q": "vidéoprotection", "date_from": "2025-01-15"}
        ).content.decode()
        assert document.get_absolute_url() in listed, backend


def test_the_index_is_rewritten_by_the_correction_itself(reviewer, settings):
    """With tantivy, the date filter reads the index's own copy of the date: without a
    new indexing by the correction, the search still finds the document on 3 January."""
    settings.SEARCH_BACKEND = "tantivy"
    document = _order()
    publish(document, reviewer)
    assert _post(_as(reviewer), document, date="2025-01-20").status_code == 302
    visitor = TwoFactorClient()
    found = visitor.get("/api/v1/search", {"q": "vidéoprotection", "date_to": "2025-01-10"})
    assert found.json()["results"] == []


def test_a_month_or_a_year_is_written_as_the_project_writes_partial_dates(reviewer, english):
    document = _order()
    assert _post(_as(reviewer), document, date="2025-01").status_code == 302
    document.refresh_from_db()
    assert (document.date_value, document.date_precision) == ("2025-01", "month")
    client = _as(reviewer)
    assert client.get(f"/api/v1/documents/{document.id}").json()["date"] == "2025-01"
    assert "January 2025" in client.get(document.get_absolute_url()).content.decode()
    assert _post(client, document, date="2024").status_code == 302
    document.refresh_from_db()
    assert (document.date_value, document.date.isoformat()) == ("2024", "2024-01-01")


def test_two_reviewers_on_one_form_the_second_gets_a_conflict_not_an_overwrite(reviewer, english):
    """Renée and Bruno open the form in two browsers. Renée saves a new title; Bruno,
    whose form still holds the old one, saves a date: nothing of his is written, his
    page says what Renée saved, and saving again (knowingly) goes through."""
    from contrechamp.accounts.services import user_create
    from tests.conftest import PASSWORD, give_authenticator

    bruno = give_authenticator(
        user_create(username="bruno", email="bruno@example.org", password=PASSWORD, role="reviewer")
    )
    document = _order()
    renee, other = _as(reviewer), _as(bruno)
    loaded = document.version
    assert renee.get(_url(document)).status_code == 200
    assert other.get(_url(document)).status_code == 200
    saved = _post(renee, document, loaded, title="Arrêté du 20 janvier 2025")
    assert saved.status_code == 302
    stale = _post(other, document, loaded, title=document.title, date="2025-01-21")
    assert stale.status_code == 409
    assert "Arrêté du 20 janvier 2025" in stale.content.decode()
    document.refresh_from_db()
    assert document.title == "Arrêté du 20 janvier 2025"
    assert document.date.isoformat() == "2025-01-03"
    # Bruno has read Renée's title; his form now carries her version.
    again = _post(other, document, document.version, title=document.title, date="2025-01-21")
    assert again.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.date.isoformat()) == (
        "Arrêté du 20 janvier 2025",
        "2025-01-21",
    )


def test_a_form_opened_before_the_publication_is_a_conflict_after_it(reviewer):
    """Publication rewrote the title (its redactions became "[…]"): a form opened before
    it, holding the private title, is not saved over the published one."""
    document = add(
        samples.text_pdf([COMPLAINT]), "reclamation.pdf", title="Réclamation de Jean Dupont"
    )
    loaded = document.version
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    assert document_publish(document=document, user=reviewer).accepted
    stale = _post(_as(reviewer), document, loaded, title="Réclamation de Jean Dupont, 2025")
    assert stale.status_code == 409
    document.refresh_from_db()
    assert document.title == "Réclamation de […]"


def test_a_form_without_its_version_or_with_a_forged_one_saves_nothing(reviewer):
    document = _order()
    client = _as(reviewer)
    bare = client.post(_url(document), {"date": "2025-01-20"})
    assert bare.status_code == 400
    forged = _post(client, document, 99, date="2025-01-20")
    assert forged.status_code in (400, 409)
    document.refresh_from_db()
    assert document.date.isoformat() == "2025-01-03"


def test_a_field_removed_from_the_form_keeps_its_value(reviewer):
    document = _order()
    client = _as(reviewer)
    assert (
        _post(client, document, title="Arrêté préfectoral", source_url="https://x.fr/a").status_code
        == 302
    )
    document.refresh_from_db()
    origin = document.origin
    # Only the date: the title, origin and address stay as they are.
    assert _post(client, document, date="2025-01-20").status_code == 302
    document.refresh_from_db()
    assert (document.title, document.origin, document.source_url) == (
        "Arrêté préfectoral",
        origin,
        "https://x.fr/a",
    )
    assert document.date.isoformat() == "2025-01-20"
    # Only the title: the date stays.
    assert _post(client, document, title="Arrêté du préfet").status_code == 302
    document.refresh_from_db()
    assert document.date.isoformat() == "2025-01-20"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2999-01-01", "after today"),
        ("1850-06-01", "before 1900"),
        ("1899", "before 1900"),
        ("2025-13", "no month 13"),
        ("20/01/2025", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_a_date_in_the_future_or_before_1900_is_refused_saying_why(reviewer, english, typed, said):
    document = _order()
    response = _post(_as(reviewer), document, date=typed)
    assert response.status_code == 400
    assert said in response.content.decode()
    document.refresh_from_db()
    assert document.date.isoformat() == "2025-01-03"


def test_next_month_is_in_the_future_this_month_is_not(reviewer):
    document = _order()
    today = timezone.localdate()
    client = _as(reviewer)
    later = today.replace(day=1) + timezone.timedelta(days=32)
    assert _post(client, document, date=later.isoformat()[:7]).status_code == 400
    assert _post(client, document, date=today.isoformat()[:7]).status_code == 302


def test_a_visitor_or_another_contributor_posting_the_form_is_refused(
    reviewer, contributor, other_contributor
):
    document = _order(uploaded_by=contributor)
    # Not published: the document is hidden from those who may not know of it.
    for client in (TwoFactorClient(), _as(other_contributor)):
        assert _post(client, document, date="2025-01-20").status_code == 404
    publish(document, reviewer)
    document.refresh_from_db()
    # Published: they see it, and may not correct it; nor may its uploader now.
    for client in (TwoFactorClient(), _as(other_contributor), _as(contributor)):
        assert _post(client, document, date="2025-01-20").status_code == 403
        # (A visitor is offered the log-in page, as for any page that needs an account.)
        assert client.get(_url(document)).status_code in (302, 403)
        assert "Save the details" not in client.get(_url(document), follow=True).content.decode()
    document.refresh_from_db()
    assert document.date.isoformat() == "2025-01-03"
    page = TwoFactorClient().get(document.get_absolute_url()).content.decode()
    assert _url(document) not in page


def test_the_uploader_corrects_their_document_until_it_is_published(newcomer):
    document = _order(uploaded_by=newcomer)
    client = _as(newcomer)
    assert _url(document) in client.get(document.get_absolute_url()).content.decode()
    assert _post(client, document, date="2025-01-20").status_code == 302
    document.refresh_from_db()
    assert document.date_corrected_by == "uploader"


def test_a_name_typed_in_a_published_title_never_reaches_the_public_page(reviewer, english):
    """Publication replaced "Jean Dupont" by "[…]" in the title. A reviewer corrects the
    title, typing the original name again: it is stored as publication would store it.
    A name nobody redacted ("Marie Lambert") is refused, the title left as it was."""
    document = add(
        samples.text_pdf([COMPLAINT]), "reclamation.pdf", title="Réclamation de Jean Dupont"
    )
    redactions_suggest(document=document)
    assert Redaction.objects.filter(page__document=document, text="Jean Dupont").exists()
    # Every suggestion redacted, on the pages and on the title.
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    assert document_publish(document=document, user=reviewer).accepted
    document.refresh_from_db()
    assert document.title == "Réclamation de […]"
    client = _as(reviewer)
    typed = "Réclamation de M. Jean Dupont sur la caméra"
    assert _post(client, document, title=typed).status_code == 302
    document.refresh_from_db()
    assert document.title == "Réclamation de M. […] sur la caméra"
    refused = _post(client, document, title="Réclamation de Marie Lambert sur la caméra")
    assert refused.status_code == 400
    assert "Marie Lambert" in refused.content.decode()  # said to the reviewer
    document.refresh_from_db()
    assert document.title == "Réclamation de M. […] sur la caméra"
    visitor = TwoFactorClient()
    for address in (document.get_absolute_url(), f"/api/v1/documents/{document.id}"):
        shown = visitor.get(address).content.decode()
        assert "Dupont" not in shown and "Lambert" not in shown


def test_a_name_typed_in_a_private_title_holds_its_publication_until_decided(reviewer):
    """Detection ran and every suggestion was decided; then the title is corrected to
    hold a name. Its publication waits for a decision on the new title's name (before,
    the title was published as typed)."""
    document = add(samples.text_pdf([ORDER]), "arrete.pdf")
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    assert publication_blockers(document, no_redactions=True) == []
    client = _as(reviewer)
    assert _post(client, document, title="Arrêté demandé par Marie Lambert").status_code == 302
    document.refresh_from_db()
    assert publication_blockers(document, no_redactions=True)
    suggested = Redaction.objects.filter(title_of=document, status="suggested")
    assert list(suggested.values_list("text", flat=True)) == ["Marie Lambert"]
    suggested.update(status="accepted")
    document_publish(document=document, user=reviewer, no_redactions=True)
    document.refresh_from_db()
    assert document.is_public and "Lambert" not in document.title


def test_the_correction_is_in_the_audit_log_without_the_title(reviewer):
    document = _order()
    _post(_as(reviewer), document, date="2025-01-20", title="Arrêté de Jean Dupont")
    entry = AuditEntry.objects.filter(action="details_corrected", target_id=str(document.id))
    assert entry.count() == 1
    entry = entry.get()
    assert entry.actor_id == reviewer.id
    assert entry.details["date"] == ["2025-01-03", "2025-01-20"]
    assert sorted(entry.details["fields"]) == ["date", "title"]
    assert "Dupont" not in str(entry.details) + entry.target_label


def test_processing_again_does_not_read_the_corrected_date_over(reviewer):
    from contrechamp.documents.metadata import document_date_fill

    document = _order()
    assert _post(_as(reviewer), document, date="").status_code == 302
    document.refresh_from_db()
    assert document.date is None
    document_date_fill(document)
    document.refresh_from_db()
    assert document.date is None


def test_a_tip_stays_a_tip_and_nothing_becomes_one(reviewer):
    document = _order()
    client = _as(reviewer)
    assert _post(client, document, origin="tip").status_code == 400
    document.refresh_from_db()
    assert document.origin != "tip"
    Document.objects.filter(id=document.id).update(origin="tip")
    document.refresh_from_db()
    assert _post(client, document, origin="press").status_code == 400
    document.refresh_from_db()
    assert document.origin == "tip"


def test_a_source_address_is_a_web_address_without_a_login(reviewer):
    document = _order()
    client = _as(reviewer)
    for typed in ("javascript:alert(1)", "https://jean:secret@example.org/a.pdf", "file:///etc"):
        assert _post(client, document, source_url=typed).status_code == 400, typed
    document.refresh_from_db()
    assert document.source_url == ""


def test_a_registry_source_citing_the_document_takes_the_corrected_date(reviewer):
    from contrechamp.registry.models import Source

    document = _order()
    publish(document, reviewer)
    source = Source.objects.create(title="x", document=document)
    assert source.published_on == "2025-01-03"
    assert _post(_as(reviewer), document, date="2025-01").status_code == 302
    source.refresh_from_db()
    assert source.published_on == "2025-01"
