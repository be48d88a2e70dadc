"""Hostile review 58: the document details correction (/documents/<id>/corriger/).

The title typed in the form goes through the redaction app's rule (a name redacted by
publication comes back as "[…]", a new name is refused). The source address, in the same
form and as public (the document's page, the API, the registry's citations), goes
through nothing but a scheme check.

Each test fails on the code it was written against."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contrechamp.documents.details import document_details_update
from contrechamp.documents.models import Document
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.conftest import TwoFactorClient
from tests.documents import samples
from tests.documents.conftest import add, library, publish  # noqa: F401 (fixture)
from tests.documents.test_document_details import COMPLAINT

pytestmark = pytest.mark.django_db


def _published_complaint(reviewer):
    """The complaint of M. Jean Dupont, published with his name redacted everywhere."""
    document = add(
        samples.text_pdf([COMPLAINT]), "reclamation.pdf", title="Réclamation de Jean Dupont"
    )
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    assert document_publish(document=document, user=reviewer).accepted
    document.refresh_from_db()
    assert "Dupont" not in document.title
    return document


def _correct(reviewer, document, **values):
    client = TwoFactorClient()
    client.force_login(reviewer)
    return client.post(
        reverse("document-details", args=[document.id]), {**values, "version": document.version}
    )


@pytest.mark.parametrize(
    "address",
    [
        # Where the reviewer found it: the mail that forwarded it, with its sender.
        "https://webmail.example.org/read?from=jean.dupont%40gmail.com&id=88",
        "https://webmail.example.org/read?from=jean.dupont@gmail.com&id=88",
        # The local paper's article, whose address is its headline.
        "https://www.nicematin.com/faits-divers/jean-dupont-demande-le-retrait-de-la-camera",
    ],
    ids=["encoded-address", "address", "redacted-name"],
)
def test_a_source_address_does_not_publish_what_redaction_removed(
    reviewer,
    library,  # noqa: F811
    address,
):
    """A reviewer corrects the source address of the published complaint. It is stored
    and shown to every visitor at once (the page, the API): the e-mail address of the
    private person, or his name that publication removed from the file and the title.
    The same form refuses "Marie Lambert" in the title."""
    document = _published_complaint(reviewer)
    response = _correct(reviewer, document, source_url=address)
    document.refresh_from_db()
    if response.status_code == 400:
        return  # refused: held
    visitor = TwoFactorClient()
    shown = (
        visitor.get(document.get_absolute_url()).content.decode()
        + visitor.get(f"/api/v1/documents/{document.id}").content.decode()
    ).lower()
    for trace in ("jean.dupont", "jean-dupont"):
        assert trace not in shown, (
            f"the source address {document.source_url!r} publishes {trace!r} on the "
            "published document's public page and API: the name redaction removed"
        )


def _complaint_reviewed(uploader=None):
    """The complaint, every suggestion redacted (pages and title), not yet published."""
    document = add(
        samples.text_pdf([COMPLAINT]),
        "reclamation.pdf",
        title="Réclamation de Jean Dupont",
        uploaded_by=uploader,
    )
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    return document


@pytest.mark.parametrize(
    "address",
    [
        "https://webmail.example.org/read?from=jean.dupont%2540gmail.com",  # encoded twice
        "https://example.org/contact/06-12-34-56-78",
        "https://example.org/forum?tel=%2B33612345678",
        "https://www.nicematin.com/faits-divers/Jean_Dupont_demande_le_retrait",
        "https://blog.example.org/jeandupont/reclamation",
    ],
    ids=["twice-encoded", "phone-in-path", "encoded-phone", "underscores", "joined"],
)
def test_an_uploader_s_address_with_personal_data_is_refused_before_publication(
    contributor,
    english,
    library,  # noqa: F811
    address,
):
    """The uploader of the private complaint writes the source address: nothing of it is
    public yet, but it will be as it is (nothing redacts an address), so it is refused
    now, whatever its encoding."""
    document = _complaint_reviewed(uploader=contributor)
    response = _correct(contributor, document, source_url=address)
    assert response.status_code == 400
    assert "personal data" in response.content.decode()
    document.refresh_from_db()
    assert document.source_url == ""


def test_a_source_address_naming_no_one_is_kept(
    reviewer,
    library,  # noqa: F811
):
    """The rule refuses what redaction removed, not any address with a number or a
    hyphen in it: an article's slug, its act number, its page identifier."""
    document = _published_complaint(reviewer)
    address = (
        "https://www.nicematin.com/faits-divers/nice-la-camera-de-la-rue-de-france-"
        "deliberation-2024-06-178-123456789?utm_source=rss&page=2"
    )
    assert _correct(reviewer, document, source_url=address).status_code == 302
    document.refresh_from_db()
    assert document.source_url == address


def test_publication_refuses_an_address_that_shows_a_redacted_name(
    reviewer,
    library,  # noqa: F811
):
    """The address was written before the name was redacted (or by the admin, or before
    the form checked it): the publication that removes "Jean Dupont" from the file and
    the title must not publish him in the address. Refused, saying why; nothing public."""
    document = _complaint_reviewed()
    Document.objects.filter(id=document.id).update(
        source_url="https://www.nicematin.com/faits-divers/jean-dupont-demande-le-retrait"
    )
    document.refresh_from_db()
    publication = document_publish(document=document, user=reviewer)
    assert not publication.accepted
    assert [f["code"] for f in publication.reasons] == ["address_personal"]
    document.refresh_from_db()
    assert not document.is_public


def test_publication_refuses_a_new_name_typed_as_the_published_title(
    reviewer,
    library,  # noqa: F811
):
    """The reviewer types the title at publication: a name redacted becomes "[…]", but
    a name nobody reviewed ("Marie Lambert") was published as typed."""
    document = _complaint_reviewed()
    publication = document_publish(
        document=document, user=reviewer, title="Réclamation de Marie Lambert"
    )
    assert not publication.accepted
    assert [f["code"] for f in publication.reasons] == ["title_personal"]
    document.refresh_from_db()
    assert not document.is_public and "Lambert" not in document.title


def test_the_service_checks_the_right_on_the_row_it_locks(
    reviewer,
    contributor,
    library,  # noqa: F811
):
    """The uploader's correction is on its way (the view checked their right on the
    private document it read) when a reviewer publishes it: the service, called with
    what the view read, must not let the uploader change a published document."""
    document = _complaint_reviewed(uploader=contributor)
    read_by_the_view = Document.objects.get(id=document.id)
    assert document_publish(document=document, user=reviewer).accepted
    published = Document.objects.get(id=document.id)
    with pytest.raises(PermissionDenied):
        document_details_update(
            document=read_by_the_view,
            data={"source_url": "https://example.org/autre-source"},
            base_version=published.version,
            user=contributor,
        )
    assert Document.objects.get(id=document.id).source_url == ""
