"""What the queue says when no change waits but documents do (a new user's walk read
"Rien n'attend de relecture" under a link to two documents waiting)."""

from contrechamp.documents.models import Document
from contrechamp.registry.models import Proposal


def _waiting(title: str) -> Document:
    return Document.objects.create(
        sha256=f"{abs(hash(title)):064d}"[:64],
        size=1,
        filename="cr.pdf",
        title=title,
        origin="council",
        status="done",
    )


def test_it_names_what_waits_elsewhere_and_where(client, reviewer):
    Proposal.objects.filter(state="pending").delete()
    _waiting("Délibération de Suresnes")
    _waiting("Arrêté de Puteaux")
    client.force_login(reviewer)
    html = client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rien n’attend de relecture" not in html
    assert (
        "Aucune modification du registre n’attend de relecture. En attente ailleurs :"
        ' <a href="/documents/?publication=waiting">2 documents à occulter et publier</a>'
    ) in " ".join(html.split())
    english = client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 documents to redact and publish</a>" in english


def test_it_says_nothing_waits_only_when_nothing_does(client, reviewer):
    Proposal.objects.filter(state="pending").delete()
    Document.objects.filter(status="done", is_public=False).delete()
    client.force_login(reviewer)
    html = client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Nothing waits for review: no change to the registry, no document to publish. No open tip."
    ) in html
