"""Spelling suggestions of the search ("vidéosurveilance Marseile" → "vidéosurveillance
Marseille"), attacked: a suggestion must never tell someone a word that only a private
document, or a draft's organisation, holds."""

import pytest

from contrechamp.documents.models import Document
from contrechamp.documents.search import index_rebuild
from contrechamp.places.models import Commune
from contrechamp.registry.models import Organisation
from contrechamp.registry.services import deployment_create
from contrechamp.registry.spelling import suggestion
from tests.documents import samples
from tests.documents.conftest import add
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, expected",
    [
        ("vidéosurvaillance Marsielle", "vidéosurveillance Marseille"),
        ("videoprotetcion", "vidéoprotection"),
        ("reconaissance faciale", "reconnaissance faciale"),
        ("Saint-Etiene micros", "Saint-Étienne micros"),
        ("hypervison", "hypervision"),
        ("déliberation conseil municiapl", "déliberation conseil municipal"),
        # Found by its review: words of French are no misspelt communes (Poitiers,
        # Plaintel, Justine); a soft hyphen splits no word.
        ("policiers Marseille", ""),
        ("vidéosurveillance policiers", ""),
        ("justice plainte chantier contrôle stockage", ""),
        ("Mar\u00adsielle", "Marseille"),
        # Nothing to correct: known words, short words, numbers, words far from any.
        ("vidéoprotection Nice", ""),
        ("CSU LAPI 2024", ""),
        ("zzqxwv", ""),
    ],
)
def test_it_corrects_the_words_of_the_field_and_the_places(query, expected):
    assert suggestion(query) == expected


@pytest.fixture(params=["tantivy", "database"])
def library(request, settings, contributor):
    settings.SEARCH_BACKEND = request.param
    published = add(
        samples.text_pdf(["La vidéosurveillance de Marseille s'étend au Vieux-Port."]),
        "marseille.pdf",
        places=[Commune.objects.get(code="13055")],
        origin="press",
    )
    Document.objects.filter(id=published.id).update(is_public=True)
    published.pages.update(
        published_text="La vidéosurveillance de Marseille s'étend au Vieux-Port."
    )
    # A private upload naming a firm that is in no public list.
    add(
        samples.text_pdf(["Le marché de vidéosurveillance est attribué à Zorglubtech."]),
        "note.pdf",
        uploaded_by=contributor,
    )
    index_rebuild()
    return published


def _search(client, **params):
    return client.get("/recherche/", params).content.decode()


def test_a_search_that_finds_nothing_offers_the_corrected_words(library, client):
    # (The stems already meet for "vidéosurveilance Marseile": not these.)
    page = _search(client, q="vidéosurvaillance Marsielle", origin="press", page="1")
    assert "Vouliez-vous dire" in page
    # The link keeps the filters and starts again at the first page.
    assert 'href="?q=vid%C3%A9osurveillance+Marseille&amp;origin=press"' in page
    assert "« vidéosurveillance Marseille »" in page
    assert "Vieux-Port" not in page  # the misspelt query found nothing
    assert "Vieux-Port" in _search(client, q="vidéosurveillance Marseille")
    # A query that finds its words offers nothing.
    assert "Vouliez-vous dire" not in _search(client, q="vidéosurveillance Marseille")


def test_no_suggestion_when_the_corrected_words_find_nothing_either(library, client):
    # Corrected, "vidéosurvaillance Quimpre" finds no page and no deployment either: no
    # offer. (Toulouse's would: the demo registry has a deployment there.)
    assert suggestion("vidéosurvaillance Quimpre") == "vidéosurveillance Quimper"
    assert "Vouliez-vous dire" not in _search(client, q="vidéosurvaillance Quimpre")
    assert "« vidéosurveillance Toulouse »" in _search(client, q="vidéosurvaillance Toulouze")


def test_a_quoted_query_is_offered_only_words_side_by_side(library, client):
    # Corrected, the words are on the page but apart: the quoted query would find only
    # them apart, which is no answer to a query in quotes.
    assert "Vouliez-vous dire" not in _search(client, q='"vidéosurvaillance Vieux-Port"')
    assert "Vouliez-vous dire" in _search(client, q='"vidéosurvaillance de Marsielle"')


def test_a_private_documents_words_are_never_suggested(library, client, reviewer):
    """The firm is named only in a private upload, and in a draft's organisation: a
    visitor who misspells it must learn nothing of it, nor must a reviewer be offered a
    word that came from the library's text."""
    Organisation.objects.create(name="Zorglubtech", slug="zorglubtech", is_public=False)
    assert suggestion("Zorglubteck") == ""
    assert "Zorglubtech" not in _search(client, q="Zorglubteck")
    client.force_login(reviewer)
    assert "Zorglubtech" not in _search(client, q="Zorglubteck")
    # Once public (a published deployment names it), its name is the registry's.
    Organisation.objects.filter(slug="zorglubtech").update(is_public=True)
    assert suggestion("Zorglubteck") == "Zorglubtech"


def _deployment(author, **data):
    deployment_create(data=deployment_data(**data), author=author)


def test_a_misspelt_query_that_finds_no_deployment_is_offered_the_one_that_does(
    library, client, reviewer
):
    """A walk typed "reconnaisance faciale": no page of the library holds it, and the
    registry's published deployment of that name was not found either, with no word
    said; the corrected words are offered, above both."""
    _deployment(
        reviewer,
        title="Portique de reconnaissance faciale au lycée",
        description="Expérimentation au lycée.",
        communes=["06088"],
        technologies=["reconnaissance-faciale"],
    )
    page = _search(client, q="reconnaisance faciale")
    assert "« reconnaissance faciale »" in page
    # Said before the deployments and the documents, as it is for both.
    assert page.index("Vouliez-vous dire") < page.index("<h2>Documents</h2>")
    # A query the registry answers is offered nothing.
    assert "Vouliez-vous dire" not in _search(client, q="reconnaissance faciale")


def test_a_draft_deployment_never_makes_a_suggestion(library, client, reviewer):
    _deployment(
        reviewer,
        title="Hyperviseur du port de Quimper",
        description="Projet non publié.",
        communes=["29232"],
        technologies=["hypervision"],
        is_published=False,
    )
    assert suggestion("hyperviseur Quimpre") == "hyperviseur Quimper"
    assert "Vouliez-vous dire" not in _search(client, q="hyperviseur Quimpre")
