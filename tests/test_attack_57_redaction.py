"""Hostile review 57: surnames with particles, published after "accept all suggestions".

A new user's walk: on a council text "Secrétaire de séance : Mme Béatrice de Lavalette",
detection suggested "Béatrice" alone; once every suggestion was accepted and the
document published, the published PDF, the public page, the API and a public citation
quote read "Mme ▇ de Lavalette". "Monsieur Le Maire" was suggested as a person's name.

Each test fails on the code it was written against."""

from __future__ import annotations

import re

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import entities_accept
from contrechamp.redaction.models import Redaction
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

# Every form the walk and the shared samples gave: a particle after a first name, a
# surname alone after a civility, a list after "MM.", a name in capitals, an elided
# particle twice, two particles, a capitalised particle, a line's end inside the name.
MINUTES = (
    "CONSEIL MUNICIPAL DE SAINT-ÉTIENNE — Séance du 14 octobre 2024\n"
    "Secrétaire de séance : Mme Béatrice de Lavalette\n"
    "Présents : MM. Joachim du Bellay et Yann Le Goff, Mme Anne d'Estienne d'Orves, "
    "M. Pieter Van der Berg, Mme Maria dos Santos, M. Karim Ben Ali.\n"
    "La reconnaissance faciale est défendue par Mme de Lavalette et M. DE LA TOUR DU PIN "
    "mais écartée.\n"
    "Le courrier de Madame Claire de La Fontaine, riveraine, est joint au dossier.\n"
    "Le conseil autorise Monsieur Le Maire à signer la convention ; Mme Dupuis de la "
    "commune voisine en reçoit copie."
)
# The words of the surnames, as a reader would search them (capitals as written).
SURNAMES = [
    "Lavalette",
    "Bellay",
    "Goff",
    "Estienne",
    "Orves",
    "Van",
    "Berg",
    "Santos",
    "Ben",
    "Ali",
    "TOUR",
    "PIN",
    "Fontaine",
    "Dupuis",
]


def _leaked(text: str) -> list[str]:
    return [name for name in SURNAMES if re.search(rf"\b{name}\b", text)]


def _pdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return "\n".join(page.get_text() for page in pdf)


@pytest.fixture
def minutes(contributor) -> Document:
    return add(samples.text_pdf([MINUTES]), "pv-conseil.pdf", uploaded_by=contributor)


def test_accepting_every_suggestion_publishes_no_part_of_a_surname(client, reviewer, minutes):
    # A reviewer cites the page: its sentence on face recognition becomes a public quote.
    suggested = Entity.objects.filter(page__document=minutes, kind__in=["commune", "technology"])
    commune = suggested.get(kind="commune", value="42218")
    technology = suggested.get(kind="technology", value="reconnaissance-faciale")
    deployment = entities_accept(entities=[commune], user=reviewer)
    deployment = entities_accept(entities=[technology], deployment=deployment, user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)

    # "Accept all suggestions", then publish: the gate accepts the copy.
    redactions_suggest(document=minutes)
    redactions_accept_all(document=minutes, user=reviewer)
    publication = document_publish(document=minutes, user=reviewer)
    assert publication.accepted, publication.reasons
    minutes.refresh_from_db()

    published_pdf = _pdf_text(files.read(files.derived_path(minutes, "published.pdf")))
    client.logout()
    places = {
        "published PDF": published_pdf,
        "published text": minutes.pages.get().published_text,
        "public page": client.get(f"/documents/{minutes.id}/").content.decode(),
        "API page": client.get(f"/api/v1/documents/{minutes.id}/pages/1").content.decode(),
        "citation quotes": " ".join(Citation.objects.values_list("quote", flat=True)),
        **_public_places(deployment),
    }
    assert "reconnaissance faciale est défendue par" in places["citation quotes"]
    assert {where: _leaked(text) for where, text in places.items() if _leaked(text)} == {}
    # What is no one's name stays readable: the mayor's title, the neighbouring commune.
    published = " ".join(places["published text"].split())
    assert "autorise Monsieur Le Maire à signer" in published, published
    assert "de la commune voisine" in published, published


def test_a_title_is_never_suggested_as_a_name(minutes):
    redactions_suggest(document=minutes)
    texts = list(Redaction.objects.of(minutes).values_list("text", flat=True))
    assert not [t for t in texts if re.search(r"(?i)\bmaire\b|\bcommune\b", t)], texts


def test_a_name_drawn_with_a_ligature_is_boxed_and_the_copy_published(reviewer):
    """The page draws "Griffon" with the ligature "ﬀ" and its stored text reads "ff":
    the search for the accepted name on the page found nothing, no box was drawn, and
    the gate refused the copy ("Claire Griffon" still readable) after "accept all"."""
    letter = "Courrier de Mme Claire Griffon, riveraine, sur les caméras de la place."
    document = add(samples.text_pdf([letter]), "courrier.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document, user=reviewer)
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    document.refresh_from_db()
    published = document.pages.get().published_text
    assert "Griffon" not in published and "caméras de la place" in published
