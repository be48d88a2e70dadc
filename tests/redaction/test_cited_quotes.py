"""A quote a deployment takes from a library document is the document's original text:
it reaches the public only as the published (redacted) copy has it. A new user's walk of
the twenty-fifth session accepted suggestions of a private, unredacted document into a
published deployment, and its page quoted a councillor's name to anonymous visitors."""

import re

import pytest

from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import entities_accept
from contrechamp.redaction.services import (
    document_publish,
    redactions_accept_all,
    redactions_suggest,
)
from contrechamp.registry.models import Citation
from contrechamp.registry.services import deployment_publish
from tests.documents import samples
from tests.documents.conftest import add
from tests.redaction.test_source_titles import _public_places

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT.\n"
    "M. Dubreuil (groupe écologiste) demande que la reconnaissance faciale soit "
    "expressément exclue."
)


@pytest.fixture
def minutes(contributor) -> Document:
    return add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)


def _leaks(places: dict[str, str]) -> list[str]:
    return [where for where, text in places.items() if re.search("dubreuil", text, re.I)]


def test_a_quote_of_a_private_document_stays_with_the_readers_of_originals(
    client, reviewer, minutes
):
    suggested = Entity.objects.filter(
        page__document=minutes, kind__in=["commune", "technology", "organisation"]
    )
    assert {e.value for e in suggested} >= {"42218", "Serenicity"}, [
        (e.kind, e.value) for e in suggested
    ]
    commune = suggested.get(kind="commune", value="42218")
    deployment = entities_accept(entities=[commune], user=reviewer)
    deployment = entities_accept(
        entities=list(suggested.exclude(id=commune.id)), deployment=deployment, user=reviewer
    )
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    quote = Citation.objects.get(deployment=deployment).quote
    # The quote masks the names it recognises; this one it does not (as in the walk).
    assert "Dubreuil" in quote  # the registry keeps the original words...

    # ...which nobody but the readers of originals reads while the document is private:
    # not the page, its history, the API, the exports or the dump.
    places = _public_places(deployment)
    assert _leaks(places) == []
    assert "fournis par la société" not in places[deployment.get_absolute_url()]
    # Nor is the private document linked (a link would lead nowhere)...
    link = f'href="/documents/{minutes.id}/"'
    assert link not in places[deployment.get_absolute_url()]
    client.force_login(reviewer)
    assert "Dubreuil" in client.get(deployment.get_absolute_url()).content.decode()

    # Published with the name redacted: the passages the published copy holds as they are
    # are quoted to everyone; the one with the name is not.
    redactions_suggest(document=minutes)
    redactions_accept_all(document=minutes, user=reviewer)
    publication = document_publish(document=minutes, user=reviewer)
    assert publication.accepted, publication.reasons
    places = _public_places(deployment)
    assert _leaks(places) == []
    page = places[deployment.get_absolute_url()]
    assert "Serenicity" in re.sub(r"\s+", " ", page.split('id="sources"')[1])
    # ...which it is once published: from the deployment back to its document (the walk
    # found no way back).
    assert link in page
