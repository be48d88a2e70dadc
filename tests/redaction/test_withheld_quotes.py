"""The quote of a library document a contributor may not read whole, in the deployment's
edit form: never shown, never moved to another source, kept when the document is
published meanwhile, and its row still removable. Attacks from a hostile review of the
session's change (a copy of its throwaway tests, kept as they failed on that code)."""

import pytest

from contrechamp.documents.models import Entity
from contrechamp.registry.models import Citation, Deployment
from tests.documents import samples
from tests.documents.conftest import add
from tests.registry.html_form import form_fields, set_field

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des "
    "capteurs sonores rue des Aciéries, dans la cour de l'école Jules-Ferry."
)


def _setup(client, reviewer):
    document = add(samples.text_pdf([TEXT]), "deliberation.pdf")
    client.force_login(reviewer)
    commune = Entity.objects.get(page__document=document, kind="commune")
    client.post(f"/suggestions/{commune.id}/accepter/", {"deployment": "new"})
    commune.refresh_from_db()
    kept = commune.citation.quote
    assert "Jules-Ferry" in kept
    deployment = commune.citation.deployment
    Deployment.objects.filter(id=deployment.id).update(is_published=True)
    deployment.refresh_from_db()
    return document, deployment, kept


def test_the_edit_form_gives_no_contributor_the_quote_of_an_unpublished_document(
    client, reviewer, contributor
):
    """A new user's walk: the deployment's edit form held the whole passage of a private
    document (its page showed "Extrait masqué…") for any contributor who opened it."""
    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    assert "Jules-Ferry" not in page and "Aciéries" not in page
    assert "pas encore publié" in page
    # The form sent back as it came, with a new title, keeps the quote whole.
    fields = form_fields(page)
    set_field(fields, "title", "Capteurs sonores à Saint-Étienne")
    response = client.post(f"/dispositifs/{deployment.slug}/modifier/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    deployment.refresh_from_db()
    assert deployment.title == "Capteurs sonores à Saint-Étienne"
    assert [c.quote for c in deployment.citations.all()] == [kept]
    # The reviewer, who reads originals, sees it whole.
    client.force_login(reviewer)
    assert "Jules-Ferry" in client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()


def test_source_swap_makes_private_quote_public(client, reviewer, contributor):
    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    assert "Jules-Ferry" not in page
    fields = form_fields(page)
    # Contributor only changes the source of the row (title + URL): quote left as shown.
    set_field(fields, "citations-0-source_title", "Mon blog")
    set_field(fields, "citations-0-url", "https://example.org/blog")
    client.post(f"/dispositifs/{deployment.slug}/modifier/", fields)
    client.logout()
    public = client.get(deployment.get_absolute_url()).content.decode()
    assert "Jules-Ferry" not in public


def test_pending_choice_shows_private_quote(client, reviewer, contributor):
    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    fields = form_fields(page)
    fields["conflict"] = ["citations"]  # crafted: as if a conflict page asked to choose
    r = client.post(f"/dispositifs/{deployment.slug}/modifier/", fields)
    body = r.content.decode()
    assert "Jules-Ferry" not in body


def test_quote_erased_when_document_published_between_get_and_post(client, reviewer, contributor):
    from contrechamp.redaction.services import document_publish, redactions_suggest

    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    fields = form_fields(page)
    # Meanwhile, a reviewer publishes the document.
    redactions_suggest(document=document)
    pub = document_publish(document=document, user=reviewer, no_redactions=True)
    assert pub.accepted, pub.reasons
    set_field(fields, "title", "Nouveau titre")
    client.post(f"/dispositifs/{deployment.slug}/modifier/", fields)
    quotes = [c.quote for c in Citation.objects.filter(deployment=deployment)]
    assert quotes == [kept]


@pytest.mark.parametrize("variant", ["title", "citations"])
def test_stale_edit_page(client, reviewer, contributor, variant):
    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    mine = form_fields(page)
    # reviewer edits meanwhile
    client.force_login(reviewer)
    rpage = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    theirs = form_fields(rpage)
    set_field(theirs, "title", "Titre du relecteur")
    if variant == "citations":
        set_field(theirs, "citations-1-source_title", "Ouest-France")
        set_field(theirs, "citations-1-url", "https://example.org/of")
        set_field(theirs, "citations-1-quote", "autre")
    r = client.post(f"/dispositifs/{deployment.slug}/modifier/", theirs)
    assert r.status_code == 302, r.content.decode()[:2000]
    client.force_login(contributor)
    set_field(mine, "title", "Titre du contributeur")
    if variant == "citations":
        set_field(mine, "citations-1-source_title", "Le Progrès")
        set_field(mine, "citations-1-url", "https://example.org/lp")
        set_field(mine, "citations-1-quote", "encore")
    r = client.post(f"/dispositifs/{deployment.slug}/modifier/", mine)
    body = r.content.decode()
    # Save again as the page holds it (choose mine where asked)
    again = form_fields(body)
    import re

    for field in re.findall(r'name="choose-([\w]+)"', body):
        again[f"choose-{field}"] = ["mine"]
    client.post(f"/dispositifs/{deployment.slug}/modifier/", again)
    quotes = sorted(c.quote for c in Citation.objects.filter(deployment=deployment))
    assert kept in quotes
    assert "Jules-Ferry" not in body


def test_stale_then_unchosen(client, reviewer, contributor):

    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    mine = form_fields(client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode())
    client.force_login(reviewer)
    theirs = form_fields(client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode())
    set_field(theirs, "citations-0-locator", "p. 1, § 2")
    assert client.post(f"/dispositifs/{deployment.slug}/modifier/", theirs).status_code == 302
    client.force_login(contributor)
    set_field(mine, "citations-0-locator", "p. 1, § 3")
    body = client.post(f"/dispositifs/{deployment.slug}/modifier/", mine).content.decode()
    again = form_fields(body)  # forgets to choose
    r = client.post(f"/dispositifs/{deployment.slug}/modifier/", again)
    assert "Jules-Ferry" not in r.content.decode()


def test_remove_withheld_row(client, reviewer, contributor):
    document, deployment, kept = _setup(client, reviewer)
    client.force_login(contributor)
    page = client.get(f"/dispositifs/{deployment.slug}/modifier/").content.decode()
    fields = form_fields(page)
    # add another source so the deployment still cites one
    set_field(fields, "citations-1-source_title", "Ouest-France")
    set_field(fields, "citations-1-url", "https://example.org/of")
    set_field(fields, "citations-1-quote", "Saint-Étienne installe des capteurs sonores")
    for k in (
        "source_title",
        "publisher",
        "url",
        "published_on",
        "locator",
        "accessed_on",
        "quote",
    ):
        set_field(fields, f"citations-0-{k}", "")
    r = client.post(f"/dispositifs/{deployment.slug}/modifier/", fields)
    r.content.decode()

    assert r.status_code == 302
    assert not any("Jules-Ferry" in c.quote for c in Citation.objects.filter(deployment=deployment))
