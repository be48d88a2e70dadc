"""Hostile review 52, tips: what an anonymous tip can do to the library through the
deduplication by content hash."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.documents.services import document_ingest
from contrechamp.places.models import Commune
from contrechamp.tips.models import Tip
from tests.tips.helpers import send

TEXT = (
    b"Compte rendu du conseil municipal. Le conseil autorise l'installation de cameras "
    b"de videosurveillance algorithmique place Bellecour.\n"
)


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return tmp_path


@pytest.mark.django_db
def test_an_anonymous_tip_cannot_add_a_commune_to_a_public_document(client, contributor):
    """A published document of Lyon; anyone sends a tip with the same bytes (a .txt is
    stored as it came) and names Marseille: the public document now says it concerns
    Marseille too, and shows on Marseille's page, with no account and no review."""
    lyon = Commune.objects.get(code="69123")
    public = document_ingest(
        data=TEXT, filename="cr.txt", title="Compte rendu", places=[lyon], uploaded_by=contributor
    ).document
    Document.objects.filter(id=public.id).update(is_public=True, status="done")
    assert (
        "Compte rendu"
        not in Client().get(reverse("commune-detail", args=["13055"])).content.decode()
    )

    response, code = send(
        Client(),
        text="Voici le compte rendu.",
        files=[("cr.txt", TEXT, "text/plain")],
        place="13055",
    )
    assert code, response.content.decode()[:2000]
    assert sorted(public.places.values_list("code", flat=True)) == ["69123"]
    assert (
        "Compte rendu"
        not in Client().get(reverse("commune-detail", args=["13055"])).content.decode()
    )
    # The tip's file is the library's document of that content (the library keeps one
    # row per content): its reviewers see that it is already public, under its title.
    assert list(Tip.objects.get().documents.all()) == [public]
    assert Tip.objects.get().place.code == "13055"
