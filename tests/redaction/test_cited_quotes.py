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
    citation = Citation.objects.get(deployment=deployment)
    # The quote masks the names it recognises ("M. Dubreuil" once its sentence is read
    # whole, past the "M."); a name it misses stays in the registry, as here, where the
    # quote is the one the walk met (cut after "M.", the name unrecognised).
    assert "M. [X] (groupe écologiste)" in citation.quote
    Citation.objects.filter(id=citation.id).update(
        quote=citation.quote.replace("M. [X]", "M. Dubreuil")
    )
    quote = Citation.objects.get(id=citation.id).quote
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


MINUTES = (
    "Compte rendu de la réunion du comité de suivi de Marseille.\n"
    "Présents : M. Karim Benali, Mme Hélène Roussel, la société Evitech.\n"
    "Les capteurs sonores du quartier de la Joliette sont présentés. La reconnaissance "
    "faciale est évoquée par M. Benali mais écartée.\n"
    "Le marché de maintenance court jusqu'en 2027."
)


def test_a_public_quote_never_stitches_masked_names_into_another_sentence(reviewer):
    """A new user's walk: the quote of "reconnaissance faciale" was cut after "M." and
    its masked names ("[…]") read as cuts between passages, so that the public page
    showed « La reconnaissance faciale est évoquée par M. […] , Mme […] , la société
    Evitech »: two people and a company raised it, and "mais écartée" was gone."""
    document = add(samples.text_pdf([MINUTES]), "cr-marseille.pdf")
    suggested = Entity.objects.filter(
        page__document=document, kind__in=["commune", "technology", "organisation"]
    )
    commune = suggested.get(kind="commune", value="13055")
    technology = suggested.get(kind="technology", value="reconnaissance-faciale")
    deployment = entities_accept(entities=[commune], user=reviewer)
    deployment = entities_accept(entities=[technology], deployment=deployment, user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    quote = Citation.objects.get(deployment=deployment).quote
    assert "La reconnaissance faciale est évoquée par M. [X] mais écartée." in quote, quote
    assert "Benali" not in quote and "Roussel" not in quote
    redactions_suggest(document=document)
    redactions_accept_all(document=document, user=reviewer)
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    places = _public_places(deployment)
    page = " ".join(places[deployment.get_absolute_url()].split())
    # Shown whole, with its mask, or not at all; never the pieces joined.
    assert "est évoquée par M. [X] mais écartée" in page
    for where, text in places.items():
        text = " ".join(text.split())
        assert not re.search(r"évoquée par M\.\s*(?:\[…\]|\[X\])\s*,", text), where
        assert "Benali" not in text and "Roussel" not in text, where


def test_the_open_data_leads_to_a_cited_document_once_it_is_published(client, reviewer, minutes):
    """A citation made from a library document had no address in the API and the CSV
    (`url: null`, the title alone): a reuser could not find the document (a new user's
    walk). Once it is published, its page is the source's address; before, nothing."""
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    deployment = entities_accept(entities=[commune], user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    page = f"/documents/{minutes.id}/"

    def sources() -> tuple[list, str]:
        api = client.get(f"/api/v1/deployments/{deployment.slug}").json()
        csv = b"".join(client.get("/exports/dispositifs.csv").streaming_content).decode()
        row = next(line for line in csv.splitlines() if deployment.title in line)
        return [c["source"]["url"] for c in api["citations"]], row

    client.logout()
    urls, row = sources()
    assert urls == [None] and page not in row
    redactions_suggest(document=minutes)
    redactions_accept_all(document=minutes, user=reviewer)
    assert document_publish(document=minutes, user=reviewer).accepted
    urls, row = sources()
    assert urls == [f"http://testserver{page}"] or urls[0].endswith(page), urls
    assert page in row
