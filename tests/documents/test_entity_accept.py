"""Accepting suggestions cites each document page once per deployment, with a quote that
starts and ends on whole words, and the citation survives later edits."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.documents.models import Entity
from contrechamp.documents.services import entity_accept, entity_quote
from contrechamp.registry.models import Citation
from tests.documents import samples
from tests.documents.conftest import add
from tests.registry.html_form import form_fields, set_field

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD."
)
# One endless sentence: the quote must be cut, and never inside a word.
LONG = (
    "Le conseil municipal de Saint-Étienne, réuni en séance publique sous la présidence "
    "du maire, après avoir entendu l'exposé des motifs, considérant les nombreuses "
    "nuisances constatées dans le quartier Tarentaize-Beaubrun et les demandes répétées "
    "des commerçants et des associations de locataires, considérant en outre les "
    "propositions techniques remises par plusieurs prestataires spécialisés, décide "
    "d'installer des capteurs sonores fournis par la société Serenicity dans les rues "
    "adjacentes à la place du Peuple et autorise le maire à signer toutes les pièces "
    "afférentes à ce marché ainsi qu'à solliciter toutes les subventions possibles "
    "auprès de l'État et de la région, notamment au titre du fonds interministériel de "
    "prévention de la délinquance, pour une durée de deux années renouvelables"
)


@pytest.fixture
def minutes(contributor):
    return add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)


def _accept_one_by_one(document, reviewer):
    """The commune, the vendor and the funder of `document`, accepted one after the other
    into one new deployment; returns them and the deployment."""
    commune = Entity.objects.get(page__document=document, kind="commune", value="42218")
    vendor = Entity.objects.get(page__document=document, kind="organisation")
    funder = Entity.objects.get(page__document=document, kind="funder")
    deployment = entity_accept(entity=commune, user=reviewer)
    deployment = entity_accept(entity=vendor, deployment=deployment, user=reviewer)
    deployment = entity_accept(entity=funder, deployment=deployment, user=reviewer)
    return (commune, vendor, funder), deployment


def test_two_suggestions_of_one_page_make_one_citation(reviewer, minutes):
    (commune, vendor, funder), deployment = _accept_one_by_one(minutes, reviewer)
    citation = Citation.objects.get(deployment=deployment)
    for entity in (commune, vendor, funder):
        entity.refresh_from_db()
        assert entity.citation_id == citation.id
    assert "Serenicity" in citation.quote and "FIPD" in citation.quote


def test_a_long_quote_is_cut_between_words(reviewer, contributor):
    document = add(samples.text_pdf([LONG]), "long.pdf", uploaded_by=contributor)
    vendor = Entity.objects.get(page__document=document, kind="organisation")
    quote = entity_quote(vendor)
    assert "Serenicity" in quote and len(quote) <= 402
    words = set(re.findall(r"[\w'’-]+", " ".join(vendor.page.text.split())))
    inner = quote.strip("… ")
    for token in re.findall(r"[\w'’-]+", inner):
        assert token in words, f"“{token}” is a cut word"


def test_an_accepted_suggestion_keeps_its_citation_after_an_edit(client, reviewer, minutes):
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    deployment = entity_accept(entity=commune, user=reviewer)
    client.force_login(reviewer)
    url = reverse("deployment-edit", args=[deployment.slug])
    fields = form_fields(client.get(url).content.decode())
    set_field(fields, "description", "Capteurs sonores à Saint-Étienne.")
    assert client.post(url, fields).status_code == 302
    commune.refresh_from_db()
    assert commune.citation is not None and commune.citation.deployment_id == deployment.id
    assert commune.citation.source.document_id == minutes.id


def test_a_contributor_cannot_open_a_draft_quoting_a_private_document(
    reviewer, other_contributor, minutes
):
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    deployment = entity_accept(entity=commune, user=reviewer)
    other = Client()
    other.force_login(other_contributor)
    assert other.get(reverse("deployment-edit", args=[deployment.slug])).status_code == 404
    assert other.get(reverse("deployment-detail", args=[deployment.slug])).status_code == 404


def _repeated_runs(quote: str, length: int = 6) -> list[str]:
    words = [w for w in quote.split() if w not in ("…", "[…]")]
    runs = [" ".join(words[i : i + length]) for i in range(len(words) - length + 1)]
    return sorted({r for r in runs if runs.count(r) > 1})


def test_suggestions_of_one_long_sentence_accepted_one_by_one_quote_it_once(reviewer, contributor):
    """Each suggestion's quote is a window of the same long sentence around it: accepted
    one after the other into one deployment, the windows overlap, and the citation, on a
    public page, repeated the same words three times (a new user's walk)."""
    document = add(samples.text_pdf([LONG]), "long.pdf", uploaded_by=contributor)
    (commune, _vendor, _funder), deployment = _accept_one_by_one(document, reviewer)
    quote = Citation.objects.get(deployment=deployment).quote
    assert "Saint-Étienne" in quote and "Serenicity" in quote and "interministériel" in quote
    assert _repeated_runs(quote) == [], quote
    # Every word of it is the page's, in the page's order, but for the marks of cuts.
    page = " ".join(commune.page.text.split())
    for part in quote.split("[…]"):
        inner = part.strip().strip("…").strip()
        assert inner in page, inner
