"""Who may do what with the library and its redaction, asked of the rule itself
(`contrechamp.documents.permissions`, `contrechamp.redaction.permissions`) and checked
through the pages AND the API: both must answer as the rule says, for every persona, on
a published document and on a private one (uploaded by the contributor), with an
accepted entity and one still suggested."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from contrechamp.documents import permissions
from contrechamp.documents.models import Document, Entity
from contrechamp.places.models import Commune
from contrechamp.redaction import permissions as redaction_permissions
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

PUBLIC_TEXT = "Délibération du conseil municipal sur la vidéoprotection du centre-ville."
PRIVATE_TEXT = "Note interne sur les capteurs sonores du quartier de Tarentaize."
PERSONAS = ["anonymous", "contributor", "reviewer", "administrator"]


def _entity(document: Document, *, text: str, status: str) -> Entity:
    page = document.pages.get(number=1)
    start = page.text.index(text)
    return Entity.objects.create(
        page=page,
        kind="technology",
        text=text,
        value=text.lower(),
        start=start,
        end=start + len(text),
        confidence=0.9,
        status=status,
    )


@pytest.fixture
def shelf(contributor):
    published = add(samples.text_pdf([PUBLIC_TEXT]), "deliberation.pdf")
    accepted = _entity(published, text="vidéoprotection", status="accepted")
    suggested = _entity(published, text="centre-ville", status="suggested")
    redactions_suggest(document=published)
    assert document_publish(document=published, no_redactions=True).accepted
    private = add(samples.text_pdf([PRIVATE_TEXT]), "note.pdf", uploaded_by=contributor)
    published.refresh_from_db()
    return {
        "published": published,
        "private": private,
        "accepted": accepted,
        "suggested": suggested,
    }


@pytest.fixture
def as_persona(client, contributor, reviewer, administrator):
    people = {
        "anonymous": AnonymousUser(),
        "contributor": contributor,
        "reviewer": reviewer,
        "administrator": administrator,
    }

    def login(persona: str):
        client.logout()
        user = people[persona]
        if user.is_authenticated:
            client.force_login(user)
        return client, user

    return login


def test_it_reads_a_document_by_the_same_rule_in_the_page_and_the_api(shelf, as_persona):
    for persona in PERSONAS:
        _reads_by_one_rule(shelf, *as_persona(persona), persona)


def _reads_by_one_rule(shelf, client, user, persona):
    for name, text in (("published", "vidéoprotection"), ("private", "Tarentaize")):
        document = shelf[name]
        own = name == "private" and persona == "contributor"
        may_read = permissions.may_read_document(user, document)
        assert may_read == (name == "published" or persona in ("reviewer", "administrator"))
        page = client.get(f"/documents/{document.id}/?page=1")
        api_page = client.get(f"/api/v1/documents/{document.id}/pages/1")
        api_document = client.get(f"/api/v1/documents/{document.id}")
        assert (api_page.status_code == 200) == may_read == (api_document.status_code == 200)
        # (Her own original's text for its uploader: `may_download_original`.)
        opens = permissions.may_download_original(user, document)
        assert opens == (persona in ("reviewer", "administrator") or own)
        assert (text in page.content.decode()) == (may_read or opens)
        if may_read:
            assert text in api_page.json()["text"]
        # Knowing of a document is wider only for its uploader, who sees its status.
        knows = permissions.listed_document(user, document.id) is not None
        assert (page.status_code == 200) == knows
        assert knows == (may_read or (name == "private" and persona == "contributor"))
        listed = {d["id"] for d in client.get("/api/v1/documents?limit=100").json()["results"]}
        assert (document.id in listed) == may_read


def test_it_shows_suggested_entities_to_reviewers_only_in_the_page_and_the_api(shelf, as_persona):
    for persona in PERSONAS:
        _entities_by_one_rule(shelf, *as_persona(persona), persona)


def _entities_by_one_rule(shelf, client, user, persona):
    document = shelf["published"]
    visible = set(
        permissions.visible_entities(user, Entity.objects.filter(page__document=document))
    )
    reviewer = persona in ("reviewer", "administrator")
    assert shelf["accepted"] in visible
    assert (shelf["suggested"] in visible) == reviewer
    page = client.get(f"/documents/{document.id}/?page=1").content.decode()
    api = client.get(f"/api/v1/documents/{document.id}/entities").json()["results"]
    assert {e["text"] for e in api} == {e.text for e in visible}
    assert 'data-value="vidéoprotection"' in page
    assert ('data-value="centre-ville"' in page) == reviewer
    assert (f"/suggestions/{shelf['suggested'].id}/accepter/" in page) == reviewer
    assert all((e["start"] is not None) == reviewer for e in api)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_serves_originals_and_takes_entity_decisions_by_one_rule(shelf, as_persona, persona):
    client, user = as_persona(persona)
    reviewer = persona in ("reviewer", "administrator")
    for name in ("published", "private"):
        document = shelf[name]
        # Every original for reviewers; her own (the private one) for its uploader.
        opens = reviewer or (name == "private" and persona == "contributor")
        assert permissions.may_download_original(user, document) == opens
        assert permissions.may_see_originals(user) == reviewer
        original = client.get(f"/documents/{document.id}/original/")
        assert (original.status_code == 200) == opens
        image = client.get(f"/documents/{document.id}/pages/1.png")
        assert (image.status_code == 200) == (
            opens or permissions.may_read_document(user, document)
        )
    # The page offers the download (a template filter of the same rule) to those only.
    page = client.get(f"/documents/{shelf['published'].id}/").content.decode()
    assert (f"/documents/{shelf['published'].id}/original/" in page) == reviewer
    suggested = shelf["suggested"]
    assert permissions.may_accept_entities(user) == reviewer
    rejected = client.post(f"/suggestions/{suggested.id}/rejeter/")
    suggested.refresh_from_db()
    assert (suggested.status == "rejected") == reviewer
    assert rejected.status_code == (302 if reviewer else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_reviewers_only_review_publish_and_withdraw(shelf, as_persona, persona):
    client, user = as_persona(persona)
    reviewer = persona in ("reviewer", "administrator")
    private, published = shelf["private"], shelf["published"]
    assert redaction_permissions.may_review_redactions(user) == reviewer
    assert redaction_permissions.may_publish(user, private) == reviewer
    assert redaction_permissions.may_unpublish(user, published) == reviewer
    review = client.get(f"/documents/{private.id}/caviardage/")
    assert (review.status_code == 200) == reviewer
    client.post(f"/documents/{private.id}/caviardage/detecter/")
    client.post(f"/documents/{private.id}/publier/", {"no_redactions": "on"})
    private.refresh_from_db()
    assert private.is_public == reviewer
    client.post(f"/documents/{published.id}/depublier/")
    published.refresh_from_db()
    assert published.is_public != reviewer
    # What the page offers follows the same rule: the review link only for reviewers.
    page = client.get(f"/documents/{published.id}/").content.decode()
    assert (f"/documents/{published.id}/caviardage/" in page) == reviewer


def test_it_offers_the_upload_form_to_those_the_upload_lets_in(as_persona):
    for persona in PERSONAS:
        client, user = as_persona(persona)
        may = permissions.may_upload_documents(user)
        assert may == (persona != "anonymous")
        listing = client.get("/documents/").content.decode()
        assert ('id="upload-form"' in listing) == may
        refused = client.post("/documents/envoi/", {"files": []})
        assert (refused.status_code == 403) != may


def _published_attachment_of_a_private_email():
    """An e-mail whose subject names a person, never published, and its attachment
    published on its own (a council's deliberation sent in reply)."""
    message = samples.eml(
        "Veuillez trouver ci-joint la délibération.",
        samples.text_pdf([PUBLIC_TEXT]),
        subject="Plainte de Josiane Verdier-Lacoste contre la mairie",
    )
    email = add(message, "message.eml")
    attachment = email.children.get()
    redactions_suggest(document=attachment)
    assert document_publish(document=attachment, no_redactions=True).accepted
    attachment.refresh_from_db()
    email.refresh_from_db()
    assert attachment.is_public and not email.is_public
    return email, attachment


def test_a_published_attachment_never_names_nor_links_its_private_email(client, reviewer):
    email, attachment = _published_attachment_of_a_private_email()
    # Its page, as anyone: the e-mail's subject (its title) and address are private.
    page = client.get(attachment.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "Verdier-Lacoste" not in content
    assert email.get_absolute_url() not in content
    # The API: no parent to follow for whom may not read it (ids reveal nothing).
    answer = client.get(f"/api/v1/documents/{attachment.id}")
    assert answer.status_code == 200 and answer.json()["parent"] is None
    assert client.get(f"/api/v1/documents/{email.id}").status_code == 404
    # A reviewer reads the e-mail: it is named and linked on its attachment's page.
    client.force_login(reviewer)
    content = client.get(attachment.get_absolute_url()).content.decode()
    assert "Verdier-Lacoste" in content and email.get_absolute_url() in content
    assert client.get(f"/api/v1/documents/{attachment.id}").json()["parent"] == email.id


def test_a_published_attachment_of_a_private_email_is_listed_and_on_its_place_page(client):
    nice = Commune.objects.get(code="06088")
    message = samples.eml(
        "Veuillez trouver ci-joint la délibération.",
        samples.text_pdf([PUBLIC_TEXT]),
        subject="Plainte de Josiane Verdier-Lacoste contre la mairie",
    )
    email = add(message, "message.eml", places=[nice])
    attachment = email.children.get()
    assert list(attachment.places.all()) == [nice]
    # Nothing published yet: neither is listed for anyone but reviewers.
    assert attachment.title not in client.get("/documents/").content.decode()
    redactions_suggest(document=attachment)
    assert document_publish(document=attachment, no_redactions=True).accepted
    for address in ("/documents/", "/documents/?place=06088", "/communes/06088/"):
        content = client.get(address).content.decode()
        assert attachment.get_absolute_url() in content, address
        assert email.get_absolute_url() not in content and "Verdier-Lacoste" not in content
    # Once the e-mail is published too, it stands for its attachment (listed once, under
    # the e-mail's page, not twice).
    redactions_suggest(document=email)
    Redaction.objects.filter(Q(page__document=email) | Q(title_of=email)).update(status="accepted")
    assert document_publish(document=email).accepted
    for address in ("/documents/", "/documents/?place=06088", "/communes/06088/"):
        content = client.get(address).content.decode()
        assert email.get_absolute_url() in content, address
        assert f'href="{attachment.get_absolute_url()}"' not in content, address


def test_the_processing_steps_show_attachments_by_count_not_by_number(client, reviewer):
    # Published e-mail, private attachment: its number is no one's but reviewers'.
    message = samples.eml(
        "Veuillez trouver ci-joint la délibération.", samples.text_pdf([PRIVATE_TEXT])
    )
    email = add(message, "message.eml")
    attachment = email.children.get()
    redactions_suggest(document=email)
    Redaction.objects.filter(Q(page__document=email) | Q(title_of=email)).update(status="accepted")
    assert document_publish(document=email).accepted
    steps = email.steps.get(name="extract")
    assert steps.output["attachments"] == [attachment.id]
    content = client.get(email.get_absolute_url()).content.decode()
    assert attachment.id > 1  # (a count of 1 and the number 1 would read alike)
    # (PostgreSQL keeps a JSON object's keys in its own order: found by their label.)
    label = str(steps.OUTPUT_LABELS["attachments"])
    [public] = [p for p in steps.public_summary.split(" · ") if p.startswith(label)]
    [full] = [p for p in steps.summary.split(" · ") if p.startswith(label)]
    assert public.endswith(" 1") and full.endswith(f" {attachment.id}")
    assert attachment.get_absolute_url() not in content
    assert f": {attachment.id}</code>" not in content and f": {attachment.id} ·" not in content
    client.force_login(reviewer)
    content = client.get(email.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in content


def test_a_contributor_sees_the_attachments_of_their_own_email(client, contributor):
    message = samples.eml("Ci-joint.", samples.text_pdf([PRIVATE_TEXT]))
    email = add(message, "message.eml", uploaded_by=contributor)
    attachment = email.children.get()
    assert attachment.uploaded_by == contributor
    client.force_login(contributor)
    assert attachment.get_absolute_url() in client.get(email.get_absolute_url()).content.decode()
    assert email.get_absolute_url() in client.get(attachment.get_absolute_url()).content.decode()
    # Another contributor knows of neither.
    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 404
